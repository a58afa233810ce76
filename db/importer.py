"""The import pipeline: files -> parsed reports -> extraction -> store, in batched transactions.

Used by ``analyst-tui import``, by the TUI's import command (in a worker thread, with its own
Store) and by first-run set-up with the demo corpus. A file that cannot be imported yields one
failed outcome with a reason; the batch goes on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .models import ImportOutcome, ParsedReport

BATCH_REPORTS = 50  # reports per transaction: big enough for speed, small enough to keep other writers waiting < 1 s
BATCH_SECONDS = 0.5


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


def _parsed_units(paths: Iterable[str | Path], stdin_bytes: bytes | None) -> Iterator[tuple[str, list[ParsedReport] | str]]:
    """(name, parsed reports) per input file, or (name, reason) when it cannot be read."""
    from .ingest import IngestError, iter_input_files, parse_bytes, parse_file

    for raw in paths:
        if str(raw) == "-":
            try:
                yield "<stdin>", parse_bytes(stdin_bytes or b"", "<stdin>")
            except IngestError as exc:
                yield "<stdin>", str(exc)
            continue
        path = Path(raw)
        if not path.exists():
            yield str(raw), "no such file or folder"
            continue
        try:
            files = list(iter_input_files([path]))
        except OSError as exc:
            yield str(raw), f"cannot read: {exc.strerror or exc}"
            continue
        for file in files:
            try:
                yield str(file), parse_file(file)
            except IngestError as exc:
                yield str(file), str(exc)
            except OSError as exc:
                yield str(file), f"cannot read: {exc.strerror or exc}"


def count_input_files(paths: Iterable[str | Path]) -> int | None:
    from .ingest import iter_input_files

    try:
        return sum(1 if str(p) == "-" else len(list(iter_input_files([Path(p)]))) for p in paths if str(p) == "-" or Path(p).exists())
    except OSError:
        return None


def import_paths(store, paths: Iterable[str | Path], *, progress: Progress | None = None,
                 stdin_bytes: bytes | None = None, cancelled: Callable[[], bool] | None = None) -> ImportSummary:
    """Import files and folders into ``store``. ``progress(done_files, total_files, outcome)`` is
    called for every report stored and every file rejected."""
    from .extract import extract

    paths = list(paths)
    total = count_input_files(paths)
    summary = ImportSummary()
    started = time.monotonic()
    pending: list[tuple[ParsedReport, object, int]] = []  # (report, extraction, files done when parsed)
    done_files = 0

    def flush() -> None:
        if not pending:
            return
        with store.write():
            outcomes = [(store.store_report(parsed, extraction), done) for parsed, extraction, done in pending]
        pending.clear()
        for outcome, done in outcomes:
            summary.add(outcome)
            if progress:
                progress(done, total, outcome)

    last_flush = time.monotonic()
    for name, parsed_or_reason in _parsed_units(paths, stdin_bytes):
        if cancelled and cancelled():
            break
        done_files += 1
        if isinstance(parsed_or_reason, str):
            outcome = ImportOutcome("failed", name, reason=parsed_or_reason)
            summary.add(outcome)
            if progress:
                progress(done_files, total, outcome)
            continue
        for parsed in parsed_or_reason:
            if not parsed.original_name:
                parsed.original_name = Path(name).name
            try:
                extraction = extract(parsed.body, title=parsed.title, published=parsed.published,
                                     publisher=parsed.publisher)
            except Exception:  # an extractor bug must not lose the report: store it without claims
                extraction = None
            pending.append((parsed, extraction, done_files))
            if len(pending) >= BATCH_REPORTS or time.monotonic() - last_flush > BATCH_SECONDS:
                flush()
                last_flush = time.monotonic()
    flush()
    store.propose_merges()  # close spellings of names seen in this import, for the analyst to confirm
    summary.seconds = time.monotonic() - started
    return summary
