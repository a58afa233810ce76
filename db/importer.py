"""The import pipeline: files -> parsed reports -> extraction -> store, in batched transactions.

Used by ``analyst-tui import``, by the TUI's import command (in a worker thread, with its own
Store) and by first-run set-up with the demo corpus. A file that cannot be imported yields one
failed outcome with a reason; the batch goes on.

Parsing and extraction (about 60% of the CPU time of a report) can run in worker processes
while the calling thread stores what they send back, in input order: see ``import_paths``.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import deque
from contextlib import closing, suppress
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Callable, Iterable, Iterator

from . import dedup
from .analysis.families import FamilyCache
from .models import Extraction, ImportOutcome, ParsedReport

if TYPE_CHECKING:  # imported when workers are started
    from .ingest.jsonfmt import RejectedRecord
    from .ingest.records import RecordIndex
    from .worker_processes import OrderedWorkers

# Reports per transaction, or what came in BATCH_SECONDS: big enough for speed, small enough to keep
# other writers waiting < 1 s (100 reports take ~0.25 s to store, then ~0.4 s to join their families).
# Each commit writes every page its rows touched: the claims' lookup keys land all over their index,
# so fewer, larger batches write fewer pages a report (20,000 reports: 89.5 reports/s at 50 / 0.5 s,
# 93.7 at 100 / 1 s, 93.7 at 200 / 2 s; bench/RESULTS.md).
BATCH_REPORTS = 100
BATCH_SECONDS = 1.0
# The workers run below the storing thread's priority. With 2 workers and the storer on 2 cores, an
# even share gave the storer two thirds of a core; at 20,000 reports it needs more (~7.7 ms a report
# at 90+ reports/s) and set the pace while the workers waited (90.3 reports/s, niced 93.7). Niced, it
# takes what it needs and the workers the rest (in the TUI the interface's thread stays ahead too).
WORKER_NICENESS = 5
# ... or fewer when the storing thread would otherwise wait for the workers: so the last batch,
# stored after every file is extracted, is small
IDLE_BATCH_REPORTS = 10

# Worker processes. Measured on 2 cores with files of ~600 words, wall time of a whole import in a
# new process, pool of 2 vs none (median of 5): 60 files 0.54 vs 0.51 s, 80: 0.63 vs 0.66 s, 100:
# 0.86 vs 0.84 s, 120: 0.84 vs 0.87 s, 150: 0.99 vs 1.27 s. The first pool of a process gives its
# first result after ~0.2 s (process start-up and importing the extractor also take CPU from the
# import); the pool gains ~2 ms per file after. Fewer than POOL_MIN_FILES files: no pool.
WORKERS_ENV = "ANALYST_TUI_IMPORT_WORKERS"  # a number: 0 turns the pool off, N forces N workers
POOL_MIN_FILES = 100
MAX_AUTO_WORKERS = 4  # the process storing the reports needs a core too
# Files queued to the workers: enough to keep them busy while this thread stores a batch (~0.5 s
# of CPU for 50 reports of ~900 words, their claims placed in families; the answers wait in the
# workers' pipes), and at most _BYTES_AHEAD of input, since the answers of big files wait in memory.
_FILES_AHEAD = 2 * BATCH_REPORTS + 8
_BYTES_AHEAD = 32 * 1024**2
FILES_PER_TASK = 4  # files given to a worker at once: fewer round trips
_CANCEL_POLL_SECONDS = 0.1
NOTHING_READY = None  # what _prepared_in_pool yields before it waits for the workers

# Each file's parsing and extraction has a budget, which only a worker process can enforce (the
# kernel ends it past its CPU seconds; a watch thread past its memory or wall-clock time): one
# quadratic regex or parser took minutes and gigabytes on files of a few megabytes (issue 17).
# A file over it is reported as too complex and the import goes on. Files up to
# IN_PROCESS_MAX_BYTES are prepared in this process when the import is too small for a pool:
# the worst shape known takes ~2 s at that size. Workers together stay under
# MEMORY_CEILING_BYTES: with more of them, each gets less. --workers 0 (or
# $ANALYST_TUI_IMPORT_WORKERS=0) prepares everything here, without a budget.
FILE_CPU_SECONDS = 30.0
FILE_MEMORY_BYTES = 1024**3
MEMORY_CEILING_BYTES = 2 * 1024**3
IN_PROCESS_MAX_BYTES = 8 * 1024
SECONDS_ENV, MEMORY_ENV = "ANALYST_TUI_IMPORT_SECONDS", "ANALYST_TUI_IMPORT_MEMORY_MB"  # to try a smaller budget


@dataclass
class ImportSummary:
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    near_duplicates: int = 0
    outcomes: list[ImportOutcome] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # "name: what to check", told with the summary

    def add(self, outcome: ImportOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.warning:
            self.warn(outcome.name, outcome.warning)
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
        if self.warnings:
            text += f"; {len(self.warnings)} warning(s) to check"
        return text

    def warn(self, name: str, text: str) -> None:
        self.warnings.append(f"{name}: {text}")


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
    inside_folder: bool = False  # found in a folder, not named: links there are not followed
    size: int = 0
    temporary: bool = False  # standard input spooled to a file for a worker: removed after the import
    records: RecordIndex | None = None  # a JSON Lines file or JSON array read record by record
    record: tuple[str, int, int, int] | None = None  # one record of such a file: (kind, number, start, end)
    last_record: bool = False

    def needs_budget(self) -> bool:
        return self.reason is None and self.size > IN_PROCESS_MAX_BYTES


@dataclass
class _PreparedReport:
    """Everything about a report that does not need the database."""

    parsed: ParsedReport
    extraction: Extraction | None
    fingerprint: dedup.Fingerprint
    # what placing its claims in their families needs of their texts (db.analysis.families),
    # computed where the extraction is: (claim text, is_denial) -> Terms
    terms: dict = field(default_factory=dict)


@dataclass
class _Unit:
    """An input, parsed and extracted: its reports, or why it cannot be imported."""

    name: str
    reports: list[_PreparedReport] = field(default_factory=list)
    reason: str | None = None
    rejected: list[RejectedRecord] = field(default_factory=list)  # records of a JSON file not imported
    record: int | None = None  # the record's number, for one record of a file read record by record
    last_record: bool = False


def _inputs(paths: Iterable[str | Path], stdin_bytes: bytes | None) -> Iterator[_Input]:
    from .ingest import Skipped, walk_inputs

    for raw in paths:
        if str(raw) == "-":
            yield _stdin_input(stdin_bytes or b"")
            continue
        path = Path(raw)
        if not path.exists():
            yield _Input(str(raw), reason="no such file or folder")
            continue
        named_folder = path.is_dir()
        for entry in walk_inputs([path]):
            if isinstance(entry, Skipped):
                yield _Input(str(entry.path), reason=entry.reason)
            else:
                yield _read_by_record(_Input(str(entry), path=entry, inside_folder=named_folder, size=_size(entry)))


def _read_by_record(item: _Input) -> _Input:
    """A JSON Lines file or a JSON array past STREAM_FROM_BYTES, indexed record by record here (its
    JSON checked: a file with invalid JSON is refused whole); any other input as it is."""
    from .ingest import MAX_BYTES, IngestError, open_regular_file
    from .ingest.records import STREAM_FROM_BYTES, NotUTF8, index_records, record_stream_kind

    if item.size <= STREAM_FROM_BYTES:
        return item
    name = "<stdin>" if item.temporary else item.path.name
    try:
        with open_regular_file(item.path, not item.inside_folder, whole_file_limit=False) as handle:
            if (kind := record_stream_kind(handle, name)) is None:
                return item
            item.records = index_records(handle, kind)
    except IngestError as exc:
        item.reason = exc.reason
    except NotUTF8:
        if item.size > MAX_BYTES:
            item.reason = f"not UTF-8: a JSON array over {MAX_BYTES // 1024**2} MB is read as UTF-8"
    except OSError:
        pass  # read as a whole file, which says why it cannot be read
    return item


def _records_of(items: Iterable[_Input]) -> Iterator[_Input]:
    """The inputs, each file read record by record replaced by its records, one input each (read
    from the file by whichever process prepares it), in order."""
    for item in items:
        index = item.records
        if index is None or item.reason is not None:
            yield item
            continue
        last = len(index) - 1
        for number, (start, end) in enumerate(zip(index.starts, index.ends, strict=True)):
            yield _Input(item.name, path=item.path, inside_folder=item.inside_folder, size=end - start,
                         temporary=item.temporary, record=(index.kind, number + 1, start, end),
                         last_record=number == last)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # parse_file says why


def _stdin_input(data: bytes) -> _Input:
    """Standard input's bytes; past IN_PROCESS_MAX_BYTES written to a file a worker reads (a
    worker's pipe is no place for 16 MB: it could fill while the worker itself writes)."""
    if len(data) <= IN_PROCESS_MAX_BYTES:
        return _Input("<stdin>", data=data, size=len(data))
    import tempfile

    handle = tempfile.NamedTemporaryFile(prefix="analyst-tui-stdin-", delete=False)  # noqa: SIM115 closed below; kept
    with handle:
        handle.write(data)
    return _read_by_record(_Input("<stdin>", path=Path(handle.name), size=len(data), temporary=True))


