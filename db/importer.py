"""The import pipeline: files -> parsed reports -> extraction -> store, in batched transactions.

Used by ``analyst-tui import``, by the TUI's import command (in a worker thread, with its own
Store) and by first-run set-up with the demo corpus. A file that cannot be imported yields one
failed outcome with a reason; the batch goes on.

Parsing and extraction (about 60% of the CPU time of a report) can run in worker processes
while the calling thread stores what they send back, in input order: see ``import_paths``.
"""

from __future__ import annotations

import os
import time
from collections import deque
from contextlib import closing
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from . import dedup
from .models import Extraction, ImportOutcome, ParsedReport

if TYPE_CHECKING:  # the pool's modules are imported when a pool is started (~30 ms)
    from concurrent.futures import Future, ProcessPoolExecutor

BATCH_REPORTS = 50  # reports per transaction: big enough for speed, small enough to keep other writers waiting < 1 s
BATCH_SECONDS = 0.5
# ... or fewer when the storing thread would otherwise wait for the workers: so the last batch,
# stored after every file is extracted, is small (50 reports take ~100 ms to store)
IDLE_BATCH_REPORTS = 10

# Worker processes. Measured on 2 cores with files of ~600 words, wall time of a whole import in a
# new process, pool of 2 vs none (median of 5): 60 files 0.54 vs 0.51 s, 80: 0.63 vs 0.66 s, 100:
# 0.86 vs 0.84 s, 120: 0.84 vs 0.87 s, 150: 0.99 vs 1.27 s. The first pool of a process gives its
# first result after ~0.2 s (process start-up and importing the extractor also take CPU from the
# import); the pool gains ~2 ms per file after. Fewer than POOL_MIN_FILES files: no pool.
WORKERS_ENV = "ANALYST_TUI_IMPORT_WORKERS"  # a number: 0 turns the pool off, N forces N workers
POOL_MIN_FILES = 100
MAX_AUTO_WORKERS = 4  # the process storing the reports needs a core too
_FILES_AHEAD = BATCH_REPORTS + 8  # files queued to the workers: enough to keep them busy while a batch commits
_CANCEL_POLL_SECONDS = 0.1
NOTHING_READY = None  # what _prepared_in_pool yields before it waits for the workers


