"""Import parsers: files as analysts receive them -> ``ParsedReport`` values.

Pure functions, no database. Formats: plain text, Markdown (with YAML front matter),
HTML pages, JSON / JSON Lines, RSS 0.9x/1.0/2.0 and Atom feeds.

    parse_bytes(data, name) -> list[ParsedReport]   # the name gives the extension hint
    parse_file(path) -> list[ParsedReport]          # "-" reads standard input
    iter_input_files(paths) -> Iterator[Path]       # files and folders, recursively
    walk_inputs(paths) -> Iterator[Path | Skipped]  # the same, with what a folder holds that is not read

Everything that cannot be imported raises ``IngestError`` with a short reason, and only
that: adversaries write some of these files. Every string returned is a valid ``str``.

The body is stored as imported (only CRLF/CR -> LF): claim and entity spans are
character offsets into it. For plain text the title line stays in the body; for Markdown
the body is the text after the front matter; for HTML it is the extracted article text;
for feeds the item's HTML converted to text.

Standard input: pass ``-`` among the paths. ``iter_input_files`` yields it as ``Path("-")``
and ``parse_file(Path("-"))`` reads ``sys.stdin.buffer`` (same size limit), reporting the
name ``<stdin>``; or call ``parse_bytes(read_stdin(), "<stdin>")`` yourself (never a bare
``read()``: it holds all of an endless stream before the size is checked).
"""

from __future__ import annotations

import dataclasses
import errno
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..models import ParsedReport
from .decode import decode_text, normalise_newlines, valid_str
from .detect import detect_format
from .errors import IngestError
from .jsonfmt import RejectedRecord, load_json_lines, load_json_records, parse_records
from .walk import Skipped, kind_of, walk_inputs

__all__ = [
    "MAX_BYTES",
    "STDIN",
    "IngestError",
    "ParseOutcome",
    "RejectedRecord",
    "Skipped",
    "iter_input_files",
    "open_regular_file",
    "parse_bytes",
    "parse_bytes_detailed",
    "parse_file",
    "parse_file_detailed",
    "read_stdin",
    "walk_inputs",
]

MAX_BYTES = 16 * 1024 * 1024
STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclasses.dataclass
class ParseOutcome:
    """The reports of one file, and the records of it that were rejected (JSON, JSON Lines)."""

    reports: list[ParsedReport]
    rejected: list[RejectedRecord] = dataclasses.field(default_factory=list)


def parse_bytes(data: bytes, name: str) -> list[ParsedReport]:
    """Parse one file's bytes; ``name`` (a file name or "<stdin>") hints at the format.

    A JSON file with some bad records returns the good ones; use ``parse_bytes_detailed``
    to learn which records were dropped and why.
    """
    return parse_bytes_detailed(data, name).reports


def parse_bytes_detailed(data: bytes, name: str) -> ParseOutcome:
    """Like ``parse_bytes``, also listing rejected records. Raises IngestError when nothing imports."""
    _check_size(len(data))
    try:
        outcome = _parse(data, name)
    except IngestError:
        raise
    except MemoryError:
        raise IngestError("too complex: ran out of memory parsing it") from None
    except Exception as error:  # a bug or a library choking on hostile bytes: never crash the import
        raise IngestError(f"could not parse: {type(error).__name__}") from error
    outcome.reports = [_valid_strings(report) for report in outcome.reports]
    return outcome


def _parse(data: bytes, name: str) -> ParseOutcome:
    text = normalise_newlines(decode_text(data))
    fmt = detect_format(text, name)

    if fmt == "feed":
        from .feeds import feed_root, parse_feed

        return ParseOutcome(parse_feed(data, name, sniffed=feed_root(text)))
    if fmt == "html":
        from .html import parse_html

        return ParseOutcome(parse_html(text, name))
    if fmt in ("json", "jsonl"):
        return _parse_json(text, name, fmt)
    if fmt == "markdown":
        from .markdown import parse_markdown

        return ParseOutcome(parse_markdown(text, name))
    from .text import parse_text

    return ParseOutcome(parse_text(text, name))


