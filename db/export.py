"""Exports of reports with their claims, entities and cited sources: JSON, CSV and a Markdown brief.

Pure formatting over plain data (no database). Each format has a streaming writer and a ``-> str`` wrapper:

    write_json(records, out, *, include_body=True)   export_json(records, *, include_body=True) -> str
    write_csv(records, out)                          export_csv(records) -> str
    write_markdown(records, out, *, title=...)       export_markdown(records, *, title=...) -> str

``records`` is any iterable (a generator from the store is fine: nothing is held beyond one record) of
``ExportRecord``. ``out`` is a file object (anything with ``.write``) or a ``write(str)`` callable.

JSON: ``{"format": "analyst-tui/export", "version": 1, "reports": [...]}``, one object per report with its
source, grades, claims (speakers, chains, grades), entities and cited sources; keys in a fixed order; dates as
stored (ISO); ``ensure_ascii=False`` but DEL, C1 controls, bidi overrides/isolates and U+2028/2029 written as
``\\uXXXX`` escapes, so the file is lossless yet safe to ``cat``.

CSV: one row per claim, each carrying its report's columns (``CSV_COLUMNS``); a report without claims gives one
row with empty claim columns. Cells that a spreadsheet would run as a formula (starting with = + - @ tab CR)
are prefixed with ``'``.

Markdown: a readable brief, per report: title, source and grade, date, URL, then claims with their attribution
chain and credibility, entities and cited sources. Untrusted text is escaped and stripped of control characters.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from db.attribution import attribution_chain, attribution_text
from db.cite import md_escape, strip_controls
from db.ingest.dates import precision_of
from db.render import claim_flags, credibility_text, report_metadata
from db.models import CitedSource, Claim, Entity, Report, Source
from db.text_safety import json_dumps, visible

__all__ = [
    "ExportRecord",
    "CSV_COLUMNS",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "record_to_dict",
    "write_json",
    "write_csv",
    "write_markdown",
    "export_json",
    "export_csv",
    "export_markdown",
]

EXPORT_FORMAT = "analyst-tui/export"
EXPORT_VERSION = 1


@dataclass
class ExportRecord:
    report: Report
    claims: list[Claim] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    cited_sources: list[CitedSource] = field(default_factory=list)


Writer = Callable[[str], Any]


def _writer(out: IO[str] | Writer) -> Writer:
    write = getattr(out, "write", None)
    if callable(write):
        return write
    if callable(out):
        return out
    raise TypeError("out must be a text file object or a write(str) callable")


def _grade(reliability: str, credibility: int) -> str:
    return f"{reliability}{credibility}"


# --- JSON --------------------------------------------------------------------------------------


def _source_dict(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {
        "id": source.id,
        "name": source.name,
        "full_name": source.full_name,
        "kind": source.kind,
        "affiliation": source.affiliation,
        "reliability": source.reliability,
        "url": source.url,
    }


def _claim_dict(claim: Claim, reliability: str) -> dict[str, Any]:
    return {
        "id": claim.id,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "speaker": claim.speaker,
        "speaker_resolved": claim.speaker_resolved,
        "speaker_inferred": claim.speaker_inferred,
        "cue": claim.cue,
        "chain": list(claim.chain or []),
        "is_quote": claim.is_quote,
        "is_hedged": claim.is_hedged,
        "is_denial": claim.is_denial,
        "credibility": claim.credibility,
        "grade": _grade(reliability, claim.credibility),
        "origin": claim.origin,
        "stance": claim.stance,
        "rule": claim.rule,
        "confidence": claim.confidence,
        "tags": list(claim.tags or []),
        "note": claim.note,
    }


def _entity_dict(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases or []),
        "mention_count": entity.mention_count,
        "report_count": entity.report_count,
    }


def _cited_dict(cs: CitedSource) -> dict[str, Any]:
    return {
        "id": cs.id,
        "ref": cs.ref,
        "source": cs.source,
        "date": cs.date,
        "raw": cs.raw,
        "claim_ids": list(cs.claim_ids or []),
    }


def record_to_dict(record: ExportRecord, *, include_body: bool = True) -> dict[str, Any]:
    """The JSON object for one report (keys in a fixed order)."""
    r = record.report
    d: dict[str, Any] = {
        "id": r.id,
        "title": r.title,
        "url": r.url,
        "published": r.published,
        "published_precision": precision_of(r.published),
        "published_from": getattr(r, "published_from", None),
        "author": r.author,
        "language": r.language,
        "container": getattr(r, "container", None),
        "status": r.status,
        "flagged": r.flagged,
        "format": r.format,
        "imported_at": r.imported_at,
        "original_name": r.original_name,
        "content_hash": r.content_hash,
        "duplicate_of": r.duplicate_of,
        "reliability": r.reliability,
        "credibility": r.credibility,
        "grade": r.grade,
        "tags": list(r.tags or []),
        "note": r.note,
        "source": _source_dict(r.source),
        "claims": [_claim_dict(c, r.reliability) for c in record.claims],
        "entities": [_entity_dict(e) for e in record.entities],
        "cited_sources": [_cited_dict(c) for c in record.cited_sources],
    }
    if include_body:
        d["body"] = r.body
    return d


def _dumps(obj: Any, indent: int | None) -> str:
    return json_dumps(obj, indent=indent)


def write_json(
    records: Iterable[ExportRecord],
    out: IO[str] | Writer,
    *,
    include_body: bool = True,
    indent: int | None = 2,
) -> int:
    """Stream the JSON export to ``out``; returns the number of reports written."""
    write = _writer(out)
    write(f'{{"format": "{EXPORT_FORMAT}", "version": {EXPORT_VERSION}, "reports": [')
    n = 0
    for record in records:
        text = _dumps(record_to_dict(record, include_body=include_body), indent)
        if indent is not None:
            text = "\n" + "\n".join(" " * indent + line for line in text.split("\n"))
        write(("," if n else "") + text)
        n += 1
    write("\n]}\n" if n and indent is not None else "]}\n")
    return n


def export_json(records: Iterable[ExportRecord], *, include_body: bool = True, indent: int | None = 2) -> str:
    buf = io.StringIO()
    write_json(records, buf, include_body=include_body, indent=indent)
    return buf.getvalue()


# --- CSV ---------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "report_id",
    "report_title",
    "report_url",
    "report_published",
    "report_author",
    "report_status",
    "source_name",
    "source_full_name",
    "source_kind",
    "source_affiliation",
    "reliability",
    "report_credibility",
    "report_grade",
    "entities",
    "claim_id",
    "claim_text",
    "speaker",
    "speaker_resolved",
    "chain",
    "cue",
    "claim_credibility",
    "claim_grade",
    "is_quote",
    "is_hedged",
    "is_denial",
    "stance",
    "origin",
    "claim_tags",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        value = visible(value)  # a CSV is often printed or opened in a terminal: no live control characters
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def _csv_rows(record: ExportRecord) -> Iterable[list[Any]]:
    r = record.report
    s = r.source
    head = [
        r.id,
        r.title,
        r.url,
        r.published,
        r.author,
        r.status,
        s.name if s else None,
        s.full_name if s else None,
        s.kind if s else None,
        s.affiliation if s else None,
        r.reliability,
        r.credibility,
        r.grade,
        "; ".join(e.name for e in record.entities),
    ]
    if not record.claims:
        yield [_cell(v) for v in head] + [""] * (len(CSV_COLUMNS) - len(head))
        return
    for c in record.claims:
        yield [
            _cell(v)
            for v in head
            + [
                c.id,
                c.text,
                c.speaker,
                c.speaker_resolved,
                " > ".join(attribution_chain(c)),
                c.cue,
                c.credibility,
                _grade(r.reliability, c.credibility),
                c.is_quote,
                c.is_hedged,
                c.is_denial,
                c.stance,
                c.origin,
                "; ".join(c.tags or []),
            ]
        ]


def write_csv(records: Iterable[ExportRecord], out: IO[str] | Writer) -> int:
    """Stream the CSV export (header + one row per claim); returns the number of reports written.

    ``chain`` is originator first, joined with " > "; ``entities`` and ``claim_tags`` are joined with "; ".
    Open a file for it with ``newline=""``.
    """
    write = _writer(out)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")

    def flush() -> None:
        write(buf.getvalue())
        buf.seek(0)
        buf.truncate()

    w.writerow(CSV_COLUMNS)
    flush()
    n = 0
    for record in records:
        for row in _csv_rows(record):
            w.writerow(row)
        flush()
        n += 1
    return n


def export_csv(records: Iterable[ExportRecord]) -> str:
    buf = io.StringIO()
    write_csv(records, buf.write)
    return buf.getvalue()


# --- Markdown ----------------------------------------------------------------------------------

_WS_RE = re.compile(r"\s+")


def _md(value: Any) -> str:
    """Untrusted text as one escaped Markdown line."""
    if value is None:
        return ""
    return md_escape(_WS_RE.sub(" ", strip_controls(str(value)).replace("\t", " ")).strip())


def _md_url(url: str | None) -> str:
    u = _WS_RE.sub("", strip_controls(url or ""))
    if re.match(r"^https?://[^\s<>]+$", u, re.I):
        return f"<{u}>"
    return _md(u)


def _markdown_record(record: ExportRecord) -> str:
    r = record.report
    lines = [f"## {_md(r.title) or 'Untitled'}", ""]
    for label, value in report_metadata(r):
        lines.append(f"- **{label}:** {_md_url(value) if label == 'URL' else _md(value)}")
    if record.claims:
        lines += ["", "### Claims", ""]
        for i, c in enumerate(record.claims, start=1):
            who = attribution_text(c, prose=True)
            flags = claim_flags(c)
            meta = [f"credibility {credibility_text(c.credibility)}", f"grade {_grade(r.reliability, c.credibility)}"]
            if c.stance:
                meta.append(_md(c.stance))
            meta += flags
            line = f"{i}. \u201c{_md(c.text)}\u201d"
            if who:
                line += f" \u2014 {_md(who)}"
            line += f" ({'; '.join(meta)})"
            lines.append(line)
    if record.entities:
        lines += ["", "### Entities", ""]
        for e in record.entities:
            aliases = f"; also {', '.join(_md(a) for a in e.aliases)}" if e.aliases else ""
            lines.append(f"- {_md(e.name)} ({_md(e.type)}{aliases})")
    if record.cited_sources:
        lines += ["", "### Cited sources", ""]
        for cs in record.cited_sources:
            date = f", {_md(cs.date)}" if cs.date else ""
            lines.append(f"- \\[{_md(cs.ref)}\\] {_md(cs.source)}{date}")
    return "\n".join(lines) + "\n"


def write_markdown(
    records: Iterable[ExportRecord], out: IO[str] | Writer, *, title: str = "Analyst brief"
) -> int:
    """Stream the Markdown brief; returns the number of reports written."""
    write = _writer(out)
    write(f"# {_md(title)}\n")
    n = 0
    for record in records:
        write("\n" + _markdown_record(record))
        n += 1
    if not n:
        write("\nNo reports.\n")
    return n


def export_markdown(records: Iterable[ExportRecord], *, title: str = "Analyst brief") -> str:
    buf = io.StringIO()
    write_markdown(records, buf, title=title)
    return buf.getvalue()