@dataclass
class ImportSummary:
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    near_duplicates: int = 0
    outcomes: list[ImportOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: ImportOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status == "imported":
            self.imported += 1
            if outcome.duplicate_of:
                self.near_duplicates += 1
        elif outcome.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1

    def line(self) -> str:
        text = f"{self.imported} imported, {self.skipped} skipped (already there), {self.failed} failed"
        if self.near_duplicates:
            text += f"; {self.near_duplicates} near-duplicate(s) linked to earlier reports"
        return text


Progress = Callable[[int, int | None, ImportOutcome], None]
Cancelled = Callable[[], bool]


# --- what one input file becomes -------------------------------------------------------------------


@dataclass
class _Input:
    """One input: a file to read, standard input's bytes, or a path already known to be unusable."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    reason: str | None = None


@dataclass
class _PreparedReport:
    """Everything about a report that does not need the database."""

    parsed: ParsedReport
    extraction: Extraction | None
    fingerprint: dedup.Fingerprint


@dataclass
class _Unit:
    """An input, parsed and extracted: its reports, or why it cannot be imported."""

    name: str
    reports: list[_PreparedReport] = field(default_factory=list)
    reason: str | None = None


def _inputs(paths: Iterable[str | Path], stdin_bytes: bytes | None) -> Iterator[_Input]:
    from .ingest import iter_input_files

    for raw in paths:
        if str(raw) == "-":
            yield _Input("<stdin>", data=stdin_bytes or b"")
            continue
        path = Path(raw)
        if not path.exists():
            yield _Input(str(raw), reason="no such file or folder")
            continue
        try:
            files = list(iter_input_files([path]))
        except OSError as exc:
            yield _Input(str(raw), reason=f"cannot read: {exc.strerror or exc}")
            continue
        for file in files:
            yield _Input(str(file), path=file)


def _prepare(item: _Input) -> _Unit:
    """Parse and extract one input (in a worker process or in this one)."""
    from .ingest import IngestError, parse_bytes, parse_file

    if item.reason is not None:
        return _Unit(item.name, reason=item.reason)
    try:
        parsed_reports = parse_bytes(item.data, item.name) if item.data is not None else parse_file(item.path)
    except IngestError as exc:
        return _Unit(item.name, reason=str(exc))
    except OSError as exc:
        return _Unit(item.name, reason=f"cannot read: {exc.strerror or exc}")
    return _Unit(item.name, [_prepare_report(parsed, item.name) for parsed in parsed_reports])


def _prepare_report(parsed: ParsedReport, file_name: str) -> _PreparedReport:
    from .extract import extract

    if not parsed.original_name:
        parsed.original_name = Path(file_name).name
    try:
        extraction = extract(parsed.body, title=parsed.title, published=parsed.published, publisher=parsed.publisher)
    except Exception:  # an extractor bug must not lose the report: store it without claims
        extraction = None
    return _PreparedReport(parsed, extraction, dedup.fingerprint(parsed.title, parsed.body))


# --- in this process, or in worker processes ---------------------------------------------------------


def _prepared_here(items: Iterable[_Input], cancelled: Cancelled | None) -> Iterator[_Unit]:
    for item in items:
        if cancelled and cancelled():
            return
        yield _prepare(item)


def _prepared_in_pool(items: Iterable[_Input], workers: int, cancelled: Cancelled | None) -> Iterator[_Unit | None]:
    """What ``_prepared_here`` yields, with the work done by ``workers`` processes a few files
    ahead of the caller, and ``NOTHING_READY`` before it waits for them (the caller may store
    meanwhile). If a worker dies, the rest is done in this process."""
    from concurrent.futures.process import BrokenProcessPool

    items = iter(items)
    queued: deque[_Input] = deque()  # handed to the pool, not yet yielded
    futures: deque[Future] = deque()  # one per queued input, in the same order
    pool = None
    finished = False
    try:
        pool = _start_pool(workers)
        while True:
            # One file per task: a result over 16 KiB is written to the pipe in two parts, and a
            # worker killed between them (out of memory) leaves the pool waiting forever for the
            # second. A file's result is ~11 KiB; four files a task (~45 KiB) hung the killed-
            # worker test in 2 runs of 5.
            while len(queued) < _FILES_AHEAD and (item := next(items, None)) is not None:
                queued.append(item)
                futures.append(pool.submit(_prepare, item))
            if not queued:
                finished = True
                return
            if not futures[0].done():
                yield NOTHING_READY
            if not _wait(futures[0], cancelled):
                return
            unit = futures.popleft().result()
            queued.popleft()
            yield unit
    except (BrokenProcessPool, OSError):
        # A worker was killed (out of memory, by hand) or no process could start here: no input
        # is lost. (An OSError of the input itself comes again, as it would without a pool.)
        if pool is not None:
            _stop_pool(pool, kill_workers=True)
            pool = None
        yield from _prepared_here(chain(queued, items), cancelled)
    finally:
        if pool is not None:
            # cancelled, or the caller stopped (an error while storing): what is still being
            # extracted is not wanted, and one big file can keep a worker busy for seconds
            _stop_pool(pool, kill_workers=not finished)


def _wait(future: Future, cancelled: Cancelled | None) -> bool:
    """Wait for a worker's result; False if the import is cancelled first."""
    from concurrent.futures import wait as wait_for_futures

    while True:
        if cancelled and cancelled():
            return False
        if wait_for_futures([future], timeout=_CANCEL_POLL_SECONDS).done:
            return True


def _start_pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Never "fork": the TUI imports from a thread, and forking a threaded process can copy a lock
    # held by another thread. A forkserver starts one clean process that imports the extractor
    # once; each worker is forked from it already warm (~2x faster to the first result than spawn).
    from .child_processes import start_resource_tracker

    start_resource_tracker()
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["__main__", "db.importer", "db.ingest", "db.extract"])
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_started)


def _stop_pool(pool: ProcessPoolExecutor, *, kill_workers: bool) -> None:
    if not kill_workers:
        # every result was taken: the workers are idle and exit at once; the import need not
        # wait for them (~30 ms) to store its last batch
        pool.shutdown(wait=False)
        return
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    processes = [] if terminate else list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    if terminate:
        terminate()
    for process in processes:
        if process.is_alive():
            process.terminate()


def _worker_started() -> None:
    """In each worker: Ctrl+C is for the importing process to handle (it stops the pool); a
    parser's warning is not printed (the worker writes straight to the terminal, under the TUI's
    screen); a worker whose importing process died (SIGKILL) exits instead of waiting for work."""
    import multiprocessing
    import signal
    import threading
    import warnings

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warnings.simplefilter("ignore")
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True).start()


