"""Links the evidence suggests, for the analyst to confirm or reject; never made silently.

"Corroborates": two independent originators of one family (a claim and the same proposition from
an outlet that does not repeat it). "Contradicts": an assertion and a denial of it (an opposite
match). Relays are never offered as corroboration. A pair already linked, or already answered,
is not offered again: rejections are remembered in ``relation_decisions``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .origins import OriginTree, family_of, origin_tree, same_origin


@dataclass(frozen=True)
class Suggestion:
    claim_id: int  # the claim it is offered on
    other_id: int
    type: str  # "corroborates" | "contradicts"
    reason: str

    @property
    def pair(self) -> tuple[int, int]:
        return min(self.claim_id, self.other_id), max(self.claim_id, self.other_id)


def _answered(conn: sqlite3.Connection, a: int, b: int, kind: str) -> bool:
    a, b = min(a, b), max(a, b)
    return (conn.execute("SELECT 1 FROM claim_relations WHERE a = ? AND b = ?", (a, b)).fetchone() is not None
            or conn.execute("SELECT 1 FROM relation_decisions WHERE a = ? AND b = ? AND type = ?", (a, b, kind)).fetchone()
            is not None)


def _corroborating(tree: OriginTree, claim_id: int, report_id: int) -> list[Suggestion]:
    own = tree.carriers.get(report_id)
    if own is None or own.parents:
        return []  # a relay corroborates nothing: it repeats
    out = []
    for group in tree.independent_originators():
        first = next((c for c in group if c.claim_ids), None)
        if first is None or any(c.report_id == report_id or (own.source_id is not None and c.source_id == own.source_id)
                                for c in group):
            continue
        out.append(Suggestion(claim_id, first.claim_ids[0], "corroborates",
                              f"same proposition from an independent originator: {first.label}"))
    return out


def _source_of(conn: sqlite3.Connection, claim_id: int) -> int | None:
    row = conn.execute("SELECT r.source_id FROM claims c JOIN reports r ON r.id = c.report_id WHERE c.id = ?",
                       (claim_id,)).fetchone()
    return row[0] if row else None


def _alike(conn: sqlite3.Connection, tree: OriginTree, claim_id: int) -> list[Suggestion]:
    """Claims close to this one but below the family bar whose family traces back to other
    originators: a second, independent telling of the proposition, worth a look. Independence is
    judged by origins, so a relay may stand for its originator when the originator's own text
    yielded no claim; one suggestion per other family."""
    out, seen = [], {tree.family_id}
    own_source = _source_of(conn, claim_id)
    for a, b, score in conn.execute(
            "SELECT a, b, score FROM claim_matches WHERE polarity = 'near' AND (a = ? OR b = ?) ORDER BY score DESC",
            (claim_id, claim_id)).fetchall():
        other = b if a == claim_id else a
        family = family_of(conn, other)
        if family in seen or (own_source is not None and _source_of(conn, other) == own_source):
            continue  # one outlet telling a thing twice is not two origins
        seen.add(family)
        other_tree = origin_tree(conn, family)
        if not other_tree.originators or any(same_origin(mine, theirs) for mine in tree.originators
                                             for theirs in other_tree.originators):
            continue
        origins = "; ".join(c.label for c in other_tree.originators[:2])
        out.append(Suggestion(claim_id, other, "corroborates",
                              f"a similar proposition ({score:.0f}% alike) from an independent origin: {origins}"))
    return out


def suggestions_for(conn: sqlite3.Connection, claim_id: int, tree: OriginTree | None = None) -> list[Suggestion]:
    row = conn.execute("SELECT report_id FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        return []
    tree = tree or origin_tree(conn, family_of(conn, claim_id))
    out = _corroborating(tree, claim_id, row[0]) + _alike(conn, tree, claim_id)
    for a, b, score in conn.execute(
            "SELECT a, b, score FROM claim_matches WHERE polarity = 'opposite' AND (a = ? OR b = ?)", (claim_id, claim_id)):
        other = b if a == claim_id else a
        source = conn.execute("""SELECT coalesce(s.name, 'report ' || r.id), r.published FROM claims c JOIN reports r ON r.id = c.report_id
                                 LEFT JOIN sources s ON s.id = r.source_id WHERE c.id = ?""", (other,)).fetchone()
        out.append(Suggestion(claim_id, other, "contradicts",
                              f"one asserts what the other denies ({source[0]}, {source[1] or 'undated'}; {score:.0f}% alike)"))
    return [s for s in out if not _answered(conn, s.claim_id, s.other_id, s.type)]


def all_suggestions(conn: sqlite3.Connection) -> list[Suggestion]:
    """Every open suggestion in the store, once per pair of families (a relay of the same origin
    would only repeat it), for the CLI and for measuring them."""
    out: dict[tuple, Suggestion] = {}
    families = [r[0] for r in conn.execute(
        "SELECT family_id FROM claim_families GROUP BY family_id HAVING count(DISTINCT claim_id) > 1")]
    for family in families:
        tree = origin_tree(conn, family)
        for carrier in tree.originators:
            for claim_id in carrier.claim_ids[:1]:
                for s in _corroborating(tree, claim_id, carrier.report_id):
                    if not _answered(conn, s.claim_id, s.other_id, s.type):
                        out.setdefault((*s.pair, s.type), s)
    for (a,) in conn.execute("SELECT DISTINCT a FROM claim_matches WHERE polarity IN ('opposite', 'near') ORDER BY a"):
        for s in suggestions_for(conn, a):
            families = tuple(sorted((family_of(conn, s.claim_id), family_of(conn, s.other_id))))
            out.setdefault((*families, s.type), s)
    return list(out.values())
