"""Merging two entities and splitting a name off one: audited, undoable, kept through re-extraction."""

from __future__ import annotations

import uuid

from ..errors import InvalidValue, NotFound, StoreError
from ..grading import Change
from ..timeutil import utc_now
from . import spellings_apart
from .keys import entity_key, normalise_name


class MergeAndSplit:
    """Part of the store: its ``write()`` transaction, audit ``_log`` and undo dispatch (``_unmerge``,
    ``_unsplit``) come from the grading mixin."""

    def merge_entities(self, keep_id: int, merge_id: int, *, expected_versions: tuple[int, int] | None = None) -> None:
        """Fold ``merge_id`` into ``keep_id``: its mentions and names move over, and the decision
        is remembered by name key so re-extraction keeps it. An earlier split of the two (by key
        or by spelling) no longer holds and is removed; undo puts it back. ``expected_versions``:
        both entities' ``version`` as read; if another analyst changed either since, StaleWrite."""
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
            "name_splits_removed": spellings_apart.between(
                self.conn, spellings_apart.names_of(self.conn, keep_id), spellings_apart.names_of(self.conn, merge_id)),
        }
        batch = uuid.uuid4().hex
        with self.write():
            from ..team.versions import claim_version

            for entity_id, expected in zip((keep_id, merge_id), expected_versions or (None, None), strict=True):
                claim_version(self, "entity", entity_id, expected)
            spellings_apart.remove(self.conn, snapshot["name_splits_removed"])
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
        spellings_apart.restore(self.conn, snapshot.get("name_splits_removed", []))

    def _key_decision(self, key: str, other: str) -> list | None:
        row = self.conn.execute("SELECT key_a, key_b, decision, at FROM entity_decisions WHERE key_a = ? AND key_b = ?",
                                tuple(sorted((key, other)))).fetchone()
        return list(row) if row else None

    def _restore_key_decisions(self, rows: list[list]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO entity_decisions(key_a, key_b, decision, at) VALUES (?, ?, ?, ?)",
                              [tuple(r) for r in rows])

    # --- entity splits ------------------------------------------------------------------

    def split_entity(self, entity_id: int, name: str, *, expected_version: int | None = None) -> int:
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
        from ..team.versions import claim_version

        with self.write():  # read under the write lock, so the audit log is exact
            claim_version(self, "entity", entity_id, expected_version)
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
            "name_split": list(spellings_apart.pair(new_name, own_name)),
            "name_split_existed": bool(spellings_apart.between(self.conn, {wanted}, {normalise_name(own_name)})),
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
            spellings_apart.remove(self.conn, [snapshot["name_split"]])