def _prepare(item: _Input) -> _Unit:
    """Parse and extract one input (in a worker process or in this one)."""
    from .ingest import IngestError, parse_bytes_detailed, parse_file_detailed

    if item.reason is not None:
        return _Unit(item.name, reason=item.reason)
    if item.record is not None:
        return _prepare_record(item)
    try:
        if item.data is not None:
            outcome = parse_bytes_detailed(item.data, item.name)
        else:
            outcome = parse_file_detailed(item.path, follow_links=not item.inside_folder,
                                          name="<stdin>" if item.temporary else None)
    except IngestError as exc:
        return _Unit(item.name, reason=str(exc))
    except OSError as exc:
        return _Unit(item.name, reason=f"cannot read: {exc.strerror or exc}")
    return _Unit(item.name, [_prepare_report(parsed, item.name) for parsed in outcome.reports],
                 rejected=outcome.rejected)


def _prepare_record(item: _Input) -> _Unit:
    """One record of a file read record by record: its report, or why it is rejected."""
    from .ingest import IngestError, open_regular_file
    from .ingest.records import read_record

    kind, number, start, end = item.record
    name = "<stdin>" if item.temporary else item.path.name
    try:
        with open_regular_file(item.path, not item.inside_folder, whole_file_limit=False) as handle:
            parsed = read_record(handle, kind, start, end, name)
    except IngestError as exc:
        return _Unit(item.name, reason=exc.reason, record=number, last_record=item.last_record)
    except OSError as exc:
        return _Unit(item.name, reason=f"cannot read: {exc.strerror or exc}", record=number,
                     last_record=item.last_record)
    return _Unit(item.name, [_prepare_report(parsed, item.name)], record=number, last_record=item.last_record)