def _exit_when_gone(parent_sentinel: int) -> None:
    from multiprocessing.connection import wait

    wait([parent_sentinel])  # readable only once the parent's end of the pipe is closed
    os._exit(0)


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def pool_workers(requested: int | None, files: int | None) -> int:
    """Worker processes for an import of ``files`` input files; 0 = everything in this process.
    ``requested`` (or $ANALYST_TUI_IMPORT_WORKERS) decides when given; else the pool is used when
    there are enough files to pay for its start-up and more than one CPU to run it."""
    if requested is None:
        try:
            requested = int(os.environ[WORKERS_ENV])
        except (KeyError, ValueError):
            pass
    if requested is not None:
        return max(0, requested)
    cpus = usable_cpus()
    if cpus < 2 or files is None or files < POOL_MIN_FILES:
        return 0
    return min(cpus, MAX_AUTO_WORKERS)


# --- the import ------------------------------------------------------------------------------------------


def count_input_files(paths: Iterable[str | Path]) -> int | None:
    from .ingest import iter_input_files

    try:
        return sum(1 if str(p) == "-" else len(list(iter_input_files([Path(p)]))) for p in paths if str(p) == "-" or Path(p).exists())
    except OSError:
        return None


def import_paths(store, paths: Iterable[str | Path], *, progress: Progress | None = None,
                 stdin_bytes: bytes | None = None, cancelled: Cancelled | None = None,
                 workers: int | None = None) -> ImportSummary:
    """Import files and folders into ``store``. ``progress(done_files, total_files, outcome)`` is
    called for every report stored and every file rejected. ``cancelled()`` is asked before each
    file: once true, what is already extracted is stored and the import ends.

    ``workers``: processes that parse and extract while this thread stores (0: none; None: see
    ``pool_workers``). Outcomes come in input order either way. As with any process pool, a
    script calling this at import time needs an ``if __name__ == "__main__":`` guard (the
    workers import the main module)."""
    paths = list(paths)
    total = count_input_files(paths)
    workers = pool_workers(workers, total)
    summary = ImportSummary()
    started = time.monotonic()
    # (a report to store, or a file's failure; files done when it was read): outcomes are given
    # in input order, whatever the timing of the commits
    pending: list[tuple[_PreparedReport | ImportOutcome, int]] = []
    pending_reports = 0

    def flush() -> None:
        nonlocal pending_reports
        if not pending:
            return
        if pending_reports:
            with store.import_batch():  # one transaction; the rows are written together at its end
                outcomes = [(_store(store, entry), done) for entry, done in pending]
        else:
            outcomes = list(pending)
        pending.clear()
        pending_reports = 0
        for outcome, done in outcomes:
            summary.add(outcome)
            if progress:
                progress(done, total, outcome)

    inputs = _inputs(paths, stdin_bytes)
    units = _prepared_in_pool(inputs, workers, cancelled) if workers else _prepared_here(inputs, cancelled)
    last_flush = time.monotonic()
    done_files = 0
    with closing(units):  # an error while storing stops the workers too
        for unit in units:
            if unit is NOTHING_READY:
                # the workers are behind: store what is waiting now rather than all at the end
                if pending_reports >= IDLE_BATCH_REPORTS:
                    flush()
                    last_flush = time.monotonic()
                continue
            done_files += 1
            if unit.reason is not None:
                entries: list[_PreparedReport | ImportOutcome] = [ImportOutcome("failed", unit.name, reason=unit.reason)]
            else:
                entries = list(unit.reports)
            for entry in entries:
                pending.append((entry, done_files))
                if isinstance(entry, _PreparedReport):
                    pending_reports += 1
                # a failure with no report waiting before it is told at once
                if (not pending_reports or pending_reports >= BATCH_REPORTS
                        or time.monotonic() - last_flush > BATCH_SECONDS):
                    flush()
                    last_flush = time.monotonic()
    flush()
    store.propose_merges()  # close spellings of names seen in this import, for the analyst to confirm
    summary.seconds = time.monotonic() - started
    return summary


def _store(store, entry: _PreparedReport | ImportOutcome) -> ImportOutcome:
    if isinstance(entry, ImportOutcome):  # a file that failed: nothing to store
        return entry
    return store.store_report(entry.parsed, entry.extraction, entry.fingerprint)
