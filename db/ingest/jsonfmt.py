"""JSON (one object, an array of objects, or {"reports": [...]}) and JSON Lines.

Keys per record (case-insensitive): title, body / text / content, url (or link),
published / date, publisher / source, author, tags, language, reliability, kind,
affiliation. A record without a body is rejected; a scalar of the wrong type is coerced
(a number as title becomes its text; a list of strings as body becomes paragraphs), and a
structure where text is expected is rejected with a reason. The body is kept as written
(markup included): the UI sanitises for display, the store keeps the original.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..models import ParsedReport
from .dates import first_date, normalise_date
from .errors import IngestError
from .markdown import descriptive_fields, scalar_text
from .text import first_line_title, shorten_title

_BODY_KEYS = ("body", "text", "content")
_CONTAINER_KEYS = ("reports", "items", "records", "entries", "data")


@dataclass
class RejectedRecord:
    """One record of a multi-record file that could not be imported."""

    label: str  # "reports.json#3"
    reason: str


def load_json_records(text: str) -> list[object]:
    """The records of a JSON document: the object itself, the array items, or a container's list."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(f"invalid JSON at line {error.lineno}: {error.msg}") from None
    except RecursionError:
        raise IngestError("invalid JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        raise IngestError(f"invalid JSON: {_first_clause(error)}") from None
    if isinstance(document, dict):
        if document.get("type") == "bundle" and isinstance(document.get("objects"), list):
            # read by db/stix/read.py, which needs the store for its grades and stances
            raise IngestError("a STIX 2.1 bundle: name the file itself to import it ('analyst-tui import FILE')")
        lowered = {str(key).lower(): value for key, value in document.items()}
        for key in _CONTAINER_KEYS:
            if isinstance(lowered.get(key), list) and not any(k in lowered for k in _BODY_KEYS):
                return lowered[key]
        return [document]
    if isinstance(document, list):
        if not document:
            raise IngestError("JSON array is empty")
        return document
    raise IngestError(f"JSON holds a single {type(document).__name__}, not a report object")


def load_json_lines(text: str) -> list[object]:
    """One JSON value per non-blank line."""
    records: list[object] = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise IngestError(f"invalid JSON at line {line_number}: {error.msg}") from None
        except RecursionError:
            raise IngestError(f"invalid JSON at line {line_number}: nested too deeply") from None
        except ValueError as error:
            raise IngestError(f"invalid JSON at line {line_number}: {_first_clause(error)}") from None
    if not records:
        raise IngestError("empty file")
    return records


def _first_clause(error: Exception) -> str:
    return str(error).split(":")[0][:120]


def looks_like_json_lines(text: str) -> bool:
    """Two or more lines that each start like a JSON object."""
    lines = [line.strip() for line in text[:65536].split("\n") if line.strip()]
    return len(lines) >= 2 and all(line.startswith("{") for line in lines[:20])


def _text_field(record: dict, keys: tuple[str, ...], what: str) -> str | None:
    """The first present key's value as text; lists of strings are joined; other structures rejected."""
    for key in keys:
        if key not in record or record[key] is None:
            continue
        value = record[key]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return "\n\n".join(value)
        if isinstance(value, (dict, list, bool)):
            raise IngestError(f"{what} is a {_json_type(value)}, expected text")
        return str(value)
    return None


def _json_type(value: object) -> str:
    return {dict: "object", list: "list", bool: "true/false"}.get(type(value), type(value).__name__)


def record_to_report(record: object, name: str, fmt: str) -> ParsedReport:
    if not isinstance(record, dict):
        raise IngestError(f"record is a {_json_type(record)}, not an object")
    fields = {str(key).strip().lower(): value for key, value in record.items()}

    body = _text_field(fields, _BODY_KEYS, "body")
    if body is None or not body.strip():
        raise IngestError("no body: expected a 'body', 'text' or 'content' field")
    body = body.replace("\r\n", "\n").replace("\r", "\n")

    try:
        title = _text_field(fields, ("title", "headline"), "title")
    except IngestError:
        title = None  # a structured title is not worth losing the record for
    title = shorten_title(title) if title and title.strip() else first_line_title(body)

    return ParsedReport(
        title=title,
        body=body,
        format=fmt,
        original_name=name,
        **first_date((normalise_date(fields.get("published", fields.get("date"))), "record field")),
        publisher=scalar_text(fields.get("publisher", fields.get("source"))),
        **descriptive_fields(fields),
    )


def parse_records(records: list[object], name: str, fmt: str) -> tuple[list[ParsedReport], list[RejectedRecord]]:
    reports: list[ParsedReport] = []
    rejected: list[RejectedRecord] = []
    for number, record in enumerate(records, start=1):
        label = f"{name}#{number}"
        try:
            reports.append(record_to_report(record, name, fmt))
        except IngestError as error:
            rejected.append(RejectedRecord(label, error.reason))
    return reports, rejected
