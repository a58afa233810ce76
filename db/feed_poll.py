"""Polling subscriptions: fetch feeds in parallel, store their new items, import new files of
watched folders.

Feeds are fetched by a few threads at once (a slow or dead server holds only its own thread,
up to its timeout); everything fetched is parsed and stored by the calling thread, one feed at
a time, as soon as it arrives, so ``progress`` is told of each feed when it is done. A feed over
8 KB is parsed and extracted in a worker process under the import's budget (30 s of CPU, 1 GB;
see ``db.importer``): a feed is the most hostile input there is. Items go through the importer's
extraction and dedupe: an item already stored (same content) is skipped,
a story relayed by another outlet is linked as a near-duplicate. Used by ``analyst-tui feeds
poll`` and by the triage screen's poller (in a worker thread with its own Store).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator

from . import subscriptions as subs
from .feed_fetch import MAX_BYTES, TIMEOUT_SECONDS, Fetched, fetch

PARALLEL_FETCHES = 4
# A file modified this recently may still be being written into the watched folder: next poll.
SETTLE_SECONDS = 2.0


@dataclass
class PollOutcome:
    subscription_id: int
    label: str  # the subscription's name, else the feed's own title, else its host or folder name
    new: int = 0
    skipped: int = 0
    not_modified: bool = False
    error: str | None = None
    retry_at: str | None = None  # when a failed subscription is polled again
    failures: list[str] = field(default_factory=list)  # files of a folder that could not be imported
    new_report_ids: list[int] = field(default_factory=list)

    def line(self) -> str:
        if self.error:
            return f"{self.label}: {self.error} (next try {self.retry_at or 'later'})"
        if self.not_modified:
            return f"{self.label}: not modified"
        text = f"{self.new} new from {self.label}"
        if self.skipped:
            text += f" ({self.skipped} already there)"
        if self.failures:
            text += f"; {len(self.failures)} file(s) failed"
        return text


Progress = Callable[[PollOutcome], None]


def poll(store, subscriptions: Iterable[subs.Subscription], *, progress: Progress | None = None,
         timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES,
         cancelled: Callable[[], bool] | None = None) -> list[PollOutcome]:
    """Poll these subscriptions now; outcomes in the order they finished."""
    chosen = list(subscriptions)
    feeds = [s for s in chosen if s.kind == "feed"]
    folders = [s for s in chosen if s.kind == "folder"]
    outcomes: list[PollOutcome] = []

    def done(outcome: PollOutcome) -> None:
        outcomes.append(outcome)
        if progress:
            progress(outcome)

    imported_any = False
    if feeds:
        with _Preparer(cancelled) as preparer:
            for subscription, fetched in _fetched_as_they_come(feeds, timeout, max_bytes, cancelled):
                outcome = _store_feed(store, subscription, fetched, preparer)
                if outcome is None:  # cancelled while its items were being prepared
                    break
                imported_any |= outcome.new > 0
                done(outcome)
    for folder in folders:
        if cancelled and cancelled():
            break
        outcome = _poll_folder(store, folder)
        imported_any |= outcome.new > 0
        done(outcome)
    if imported_any:
        store.propose_merges()  # as after any import: close spellings of new names, for the analyst
    return outcomes


def _fetched_as_they_come(feeds: list[subs.Subscription], timeout: float, max_bytes: int,
                          cancelled: Callable[[], bool] | None) -> Iterator[tuple[subs.Subscription, Fetched]]:
    """(subscription, what its fetch brought), in the order the fetches end, up to
    PARALLEL_FETCHES at a time. Daemon threads, not an executor: a fetch still waiting on a slow
    server when the poll is cancelled (the app quitting) must not hold the process open."""
    answers: queue.Queue = queue.Queue()
    slots = threading.Semaphore(PARALLEL_FETCHES)

    def fetch_one(subscription: subs.Subscription) -> None:
        with slots:
            try:
                fetched = fetch(subscription.location, etag=subscription.etag, last_modified=subscription.last_modified,
                                timeout=timeout, max_bytes=max_bytes)
            except Exception as exc:  # a bug in one fetch must end as that feed's failure, not a lost answer
                fetched = Fetched("error", error=f"cannot read the feed: {type(exc).__name__}")
        answers.put((subscription, fetched))

    for subscription in feeds:
        threading.Thread(target=fetch_one, args=(subscription,), daemon=True, name="feed-fetch").start()
    for _ in feeds:
        while True:
            if cancelled and cancelled():
                return
            try:
                yield answers.get(timeout=0.2)
                break
            except queue.Empty:
                continue


def _failed(store, subscription: subs.Subscription, error: str) -> PollOutcome:
    retry = subs.record_failure(store, subscription, error)
    return PollOutcome(subscription.id, subscription.label, error=error,
                       retry_at=retry.astimezone().strftime("%H:%M"))


def _store_feed(store, subscription: subs.Subscription, fetched: Fetched, preparer: _Preparer) -> PollOutcome | None:
    if fetched.status == "error":
        return _failed(store, subscription, fetched.error or "unknown error")
    if fetched.status == "not-modified":
        subs.record_success(store, subscription, new=0, etag=fetched.etag, last_modified=fetched.last_modified)
        return PollOutcome(subscription.id, subscription.label, not_modified=True)
    prepared = preparer.prepare((fetched.body, subscription.location, subscription.name, subscription.reliability))
    if prepared is None:
        return None
    error, reports, title = prepared
    if error:
        return _failed(store, subscription, error)
    outcome = PollOutcome(subscription.id, subscription.name or title or subscription.label)
    _store_reports(store, reports, outcome)
    subs.record_success(store, subscription, new=outcome.new, etag=fetched.etag, last_modified=fetched.last_modified,
                        title=None if subscription.name else title)
    return outcome


def prepare_feed(job: tuple) -> tuple[str | None, list, str | None]:
    """(why not, the feed's items parsed and extracted, the feed's own title), for the job
    (body, subscription URL, name, reliability). Runs in a worker process for a large feed."""
    from .importer import _prepare_report

    body, location, name, reliability = job
    try:
        reports = _parse(body, location, name, reliability)
    except ValueError as exc:
        return str(exc), [], None
    title = next((r.publisher for r in reports if r.publisher), None)
    return None, [_prepare_report(report, location) for report in reports], title


def _over_budget(job: tuple, reason: str) -> tuple[str, list, None]:
    from .importer import _budget
    from .worker_processes import OVER_MEMORY

    budget = _budget(1)
    if reason == OVER_MEMORY:
        return f"too complex: needed over {budget.memory_bytes // 1024**2} MB to parse and extract", [], None
    return f"too complex: took over {budget.cpu_seconds:.0f} s to parse and extract", [], None


class _Preparer:
    """Prepares feeds here when small, else in one worker process under the import budget,
    started for the first large feed of a poll and ended with it."""

    def __init__(self, cancelled: Callable[[], bool] | None) -> None:
        self.cancelled = cancelled
        self.pool = None

    def __enter__(self) -> _Preparer:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.close(kill=True)
            self.pool = None

    def prepare(self, job: tuple):
        """What ``prepare_feed`` gives, or None when the poll is cancelled meanwhile."""
        from .importer import IN_PROCESS_MAX_BYTES, _budget, _budget_wanted
        from .worker_processes import NOT_YET, OrderedWorkers, WorkersLost

        if len(job[0]) <= IN_PROCESS_MAX_BYTES or not _budget_wanted(None):
            return prepare_feed(job)
        try:
            if self.pool is None:
                self.pool = OrderedWorkers(prepare_feed, 1, preload=["db.feed_poll", "db.ingest", "db.extract"],
                                           budget=_budget(1), on_overrun=_over_budget)
            self.pool.submit([job])
            while (answer := self.pool.answer(0.2)) is NOT_YET:
                if self.cancelled and self.cancelled():
                    return None
            return answer[0]
        except (WorkersLost, OSError):  # the worker was killed: no items from this feed this time
            if self.pool is not None:
                self.pool.close(kill=True)
            self.pool = None
            return "the process reading the feed was lost; it is read again at the next poll", [], None


def _parse(body: bytes, location: str, name: str | None, reliability: str | None) -> list:
    """The feed's items as reports, named for the subscription; ValueError says why not."""
    from .ingest.errors import IngestError
    from .ingest.feeds import feed_root, parse_feed

    root = feed_root(body[:8192].decode("latin-1"))
    if root is None:
        raise ValueError("the answer is not an RSS or Atom feed")
    try:
        reports = parse_feed(body, location, root)
    except IngestError as exc:
        if str(exc) == "feed has no items":  # an empty feed is a quiet day, not a failure
            return []
        raise ValueError(str(exc)) from None
    for report in reports:
        if name:
            report.publisher = name
        if reliability:
            report.reliability = reliability  # for a source seen for the first time only
    return reports


