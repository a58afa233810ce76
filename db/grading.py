"""Every change an analyst makes: grades, statuses, stances, tags, notes, hypotheses, merges, splits.

Each public call is one transaction and one audit batch, so bulk actions are atomic and
``undo`` reverts a whole batch. The audit log is append-only (triggers refuse updates and
deletes): undo appends the reverse changes, pointing at the batch it undid.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from collections.abc import Iterable, Iterator

from . import connection
from .errors import InvalidValue, NotFound, StoreError
from .models import (
    CLAIM_RELATIONS,
    CREDIBILITY_GRADES,
    RELIABILITY_GRADES,
    REPORT_STATUSES,
    SOURCE_KINDS,
    STANCES,
    TARGET_KINDS,
    AuditEntry,
)
from .team.mine import GRADE_TABLES
from .timeutil import utc_now

# (target kind, field) -> (table, column) for plain column changes (shared facts). Grades are each
# analyst's own: ``GRADE_TABLES``.
COLUMN_FIELDS = {
    ("report", "status"): ("reports", "status"),
    ("report", "flagged"): ("reports", "flagged"),
    ("claim", "speaker_resolved"): ("claims", "speaker_resolved"),
    ("source", "affiliation"): ("sources", "affiliation"),
    ("source", "kind"): ("sources", "kind"),
    ("hypothesis", "title"): ("hypotheses", "title"),
    ("hypothesis", "active"): ("hypotheses", "active"),
}
TABLE_OF_KIND = {"report": "reports", "claim": "claims", "source": "sources", "entity": "entities",
                 "hypothesis": "hypotheses"}


@dataclass
class Change:
    """One field of one target going from ``old`` to ``new``."""

    target_kind: str
    target_id: int
    field: str
    old: object
    new: object
    action: str = "set"


class GradingMixin:
    conn: sqlite3.Connection

    # --- transactions --------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; SQLite errors come out as StoreError with a plain message."""
        if getattr(self, "read_only", False):
            raise StoreError("the database is read-only: changes cannot be saved")
        try:
            with connection.transaction(self.conn) as conn:
                yield conn
        except sqlite3.OperationalError as exc:
            raise connection._friendly(exc) from exc
        except sqlite3.IntegrityError as exc:
            raise InvalidValue(f"the change was refused: {exc}") from exc

    def _log(self, batch: str, changes: list[Change], undoes: str | None = None) -> None:
        at, who = utc_now(), self.analyst  # type: ignore[attr-defined]
        self.conn.executemany(
            "INSERT INTO audit_log(at, who, batch, action, target_kind, target_id, field, old, new, undoes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(at, who, batch, c.action, c.target_kind, c.target_id, c.field, json.dumps(c.old), json.dumps(c.new), undoes)
             for c in changes],
        )

    def _apply(self, change: Change, value: object) -> None:
        """Write ``value`` into the field a change names (used both to do and to undo)."""
        key = (change.target_kind, change.field)
        if key in GRADE_TABLES:
            table, column, field = GRADE_TABLES[key]
            # A grade equal to the one the row came with is not stored: the analyst sees that one.
            stored = value is not None and self.conn.execute(
                f"INSERT INTO {table}({column}, analyst, {field}, at) SELECT id, current_analyst(), ?, ? "
                f"FROM {TABLE_OF_KIND[change.target_kind]} WHERE id = ? AND {field} <> ? "
                f"ON CONFLICT({column}, analyst) DO UPDATE SET {field} = excluded.{field}, at = excluded.at",
                (value, utc_now(), change.target_id, value)).rowcount > 0
            if not stored:
                self.conn.execute(f"DELETE FROM {table} WHERE {column} = ? AND analyst = current_analyst()",
                                  (change.target_id,))
            if change.target_kind == "claim":
                self.conn.execute("UPDATE claims SET reviewed = 1 WHERE id = ?", (change.target_id,))
        elif key in COLUMN_FIELDS:
            table, column = COLUMN_FIELDS[key]
            if key == ("hypothesis", "active") and value:
                self.conn.execute("UPDATE hypotheses SET active = 0 WHERE active = 1")
            self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (value, change.target_id))
            if change.target_kind == "claim":
                self.conn.execute("UPDATE claims SET reviewed = 1 WHERE id = ?", (change.target_id,))
        elif change.field.startswith("stance:"):
            hypothesis_id = int(change.field.split(":", 1)[1])
            if value is None:
                self.conn.execute("DELETE FROM claim_stances WHERE claim_id = ? AND hypothesis_id = ? "
                                  "AND analyst = current_analyst()", (change.target_id, hypothesis_id))
            else:
                self.conn.execute(
                    "INSERT INTO claim_stances(claim_id, hypothesis_id, analyst, stance) VALUES (?, ?, current_analyst(), ?) "
                    "ON CONFLICT(claim_id, hypothesis_id, analyst) DO UPDATE SET stance = excluded.stance",
                    (change.target_id, hypothesis_id, value))
            self.conn.execute("UPDATE claims SET reviewed = 1 WHERE id = ?", (change.target_id,))
        elif change.field.startswith("tag:"):
            tag = change.field.split(":", 1)[1]
            if value:
                self.conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
                tag_id = self.conn.execute("SELECT id FROM tags WHERE name = ?", (tag,)).fetchone()[0]
                self.conn.execute("INSERT OR IGNORE INTO taggings(tag_id, target_kind, target_id) VALUES (?, ?, ?)",
                                  (tag_id, change.target_kind, change.target_id))
            else:
                self.conn.execute(
                    "DELETE FROM taggings WHERE target_kind = ? AND target_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)",
                    (change.target_kind, change.target_id, tag))
        elif change.field.startswith("relation:"):
            _, kind, other = change.field.split(":", 2)
            a, b = sorted((change.target_id, int(other)))
            if value:
                self.conn.execute("INSERT OR IGNORE INTO claim_relations(a, b, type, origin) VALUES (?, ?, ?, 'analyst')",
                                  (a, b, kind))
            else:
                self.conn.execute("DELETE FROM claim_relations WHERE a = ? AND b = ? AND type = ?", (a, b, kind))
        elif change.field == "ach_row" or change.field.startswith("ach:"):
            self._apply_ach(change, value)  # type: ignore[attr-defined]  # db/ach.py
        elif change.field == "note":
            if value:
                self.conn.execute(
                    "INSERT INTO notes(target_kind, target_id, analyst, text, updated_at) VALUES (?, ?, current_analyst(), ?, ?) "
                    "ON CONFLICT(target_kind, target_id, analyst) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at",
                    (change.target_kind, change.target_id, value, utc_now()))
            else:
                self.conn.execute("DELETE FROM notes WHERE target_kind = ? AND target_id = ? AND analyst = current_analyst()",
                                  (change.target_kind, change.target_id))
        elif change.field == "exists" and change.target_kind == "hypothesis":
            if value:
                title, active = value
                self.conn.execute("INSERT INTO hypotheses(id, title, active, created_at) VALUES (?, ?, ?, ?)",
                                  (change.target_id, title, int(active), utc_now()))
            else:
                self.conn.execute("DELETE FROM hypotheses WHERE id = ?", (change.target_id,))
        elif change.field == "exists" and change.target_kind == "subscription":
            from .subscriptions import apply_exists

            apply_exists(self.conn, change.target_id, value)  # type: ignore[arg-type]
        elif change.field == "merged_into" and change.target_kind == "entity":
            if value is None:
                self._unmerge(change.old)  # type: ignore[arg-type]
            else:
                raise StoreError("a merge can only be undone, not replayed")
        elif change.field == "split_into" and change.target_kind == "entity":
            raise StoreError("a split can only be undone, not replayed")  # undo() calls _unsplit itself
        elif _is_correction(change):
            self._apply_correction(change, value)  # type: ignore[attr-defined]
        else:
            raise StoreError(f"unknown change {change.target_kind}.{change.field}")

    def _commit_changes(self, changes: list[Change]) -> int:
        """Apply and log changes as one batch. Returns how many targets actually changed."""
        changes = [c for c in changes if c.old != c.new]
        if not changes:
            return 0
        batch = uuid.uuid4().hex
        with self.write():
            for change in changes:
                self._apply(change, change.new)
            self._log(batch, changes)
        return len(changes)

    def _current_values(self, kind: str, field: str, ids: list[int]) -> dict[int, object]:
        """The field's values; for a grade, the acting analyst's (their own, else the row's)."""
        out: dict[int, object] = {}
        if (kind, field) in GRADE_TABLES:
            grades, key, column = GRADE_TABLES[(kind, field)]
            sql = (f"SELECT t.id, coalesce(g.{column}, t.{column}) FROM {TABLE_OF_KIND[kind]} t LEFT JOIN {grades} g "
                   f"ON g.{key} = t.id AND g.analyst = current_analyst() WHERE t.id IN ({{}})")
        else:
            table, column = COLUMN_FIELDS[(kind, field)]
            sql = f"SELECT id, {column} FROM {table} WHERE id IN ({{}})"
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for row_id, value in self.conn.execute(sql.format(",".join("?" * len(chunk))), chunk):
                out[row_id] = value
        missing = set(ids) - set(out)
        if missing:
            raise NotFound(f"no {kind} {', '.join(map(str, sorted(missing)[:5]))}")
        return out

    def _set_column(self, kind: str, field: str, ids: Iterable[int], value: object) -> int:
        ids = list(dict.fromkeys(ids))
        with self.write():  # read the old values under the write lock, so the audit log is exact
            current = self._current_values(kind, field, ids)
            return self._commit_changes([Change(kind, i, field, current[i], value) for i in ids])

    # --- triage and grades -----------------------------------------------------------

    def set_status(self, report_ids: Iterable[int], status: str) -> int:
        """New, read or dismissed; "flagged" sets the flag, which is beside the status (a report
        stays new or read when flagged, and keeps its flag when marked read or new)."""
        if status not in REPORT_STATUSES:
            raise InvalidValue(f"unknown status {status!r}; use one of {', '.join(REPORT_STATUSES)}")
        if status == "flagged":
            return self.set_flagged(report_ids, True)
        return self._set_column("report", "status", report_ids, status)

    def set_flagged(self, report_ids: Iterable[int], flagged: bool = True) -> int:
        return self._set_column("report", "flagged", report_ids, 1 if flagged else 0)

    def set_report_credibility(self, report_ids: Iterable[int], credibility: int) -> int:
        return self._set_column("report", "credibility", report_ids, _credibility(credibility))

    def set_claim_credibility(self, claim_ids: Iterable[int], credibility: int) -> int:
        return self._set_column("claim", "credibility", claim_ids, _credibility(credibility))

    def set_claim_speaker(self, claim_ids: Iterable[int], speaker: str | None) -> int:
        """The analyst's answer to "who said this": replaces the extractor's resolution (the speaker
        as written stays as evidence), is kept through re-extraction, and can be undone."""
        return self._set_column("claim", "speaker_resolved", claim_ids, " ".join(str(speaker or "").split()) or None)

    def set_source_reliability(self, source_ids: Iterable[int], reliability: str) -> int:
        grade = str(reliability).strip().upper()
        if grade not in RELIABILITY_GRADES:
            raise InvalidValue(f"unknown reliability {reliability!r}; use A-F")
        return self._set_column("source", "reliability", source_ids, grade)

    def set_source_affiliation(self, source_id: int, label: str | None) -> int:
        return self._set_column("source", "affiliation", [source_id], (label or "").strip() or None)

    def set_source_kind(self, source_id: int, kind: str) -> int:
        if kind not in SOURCE_KINDS:
            raise InvalidValue(f"unknown source kind {kind!r}; use one of {', '.join(SOURCE_KINDS)}")
        return self._set_column("source", "kind", [source_id], kind)

    def set_stance(self, claim_ids: Iterable[int], stance: str | None, hypothesis_id: int | None = None) -> int:
        """Stance of claims toward a hypothesis (the active one by default). ``None`` clears it."""
        if stance is not None and stance not in STANCES:
            raise InvalidValue(f"unknown stance {stance!r}; use one of {', '.join(STANCES)}")
        if hypothesis_id is None:
            hypothesis_id = self.active_hypothesis_id()  # type: ignore[attr-defined]
            if hypothesis_id is None:
                raise InvalidValue("no active hypothesis: create one first (stance is toward a hypothesis)")
        ids = list(dict.fromkeys(claim_ids))
        with self.write():
            self._check_exist("claim", ids)
            old: dict[int, str] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                old.update(self.conn.execute(
                    f"SELECT claim_id, stance FROM claim_stances WHERE hypothesis_id = ? AND analyst = current_analyst() "
                    f"AND claim_id IN ({','.join('?' * len(chunk))})",
                    [hypothesis_id, *chunk]).fetchall())
            return self._commit_changes([Change("claim", i, f"stance:{hypothesis_id}", old.get(i), stance) for i in ids])

    # --- tags and notes ---------------------------------------------------------------

    def add_tag(self, kind: str, target_ids: Iterable[int], tag: str) -> int:
        return self._tag(kind, target_ids, tag, True)

    def remove_tag(self, kind: str, target_ids: Iterable[int], tag: str) -> int:
        return self._tag(kind, target_ids, tag, False)

    def _tag(self, kind: str, target_ids: Iterable[int], tag: str, present: bool) -> int:
        _check_kind(kind)
        tag = " ".join(str(tag).split())
        if not tag:
            raise InvalidValue("a tag needs a name")
        ids = list(dict.fromkeys(target_ids))
        with self.write():
            self._check_exist(kind, ids)
            has: set[int] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                has.update(r[0] for r in self.conn.execute(
                    f"SELECT g.target_id FROM taggings g JOIN tags t ON t.id = g.tag_id WHERE t.name = ? "
                    f"AND g.target_kind = ? AND g.target_id IN ({','.join('?' * len(chunk))})", [tag, kind, *chunk]))
            return self._commit_changes([Change(kind, i, f"tag:{tag}", i in has, present, "tag") for i in ids])

    def set_note(self, kind: str, target_id: int, text: str | None) -> int:
        _check_kind(kind)
        new = (text or "").strip() or None
        with self.write():
            self._check_exist(kind, [target_id])
            row = self.conn.execute("SELECT text FROM notes WHERE target_kind = ? AND target_id = ? "
                                    "AND analyst = current_analyst()", (kind, target_id)).fetchone()
            return self._commit_changes([Change(kind, target_id, "note", row[0] if row else None, new, "note")])

    def _check_exist(self, kind: str, ids: list[int]) -> None:
        table = TABLE_OF_KIND[kind]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found = {r[0] for r in self.conn.execute(
                f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
            missing = set(chunk) - found
            if missing:
                raise NotFound(f"no {kind} {', '.join(map(str, sorted(missing)[:5]))}")

    # --- hypotheses ---------------------------------------------------------------------

    def create_hypothesis(self, title: str, *, activate: bool = True) -> int:
        title = " ".join(str(title).split())
        if not title:
            raise InvalidValue("a hypothesis needs a title")
        with self.write():
            if self.conn.execute("SELECT 1 FROM hypotheses WHERE title = ?", (title,)).fetchone():
                raise InvalidValue(f"a hypothesis titled {title!r} exists already")
            new_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM hypotheses").fetchone()[0]
            changes = []
            previous = self.active_hypothesis_id()  # type: ignore[attr-defined]
            if activate and previous is not None:
                changes.append(Change("hypothesis", previous, "active", 1, 0))
            changes.append(Change("hypothesis", new_id, "exists", None, [title, bool(activate)], "hypothesis"))
            self._commit_changes(changes)
        return new_id

    def rename_hypothesis(self, hypothesis_id: int, title: str) -> int:
        title = " ".join(str(title).split())
        if not title:
            raise InvalidValue("a hypothesis needs a title")
        return self._set_column("hypothesis", "title", [hypothesis_id], title)

    def activate_hypothesis(self, hypothesis_id: int) -> int:
        with self.write():
            self._current_values("hypothesis", "active", [hypothesis_id])
            previous = self.active_hypothesis_id()  # type: ignore[attr-defined]
            if previous == hypothesis_id:
                return 0
            changes = [Change("hypothesis", previous, "active", 1, 0)] if previous is not None else []
            changes.append(Change("hypothesis", hypothesis_id, "active", 0, 1))
            return self._commit_changes(changes)

    # --- claim relations ----------------------------------------------------------------

    def relate_claims(self, a: int, b: int, kind: str, *, present: bool = True) -> int:
        """Record that claim ``a`` corroborates, contradicts or duplicates claim ``b`` (symmetric),
        or remove that link with ``present=False``. Audited and undoable like a grade."""
        if kind not in CLAIM_RELATIONS:
            raise InvalidValue(f"unknown relation {kind!r}; use one of {', '.join(CLAIM_RELATIONS)}")
        if a == b:
            raise InvalidValue("a claim cannot be related to itself")
        a, b = min(a, b), max(a, b)
        with self.write():
            self._check_exist("claim", [a, b])
            exists = self.conn.execute("SELECT 1 FROM claim_relations WHERE a = ? AND b = ? AND type = ?",
                                       (a, b, kind)).fetchone() is not None
            return self._commit_changes([Change("claim", a, f"relation:{kind}:{b}", exists, present, "relate")])

    # --- undo and history ---------------------------------------------------------------

    def last_undoable_batch(self) -> str | None:
        """The acting analyst's latest change not undone yet (``u`` never reverts a colleague's)."""
        row = self.conn.execute(
            """SELECT batch FROM audit_log a
               WHERE undoes IS NULL AND who = current_analyst()
                 AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.undoes = a.batch)
               ORDER BY id DESC LIMIT 1"""
        ).fetchone()
        return row[0] if row else None

    def undo(self) -> str | None:
        """Revert the acting analyst's most recent change batch not undone yet. Returns what was
        undone, or None. Refused (UndoRefused, nothing changed) where a value the batch set is not
        there any more: someone changed it since, and undoing would overwrite their change."""
        batch = self.last_undoable_batch()
        if batch is None:
            return None
        rows = self.conn.execute(
            "SELECT action, target_kind, target_id, field, old, new, id FROM audit_log WHERE batch = ? ORDER BY id",
            (batch,)).fetchall()
        changes = [Change(kind, tid, fld, json.loads(old), json.loads(new), action)
                   for action, kind, tid, fld, old, new, _ in rows]
        reverse = [Change(c.target_kind, c.target_id, c.field, c.new, c.old, "undo") for c in reversed(changes)]
        with self.write():
            # Another process may have undone it between our read and the write lock.
            if self.conn.execute("SELECT 1 FROM audit_log WHERE undoes = ?", (batch,)).fetchone():
                return None
            self._refuse_overwriting(changes, after_id=rows[-1][6])
            from .team.versions import bump_versions

            bump_versions(self.conn, changes)
            for change, original in zip(reverse, reversed(changes), strict=True):
                if original.field == "merged_into":
                    self._unmerge(original.old)  # type: ignore[arg-type]
                elif original.field == "split_into":
                    self._unsplit(original.target_id, original.old)  # type: ignore[arg-type]
                else:
                    self._apply(change, change.new)
            self._log(uuid.uuid4().hex, reverse, undoes=batch)
        return describe_changes(changes)

    def _refuse_overwriting(self, changes: list[Change], *, after_id: int) -> None:
        from .errors import UndoRefused
        from .team.since import UNCHECKED, changed_by, last_change, values_now

        for change, now in zip(changes, values_now(self, changes), strict=True):
            if now is UNCHECKED or now == change.new or (now is False and change.new is None):
                continue
            own = (change.target_kind, change.field) in GRADE_TABLES or change.field == "note" \
                or change.field.startswith(("stance:", "ach:"))
            since = last_change(self, change.target_kind, change.target_id, change.field, after_id=after_id,
                                mine_only=own)
            prefix = change.field.split(":", 1)[0]
            label = {"ach": "ACH rating", "relation": "link", "ach_row": "ACH evidence row"}.get(
                prefix, _correction_labels().get(prefix, prefix))
            raise UndoRefused(f"not undone: the {label} of {change.target_kind} "
                              f"{change.target_id} was changed since {changed_by(since)}; "
                              "their change stands")

    def history(self, *, limit: int = 100) -> list[AuditEntry]:
        rows = self.conn.execute(
            "SELECT id, at, who, action, target_kind, target_id, field, old, new, batch FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,)).fetchall()
        return [AuditEntry(id=r[0], at=r[1], who=r[2], action=r[3], target_kind=r[4], target_id=r[5], field=r[6],
                           old=json.loads(r[7]) if r[7] else None, new=json.loads(r[8]) if r[8] else None, batch=r[9])
                for r in rows]


def describe_changes(changes: list[Change]) -> str:
    """A short human summary of a batch: "credibility of 3 claims", "status of report 12"."""
    if not changes:
        return "nothing"
    first = changes[0]
    field = first.field.split(":", 1)[0]
    if field == "merged_into":
        return "entity merge"
    if field == "split_into":
        return "entity split"
    if first.target_kind == "subscription":
        return f"subscription {first.target_id}"
    label = {"stance": "stance", "tag": "tag", "note": "note", "exists": "hypothesis",
             "relation": "link", "flagged": "flag", "ach": "ACH rating", "ach_row": "ACH evidence",
             **_correction_labels()}.get(field, field)
    targets = {(c.target_kind, c.target_id) for c in changes}
    if len(targets) == 1:
        labels = dict.fromkeys(_correction_labels().get(c.field, c.field) for c in changes)
        if len(labels) > 1:  # one correction of several fields (a report's source and date)
            label = ", ".join(labels)
        return f"{label} of {first.target_kind} {first.target_id}"
    return f"{label} of {len(targets)} {first.target_kind}s"


def _is_correction(change: Change) -> bool:
    from .corrections import is_correction  # (corrections builds on this module)

    return is_correction(change)


def _correction_labels() -> dict[str, str]:
    from .corrections import LABELS

    return LABELS


def _credibility(value: object) -> int:
    text = str(value).strip()
    # int() reads "３" (fullwidth) and other Unicode digits: a grade is one ASCII digit
    if not (text.isascii() and text.isdigit()):
        raise InvalidValue(f"unknown credibility {value!r}; use 1-6")
    grade = int(text)
    if grade not in CREDIBILITY_GRADES:
        raise InvalidValue(f"unknown credibility {value!r}; use 1-6")
    return grade


def _check_kind(kind: str) -> None:
    if kind not in TARGET_KINDS:
        raise InvalidValue(f"unknown target {kind!r}; use one of {', '.join(TARGET_KINDS)}")
