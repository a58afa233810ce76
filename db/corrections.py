"""The analyst's corrections of what the machine got wrong: a report's metadata, claims (rejected,
added, span moved, flags), entities (deleted as junk, retyped, renamed).

Each public call is one transaction and one audit batch, like every grade (``db.grading``), so
``undo`` reverts it. Every change here is symmetric: ``_apply_correction(change, value)`` writes
``value`` whether it is the new value (doing) or the old one (undoing). What is kept through
re-extraction: claims an analyst touched are ``reviewed`` (re-extraction keeps reviewed claims
and does not add the extractor's claims over them); names deleted as junk are listed in
``entity_rejections``, which the writer consults before linking an extracted entity.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

from .errors import InvalidValue, NotFound
from .grading import Change
from .models import EDITABLE_CLAIM_FLAGS, ENTITY_TYPES
from .identity.keys import entity_key, normalise_name
from .text_find import find_text
from .timeutil import utc_now

__all__ = ["CorrectionsMixin", "find_text", "is_correction"]

# (target kind, field) -> (table, column): corrections that are one plain column.
CORRECTION_COLUMNS = {
    ("report", "title"): ("reports", "title"),
    ("report", "author"): ("reports", "author"),
    ("report", "url"): ("reports", "url"),
    ("report", "language"): ("reports", "language"),
    ("report", "source_id"): ("reports", "source_id"),
    ("claim", "rejected"): ("claims", "rejected"),
    ("claim", "is_quote"): ("claims", "is_quote"),
    ("claim", "is_hedged"): ("claims", "is_hedged"),
    ("claim", "is_denial"): ("claims", "is_denial"),
    ("entity", "type"): ("entities", "type"),
}
# Corrections written by dedicated code (spans, dates, names, rows that appear or go).
SPECIAL_FIELDS = {("report", "published"), ("claim", "span"), ("claim", "added"), ("entity", "canonical"),
                  ("entity", "deleted")}
CLAIM_FLAGS = tuple(EDITABLE_CLAIM_FLAGS.values())  # the columns
REPORT_FIELDS = ("title", "source", "author", "published", "url", "language")

# What ``undo`` and the history call each correction.
LABELS = {"title": "title", "author": "author", "url": "URL", "language": "language", "source_id": "source",
          "published": "published date", "rejected": "rejection", "is_quote": "quote flag",
          "is_hedged": "hedge flag", "is_denial": "denial flag", "type": "type", "span": "span",
          "added": "addition", "canonical": "name", "deleted": "deletion"}

_ENTITY_COLUMNS = "id, name, type, key, created_at"
_MENTION_COLUMNS = 'id, entity_id, report_id, claim_id, start, "end", text'
_ADDED_CLAIM_COLUMNS = ("id", "report_id", "start", "end", "text", "speaker", "speaker_source_id",
                        "speaker_entity_id", "cue", "chain", "is_quote", "is_hedged", "is_denial", "rule",
                        "confidence", "origin", "reviewed")


def is_correction(change: Change) -> bool:
    key = (change.target_kind, change.field)
    return key in CORRECTION_COLUMNS or key in SPECIAL_FIELDS


class CorrectionsMixin:
    conn: sqlite3.Connection

    # --- applying (doing and undoing) -------------------------------------------------------

    def _apply_correction(self, change: Change, value: object) -> None:
        key = (change.target_kind, change.field)
        if key in CORRECTION_COLUMNS:
            table, column = CORRECTION_COLUMNS[key]
            self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (value, change.target_id))
        elif key == ("report", "published"):
            published, origin = value if value else (None, None)
            self.conn.execute(
                "UPDATE reports SET published = ?, published_from = ?, sort_key = coalesce(?, substr(imported_at, 1, 10)) "
                "WHERE id = ?", (published, origin, published, change.target_id))
        elif key == ("claim", "span"):
            start, end = value  # type: ignore[misc]
            self.conn.execute(
                'UPDATE claims SET start = ?, "end" = ?, text = (SELECT substr(body, ? + 1, ? - ?) FROM reports '
                "WHERE reports.id = claims.report_id) WHERE id = ?", (start, end, start, end, start, change.target_id))
        elif key == ("claim", "added"):
            if value is None:
                self.conn.execute("DELETE FROM claims WHERE id = ?", (change.target_id,))
            else:
                row = dict(value)  # type: ignore[arg-type]
                columns = ", ".join(f'"{c}"' for c in _ADDED_CLAIM_COLUMNS)
                self.conn.execute(f"INSERT INTO claims({columns}) VALUES ({', '.join('?' * len(_ADDED_CLAIM_COLUMNS))})",
                                  [row[c] for c in _ADDED_CLAIM_COLUMNS])
        elif key == ("entity", "canonical"):
            name, name_key, aliases = value["name"], value["key"], value["aliases"]  # type: ignore[index]
            self.conn.execute("UPDATE entities SET name = ?, key = ? WHERE id = ?", (name, name_key, change.target_id))
            self.conn.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (change.target_id,))
            self.conn.executemany("INSERT OR IGNORE INTO entity_aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                                  [(change.target_id, a, k) for a, k in aliases])
        elif key == ("entity", "deleted"):
            if value is None:
                raise InvalidValue("an entity deletion can only be undone, not replayed")
            self._restore_entity(value)  # type: ignore[arg-type]
        if change.target_kind == "claim" and key != ("claim", "added"):
            # an analyst's claim is kept as it is through re-extraction
            self.conn.execute("UPDATE claims SET reviewed = 1 WHERE id = ?", (change.target_id,))

    def _commit_shared(self, kind: str, target_id: int, expected_version: int | None, changes: list[Change]) -> int:
        """A change of a shared fact: refused if the row changed since ``expected_version`` was read."""
        from .team.versions import claim_version

        if any(c.old != c.new for c in changes):
            claim_version(self, kind, target_id, expected_version)
        return self._commit_batch(changes)

    def _commit_batch(self, changes: list[Change]) -> int:
        """Apply and log changes (already read under the write lock) as one batch."""
        changes = [c for c in changes if c.old != c.new]
        if not changes:
            return 0
        for change in changes:
            self._apply_correction(change, change.new)
        self._log(uuid.uuid4().hex, changes)  # type: ignore[attr-defined]
        return len(changes)

    # --- reports ------------------------------------------------------------------------------

    def edit_report(self, report_id: int, *, expected_version: int | None = None, **fields: str | None) -> int:
        """Correct a report's metadata: ``title``, ``source`` (a name: an existing source, or a new
        one the analyst can grade), ``author``, ``published`` (a date as people write it, kept at
        the precision given: "2024", "June 2024", "2024-06-13"; recorded as read by the analyst),
        ``url``, ``language``. A field left out is unchanged; "" clears it (a title cannot be
        cleared). One audited batch; returns how many fields changed. ``expected_version``: the
        report's ``version`` when the form was read; if another analyst changed it since, StaleWrite."""
        from .ingest.dates import normalise_date

        unknown = set(fields) - set(REPORT_FIELDS)
        if unknown:
            raise InvalidValue(f"cannot edit {', '.join(sorted(unknown))}; use {', '.join(REPORT_FIELDS)}")
        with self.write():  # type: ignore[attr-defined]
            row = self.conn.execute("SELECT title, source_id, author, url, language, published, published_from "
                                    "FROM reports WHERE id = ?", (report_id,)).fetchone()
            if row is None:
                raise NotFound(f"no report {report_id}")
            title, source_id, author, url, language, published, published_from = row
            changes: list[Change] = []
            for field, old in (("title", title), ("author", author), ("url", url), ("language", language)):
                if fields.get(field) is None:
                    continue
                new = " ".join(str(fields[field]).split()) or None
                if field == "title" and new is None:
                    raise InvalidValue("a report needs a title")
                changes.append(Change("report", report_id, field, old, new, "edit"))
            if fields.get("source") is not None:
                name = " ".join(str(fields["source"]).split())
                new_source = self.ensure_source(name) if name else None  # type: ignore[attr-defined]
                changes.append(Change("report", report_id, "source_id", source_id, new_source, "edit"))
            if fields.get("published") is not None:
                text = str(fields["published"]).strip()
                iso = normalise_date(text) if text else None
                if text and iso is None:
                    raise InvalidValue(f"not a date: {text[:40]!r} (e.g. 2024-06-13, June 2024, 2024)")
                new_date = [iso, "analyst"] if iso else None
                old_date = [published, published_from] if published else None
                if (new_date or [None])[0] != (old_date or [None])[0]:
                    changes.append(Change("report", report_id, "published", old_date, new_date, "edit"))
            return self._commit_shared("report", report_id, expected_version, changes)

    # --- claims -------------------------------------------------------------------------------

    def _claim_row(self, claim_id: int, columns: str) -> tuple:
        row = self.conn.execute(f"SELECT {columns} FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise NotFound(f"no claim {claim_id}")
        return row

    def reject_claims(self, claim_ids: list[int], rejected: bool = True) -> int:
        """Mark claims "not a claim" (or take that back). Rejected claims are hidden by default and
        kept through re-extraction, so the extractor does not bring them back."""
        ids = list(dict.fromkeys(claim_ids))
        with self.write():  # type: ignore[attr-defined]
            old = {i: self._claim_row(i, "rejected")[0] for i in ids}
            return self._commit_batch([Change("claim", i, "rejected", old[i], int(rejected), "reject") for i in ids])

    def set_claim_flag(self, claim_ids: list[int], flag: str, value: bool) -> int:
        """Set a claim's quote, hedge or denial flag."""
        flag = EDITABLE_CLAIM_FLAGS.get(flag, flag)
        if flag not in CLAIM_FLAGS:
            raise InvalidValue(f"unknown flag {flag!r}; use quote, hedge or denial")
        ids = list(dict.fromkeys(claim_ids))
        with self.write():  # type: ignore[attr-defined]
            old = {i: self._claim_row(i, flag)[0] for i in ids}
            return self._commit_batch([Change("claim", i, flag, old[i], int(bool(value)), "flag") for i in ids])

    def toggle_claim_flag(self, claim_ids: list[int], flag: str) -> bool:
        """Turn a flag on for all the claims unless all have it already (then off). Returns the new value."""
        flag = {"quote": "is_quote", "hedge": "is_hedged", "denial": "is_denial"}.get(flag, flag)
        if flag not in CLAIM_FLAGS:
            raise InvalidValue(f"unknown flag {flag!r}; use quote, hedge or denial")
        value = not all(self._claim_row(i, flag)[0] for i in claim_ids)
        self.set_claim_flag(claim_ids, flag, value)
        return value

    def set_claim_span(self, claim_id: int, start: int | None = None, end: int | None = None, *,
                       text: str | None = None) -> int:
        """Move a claim's span in its report's body: by offsets, or by its new text (found in the
        body with whitespace folded, nearest the old span)."""
        with self.write():  # type: ignore[attr-defined]
            report_id, old_start, old_end = self._claim_row(claim_id, 'report_id, start, "end"')
            body = self.conn.execute("SELECT body FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
            if text is not None:
                found = find_text(body, text, near=old_start)
                if found is None:
                    raise InvalidValue("that text is not in the report")
                start, end = found
            if start is None or end is None or not 0 <= start < end <= len(body):
                raise InvalidValue(f"a span is two offsets in the report, 0 to {len(body)}, start before end")
            return self._commit_batch([Change("claim", claim_id, "span", [old_start, old_end], [start, end], "span")])

    def add_claim(self, report_id: int, start: int | None = None, end: int | None = None, *, text: str | None = None,
                  speaker: str | None = None, chain: list[str] | None = None, cue: str | None = None,
                  flags: tuple[str, ...] = ()) -> int:
        """A claim the extractor missed: a span of the report (offsets, or its text), who said it
        and through whom (originator first). The analyst's own: kept through re-extraction.
        Returns the new claim's id."""
        with self.write():  # type: ignore[attr-defined]
            row = self.conn.execute("SELECT body FROM reports WHERE id = ?", (report_id,)).fetchone()
            if row is None:
                raise NotFound(f"no report {report_id}")
            body = row[0]
            if text is not None:
                found = find_text(body, text, near=start or 0)
                if found is None:
                    raise InvalidValue("that text is not in the report")
                start, end = found
            if start is None or end is None or not 0 <= start < end <= len(body):
                raise InvalidValue(f"a span is two offsets in the report, 0 to {len(body)}, start before end")
            speaker = " ".join(str(speaker or "").split()) or None
            chain = [" ".join(str(c).split()) for c in (chain or []) if str(c).strip()]
            if speaker and not chain:
                chain = [speaker]
            unknown = [f for f in flags if f not in CLAIM_FLAGS]
            if unknown:
                raise InvalidValue(f"unknown flag {unknown[0]!r}; use {', '.join(CLAIM_FLAGS)}")
            claim_id = (self.conn.execute("SELECT max(id) FROM claims").fetchone()[0] or 0) + 1
            source = self.conn.execute("SELECT id FROM sources WHERE name_key = ?",
                                       (normalise_name(speaker),)).fetchone() if speaker else None
            entity = self.conn.execute(
                "SELECT e.id FROM entities e WHERE e.key = ? UNION SELECT entity_id FROM entity_aliases WHERE key = ? "
                "LIMIT 1", (entity_key(speaker), entity_key(speaker))).fetchone() if speaker else None
            snapshot = {"id": claim_id, "report_id": report_id, "start": start, "end": end, "text": body[start:end],
                        "speaker": speaker, "speaker_source_id": source[0] if source else None,
                        "speaker_entity_id": entity[0] if entity else None, "cue": cue,
                        "chain": json.dumps(chain, ensure_ascii=False), "is_quote": int("is_quote" in flags),
                        "is_hedged": int("is_hedged" in flags), "is_denial": int("is_denial" in flags),
                        "rule": "analyst", "confidence": 1.0, "origin": "analyst", "reviewed": 1}
            self._commit_batch([Change("claim", claim_id, "added", None, snapshot, "add")])
        return claim_id

    # --- entities -----------------------------------------------------------------------------

    def _entity_row(self, entity_id: int) -> tuple:
        row = self.conn.execute(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise NotFound(f"no entity {entity_id}")
        return row

    def retype_entity(self, entity_id: int, type_: str, *, expected_version: int | None = None) -> int:
        type_ = str(type_).strip().upper()
        if type_ not in ENTITY_TYPES:
            raise InvalidValue(f"unknown entity type {type_!r}; use {', '.join(ENTITY_TYPES)}")
        with self.write():  # type: ignore[attr-defined]
            old = self._entity_row(entity_id)[2]
            return self._commit_shared("entity", entity_id, expected_version,
                                       [Change("entity", entity_id, "type", old, type_, "retype")])

    def rename_entity(self, entity_id: int, name: str, *, expected_version: int | None = None) -> int:
        """Give an entity a new canonical name. The old name stays one of its names (so re-extraction
        still finds it by what the text says); a new name that was an alias stops being one."""
        name = " ".join(str(name or "").split())
        if not name:
            raise InvalidValue("an entity needs a name")
        with self.write():  # type: ignore[attr-defined]
            _, old_name, _, old_key, _ = self._entity_row(entity_id)
            aliases = [list(r) for r in self.conn.execute(
                "SELECT alias, key FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (entity_id,))]
            new_aliases = [a for a in aliases if a[0] != name]
            if old_name != name and all(a[0] != old_name for a in new_aliases):
                new_aliases.append([old_name, old_key])
            old = {"name": old_name, "key": old_key, "aliases": aliases}
            new = {"name": name, "key": entity_key(name), "aliases": sorted(new_aliases)}
            if old_name == name:
                return 0
            return self._commit_shared("entity", entity_id, expected_version,
                                       [Change("entity", entity_id, "canonical", old, new, "rename")])

    def delete_entity(self, entity_id: int, *, expected_version: int | None = None) -> int:
        """Delete a junk entity ("Read More", a heading taken for a name) with its mentions, and
        remember its names so re-extraction and later imports do not bring it back. Undoable."""
        from .team.versions import claim_version

        with self.write():  # type: ignore[attr-defined]
            claim_version(self, "entity", entity_id, expected_version)
            entity = self._entity_row(entity_id)
            aliases = [list(r) for r in self.conn.execute("SELECT alias, key FROM entity_aliases WHERE entity_id = ?",
                                                          (entity_id,))]
            names = sorted({normalise_name(n) for n in [entity[1], *(a for a, _ in aliases)]} - {""})
            known = {r[0] for r in self.conn.execute(
                f"SELECT name FROM entity_rejections WHERE name IN ({','.join('?' * len(names))})", names)}
            snapshot = {
                "entity": list(entity),
                "aliases": aliases,
                "mentions": [list(r) for r in self.conn.execute(f"SELECT {_MENTION_COLUMNS} FROM mentions WHERE entity_id = ?",
                                                                (entity_id,))],
                "claims": [r[0] for r in self.conn.execute("SELECT id FROM claims WHERE speaker_entity_id = ?", (entity_id,))],
                "proposals": [list(r) for r in self.conn.execute(
                    "SELECT a, b, score FROM merge_proposals WHERE a = ? OR b = ?", (entity_id, entity_id))],
                "rejections_added": [n for n in names if n not in known],
            }
            at = utc_now()
            self.conn.executemany("INSERT OR IGNORE INTO entity_rejections(name, type, at) VALUES (?, ?, ?)",
                                  [(n, entity[2], at) for n in snapshot["rejections_added"]])
            self.conn.execute("DELETE FROM entities WHERE id = ?", (entity_id,))  # mentions, aliases: cascade
            self._log(uuid.uuid4().hex, [Change("entity", entity_id, "deleted", snapshot, None, "delete")])  # type: ignore[attr-defined]
        return 1

    def _restore_entity(self, snapshot: dict) -> None:
        entity_id = snapshot["entity"][0]
        self.conn.execute(f"INSERT INTO entities({_ENTITY_COLUMNS}) VALUES (?, ?, ?, ?, ?)", snapshot["entity"])
        self.conn.executemany("INSERT OR IGNORE INTO entity_aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                              [(entity_id, a, k) for a, k in snapshot["aliases"]])
        # Mentions of a report re-extracted since are gone with their report's old extraction: only
        # those whose report and claim still exist come back.
        self.conn.executemany(
            f"INSERT OR IGNORE INTO mentions({_MENTION_COLUMNS}) SELECT ?, ?, ?, "
            "(SELECT id FROM claims WHERE id = ?), ?, ?, ? WHERE EXISTS (SELECT 1 FROM reports WHERE id = ?)",
            [(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[2]) for m in snapshot["mentions"]])
        for start in range(0, len(snapshot["claims"]), 500):
            chunk = snapshot["claims"][start:start + 500]
            self.conn.execute(f"UPDATE claims SET speaker_entity_id = ? WHERE id IN ({','.join('?' * len(chunk))})",
                              [entity_id, *chunk])
        self.conn.executemany("INSERT OR IGNORE INTO merge_proposals(a, b, score) SELECT ?, ?, ? "
                              "WHERE EXISTS (SELECT 1 FROM entities WHERE id = ?) AND EXISTS (SELECT 1 FROM entities WHERE id = ?)",
                              [(a, b, s, a, b) for a, b, s in snapshot["proposals"]])
        self.conn.executemany("DELETE FROM entity_rejections WHERE name = ?", [(n,) for n in snapshot["rejections_added"]])

    def rejected_entity_names(self) -> set[str]:
        """Normalised names an analyst deleted as junk: never linked as entities again."""
        return {r[0] for r in self.conn.execute("SELECT name FROM entity_rejections")}

    # --- the corrections as data --------------------------------------------------------------

    def correction_entries(self) -> list[tuple]:
        """Every correction in the audit log, oldest first: (id, at, who, action, kind, target id,
        field, old, new, undone)."""
        rows = self.conn.execute(
            """SELECT a.id, a.at, a.who, a.action, a.target_kind, a.target_id, a.field, a.old, a.new,
                      EXISTS (SELECT 1 FROM audit_log u WHERE u.undoes = a.batch)
               FROM audit_log a WHERE a.undoes IS NULL ORDER BY a.id""").fetchall()
        out = []
        for row in rows:
            change = Change(row[4], row[5], row[6] or "", None, None)
            if is_correction(change) or (row[4], row[6]) == ("claim", "speaker_resolved"):
                out.append((*row[:7], json.loads(row[7]) if row[7] else None, json.loads(row[8]) if row[8] else None,
                            bool(row[9])))
        return out
