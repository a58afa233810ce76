"""JSON Lines and JSON arrays read record by record: a file of any size, each record at most
MAX_RECORD_BYTES.

A file is read twice. First, in the importing process, ``index_records`` notes where each record
lies in the file (byte offsets) and checks its JSON: a file with a syntax error anywhere is refused
whole, as it is when read at once (nothing of it imported), and the import knows how many records
to expect. Then ``read_record`` reads one record at its offsets and parses it, in whichever worker
process the record was given to: the records of one big file are shared by the workers, and each
record has the budget a file has. Only the offsets are held, 16 bytes a record, never the text.

JSON objects (``{"reports": [...]}``) and files in UTF-16/32 are read whole as before, up to
``MAX_BYTES``; so is a JSON array that is not UTF-8, if it is within that size.
"""

from __future__ import annotations

import codecs
import json
import re
from array import array
from dataclasses import dataclass, field
from typing import BinaryIO

from ..models import ParsedReport
from .decode import decode_text, detect_bom
from .errors import IngestError

MAX_RECORD_BYTES = 16 * 1024 * 1024  # the limit of a whole file read at once, now of one record
STREAM_FROM_BYTES = 64 * 1024  # smaller files are read at once: a record or two, nothing to share
_SNIFF_BYTES = 64 * 1024
_READ_BYTES = 1 << 20
_NUMBER_TAIL = 4  # characters a number's valid prefix can be short of the number ("1" of "1.e-")
_WHITE_SPACE = re.compile(r"[ \t\n\r]*")
_BOM = codecs.BOM_UTF8


@dataclass
class RecordIndex:
    """Where each record of a file lies: bytes ``starts[i]:ends[i]`` ("jsonl": a line, "json": an
    element of the top-level array)."""

    kind: str
    starts: array = field(default_factory=lambda: array("q"))
    ends: array = field(default_factory=lambda: array("q"))

    def __len__(self) -> int:
        return len(self.starts)

    def add(self, start: int, end: int) -> None:
        self.starts.append(start)
        self.ends.append(end)


class NotUTF8(Exception):
    """A JSON array that is not UTF-8: read whole instead (within MAX_BYTES), as any file is."""


def record_stream_kind(handle: BinaryIO, name: str) -> str | None:
    """"jsonl" or "json" (an array) when the file is read record by record, else None. Reads the
    head of the file and goes back to its start."""
    from .detect import detect_format

    head = handle.read(_SNIFF_BYTES)
    handle.seek(0)
    bom = detect_bom(head)
    if bom is not None and bom[0] != "utf-8":
        return None
    text = head.removeprefix(_BOM).decode("utf-8", "ignore")  # a character cut at the end of the head
    fmt = detect_format(text, name)
    if fmt == "jsonl":
        return "jsonl"
    if fmt == "json" and text.lstrip().startswith("["):
        return "json"
    return None


def index_records(handle: BinaryIO, kind: str) -> RecordIndex:
    """Every record's offsets, the JSON of each checked. Raises IngestError for a file that is
    not imported (invalid JSON anywhere, an empty file or array), ``NotUTF8`` (arrays only)."""
    index = _index_json_lines(handle) if kind == "jsonl" else _index_json_array(handle)
    if not len(index):
        raise IngestError("empty file")
    return index


def read_record(handle: BinaryIO, kind: str, start: int, end: int, name: str) -> ParsedReport:
    """The report of one record, read at its offsets. Raises IngestError (the record is rejected)."""
    from . import _valid_strings
    from .jsonfmt import record_to_report

    if end - start > MAX_RECORD_BYTES:
        raise IngestError(f"record is {_megabytes(end - start)}; the limit of one record is "
                          f"{_megabytes(MAX_RECORD_BYTES)}")
    handle.seek(start)
    raw = handle.read(end - start)
    if len(raw) != end - start:
        raise IngestError("the file changed while it was imported")
    try:
        value = _loads(raw.removeprefix(_BOM))
    except IngestError:
        raise
    except (ValueError, RecursionError):  # the file changed since it was checked
        raise IngestError("invalid JSON: the file changed while it was imported") from None
    return _valid_strings(record_to_report(value, name, kind))