def _store_reports(store, prepared: list, outcome: PollOutcome) -> None:
    if not prepared:
        return
    with store.import_batch():
        results = [store.store_report(p.parsed, p.extraction, p.fingerprint) for p in prepared]
    for result in results:
        if result.status == "imported":
            outcome.new += 1
            outcome.new_report_ids.append(result.report_id)
        else:
            outcome.skipped += 1


def _poll_folder(store, subscription: subs.Subscription) -> PollOutcome:
    """Import the files dropped into a watched folder since the last poll; the files stay there."""
    from .importer import import_paths
    from .ingest import Skipped, walk_inputs

    folder = Path(subscription.location)
    if not folder.is_dir():
        return _failed(store, subscription, "the folder is gone")
    seen = subs.seen_files(store, subscription.id)
    settled_before = time.time() - SETTLE_SECONDS
    fresh: list[tuple[str, int, int]] = []
    for entry in walk_inputs([folder]):
        if isinstance(entry, Skipped):
            continue
        try:
            stat = entry.stat()
        except OSError:
            continue
        name = str(entry.relative_to(folder))
        if seen.get(name) == (stat.st_size, stat.st_mtime_ns) or stat.st_mtime > settled_before:
            continue
        fresh.append((name, stat.st_size, stat.st_mtime_ns))
    outcome = PollOutcome(subscription.id, subscription.label)
    if fresh:
        summary = import_paths(store, [folder / name for name, _, _ in fresh])
        outcome.new, outcome.skipped = summary.imported, summary.skipped
        outcome.new_report_ids = [o.report_id for o in summary.outcomes if o.status == "imported"]
        outcome.failures = [f"{o.name}: {o.reason}" for o in summary.outcomes if o.status == "failed"]
        # a file that failed is not tried again until it changes
        subs.mark_files_seen(store, subscription.id, fresh)
    subs.record_success(store, subscription, new=outcome.new)
    return outcome


def subscriptions_to_poll(store, *, force: bool = False, due_only: bool = False,
                          now: datetime | None = None) -> tuple[list[subs.Subscription], list[subs.Subscription]]:
    """(to poll, held back): held back are those backing off after failures (unless ``force``),
    and with ``due_only`` those whose interval has not passed."""
    now = now or datetime.now(UTC)
    chosen, held = [], []
    for subscription in subs.list_subscriptions(store):
        if force:
            chosen.append(subscription)
        elif subscription.backing_off(now) or (due_only and not subscription.due(now)):
            held.append(subscription)
        else:
            chosen.append(subscription)
    return chosen, held