def _over_budget(item: _Input, reason: str) -> _Unit:
    """What a file that made its worker overrun its budget becomes: a failure naming why."""
    budget = _budget(1)
    if reason == "memory":
        why = f"too complex: needed over {budget.memory_bytes // 1024**2} MB to parse and extract; not imported"
    else:
        why = f"too complex: took over {budget.cpu_seconds:.0f} s to parse and extract; not imported"
    if item.record is not None:
        return _Unit(item.name, reason=why, record=item.record[1], last_record=item.last_record)
    return _Unit(item.name, reason=why)


def _budget(workers: int):
    from .worker_processes import Budget

    seconds, memory = FILE_CPU_SECONDS, min(FILE_MEMORY_BYTES, MEMORY_CEILING_BYTES // max(1, workers))
    with suppress(KeyError, ValueError):
        seconds = float(os.environ[SECONDS_ENV])
    with suppress(KeyError, ValueError):
        memory = int(os.environ[MEMORY_ENV]) * 1024**2
    return Budget(cpu_seconds=seconds, memory_bytes=memory)


def _prepare_report(parsed: ParsedReport, file_name: str) -> _PreparedReport:
    from .extract import extract

    if not parsed.original_name:
        parsed.original_name = Path(file_name).name
    try:
        extraction = extract(parsed.body, title=parsed.title, published=parsed.published, publisher=parsed.publisher)
    except Exception:  # an extractor bug must not lose the report: store it without claims
        extraction = None
    return _PreparedReport(parsed, extraction, dedup.fingerprint(parsed.title, parsed.body), _terms(extraction))


def _terms(extraction: Extraction | None) -> dict:
    from .analysis.propositions import terms_of

    if extraction is None:
        return {}
    return {(c.text, c.is_denial): terms_of(c.text, c.is_denial) for c in extraction.claims}


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
    from .worker_processes import NOT_YET, WorkersLost

    groups = _groups(items)
    queued: deque[tuple[list[_Input], bool]] = deque()  # (inputs, given to the workers), not yet yielded
    files_queued = bytes_queued = 0
    starting: _Starting | None = _Starting(workers)
    pool = None
    finished = False
    try:
        # The first workers take ~0.5 s to start (a new interpreter importing the extractor):
        # files are prepared here meanwhile, not waited for.
        while not starting.done() and (group := next(groups, None)) is not None:
            if any(item.needs_budget() for item in group[0]):  # for a worker, under its budget
                groups = chain([group], groups)
                break
            queued.append(group)
            for item in group[0]:
                if cancelled and cancelled():
                    return
                yield _prepare(item)
            queued.popleft()
        pool, starting = starting.pool(), None
        while True:
            while (files_queued < _FILES_AHEAD and bytes_queued < _BYTES_AHEAD
                   and (group := next(groups, None)) is not None):
                queued.append(group)  # before it is given: if that fails, it is done here
                files_queued += len(group[0])
                bytes_queued += sum(item.size for item in group[0])
                if group[1]:
                    pool.submit(group[0])
            if not queued:
                finished = True
                return
            if cancelled and cancelled():
                return  # answers already waiting are dropped: with two batches queued, storing them
                # would carry a cancelled import on for another hundred files
            inputs, given = queued[0]
            if not given:
                units = [_prepare(inputs[0])]
            elif (units := pool.answer(0)) is NOT_YET:
                yield NOTHING_READY
                if (units := _wait(pool, cancelled)) is NOT_YET:
                    return
            queued.popleft()
            files_queued -= len(inputs)
            bytes_queued -= sum(item.size for item in inputs)
            yield from units
    except (WorkersLost, OSError):
        # A worker was killed (out of memory, by hand) or no process could start here: no input
        # is lost. (An OSError of the input itself comes again, as it would without workers.)
        if pool is not None:
            pool.close(kill=True)
            pool = None
        left = chain.from_iterable(inputs for inputs, _ in chain(queued, groups))
        yield from _prepared_here(left, cancelled)
    finally:
        if starting is not None:  # stopped before the workers were needed
            try:
                pool = starting.pool()
            except (WorkersLost, OSError):
                pool = None
        if pool is not None:
            # cancelled, or the caller stopped (an error while storing): what is still being
            # extracted is not wanted, and one big file can keep a worker busy for seconds
            pool.close(kill=not finished)


def _groups(items: Iterable[_Input]) -> Iterator[tuple[list[_Input], bool]]:
    """The inputs in order, in groups of up to FILES_PER_TASK files for the workers; standard
    input (its bytes could fill the pipe to a worker that is itself writing) and inputs already
    known to be unusable are prepared in this process: (inputs, for the workers)."""
    group: list[_Input] = []
    for item in items:
        if item.path is not None and item.reason is None:
            group.append(item)
            if len(group) == FILES_PER_TASK:
                yield group, True
                group = []
            continue
        if group:
            yield group, True
            group = []
        yield [item], False
    if group:
        yield group, True


def _wait(pool: OrderedWorkers, cancelled: Cancelled | None) -> list[_Unit] | object:
    """The workers' answer for the oldest group; ``NOT_YET`` if the import is cancelled first."""
    from .worker_processes import NOT_YET

    while True:
        if cancelled and cancelled():
            return NOT_YET
        if (units := pool.answer(_CANCEL_POLL_SECONDS)) is not NOT_YET:
            return units


class _Starting:
    """Worker processes being started in a thread of their own."""

    def __init__(self, workers: int):
        self._pool: OrderedWorkers | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, args=(workers,), daemon=True, name="start-import-workers")
        self._thread.start()

    def _start(self, workers: int) -> None:
        try:
            self._pool = _start_pool(workers)
        except BaseException as exc:  # raised again by pool(), in the importing thread
            self._error = exc

    def done(self) -> bool:
        return not self._thread.is_alive()

    def pool(self) -> OrderedWorkers:
        """The started workers, once they are (raises what starting them raised)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._pool


def _start_pool(workers: int) -> OrderedWorkers:
    from .worker_processes import OrderedWorkers

    # (the recogniser's numpy too: imported once in the forkserver, ~0.1 s of CPU saved in every worker)
    return OrderedWorkers(_prepare, workers, preload=["__main__", "db.importer", "db.ingest", "db.extract",
                                                     "db.extract.crf_scores", "db.analysis.propositions"],
                          budget=_budget(workers), on_overrun=_over_budget, niceness=WORKER_NICENESS)


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
        with suppress(KeyError, ValueError):
            requested = int(os.environ[WORKERS_ENV])
    if requested is not None:
        return max(0, requested)
    cpus = usable_cpus()
    if cpus < 2 or files is None or files < POOL_MIN_FILES:
        return 0
    return min(cpus, MAX_AUTO_WORKERS)


# --- the import ------------------------------------------------------------------------------------------


def count_input_files(paths: Iterable[str | Path]) -> int | None:
    """How many outcomes-bearing inputs ``import_paths`` will go through: every file, every
    entry it skips with a reason, and every path that does not exist (each is one outcome). A JSON
    file read record by record counts once here; the import's progress counts each of its records."""
    from .ingest import walk_inputs

    try:
        return sum(1 if str(p) == "-" or not Path(p).exists() else sum(1 for _ in walk_inputs([Path(p)]))
                   for p in paths)
    except OSError:
        return None


