"""Linking an extracted name to its entity, inside an import batch (see the package's vocabulary)."""

from __future__ import annotations

from ..timeutil import utc_now
from . import spellings_apart
from .keys import entity_key, normalise_name


class EntityLinking:
    """Part of the store's writer: uses its connection and its open batch (``self._batch``)."""

    def _link_entity(self, name: str, type_: str, aliases: list[str], *, mention_texts: list[str] = (),
                     merge_decisions: bool = True, name_splits: bool = True) -> tuple[int, dict[str, int]]:
        """Find the entity this name belongs to (same transliteration key, or an analyst's merge
        decision), else create it. Close-but-unequal names are never merged here. Returns its id
        and, of ``aliases`` and ``mention_texts``, the names an analyst split off it (normalised
        name -> the entity each links to): those are not added back as its aliases.
        ``merge_decisions`` / ``name_splits`` False: the caller knows there are none to look up."""
        key = entity_key(name)
        keys = {key}
        if merge_decisions:
            for a, b in self.conn.execute(
                "SELECT key_a, key_b FROM entity_decisions WHERE decision = 'merge' AND (key_a = ? OR key_b = ?)",
                (key, key)):
                keys.update((a, b))
        apart = spellings_apart.apart_from(self.conn, name) if name_splits else set()
        if self._batch is not None and keys == {key} and not apart:
            # most names: no decision about them, and the batch knows the entities by their key
            # (the choice of _find_entity's query: the extracted type first, then the oldest)
            best = min(self._entities_known_by(key), key=lambda c: (c[2] != type_, c[0]), default=None)
            row = (best[0], best[1]) if best else self._entity_known_by_alias(type_, aliases)
        else:
            row = self._find_entity(name, type_, keys, apart)
        if row:
            entity_id, canonical = row
        else:
            entity_id = self.conn.execute("INSERT INTO entities(name, type, key, created_at) VALUES (?, ?, ?, ?)",
                                          (name, type_, key, utc_now())).lastrowid
            canonical = name
            self._new_entity_ids.append(entity_id)
            if self._batch is not None and key in self._batch.entity_candidates:
                self._batch.entity_candidates[key].append((entity_id, name, type_))
        split_off = {}
        if name_splits:
            split_off = self._names_split_off(entity_id, name, type_, [*aliases, *mention_texts],
                                              merge_decisions=merge_decisions)
        new_names = [n for n in [name, *aliases] if n and n != canonical and normalise_name(n) not in split_off]
        if new_names:
            rows = [(entity_id, n, entity_key(n)) for n in new_names]
            self.conn.executemany("INSERT OR IGNORE INTO entity_aliases(entity_id, alias, key) VALUES (?, ?, ?)", rows)
            if self._batch is not None:  # the entity may now be known by more keys: read them again when asked
                known = self._batch.entity_candidates
                for alias_key in {r[2] for r in rows}:
                    if alias_key in known and all(c[0] != entity_id for c in known[alias_key]):
                        del known[alias_key]
        return entity_id, split_off

    def _entity_known_by_alias(self, type_: str, aliases: list[str]) -> tuple[int, str] | None:
        """(id, name) of the one entity of this type that a new name's alias already names: "the
        Islamic Resistance Movement (Hamas)" belongs with the Hamas of earlier reports. Not for
        people (a surname alias is shared by relatives and namesakes) nor short aliases."""
        if type_ == "PERSON":
            return None
        for alias in aliases:
            alias_key = entity_key(alias)
            if len(alias_key) < 4:
                continue
            same_type = {(entity_id, name) for entity_id, name, entity_type in self._entities_known_by(alias_key)
                         if entity_type == type_}
            if len(same_type) == 1:
                return same_type.pop()
        return None

    def _decisions(self) -> tuple[bool, bool]:
        """Whether there is any merge decision, and any name split (most databases: neither, and
        linking skips their look-ups). Asked once per batch: only an analyst's action adds them."""
        batch = self._batch
        if batch is not None and batch.decisions is not None:
            return batch.decisions
        decisions = (bool(self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM entity_decisions WHERE decision = 'merge')").fetchone()[0]),
            spellings_apart.any_splits(self.conn))
        if batch is not None:
            batch.decisions = decisions
        return decisions

    def _entities_known_by(self, key: str) -> list[tuple[int, str, str]]:
        """(id, name, type) of the entities known by ``key``: from the batch's memory when there."""
        known = self._batch.entity_candidates.get(key)
        return known if known is not None else self._entity_candidates({key})[key]

    def _entity_candidates(self, keys: set[str]) -> dict[str, list[tuple[int, str, str]]]:
        """(id, name, type) of the entities known by each key, by name or alias: what
        ``_find_entity`` chooses from. Remembered in the batch, and read for many keys at once."""
        batch = self._batch
        assert batch is not None
        known = batch.entity_candidates
        wanted = [key for key in keys if key not in known]
        for start in range(0, len(wanted), 400):  # 2 x 400 values: under the 999 bound of old SQLite builds
            chunk = wanted[start:start + 400]
            marks = ",".join("?" * len(chunk))
            for key in chunk:
                known[key] = []
            for key, entity_id, name, type_ in self.conn.execute(
                    f"""SELECT key, id, name, type FROM entities WHERE key IN ({marks})
                        UNION SELECT a.key, e.id, e.name, e.type FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
                              WHERE a.key IN ({marks})""", chunk * 2):
                known[key].append((entity_id, name, type_))
        return {key: known[key] for key in keys}

    def _find_entity(self, name: str, type_: str, keys: set[str], apart: set[str]) -> tuple[int, str] | None:
        """(id, name) of the entity known by one of ``keys``, preferring the extracted type. A name
        split apart from others (``apart``) never goes to an entity known by one of them, and
        prefers the entity known by this very spelling: after a split, two entities may share a key."""
        marks = ",".join("?" * len(keys))
        candidates = f"""SELECT id, name, type FROM (
                    SELECT id, type, name FROM entities WHERE key IN ({marks})
                    UNION SELECT e.id, e.type, e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
                          WHERE a.key IN ({marks})) AS candidates"""
        if not apart:
            row = self.conn.execute(f"{candidates} ORDER BY type = ? DESC, id LIMIT 1", [*keys, *keys, type_]).fetchone()
            return (row[0], row[1]) if row else None
        wanted = normalise_name(name)
        best = None
        for entity_id, canonical, entity_type in self.conn.execute(candidates, [*keys, *keys]).fetchall():
            known = spellings_apart.names_of(self.conn, entity_id)
            if known & apart:
                continue
            rank = (wanted not in known, entity_type != type_, entity_id)
            if best is None or rank < best[0]:
                best = (rank, (entity_id, canonical))
        return best[1] if best else None

    def _names_split_off(self, entity_id: int, name: str, type_: str, names: list[str], *,
                         merge_decisions: bool) -> dict[str, int]:
        """Of ``names`` found with ``name`` in a report, those an analyst split apart from a name of
        the entity it links to: normalised name -> the entity that name links to on its own."""
        known = spellings_apart.names_of(self.conn, entity_id) | {normalise_name(name)}
        split_off: dict[str, int] = {}
        for other in names:
            normalised = normalise_name(other or "")
            if not normalised or normalised in known or normalised in split_off:
                continue
            if spellings_apart.apart_from(self.conn, other) & known:
                split_off[normalised] = self._link_entity(other, type_, [], merge_decisions=merge_decisions)[0]
        return split_off