def _parse_json(text: str, name: str, fmt: str) -> ParseOutcome:
    records = load_json_lines(text) if fmt == "jsonl" else load_json_records(text)
    reports, rejected = parse_records(records, name, fmt)
    if not reports:
        if len(rejected) == 1:
            raise IngestError(rejected[0].reason)
        first = rejected[0]
        raise IngestError(f"none of {len(rejected)} records imported; {first.label}: {first.reason}")
    return ParseOutcome(reports, rejected)


def _valid_strings(report: ParsedReport) -> ParsedReport:
    """Replace lone surrogates in every text field (JSON and YAML escapes can produce them)."""
    changes: dict[str, object] = {}
    for field in dataclasses.fields(report):
        value = getattr(report, field.name)
        if isinstance(value, str):
            changes[field.name] = valid_str(value)
        elif isinstance(value, list):
            changes[field.name] = [valid_str(item) if isinstance(item, str) else item for item in value]
    return dataclasses.replace(report, **changes)


def _check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise IngestError(f"file is {_megabytes(size)}; the limit is {_megabytes(MAX_BYTES)}")


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"


def parse_file(path: str | os.PathLike[str], *, follow_links: bool = True, name: str | None = None) -> list[ParsedReport]:
    """Read and parse one file; ``-`` reads standard input. Raises IngestError."""
    return parse_file_detailed(path, follow_links=follow_links, name=name).reports


def parse_file_detailed(path: str | os.PathLike[str], *, follow_links: bool = True,
                        name: str | None = None) -> ParseOutcome:
    """``follow_links=False`` for files found inside a folder: a link put there after the folder
    was listed is not followed. ``name``: the format hint, when not the file's own name."""
    if os.fspath(path) == STDIN:
        return parse_bytes_detailed(read_stdin(), STDIN_NAME)
    path = Path(path)
    try:
        data = _read_regular_file(path, follow_links)
    except FileNotFoundError:
        raise IngestError("no such file") from None
    except PermissionError:
        raise IngestError("cannot read: permission denied") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise IngestError("not read: a link inside a folder") from None
        raise IngestError(f"cannot read: {error.strerror or error}") from None
    return parse_bytes_detailed(data, name or path.name)


def read_stdin(stream=None) -> bytes:
    """Standard input in chunks, up to one byte past the limit: an endless or huge stream is
    refused once it passes the limit, never held whole in memory first."""
    stream = stream if stream is not None else sys.stdin.buffer
    chunks, size = [], 0
    while size <= MAX_BYTES:
        chunk = stream.read(min(1 << 20, MAX_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _read_regular_file(path: Path, follow_links: bool) -> bytes:
    with open_regular_file(path, follow_links) as handle:
        # at most one byte past the limit: a /proc file (size 0) or a file growing after the
        # stat cannot make the read unbounded
        return handle.read(MAX_BYTES + 1)


def open_regular_file(path: Path, follow_links: bool, *, whole_file_limit: bool = True) -> BinaryIO:
    """The file opened for reading, if it is a regular file (of at most MAX_BYTES, unless it is
    read record by record: ``whole_file_limit=False``).
    Raises IngestError, or OSError (ELOOP: a link inside a folder, with ``follow_links=False``)."""
    if path.is_dir():
        raise IngestError("is a folder, not a file")
    # /dev/zero never ends (reading one filled the memory) and opening a FIFO blocks until
    # someone writes to it (the import, or the TUI's import dialog, hung): refused before opening
    info = path.stat() if follow_links else path.lstat()
    if (kind := kind_of(info.st_mode)) is not None:
        raise IngestError(f"not a file: {kind}")
    if whole_file_limit:
        _check_size(info.st_size)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    handle = open(fd, "rb")  # noqa: SIM115 returned open to the caller, or closed below
    # the path may have been replaced between the stat and the open
    if (kind := kind_of(os.fstat(fd).st_mode)) is not None:
        handle.close()
        raise IngestError(f"not a file: {kind}")
    return handle


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The files ``walk_inputs`` would read, without the entries it skips (see ``walk.py``).
    ``-`` is yielded as ``Path("-")``; a path that does not exist is yielded too, so that
    ``parse_file`` reports it with the other failures."""
    return (item for item in walk_inputs(paths) if not isinstance(item, Skipped))