def import_paths(store, paths: Iterable[str | Path], *, progress: Progress | None = None,
                 stdin_bytes: bytes | None = None, cancelled: Cancelled | None = None,
                 workers: int | None = None) -> ImportSummary:
    """Import files and folders into ``store``. ``progress(done_files, total_files, outcome)`` is
    called for every report stored and every file rejected. ``cancelled()`` is asked before each
    file (a group of files from the workers): once true, the reports already handed to this thread
    are stored and the import ends; what the workers extracted beyond them is dropped.

    ``workers``: processes that parse and extract while this thread stores (0: none, and no
    budget; None: see ``pool_workers``, and at least one when a file needs its budget). Outcomes
    come in input order either way. As with any process pool, a script calling this at import
    time needs an ``if __name__ == "__main__":`` guard (the workers import the main module)."""
    items = list(_inputs(list(paths), stdin_bytes))
    try:
        with store.bulk_import():
            return _import(store, items, progress, cancelled, workers)
    finally:
        for item in items:
            if item.temporary:
                item.path.unlink(missing_ok=True)


def _budget_wanted(requested: int | None) -> bool:
    """No budget only when the analyst asked for no worker process."""
    if requested is not None:
        return requested != 0
    return os.environ.get(WORKERS_ENV, "").strip() != "0"


