"""Links the evidence suggests, for the analyst to confirm or reject; never made silently.

"Corroborates": two independent originators of one family (a claim and the same proposition from
an outlet that does not repeat it). "Contradicts": an assertion and a denial of it by an
independent speaker, about the same event and actors, near in date (``denials``): one suggestion
per denying origin, the strongest evidence first, each with its reason. Relays are never offered
as corroboration. A pair already linked, or already answered, is not offered again: rejections
are remembered in ``relation_decisions``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from . import denials as _denials
from .propositions import is_negative
from .origins import GENERIC_ATTRIBUTIONS, OriginTree, family_of, origin_tree, same_origin


@dataclass(frozen=True)
class Suggestion:
    claim_id: int  # the claim it is offered on
    other_id: int
    type: str  # "corroborates" | "contradicts"
    reason: str
    score: float = 0.0  # the weight of the evidence, to rank suggestions (contradictions)

    @property
    def pair(self) -> tuple[int, int]:
        return min(self.claim_id, self.other_id), max(self.claim_id, self.other_id)


def _answered(conn: sqlite3.Connection, a: int, b: int, kind: str) -> bool:
    a, b = min(a, b), max(a, b)
    return (conn.execute("SELECT 1 FROM claim_relations WHERE a = ? AND b = ?", (a, b)).fetchone() is not None
            or conn.execute("SELECT 1 FROM relation_decisions WHERE a = ? AND b = ? AND type = ?", (a, b, kind)).fetchone()
            is not None)


def _negative(conn: sqlite3.Connection, claim_id: int) -> bool:
    row = conn.execute("SELECT text, is_denial FROM claims WHERE id = ?", (claim_id,)).fetchone()
    return bool(row) and is_negative(row[0], bool(row[1]))


def _corroborating(conn: sqlite3.Connection, tree: OriginTree, claim_id: int, report_id: int) -> list[Suggestion]:
    own = tree.carriers.get(report_id)
    if own is None or own.parents:
        return []  # a relay corroborates nothing: it repeats
    out = []
    negative = _negative(conn, claim_id)
    for group in tree.independent_originators():
        first = next((c for c in group if c.claim_ids), None)
        if first is None or any(c.report_id == report_id or (own.source_id is not None and c.source_id == own.source_id)
                                for c in group):
            continue
        if _negative(conn, first.claim_ids[0]) != negative:
            continue  # a denial drawn into the family by its words denies the claim; it does not confirm it
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
        if _says_it_repeats(conn, other) or _says_it_repeats(conn, claim_id):
            continue  # "the reports said ...": an echo of unknown origin is no independent telling
        seen.add(family)
        other_tree = origin_tree(conn, family)
        if not other_tree.originators or any(same_origin(mine, theirs) for mine in tree.originators
                                             for theirs in other_tree.originators):
            continue
        origins = "; ".join(c.label for c in other_tree.originators[:2])
        out.append(Suggestion(claim_id, other, "corroborates",
                              f"a similar proposition ({score:.0f}% alike) from an independent origin: {origins}"))
    return out


MAX_TOLD_AGAIN = 4


def _told_again(conn: sqlite3.Connection, tree: OriginTree, claim_id: int, cache: dict | None = None,
                trees: dict | None = None, candidates: list[int] | None = None) -> list[Suggestion]:
    """The same event told in other words by an independent origin (``denials.same_event``): what
    word overlap misses when one telling is a long sentence ("Earlier this month Hamas opened a
    political office in Baghdad, headed by ...") and the other a short one ("a Hamas office had
    opened in Baghdad"). Independence is judged by origins, as for ``_alike``; one per family."""
    cache = {} if cache is None else cache
    trees = {} if trees is None else trees
    own = _denials.load_contexts(conn, [claim_id], cache).get(claim_id)
    carrier = tree.carriers.get(own.report_id) if own else None
    if own is None or not own.frames or own.negative or (carrier is not None and carrier.parents):
        return []  # a relay corroborates nothing: it repeats
    found: dict[int, tuple[float, Suggestion]] = {}
    if candidates is None:
        candidates = _denials.candidate_claims(conn, own)
    ids = [i for i in candidates if i != claim_id]
    for other in _denials.load_contexts(conn, ids, cache).values():
        judged = _denials.same_event(own, other)
        if judged is None:
            continue
        family = family_of(conn, other.claim_id)
        if family == tree.family_id or family in found:
            continue
        if family not in trees:
            trees[family] = origin_tree(conn, family)
        theirs = trees[family]
        if not theirs.originators or any(same_origin(mine, o) for mine in tree.originators for o in theirs.originators):
            continue
        found[family] = (judged[0], Suggestion(claim_id, other.claim_id, "corroborates", judged[1], judged[0]))
    return [s for _, s in sorted(found.values(), key=lambda p: -p[0])][:MAX_TOLD_AGAIN]


def _says_it_repeats(conn: sqlite3.Connection, claim_id: int) -> bool:
    row = conn.execute("SELECT chain FROM claims WHERE id = ?", (claim_id,)).fetchone()
    chain = json.loads(row[0] or "[]") if row else []
    return bool(chain) and GENERIC_ATTRIBUTIONS.match(chain[0].strip()) is not None


def _opposites(conn: sqlite3.Connection, claim_id: int) -> set[int]:
    return {b if a == claim_id else a for a, b in conn.execute(
        "SELECT a, b FROM claim_matches WHERE polarity = 'opposite' AND (a = ? OR b = ?)", (claim_id, claim_id))}


def contradictions_of(conn: sqlite3.Connection, claim_id: int, cache: dict | None = None,
                      trees: dict | None = None, candidates: list[int] | None = None) -> list[_denials.Contradiction]:
    """The denials of this assertion, or the assertions this denial denies, that meet the rule of
    ``denials``, one per denying origin (or per asserted proposition), strongest first."""
    cache = {} if cache is None else cache
    own = _denials.load_contexts(conn, [claim_id], cache).get(claim_id)
    opposites = _opposites(conn, claim_id)
    if own is None or not (own.denied or own.frames or opposites):
        return []
    if candidates is None:
        candidates = _denials.candidate_claims(conn, own)
    ids = [i for i in dict.fromkeys(candidates + sorted(opposites)) if i != claim_id]
    found = []
    trees = {} if trees is None else trees
    for other in _denials.load_contexts(conn, ids, cache).values():
        pair = (own, other) if own.negative else (other, own)
        opposite = other.claim_id in opposites
        if _denials.judge(*pair, matched_as_opposites=opposite) is None:
            continue
        _trace_assertion(conn, pair[1], trees)
        judged = _denials.judge(*pair, matched_as_opposites=opposite)  # again, at the origin's date
        if judged is not None:
            found.append(judged)
    return _one_per_origin(conn, found)


def _trace_assertion(conn: sqlite3.Connection, assertion: _denials.Context, trees: dict[int, OriginTree]) -> None:
    """Give a relayed assertion its origin: the outlets it traces back to in its family's origin
    tree, and their date (a denial answers the original claim, not each echo's day)."""
    family = family_of(conn, assertion.claim_id)
    if family not in trees:
        trees[family] = origin_tree(conn, family)
    tree = trees[family]
    carrier = tree.carriers.get(assertion.report_id)
    if carrier is None or not carrier.parents:
        return
    seen, stack, roots = set(), [p for p, _ in carrier.parents], []
    while stack:
        current = stack.pop()
        if current in seen or current not in tree.carriers:
            continue
        seen.add(current)
        node = tree.carriers[current]
        if node.parents:
            stack.extend(p for p, _ in node.parents)
        else:
            roots.append(node)
    if roots:
        assertion.relayed = True
        assertion.origin_reports = frozenset(r.report_id for r in roots)
        assertion.repeats = assertion.repeats | {r.source_id for r in roots if r.source_id is not None}
        dated = sorted(r.published for r in roots if r.published)
        if dated:
            assertion.published = dated[0]


def _one_per_origin(conn: sqlite3.Connection, found: list[_denials.Contradiction],
                    limit: int | None = _denials.MAX_PER_CLAIM) -> list[_denials.Contradiction]:
    """One suggestion per denying origin and asserting origin. A denial's relays, and a named
    speaker's denial told by several outlets, are one denying origin: its earliest telling stands
    for it. A report and the reports repeating it (traced in the origin trees) are one asserting
    origin: the original claim stands for it (else the strongest relay), so a denial is not offered
    against each echo. An outlet's other stories are other origins."""
    families: dict[int, int] = {}

    def family(claim: int) -> int:
        if claim not in families:
            families[claim] = family_of(conn, claim)
        return families[claim]

    def asserting_origin(c: _denials.Context) -> set:
        # the reports it traces back to in its origin tree: an outlet tells many stories, and
        # its echoes of one story trace to the same report
        return set(c.origin_reports or {c.report_id})

    def order(c: _denials.Contradiction) -> tuple:
        return (c.denial.published is None, c.denial.published or "", c.denial.report_id,
                c.assertion.relayed or bool(c.assertion.repeats), -c.score, c.denial.claim_id)

    kept: list[_denials.Contradiction] = []
    for c in sorted(found, key=order):
        same = next((k for k in kept if asserting_origin(k.assertion) & asserting_origin(c.assertion) and (
            family(k.denial.claim_id) == family(c.denial.claim_id) or k.denial.report_id == c.denial.report_id
            or _denials.same_named_speaker(k.denial.who, c.denial.who))), None)
        if same is None:
            kept.append(c)
    return sorted(kept, key=lambda c: -c.score)[:limit]


def suggestions_for(conn: sqlite3.Connection, claim_id: int, tree: OriginTree | None = None) -> list[Suggestion]:
    row = conn.execute("SELECT report_id FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        return []
    tree = tree or origin_tree(conn, family_of(conn, claim_id))
    out = _corroborating(conn, tree, claim_id, row[0]) + _alike(conn, tree, claim_id)
    alike = {family_of(conn, s.other_id) for s in out}
    cache: dict = {}  # the candidates' contexts, read once for both kinds of link
    own = _denials.load_contexts(conn, [claim_id], cache).get(claim_id)
    candidates = _denials.candidate_claims(conn, own) if own else []
    out += [s for s in _told_again(conn, tree, claim_id, cache, candidates=candidates)
            if family_of(conn, s.other_id) not in alike]
    for c in contradictions_of(conn, claim_id, cache, candidates=candidates):
        other = c.assertion.claim_id if c.denial.claim_id == claim_id else c.denial.claim_id
        out.append(Suggestion(claim_id, other, "contradicts", c.reason, c.score))
    return [s for s in out if not _answered(conn, s.claim_id, s.other_id, s.type)]


class _ByEventAndName:
    """Assertions by (event frame, name), in date order: the candidates of a claim are those
    sharing a frame and a name with it within the window of dates."""

    def __init__(self, contexts) -> None:
        self.buckets: dict[tuple[str, str], list] = {}
        for c in contexts:
            if c.negative or not c.frames:
                continue
            for frame in c.frames:
                for name in c.actors:
                    self.buckets.setdefault((frame, name), []).append(c)

    def near(self, claim: _denials.Context, frames, names) -> list[int]:
        out: set[int] = set()
        for frame in frames:
            for name in names:
                for other in self.buckets.get((frame, name), ()):
                    days = _denials._days_apart(claim, other)
                    if days is None or days <= _denials.WINDOW_DAYS:
                        out.add(other.claim_id)
        out.discard(claim.claim_id)
        return sorted(out)


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
                for s in _corroborating(conn, tree, claim_id, carrier.report_id):
                    if not _answered(conn, s.claim_id, s.other_id, s.type):
                        out.setdefault((*s.pair, s.type), s)
    def offer(s: Suggestion) -> None:
        families = tuple(sorted((family_of(conn, s.claim_id), family_of(conn, s.other_id))))
        if not _answered(conn, s.claim_id, s.other_id, s.type):
            out.setdefault((*families, s.type), s)

    for (a,) in conn.execute("SELECT DISTINCT a FROM claim_matches WHERE polarity = 'near' ORDER BY a"):
        for s in _alike(conn, origin_tree(conn, family_of(conn, a)), a):
            offer(s)
    # One pass over every claim: their contexts read once, and candidates found in an index of
    # (event frame, name) rather than by a query per claim.
    ids = [r[0] for r in conn.execute("SELECT id FROM claims WHERE rejected = 0 ORDER BY id")]
    cache = _denials.load_contexts(conn, ids)
    index = _ByEventAndName(cache.values())
    trees: dict = {}
    found = []
    for claim_id in ids:
        c = cache.get(claim_id)
        if c is None:
            continue
        if c.negative:
            if c.denied or _opposites(conn, claim_id):
                found += contradictions_of(conn, claim_id, cache, trees, index.near(c, c.denied, c.actors))
        elif c.frames:
            family = family_of(conn, claim_id)
            if family not in trees:
                trees[family] = origin_tree(conn, family)
            for s in _told_again(conn, trees[family], claim_id, cache, trees, index.near(c, c.frames, c.own_actors)):
                offer(s)
    for c in _one_per_origin(conn, found, limit=None):
        offer(Suggestion(c.denial.claim_id, c.assertion.claim_id, "contradicts", c.reason, c.score))
    return list(out.values())