def _loads(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except UnicodeDecodeError:  # not UTF-8: the line's encoding guessed, as a file's would be
        return json.loads(decode_text(raw))


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"


def _first_clause(error: Exception) -> str:
    return str(error).split(":")[0][:120]


# --- JSON Lines -------------------------------------------------------------------------------------


def _index_json_lines(handle: BinaryIO) -> RecordIndex:
    index = RecordIndex("jsonl")
    offset = 0
    line_number = 0
    while line := handle.readline(MAX_RECORD_BYTES + 1):
        start, line_number = offset, line_number + 1
        offset += len(line)
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            # over the limit of one record: its place is kept (read_record rejects it), its
            # text is not read
            while (rest := handle.readline(_READ_BYTES)) and not rest.endswith(b"\n"):
                offset += len(rest)
            offset += len(rest)
            index.add(start, offset)
            continue
        if line_number == 1:
            line = line.removeprefix(_BOM)
        if not line.strip():
            continue
        try:
            _loads(line)
        except IngestError as error:
            raise IngestError(f"line {line_number}: {error.reason}") from None
        except json.JSONDecodeError as error:
            raise IngestError(f"invalid JSON at line {line_number}: {error.msg}") from None
        except RecursionError:
            raise IngestError(f"invalid JSON at line {line_number}: nested too deeply") from None
        except ValueError as error:  # e.g. an integer with more digits than Python converts
            raise IngestError(f"invalid JSON at line {line_number}: {_first_clause(error)}") from None
        index.add(start, offset)
    return index


# --- JSON arrays ------------------------------------------------------------------------------------


class _Text:
    """A UTF-8 file decoded as it is read, with the byte offset of any position in the text read."""

    def __init__(self, handle: BinaryIO):
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.text = ""
        self.ended = False
        self._dropped_bytes = 0  # bytes of the text dropped from the front of ``text``
        self._lines_dropped = 0
        self._mark, self._mark_bytes = 0, 0  # a position in ``text`` and its byte offset in the file

    def more(self) -> None:
        """Read more: at least as much as is held, so retrying a long record stays linear."""
        chunk = self._handle.read(max(_READ_BYTES, len(self.text)))
        try:
            self.text += self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise NotUTF8() from None
        self.ended = not chunk

    def offset(self, position: int) -> int:
        """The byte offset of ``position`` (never before the last one asked for)."""
        self._mark_bytes += len(self.text[self._mark:position].encode("utf-8"))
        self._mark = position
        return self._dropped_bytes + self._mark_bytes

    def line_of(self, position: int) -> int:
        return self._lines_dropped + self.text.count("\n", 0, position) + 1

    def drop_before(self, position: int) -> int:
        """Forget the text before ``position`` (already indexed); returns the new position (0)."""
        self.offset(position)
        self._lines_dropped += self.text.count("\n", 0, position)
        self._dropped_bytes += self._mark_bytes
        self.text, self._mark, self._mark_bytes = self.text[position:], 0, 0
        return 0


def _index_json_array(handle: BinaryIO) -> RecordIndex:
    index = RecordIndex("json")
    decoder = json.JSONDecoder()
    text = _Text(handle)
    while not text.text and not text.ended:
        text.more()
    position = _skip_white_space(text, 1 if text.text.startswith("\ufeff") else 0)
    if text.text[position:position + 1] != "[":
        raise IngestError(f"invalid JSON at line {text.line_of(position)}: Expecting '['")
    position = _skip_white_space(text, position + 1)
    if text.text[position:position + 1] == "]":
        raise IngestError("JSON array is empty")
    while True:
        position = _skip_white_space(text, position)
        end = _record_end(text, decoder, position)
        index.add(text.offset(position), text.offset(end))
        position = _skip_white_space(text, end)
        following = text.text[position:position + 1]
        if following == "]":
            position = _skip_white_space(text, position + 1)
            if position < len(text.text):
                raise IngestError(f"invalid JSON at line {text.line_of(position)}: Extra data")
            return index
        if following != ",":
            raise IngestError(f"invalid JSON at line {text.line_of(position)}: Expecting ',' delimiter")
        position += 1
        if position > _READ_BYTES:
            position = text.drop_before(position)


def _skip_white_space(text: _Text, position: int) -> int:
    while True:
        position = _WHITE_SPACE.match(text.text, position).end()
        if position < len(text.text) or text.ended:
            return position
        text.more()


def _record_end(text: _Text, decoder: json.JSONDecoder, position: int) -> int:
    """Where the array element at ``position`` ends, reading more of the file until it is whole."""
    while True:
        try:
            _, end = decoder.raw_decode(text.text, position)
        except json.JSONDecodeError as error:
            if text.ended:
                raise IngestError(f"invalid JSON at line {text.line_of(error.pos)}: {error.msg}") from None
            if len(text.text) - position > MAX_RECORD_BYTES:
                raise IngestError(f"the record at line {text.line_of(position)} is over "
                                  f"{_megabytes(MAX_RECORD_BYTES)}, the limit of one record") from None
            text.more()
            continue
        except RecursionError:
            raise IngestError(f"invalid JSON at line {text.line_of(position)}: nested too deeply") from None
        except ValueError as error:
            raise IngestError(f"invalid JSON at line {text.line_of(position)}: {_first_clause(error)}") from None
        if end + _NUMBER_TAIL >= len(text.text) and not text.ended:
            text.more()  # a number may go on in what is not read yet ("1.5" of "1.5e3")
            continue
        return end
