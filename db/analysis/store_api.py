"""The store's cross-report API (mixed into ``db.store.Store``): families, origins, corroboration,
suggested links and the analyst's answers to them, timelines.

Accepting a suggestion makes the link and records the answer in one audited batch; rejecting
records the answer. ``undo`` reverts either, like a grade.
"""

from __future__ import annotations


from ..errors import InvalidValue, NotFound
from ..grading import Change
from ..timeutil import utc_now
from . import corroboration as _corroboration
from . import families as _families
from . import origins as _origins
from . import suggestions as _suggestions
from . import timeline as _timeline

SUGGESTED_TYPES = ("corroborates", "contradicts")


class AnalysisMixin:
    # --- families -------------------------------------------------------------------------------

    def update_families(self, report_ids, *, per_transaction: int = 25, cache=None, fresh: bool = False) -> int:
        """Place the claims of newly stored reports in their families, a few reports per
        transaction, so the analyst's own changes never wait long behind an import. ``cache``:
        a ``families.FamilyCache`` kept across the calls of one import. ``fresh``: the reports
        were just stored and never placed (see ``families.update_families``)."""
        ids, placed = list(report_ids), 0
        cache = cache if cache is not None else _families.FamilyCache()
        for start in range(0, len(ids), per_transaction):
            with self.write():
                placed += _families.update_families(self.conn, ids[start:start + per_transaction], cache=cache,
                                                     fresh=fresh)
        return placed

    def rebuild_families(self, *, progress=None) -> int:
        if getattr(self, "read_only", False):
            from ..errors import StoreError

            raise StoreError("the database is read-only: changes cannot be saved")
        return _families.rebuild_families(self.conn, progress=progress)

    def family_of(self, claim_id: int) -> int:
        self._claim_exists(claim_id)
        return _origins.family_of(self.conn, claim_id)

    def family_claim_ids(self, claim_id: int) -> list[int]:
        family = self.family_of(claim_id)
        ids = [r[0] for r in self.conn.execute(
            "SELECT claim_id FROM claim_families WHERE family_id = ? ORDER BY claim_id", (family,))]
        return ids or [claim_id]

    def families(self, *, min_reports: int = 2, limit: int = 100) -> list[tuple[int, int, int]]:
        """(family id, claims, reports) of the families spanning ``min_reports`` reports or more, largest first."""
        return [tuple(r) for r in self.conn.execute(
            """SELECT f.family_id, count(*), count(DISTINCT c.report_id) FROM claim_families f JOIN claims c ON c.id = f.claim_id
               GROUP BY f.family_id HAVING count(DISTINCT c.report_id) >= ? ORDER BY 3 DESC, 1 LIMIT ?""",
            (min_reports, limit))]

    def origin_tree(self, claim_id: int) -> _origins.OriginTree:
        return _origins.origin_tree(self.conn, self.family_of(claim_id))

    def corroboration(self, claim_id: int) -> _corroboration.Corroboration:
        self._claim_exists(claim_id)
        return _corroboration.corroboration(self.conn, claim_id)

    def family_timeline(self, claim_id: int) -> list[_timeline.TimelineEntry]:
        self._claim_exists(claim_id)
        return _timeline.family_timeline(self.conn, claim_id)

    def entity_timeline(self, entity_id: int) -> list[_timeline.TimelineEntry]:
        if self.conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is None:
            raise NotFound(f"no entity {entity_id}")
        return _timeline.entity_timeline(self.conn, entity_id)

    # --- suggested links ------------------------------------------------------------------------

    def suggested_links(self, claim_id: int | None = None) -> list[_suggestions.Suggestion]:
        if claim_id is None:
            return _suggestions.all_suggestions(self.conn)
        self._claim_exists(claim_id)
        return _suggestions.suggestions_for(self.conn, claim_id)

    def accept_suggestion(self, a: int, b: int, kind: str) -> int:
        """Make the suggested link and remember the answer: one audited, undoable batch."""
        return self._answer(a, b, kind, "accepted")

    def reject_suggestion(self, a: int, b: int, kind: str) -> int:
        """Remember that the analyst does not want this link: it is not offered again (undoable)."""
        return self._answer(a, b, kind, "rejected")

    def relation_decision(self, a: int, b: int, kind: str) -> str | None:
        row = self.conn.execute("SELECT decision FROM relation_decisions WHERE a = ? AND b = ? AND type = ?",
                                (min(a, b), max(a, b), kind)).fetchone()
        return row[0] if row else None

    def _answer(self, a: int, b: int, kind: str, decision: str) -> int:
        if kind not in SUGGESTED_TYPES:
            raise InvalidValue(f"unknown link {kind!r}; use one of {', '.join(SUGGESTED_TYPES)}")
        if a == b:
            raise InvalidValue("a claim cannot be related to itself")
        a, b = min(a, b), max(a, b)
        with self.write():
            self._check_exist("claim", [a, b])
            before = self.relation_decision(a, b, kind)
            changes = [Change("claim", a, f"suggestion:{kind}:{b}", before, decision, "suggestion")]
            if decision == "accepted":
                linked = self.conn.execute("SELECT 1 FROM claim_relations WHERE a = ? AND b = ? AND type = ?",
                                           (a, b, kind)).fetchone() is not None
                changes.append(Change("claim", a, f"relation:{kind}:{b}", linked, True, "relate"))
            return self._commit_changes(changes)

    def _apply(self, change: Change, value: object) -> None:
        if change.field.startswith("suggestion:"):
            _, kind, other = change.field.split(":", 2)
            a, b = sorted((change.target_id, int(other)))
            if value is None:
                self.conn.execute("DELETE FROM relation_decisions WHERE a = ? AND b = ? AND type = ?", (a, b, kind))
            else:
                self.conn.execute(
                    "INSERT INTO relation_decisions(a, b, type, decision, at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(a, b, type) DO UPDATE SET decision = excluded.decision, at = excluded.at",
                    (a, b, kind, value, utc_now()))
            return
        super()._apply(change, value)  # type: ignore[misc]

    def _claim_exists(self, claim_id: int) -> None:
        if self.conn.execute("SELECT 1 FROM claims WHERE id = ?", (claim_id,)).fetchone() is None:
            raise NotFound(f"no claim {claim_id}")
