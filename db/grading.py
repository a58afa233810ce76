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
from typing import Iterable, Iterator

from . import connection, name_decisions
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
from .names import entity_key, normalise_name
from .timeutil import current_user, utc_now

# (target kind, field) -> (table, column) for plain column changes.
COLUMN_FIELDS = {
    ("report", "status"): ("reports", "status"),
    ("report", "flagged"): ("reports", "flagged"),
    ("report", "credibility"): ("reports", "credibility"),
    ("claim", "credibility"): ("claims", "credibility"),
    ("claim", "speaker_resolved"): ("claims", "speaker_resolved"),
    ("source", "reliability"): ("sources", "reliability"),
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
        at, who = utc_now(), current_user()
        self.conn.executemany(
            "INSERT INTO audit_log(at, who, batch, action, target_kind, target_id, field, old, new, undoes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(at, who, batch, c.action, c.target_kind, c.target_id, c.field, json.dumps(c.old), json.dumps(c.new), undoes)
             for c in changes],
        )

    def _apply(self, change: Change, value: object) -> None:
        """Write ``value`` into the field a change names (used both to do and to undo)."""
        key = (change.target_kind, change.field)
        if key in COLUMN_FIELDS:
            table, column = COLUMN_FIELDS[key]
            if key == ("hypothesis", "active") and value:
                self.conn.execute("UPDATE hypotheses SET active = 0 WHERE active = 1")
            self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (value, change.target_id))
            if change.target_kind == "claim":
                self.conn.execute("UPDATE claims SET reviewed = 1 WHERE id = ?", (change.target_id,))
        elif change.field.startswith("stance:"):
            hypothesis_id = int(change.field.split(":", 1)[1])
            if value is None:
                self.conn.execute("DELETE FROM claim_stances WHERE claim_id = ? AND hypothesis_id = ?",
                                  (change.target_id, hypothesis_id))
            else:
                self.conn.execute(
                    "INSERT INTO claim_stances(claim_id, hypothesis_id, stance) VALUES (?, ?, ?) "
                    "ON CONFLICT(claim_id, hypothesis_id) DO UPDATE SET stance = excluded.stance",
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
        elif change.field == "note":
            if value:
                self.conn.execute(
                    "INSERT INTO notes(target_kind, target_id, text, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(target_kind, target_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                    (change.target_kind, change.target_id, value, utc_now()))
            else:
                self.conn.execute("DELETE FROM notes WHERE target_kind = ? AND target_id = ?",
                                  (change.target_kind, change.target_id))
        elif change.field == "exists" and change.target_kind == "hypothesis":
            if value:
                title, active = value
                self.conn.execute("INSERT INTO hypotheses(id, title, active, created_at) VALUES (?, ?, ?, ?)",
                                  (change.target_id, title, int(active), utc_now()))
            else:
                self.conn.execute("DELETE FROM hypotheses WHERE id = ?", (change.target_id,))
        elif change.field == "merged_into" and change.target_kind == "entity":
            if value is None:
                self._unmerge(change.old)  # type: ignore[arg-type]
            else:
                raise StoreError("a merge can only be undone, not replayed")
        elif change.field == "split_into" and change.target_kind == "entity":
            raise StoreError("a split can only be undone, not replayed")  # undo() calls _unsplit itself
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
        table, column = COLUMN_FIELDS[(kind, field)]
        out: dict[int, object] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for row_id, value in self.conn.execute(
                f"SELECT id, {column} FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
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
                    f"SELECT claim_id, stance FROM claim_stances WHERE hypothesis_id = ? AND claim_id IN ({','.join('?' * len(chunk))})",
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
            row = self.conn.execute("SELECT text FROM notes WHERE target_kind = ? AND target_id = ?",
                                    (kind, target_id)).fetchone()
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

    # --- entity merges ------------------------------------------------------------------

    def merge_entities(self, keep_id: int, merge_id: int) -> None:
        """Fold ``merge_id`` into ``keep_id``: its mentions and names move over, and the decision
        is remembered by name key so re-extraction keeps it. An earlier split of the two (by key
        or by spelling) no longer holds and is removed; undo puts it back."""
        if keep_id == merge_id:
            raise InvalidValue("cannot merge an entity with itself")
        keep = self.conn.execute("SELECT id, name, type, key, created_at FROM entities WHERE id = ?", (keep_id,)).fetchone()
        gone = self.conn.execute("SELECT id, name, type, key, created_at FROM entities WHERE id = ?", (merge_id,)).fetchone()
        if keep is None or gone is None:
            raise NotFound("no such entity")
        snapshot = {
            "entity": list(gone),
            "into": keep_id,
            "aliases": [list(r) for r in self.conn.execute("SELECT alias, key FROM entity_aliases WHERE entity_id = ?", (merge_id,))],
            "mentions": [r[0] for r in self.conn.execute("SELECT id FROM mentions WHERE entity_id = ?", (merge_id,))],
            "claims": [r[0] for r in self.conn.execute("SELECT id FROM claims WHERE speaker_entity_id = ?", (merge_id,))],
            "keep_aliases_before": [r[0] for r in self.conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?", (keep_id,))],
            # What the merge overrides, so undo puts it back: a split (by key or by name) of the two.
            "key_decision_before": self._key_decision(keep[3], gone[3]),
            "name_splits_removed": name_decisions.between(
                self.conn, name_decisions.names_of(self.conn, keep_id), name_decisions.names_of(self.conn, merge_id)),
        }
        batch = uuid.uuid4().hex
        with self.write():
            name_decisions.remove(self.conn, snapshot["name_splits_removed"])
            self.conn.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (keep_id, merge_id))
            self.conn.execute("UPDATE claims SET speaker_entity_id = ? WHERE speaker_entity_id = ?", (keep_id, merge_id))
            names = [(gone[1], gone[3])] + [(a, k) for a, k in snapshot["aliases"]]
            self.conn.executemany("INSERT OR IGNORE INTO entity_aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                                  [(keep_id, a, k) for a, k in names if a != keep[1]])
            self.conn.execute("INSERT OR REPLACE INTO entity_decisions(key_a, key_b, decision, at) VALUES (?, ?, 'merge', ?)",
                              (*sorted((keep[3], gone[3])), utc_now()))
            self.conn.execute("DELETE FROM entities WHERE id = ?", (merge_id,))
            self._log(batch, [Change("entity", merge_id, "merged_into", snapshot, keep_id, "merge")])

    def _unmerge(self, snapshot: dict) -> None:
        entity_id, name, type_, key, created_at = snapshot["entity"]
        keep_id = snapshot["into"]
        self.conn.execute("INSERT INTO entities(id, name, type, key, created_at) VALUES (?, ?, ?, ?, ?)",
                          (entity_id, name, type_, key, created_at))
        self.conn.executemany("INSERT OR IGNORE INTO entity_aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                              [(entity_id, a, k) for a, k in snapshot["aliases"]])
        before = set(snapshot["keep_aliases_before"])
        for alias in [name] + [a for a, _ in snapshot["aliases"]]:
            if alias not in before:
                self.conn.execute("DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?", (keep_id, alias))
        self._move_rows("mentions", "entity_id", snapshot["mentions"], entity_id)
        self._move_rows("claims", "speaker_entity_id", snapshot["claims"], entity_id)
        keep_key = self.conn.execute("SELECT key FROM entities WHERE id = ?", (keep_id,)).fetchone()
        if keep_key:
            self.conn.execute("DELETE FROM entity_decisions WHERE key_a = ? AND key_b = ?", tuple(sorted((keep_key[0], key))))
        if snapshot.get("key_decision_before"):  # merges logged before splits existed have no such fields
            self._restore_key_decisions([snapshot["key_decision_before"]])
        name_decisions.restore(self.conn, snapshot.get("name_splits_removed", []))

    def _key_decision(self, key: str, other: str) -> list | None:
        row = self.conn.execute("SELECT key_a, key_b, decision, at FROM entity_decisions WHERE key_a = ? AND key_b = ?",
                                tuple(sorted((key, other)))).fetchone()
        return list(row) if row else None

    def _restore_key_decisions(self, rows: list[list]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO entity_decisions(key_a, key_b, decision, at) VALUES (?, ?, ?, ?)",
                              [tuple(r) for r in rows])

    # --- entity splits ------------------------------------------------------------------

    def split_entity(self, entity_id: int, name: str) -> int:
        """Split the name ``name`` off an entity: it becomes a new entity of the same type, taking
        the mentions written that way and the claims whose speaker is that name. Returns the new
        entity's id. One transaction, undoable.

        ``name`` must be one of the entity's other names (aliases), compared by spelling with case
        and width folded. The entity's own name is refused: split off the other names instead, so
        the entity keeps the name (and the tags and notes) the analyst knows it by.

        The decision is remembered so re-extraction and later imports keep the two apart: by
        spelling always (``entity_name_decisions``: names that fold to one transliteration key
        can only be told apart that way), and by key too when the keys differ, so close
        spellings are not proposed for merging again. Merge decisions that would fold the name
        back are removed; a later merge of the two removes the split."""
        with self.write():  # read under the write lock, so the audit log is exact
            plan = self._plan_split(entity_id, name)
            at = utc_now()
            new_id = self.conn.execute("INSERT INTO entities(name, type, key, created_at) VALUES (?, ?, ?, ?)",
                                       (plan["name"], plan["type"], plan["key"], at)).lastrowid
            plan["into"] = new_id
            self.conn.executemany("DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?",
                                  [(entity_id, a) for a, _ in plan["aliases"]])
            self.conn.executemany("INSERT INTO entity_aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                                  [(new_id, a, k) for a, k in plan["aliases"] if a != plan["name"]])
            self._move_rows("mentions", "entity_id", plan["mentions"], new_id)
            self._move_rows("claims", "speaker_entity_id", plan["claims"], new_id)
            self.conn.executemany("DELETE FROM entity_decisions WHERE key_a = ? AND key_b = ?",
                                  [(a, b) for a, b, _, _ in plan["key_decisions_before"]])
            if plan["key_split_added"]:
                self.conn.execute("INSERT INTO entity_decisions(key_a, key_b, decision, at) VALUES (?, ?, 'split', ?)",
                                  (*plan["key_split_added"], at))
            self.conn.execute("INSERT OR IGNORE INTO entity_name_decisions(name_a, name_b, decision, at) "
                              "VALUES (?, ?, 'split', ?)", (*plan["name_split"], at))
            self._log(uuid.uuid4().hex, [Change("entity", entity_id, "split_into", plan, new_id, "split")])
        return new_id

    def _plan_split(self, entity_id: int, name: str) -> dict:
        """What splitting ``name`` off moves and which decisions it replaces: the audit log keeps
        it, and undo reverts from it."""
        wanted = normalise_name(str(name or ""))
        if not wanted:
            raise InvalidValue("name the alias to split off")
        row = self.conn.execute("SELECT name, type, key FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise NotFound(f"no entity {entity_id}")
        own_name, type_, own_key = row
        aliases = self.conn.execute("SELECT alias, key FROM entity_aliases WHERE entity_id = ? ORDER BY alias",
                                    (entity_id,)).fetchall()
        others = ", ".join(a for a, _ in aliases) or "none"
        if wanted == normalise_name(own_name):
            raise InvalidValue(f"{name!r} is the entity's own name; split off one of its other names ({others})")
        moving = [[a, k] for a, k in aliases if normalise_name(a) == wanted]
        if not moving:
            raise InvalidValue(f"{name!r} is not a name of entity {entity_id} (its other names: {others})")
        new_name = next((a for a, _ in moving if a == str(name).strip()), moving[0][0])
        new_key = entity_key(new_name)
        key_pair = sorted((new_key, own_key))
        staying_keys = {own_key} | {k for a, k in aliases if normalise_name(a) != wanted}
        touching = self.conn.execute("SELECT key_a, key_b, decision, at FROM entity_decisions WHERE key_a = ? OR key_b = ?",
                                     (new_key, new_key)).fetchall()
        return {
            "into": None, "name": new_name, "type": type_, "key": new_key, "aliases": moving,
            "mentions": [mid for mid, text in self.conn.execute(
                "SELECT id, text FROM mentions WHERE entity_id = ?", (entity_id,)) if normalise_name(text) == wanted],
            # Who the writer made the speaker: the resolved name, else the name as written.
            "claims": [cid for cid, speaker, resolved in self.conn.execute(
                "SELECT id, speaker, speaker_resolved FROM claims WHERE speaker_entity_id = ?", (entity_id,))
                if normalise_name(resolved or speaker or "") == wanted],
            "name_split": list(name_decisions.pair(new_name, own_name)),
            "name_split_existed": bool(name_decisions.between(self.conn, {wanted}, {normalise_name(own_name)})),
            # The key pair this split overwrites, and merges that would fold the name back into
            # the entity (re-extraction follows merge decisions): removed, and restored by undo.
            "key_decisions_before": [list(r) for r in touching if [r[0], r[1]] == key_pair
                                     or (r[2] == "merge" and (r[1] if r[0] == new_key else r[0]) in staying_keys)],
            "key_split_added": key_pair if new_key != own_key else None,
        }

    def _move_rows(self, table: str, column: str, ids: list[int], to: int) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE id IN ({','.join('?' * len(chunk))})", [to, *chunk])

    def _unsplit(self, entity_id: int, snapshot: dict) -> None:
        """Fold a split-off entity back. Everything linked to it since (re-extraction, imports)
        goes back too: deleting it must not take mentions with it."""
        new_id = snapshot["into"]
        own_name = self.conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if own_name is None:
            raise StoreError(f"entity {entity_id} no longer exists: the split cannot be undone")
        later_aliases = self.conn.execute("SELECT alias, key FROM entity_aliases WHERE entity_id = ?", (new_id,)).fetchall()
        self.conn.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (entity_id, new_id))
        self.conn.execute("UPDATE claims SET speaker_entity_id = ? WHERE speaker_entity_id = ?", (entity_id, new_id))
        self.conn.execute("DELETE FROM entities WHERE id = ?", (new_id,))
        self.conn.executemany("INSERT OR IGNORE INTO entity_aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                              [(entity_id, a, k) for a, k in [*snapshot["aliases"], *later_aliases] if a != own_name[0]])
        if snapshot["key_split_added"]:
            self.conn.execute("DELETE FROM entity_decisions WHERE key_a = ? AND key_b = ?", tuple(snapshot["key_split_added"]))
        self._restore_key_decisions(snapshot["key_decisions_before"])
        if not snapshot["name_split_existed"]:
            name_decisions.remove(self.conn, [snapshot["name_split"]])

    # --- undo and history ---------------------------------------------------------------

    def last_undoable_batch(self) -> str | None:
        row = self.conn.execute(
            """SELECT batch FROM audit_log a
               WHERE undoes IS NULL
                 AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.undoes = a.batch)
               ORDER BY id DESC LIMIT 1"""
        ).fetchone()
        return row[0] if row else None

    def undo(self) -> str | None:
        """Revert the most recent change batch that is not undone yet. Returns what was undone, or None."""
        batch = self.last_undoable_batch()
        if batch is None:
            return None
        rows = self.conn.execute(
            "SELECT action, target_kind, target_id, field, old, new FROM audit_log WHERE batch = ? ORDER BY id",
            (batch,)).fetchall()
        changes = [Change(kind, tid, fld, json.loads(old), json.loads(new), action)
                   for action, kind, tid, fld, old, new in rows]
        reverse = [Change(c.target_kind, c.target_id, c.field, c.new, c.old, "undo") for c in reversed(changes)]
        with self.write():
            # Another process may have undone it between our read and the write lock.
            if self.conn.execute("SELECT 1 FROM audit_log WHERE undoes = ?", (batch,)).fetchone():
                return None
            for change, original in zip(reverse, reversed(changes)):
                if original.field == "merged_into":
                    self._unmerge(original.old)  # type: ignore[arg-type]
                elif original.field == "split_into":
                    self._unsplit(original.target_id, original.old)  # type: ignore[arg-type]
                else:
                    self._apply(change, change.new)
            self._log(uuid.uuid4().hex, reverse, undoes=batch)
        return describe_changes(changes)

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
    label = {"stance": "stance", "tag": "tag", "note": "note", "exists": "hypothesis",
             "relation": "link", "flagged": "flag"}.get(field, field)
    targets = {(c.target_kind, c.target_id) for c in changes}
    if len(targets) == 1:
        return f"{label} of {first.target_kind} {first.target_id}"
    return f"{label} of {len(targets)} {first.target_kind}s"


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
