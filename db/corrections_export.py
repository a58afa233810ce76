"""Corrections as data: every correction an analyst made, one JSON object a line, with the text
it is about (a report's opening, the sentence of a claim or of an entity's mention), what the
machine said and what the analyst said, who and when. What extraction can be measured against
and learn from.

Undone corrections are listed too (``"undone": true``): an analyst's second thought is data as well.
"""

from __future__ import annotations

from typing import IO
from collections.abc import Iterator

from .extract.sentences import split_sentences
from .text_safety import json_dumps

REPORT_HEAD = 300  # characters of a report's body given with a metadata correction


def _sentence(body: str, start: int, end: int) -> str:
    """The sentence(s) holding ``body[start:end]``, whitespace folded."""
    overlapping = [(s, e) for s, e in split_sentences(body) if s < max(end, start + 1) and start < e]
    first = min([start, *(s for s, _ in overlapping)])
    last = max([end, *(e for _, e in overlapping)])
    return " ".join(body[first:last].split())


class _Reports:
    """Report bodies read once each."""

    def __init__(self, store) -> None:
        self.store = store
        self.bodies: dict[int, str | None] = {}

    def body(self, report_id: int | None) -> str | None:
        if report_id is None:
            return None
        if report_id not in self.bodies:
            row = self.store.conn.execute("SELECT body FROM reports WHERE id = ?", (report_id,)).fetchone()
            self.bodies[report_id] = row[0] if row else None
        return self.bodies[report_id]


def correction_records(store) -> Iterator[dict]:
    reports = _Reports(store)
    for entry_id, at, who, action, kind, target_id, field, old, new, undone in store.correction_entries():
        record = {"id": entry_id, "at": at, "who": who, "action": action, "target": kind, "target_id": target_id,
                  "field": field, "report_id": None, "text": None, "machine": old, "analyst": new, "undone": undone}
        if kind == "report":
            _report(store, reports, record, target_id, field, old, new)
        elif kind == "claim":
            _claim(store, reports, record, target_id, field, old, new)
        elif kind == "entity":
            _entity(store, reports, record, target_id, field, old, new)
        yield record


def _source_name(store, source_id) -> str | None:
    if source_id is None:
        return None
    row = store.conn.execute("SELECT name FROM sources WHERE id = ?", (source_id,)).fetchone()
    return row[0] if row else None


def _report(store, reports, record, report_id, field, old, new) -> None:
    record["report_id"] = report_id
    body = reports.body(report_id)
    record["text"] = " ".join(body[:REPORT_HEAD].split()) if body else None
    if field == "source_id":
        record["field"] = "source"
        record["machine"], record["analyst"] = _source_name(store, old), _source_name(store, new)
    elif field == "published":
        record["machine"] = {"published": old[0], "from": old[1]} if old else None
        record["analyst"] = {"published": new[0], "from": new[1]} if new else None


def _claim(store, reports, record, claim_id, field, old, new) -> None:
    row = store.conn.execute('SELECT report_id, start, "end", text, speaker, speaker_resolved, chain FROM claims '
                             'WHERE id = ?', (claim_id,)).fetchone()
    if field == "added":
        snapshot = old or new
        report_id, start, end = snapshot["report_id"], snapshot["start"], snapshot["end"]
        record["machine"] = None  # the extractor found no claim here
        record["analyst"] = {"claim": snapshot["text"], "span": [start, end], "speaker": snapshot["speaker"],
                             "chain": _chain(snapshot["chain"])}
    elif row is None:
        record["text"] = None  # the claim has gone since (its addition undone, its report re-extracted)
        return
    else:
        report_id, start, end = row[0], row[1], row[2]
    body = reports.body(report_id)
    record["report_id"] = report_id
    if field == "span":
        record["machine"] = {"span": old, "claim": body[old[0]:old[1]] if body else None}
        record["analyst"] = {"span": new, "claim": body[new[0]:new[1]] if body else None}
        start, end = min(old[0], new[0]), max(old[1], new[1])
    elif field == "rejected":
        said = {"claim": row[3], "speaker": row[5] or row[4], "chain": _chain(row[6])}
        record["machine"] = said if not old else "not a claim"
        record["analyst"] = said if not new else "not a claim"
    elif field in ("is_quote", "is_hedged", "is_denial"):
        record["machine"], record["analyst"] = bool(old), bool(new)
    record["text"] = _sentence(body, start, end) if body else None


def _chain(value) -> list:
    import json

    if isinstance(value, list):
        return value
    try:
        return json.loads(value or "[]")
    except ValueError:
        return []


def _entity(store, reports, record, entity_id, field, old, new) -> None:
    if field == "deleted":
        _, name, type_, _, _ = old["entity"]
        record["machine"] = {"entity": name, "type": type_, "aliases": [a for a, _ in old["aliases"]]}
        record["analyst"] = "not an entity"
        mention = old["mentions"][0] if old["mentions"] else None
        where = (mention[2], mention[4], mention[5]) if mention else None
    else:
        where = store.conn.execute('SELECT report_id, start, "end" FROM mentions WHERE entity_id = ? ORDER BY id LIMIT 1',
                                   (entity_id,)).fetchone()
        if field == "canonical":
            record["field"] = "name"
            record["machine"], record["analyst"] = old["name"], new["name"]
    if where:
        body = reports.body(where[0])
        record["report_id"] = where[0]
        record["text"] = _sentence(body, where[1], where[2]) if body else None


def write_jsonl(store, handle: IO[str]) -> int:
    count = 0
    for record in correction_records(store):
        handle.write(json_dumps(record) + "\n")
        count += 1
    return count
