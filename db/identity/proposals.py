"""Merge proposals: close-but-unequal names offered to the analyst, and keeping two entities apart."""

from __future__ import annotations

from ..models import Entity
from ..timeutil import utc_now


class MergeProposals:
    def propose_merges(self, entity_ids: list[int] | None = None, *, threshold: float = 88.0) -> int:
        """Record close-but-unequal names (by transliteration key) as merge proposals for the
        analyst. Never merges anything, never proposes a subset name ("Ali Bagheri" / "Ali
        Bagheri Kani") or a pair the analyst already kept apart. Without ids: the entities
        created since the last call."""
        from rapidfuzz import fuzz, process

        if entity_ids is None:
            entity_ids, self._new_entity_ids = self._new_entity_ids, []
        if not entity_ids:
            return 0
        rows = self.conn.execute("SELECT id, key, type FROM entities").fetchall()
        keys = [r[1] for r in rows]
        rejected = {(a, b) for a, b in self.conn.execute("SELECT key_a, key_b FROM entity_decisions WHERE decision = 'split'")}
        wanted = set(entity_ids)
        found = 0
        with self.write():  # type: ignore[attr-defined]
            for entity_id, key, type_ in (r for r in rows if r[0] in wanted):
                if not key:
                    continue
                for _, score, index in process.extract(key, keys, scorer=fuzz.ratio, limit=10, score_cutoff=threshold):
                    other_id, other_key, other_type = rows[index]
                    if other_id == entity_id or other_key == key or other_type != type_:
                        continue
                    a_tokens, b_tokens = set(key.split()), set(other_key.split())
                    if len(a_tokens) != len(b_tokens) or a_tokens <= b_tokens or b_tokens <= a_tokens:
                        continue
                    if tuple(sorted((key, other_key))) in rejected:
                        continue
                    a, b = sorted((entity_id, other_id))
                    self.conn.execute("INSERT OR IGNORE INTO merge_proposals(a, b, score) VALUES (?, ?, ?)",
                                      (a, b, round(score, 1)))
                    found += 1
        return found

    def reject_merge(self, a: int, b: int) -> None:
        """Keep two entities apart for good: the proposal goes, and re-extraction remembers it."""
        with self.write():  # type: ignore[attr-defined]
            keys = [r[0] for r in self.conn.execute("SELECT key FROM entities WHERE id IN (?, ?)", (a, b))]
            if len(keys) == 2:
                self.conn.execute("INSERT OR REPLACE INTO entity_decisions(key_a, key_b, decision, at) VALUES (?, ?, 'split', ?)",
                                  (*sorted(keys), utc_now()))
            self.conn.execute("DELETE FROM merge_proposals WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)", (a, b, b, a))

    def merge_proposals(self) -> list[tuple[Entity, Entity, float]]:
        rows = self.conn.execute("SELECT a, b, score FROM merge_proposals ORDER BY score DESC").fetchall()
        return [(self.get_entity(a), self.get_entity(b), score) for a, b, score in rows]