def _import(store, items: list[_Input], progress, cancelled, requested: int | None) -> ImportSummary:
    total = sum(len(item.records) if item.records is not None else 1 for item in items)  # a record counts as a file
    workers = pool_workers(requested, total)
    if workers == 0 and _budget_wanted(requested) and any(item.needs_budget() for item in items):
        workers = 1
    summary = ImportSummary()
    started = time.monotonic()
    families = FamilyCache()  # one for the whole import: the claims it reads come up again batch after batch
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
            # the batch's claims join their families (db.analysis.families): incremental, in a
            # transaction of its own per batch, so a long import never holds the write lock for long
            for entry, _ in pending:
                if isinstance(entry, _PreparedReport):
                    families.terms.update(entry.terms)
            store.update_families([o.report_id for o, _ in outcomes if o.status == "imported" and o.report_id],
                                  cache=families, fresh=True)
            families.terms.clear()
            # What the import keeps (the family cache: tens of thousands of claims with their
            # word sets) survives every collection: frozen, it is no longer walked by each one
            # (the collector took ~0.6 ms a report of the storing process). Garbage is still freed
            # by reference counting; the TUI's idle collector (tui/idle_collector.py) unfreezes
            # and collects everything when the analyst pauses, and a CLI import ends its process.
            gc.freeze()
        else:
            outcomes = list(pending)
        pending.clear()
        pending_reports = 0
        for outcome, done in outcomes:
            summary.add(outcome)
            if progress:
                progress(done, total, outcome)

    inputs = _records_of(items)
    units = _prepared_in_pool(inputs, workers, cancelled) if workers else _prepared_here(inputs, cancelled)
    last_flush = time.monotonic()
    done_files = 0
    records = _RecordTally()
    with closing(units):  # an error while storing stops the workers too
        for unit in units:
            if unit is NOTHING_READY:
                # the workers are behind: store what is waiting now rather than all at the end
                if pending_reports >= IDLE_BATCH_REPORTS:
                    flush()
                    last_flush = time.monotonic()
                continue
            done_files += 1
            entries: list[_PreparedReport | ImportOutcome]
            if unit.record is not None:
                entries = records.add(unit, summary)
            elif unit.reason is not None:
                entries = [ImportOutcome("failed", unit.name, reason=unit.reason)]
            else:
                entries = list(unit.reports)
                if unit.rejected:
                    summary.warn(unit.name, _rejected_text(unit.rejected, len(unit.reports) + len(unit.rejected)))
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


