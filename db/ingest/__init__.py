"""Import parsers: files as analysts receive them -> ``ParsedReport`` values.

Pure functions, no database. Formats: plain text, Markdown (with YAML front matter),
HTML pages, JSON / JSON Lines, RSS 0.9x/1.0/2.0 and Atom feeds.

    parse_bytes(data, name) -> list[ParsedReport]   # the name gives the extension hint
    parse_file(path) -> list[ParsedReport]          # "-" reads standard input
    iter_input_files(paths) -> Iterator[Path]       # files and folders, recursively

Everything that cannot be imported raises ``IngestError`` with a short reason, and only
that: adversaries write some of these files. Every string returned is a valid ``str``.

The body is stored as imported (only CRLF/CR -> LF): claim and entity spans are
character offsets into it. For plain text the title line stays in the body; for Markdown
the body is the text after the front matter; for HTML it is the extracted article text;
for feeds the item's HTML converted to text.

Standard input: pass ``-`` among the paths. ``iter_input_files`` yields it as ``Path("-")``
and ``parse_file(Path("-"))`` reads ``sys.stdin.buffer`` (same size limit), reporting the
name ``<stdin>``; or call ``parse_bytes(sys.stdin.buffer.read(), "<stdin>")`` yourself.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..models import ParsedReport
from .decode import decode_text, normalise_newlines, valid_str
from .detect import detect_format
from .errors import IngestError
from .jsonfmt import RejectedRecord, load_json_lines, load_json_records, parse_records

__all__ = [
    "MAX_BYTES",
    "STDIN",
    "IngestError",
    "ParseOutcome",
    "RejectedRecord",
    "iter_input_files",
    "parse_bytes",
    "parse_bytes_detailed",
    "parse_file",
    "parse_file_detailed",
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


def parse_file(path: str | os.PathLike[str]) -> list[ParsedReport]:
    """Read and parse one file; ``-`` reads standard input. Raises IngestError."""
    return parse_file_detailed(path).reports


def parse_file_detailed(path: str | os.PathLike[str]) -> ParseOutcome:
    if os.fspath(path) == STDIN:
        # Read one byte past the limit so an oversized stream is refused, not truncated.
        return parse_bytes_detailed(sys.stdin.buffer.read(MAX_BYTES + 1), STDIN_NAME)
    path = Path(path)
    try:
        if path.is_dir():
            raise IngestError("is a folder, not a file")
        info = path.stat()
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) or stat.S_ISSOCK(info.st_mode):
            # /dev/zero or /dev/urandom never end: reading one filled the memory
            raise IngestError("not a file: a device or a socket")
        _check_size(info.st_size)
        # Read at most one byte past the limit: a pipe (``import <(...)``), a /proc file (size 0)
        # or a file that grows after the stat above cannot make the read unbounded.
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise IngestError("no such file") from None
    except PermissionError:
        raise IngestError("cannot read: permission denied") from None
    except OSError as error:
        raise IngestError(f"cannot read: {error.strerror or error}") from None
    return parse_bytes_detailed(data, path.name)


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files to import, in order: each file as given, each folder's files recursively and sorted.

    Hidden files and folders (".git", ".DS_Store") inside folders are skipped; a hidden file
    named explicitly is not. Symlinked folders are not followed (no loops). ``-`` is yielded
    as ``Path("-")`` for ``parse_file`` to read standard input. A path that does not exist is
    yielded too, so that ``parse_file`` reports it with the other failures.
    """
    for raw in paths:
        path = Path(raw)
        if os.fspath(raw) == STDIN:
            yield Path(STDIN)
        elif path.is_dir():
            yield from _walk_folder(path)
        else:
            yield path


def _walk_folder(folder: Path) -> Iterator[Path]:
    try:
        children = sorted(folder.iterdir(), key=lambda child: child.name)
    except OSError:
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir() and not child.is_symlink():
            yield from _walk_folder(child)
        elif child.is_file():
            yield child
