"""Who independently supports or contradicts a claim, and the credibility that suggests.

Support comes from the originators of the claim's family (``origins``) and of the families the
analyst linked to it as corroborating; contradiction from the originators of the families that
deny it (an opposite match, or an analyst's "contradicts" link). Relays are listed, never counted:
five outlets repeating one unnamed source are one source. Originators of one outlet are one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from .origins import Carrier, OriginTree, family_of, origin_tree

MAX_LINKED_FAMILIES = 8  # contradicting or linked families traced for one claim
_RELIABILITY_ORDER = "ABCDEF"


@dataclass
class Originator:
    label: str  # "informed Iraqi sources → The National (2024-06-20)"
    source_id: int | None
    source_name: str | None
    reliability: str
    report_id: int
    claim_id: int | None  # its family claim, if one was extracted
    published: str | None


@dataclass
class Corroboration:
    claim_id: int
    family_id: int
    own_originators: list[Originator]  # where this claim's own family comes from
    supporting: list[Originator]  # other independent originators stating it (not this claim's)
    contradicting: list[Originator]
    relays: list[Carrier]
    circular: list[str]
    is_relay: bool  # this claim's report repeats another
    suggested_credibility: int = 6
    reason: str = ""
    carriers: int = 0
    tree: OriginTree | None = field(default=None, repr=False)

    @property
    def independent_support(self) -> int:
        return len({_source_key(o) for o in self.own_originators + self.supporting})


def _source_key(o: Originator) -> object:
    return o.source_id if o.source_id is not None else ("report", o.report_id)


def _originators(tree: OriginTree) -> list[Originator]:
    out = []
    for group in tree.independent_originators():
        first = group[0]
        out.append(Originator(first.label, first.source_id, first.source_name, first.reliability, first.report_id,
                              first.claim_ids[0] if first.claim_ids else None, first.published))
    return out


def corroboration(conn: sqlite3.Connection, claim_id: int) -> Corroboration:
    family = family_of(conn, claim_id)
    tree = origin_tree(conn, family)
    report_id = conn.execute("SELECT report_id FROM claims WHERE id = ?", (claim_id,)).fetchone()[0]
    own = tree.carriers.get(report_id)
    own_originators = _originators(tree)
    supporting: list[Originator] = []
    contradicting: list[Originator] = []
    family_claims = [r[0] for r in conn.execute("SELECT claim_id FROM claim_families WHERE family_id = ?", (family,))] or [claim_id]
    linked = linked_families(conn, family, family_claims)
    for other_family, kind in linked[:MAX_LINKED_FAMILIES]:
        others = _originators(origin_tree(conn, other_family))
        (supporting if kind == "corroborates" else contradicting).extend(others)
    seen = {_source_key(o) for o in own_originators}
    supporting = [o for o in _unique(supporting) if _source_key(o) not in seen]
    contradicting = _unique(contradicting)
    result = Corroboration(
        claim_id=claim_id, family_id=family, own_originators=own_originators, supporting=supporting,
        contradicting=contradicting, relays=tree.relays, circular=[c.circular for c in tree.circular if c.circular],
        is_relay=bool(own and own.parents), carriers=len(tree.carriers), tree=tree)
    result.suggested_credibility, result.reason = suggest_credibility(result)
    return result


def _unique(originators: list[Originator]) -> list[Originator]:
    seen, out = set(), []
    for o in originators:
        if _source_key(o) not in seen:
            seen.add(_source_key(o))
            out.append(o)
    return out


def linked_families(conn: sqlite3.Connection, family: int, claim_ids: list[int]) -> list[tuple[int, str]]:
    """(other family, "corroborates" | "contradicts"): the analyst's links first, then opposite matches."""
    out: dict[int, str] = {}
    marks = ",".join("?" * len(claim_ids))
    for a, b, kind in conn.execute(
            f"""SELECT a, b, type FROM claim_relations WHERE type IN ('corroborates', 'contradicts')
                AND (a IN ({marks}) OR b IN ({marks}))""", claim_ids + claim_ids):
        other = family_of(conn, b if a in claim_ids else a)
        if other != family:
            out.setdefault(other, kind)
    for a, b in conn.execute(
            f"""SELECT a, b FROM claim_matches WHERE polarity = 'opposite' AND (a IN ({marks}) OR b IN ({marks}))""",
            claim_ids + claim_ids):
        other = family_of(conn, b if a in claim_ids else a)
        if other != family and not _rejected(conn, a, b, "contradicts"):
            out.setdefault(other, "contradicts")
    return list(out.items())


def _rejected(conn: sqlite3.Connection, a: int, b: int, kind: str) -> bool:
    return conn.execute("SELECT 1 FROM relation_decisions WHERE a = ? AND b = ? AND type = ? AND decision = 'rejected'",
                        (min(a, b), max(a, b), kind)).fetchone() is not None


def _grades(originators: list[Originator]) -> str:
    return ", ".join(sorted({o.reliability for o in originators}, key=_RELIABILITY_ORDER.index))


def _best(originators: list[Originator]) -> str:
    return min((o.reliability for o in originators), key=_RELIABILITY_ORDER.index, default="F")


def suggest_credibility(c: Corroboration) -> tuple[int, str]:
    """The Admiralty credibility the evidence suggests (1 confirmed ... 6 cannot be judged), with
    its reason in one line. Only independent originators count; relays never do."""
    support = _unique(c.own_originators + c.supporting)
    n, against = len(support), c.contradicting
    relays = f"; {len(c.relays)} relay(s) not counted" if c.relays else ""
    graded = [o for o in support if o.reliability in "ABCD"]
    if n >= 2 and not against:
        if len(graded) >= 2 or (graded and _best(graded) in "AB"):
            return 1, f"{n} independent originators ({_grades(support)}); no contradiction{relays}"
        return 2, f"{n} independent originators, none graded above {_best(support)}; no contradiction{relays}"
    if n >= 2 and against:
        return 3, (f"{n} independent originators ({_grades(support)}), contradicted by {len(against)} "
                   f"({_grades(against)}){relays}")
    if against:
        if _RELIABILITY_ORDER.index(_best(against)) <= _RELIABILITY_ORDER.index(_best(support)):
            return 5, (f"one originator ({_grades(support)}), contradicted by {len(against)} as or more reliable "
                       f"({_grades(against)}){relays}")
        return 4, f"one originator ({_grades(support)}), contradicted by less reliable ({_grades(against)}){relays}"
    grade = _best(support)
    if grade in "AB":
        return 2, f"one originator, graded {grade}; not confirmed, no contradiction{relays}"
    if grade in "CD":
        return 3, f"one originator, graded {grade}; not confirmed, no contradiction{relays}"
    return 6, f"one originator, graded {grade}: no basis to judge{relays}"