class _RecordTally:
    """The records of the file being read record by record: a file none of whose records is
    imported is one failure, as it is when the file is read at once; some rejected, a warning."""

    def __init__(self) -> None:
        self.reports = 0
        self.rejected: list[RejectedRecord] = []

    def add(self, unit: _Unit, summary: ImportSummary) -> list[_PreparedReport | ImportOutcome]:
        from .ingest.jsonfmt import RejectedRecord

        entries: list[_PreparedReport | ImportOutcome] = list(unit.reports)
        self.reports += len(unit.reports)
        if unit.reason is not None:
            self.rejected.append(RejectedRecord(f"{Path(unit.name).name}#{unit.record}", unit.reason))
        if unit.last_record:
            if not self.reports:
                entries.append(ImportOutcome("failed", unit.name, reason=_none_imported(self.rejected)))
            elif self.rejected:
                summary.warn(unit.name, _rejected_text(self.rejected, self.reports + len(self.rejected)))
            self.reports, self.rejected = 0, []
        return entries


def _none_imported(rejected: list[RejectedRecord]) -> str:
    if len(rejected) == 1:
        return rejected[0].reason
    return f"none of {len(rejected)} records imported; {rejected[0].label}: {rejected[0].reason}"


def _rejected_text(rejected: list[RejectedRecord], records: int) -> str:
    first = rejected[0]
    return f"{len(rejected)} of {records} records not imported ({first.label}: {first.reason})"


def _store(store, entry: _PreparedReport | ImportOutcome) -> ImportOutcome:
    from .little_text import LITTLE_TEXT_TAG, little_text_warning

    if isinstance(entry, ImportOutcome):  # a file that failed: nothing to store
        return entry
    outcome = store.store_report(entry.parsed, entry.extraction, entry.fingerprint)
    if outcome.status == "imported" and LITTLE_TEXT_TAG in entry.parsed.tags:
        outcome.warning = little_text_warning(len(entry.parsed.body))
    return outcome
