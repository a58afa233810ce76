"""Claim families: claims across reports that state one proposition, kept up to date on import.

A new claim is compared with the claims that share a lookup key with it (``propositions``), and
with the claims of the sources its report repeats (``claim_relays``: named in the claim's chain,
in a footnote, or in the body of a report naming one or two held sources) at a lower bar, since a
relay rewords what it repeats; a claim of a source is also compared with the reports repeating
that source, so the order reports arrive in does not matter. A match of the same polarity puts
the two in one family (families a claim bridges are merged); an assertion matched with a denial
is recorded as an opposite match, the raw material of contradiction. Only the new report's claims
are compared: joining families costs a few indexed lookups, never a recompute.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from .family_cache import CANDIDATES_PER_KEY, FamilyCache
from .propositions import SHORT_CLAIM, content_tokens, fact_tokens, is_negative, similarity, terms_of
from .source_names import SourceNames

__all__ = ["CANDIDATES_PER_KEY", "FamilyCache", "FamilyClaim", "load_claims", "rebuild_families", "update_families"]

SAME_FAMILY = 62.0  # similarity (0-100) for two claims to state one proposition
BAR_BY_RELAY = {"chain": 35.0, "footnote": 35.0, "body": 45.0}  # ... when one repeats the other's source
NEAR = 45.0  # below the family bar, alike enough to offer as corroboration when the origins differ
OPPOSITE = 40.0  # an assertion and a denial this close contradict each other (a denial rewords what it denies)
MIN_SHARED_WORDS = 2
MIN_SHARED_OPPOSITE = 3
MIN_SHARED_FACTS = 2
OPENING_CHARS = 1500
NAMED_AT_MOST = 2  # a report naming more held sources in its body is a digest: the naming says little
MAX_CANDIDATES = 80  # claims compared with a new claim, at most
RELAY_REPORTS = 8  # a source's newest reports compared with a relay of it
RELAY_CLAIMS = 40  # the newest claims repeating a source compared with a claim of it


@dataclass(slots=True)
class FamilyClaim:
    id: int
    report_id: int
    source_id: int | None
    text: str
    negative: bool  # a denial, or a negated statement
    chain: list[str]
    tokens: frozenset[str]
    facts: frozenset[str]  # the lower-case content words (see propositions.fact_tokens)
    keys: list[int] = field(default_factory=list)
    words: str = ""  # the tokens sorted into one string, as similarity compares them


def _claim(row, source_id: int | None, chain: list[str], cache: FamilyCache, *, placed: bool = True) -> FamilyClaim:
    """A claim from (id, report_id, text, is_denial), its words from the workers when they sent
    them. A candidate (``placed`` False) needs no lookup keys: only a claim being placed does."""
    text, denial = row[2], bool(row[3])
    if (terms := cache.terms.get((text, denial))) is not None:
        return FamilyClaim(row[0], row[1], source_id, text, terms.negative, chain, terms.tokens, terms.facts,
                           terms.keys, terms.words)
    if placed:
        terms = terms_of(text, denial)
        return FamilyClaim(row[0], row[1], source_id, text, terms.negative, chain, terms.tokens, terms.facts,
                           terms.keys, terms.words)
    # its sorted words are left to similarity(), which few candidates reach
    return FamilyClaim(row[0], row[1], source_id, text, is_negative(text, denial), chain, content_tokens(text),
                       fact_tokens(text))


def _load_candidates(conn: sqlite3.Connection, ids: list[int], report_id: int, cache: FamilyCache) -> list[FamilyClaim]:
    """Claims to compare with a new one (no chain is needed of them), other than the report's own."""
    kept = cache.claims
    got = [kept.get(i) for i in ids]
    if all(got):  # the usual case on import: every candidate is held already (a claim is never falsy)
        return [c for c in got if c.report_id != report_id]
    found = {i: c for i, c in zip(ids, got, strict=True) if c is not None}
    missing = [i for i in ids if i not in found]
    for i in range(0, len(missing), 500):
        chunk = missing[i:i + 500]
        for r in conn.execute(f"SELECT id, report_id, text, is_denial FROM claims WHERE id IN ({','.join('?' * len(chunk))})",
                              chunk):
            found[r[0]] = claim = _claim(r, None, [], cache, placed=False)
            cache.remember(claim)  # may push out others: ``found`` holds what this claim needs
    return [c for i in ids if (c := found.get(i)) is not None and c.report_id != report_id]


def load_claims(conn: sqlite3.Connection, where: str, params: Iterable, cache: FamilyCache | None = None,
                order: str = "c.id") -> list[FamilyClaim]:
    # in a stated order: placing claims in another order can place them otherwise, and PostgreSQL
    # returns rows in no set order (SQLite's was its index's: by start within a report, else by id)
    rows = conn.execute(
        f"""SELECT c.id, c.report_id, r.source_id, c.text, c.is_denial, c.chain FROM claims c
            JOIN reports r ON r.id = c.report_id WHERE {where} ORDER BY {order}""", list(params)).fetchall()
    if cache is None:
        return [FamilyClaim(r[0], r[1], r[2], r[3], is_negative(r[3], bool(r[4])), json.loads(r[5] or "[]"),
                            content_tokens(r[3]), fact_tokens(r[3])) for r in rows]
    return [_claim((r[0], r[1], r[3], r[4]), r[2], json.loads(r[5] or "[]"), cache) for r in rows]


class _Lookups:
    """Reads that do not change while one update runs (the reports are stored before it), or while
    one report is placed (its relays are recorded before its claims are)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.of_source: dict[int, list[int]] = {}  # source -> the claims of its newest reports
        self.repeating: dict[int, list[tuple[float, list[int]]]] = {}  # source -> the newest claims repeating it

    def claims_of_source(self, source_id: int) -> list[int]:
        if (ids := self.of_source.get(source_id)) is None:
            ids = self.of_source[source_id] = [r[0] for r in self.conn.execute(
                """SELECT c.id FROM claims c WHERE c.report_id IN
                   (SELECT id FROM reports WHERE source_id = ? ORDER BY id DESC LIMIT ?)""", (source_id, RELAY_REPORTS))]
        return ids

    def claims_repeating(self, source_id: int) -> list[tuple[float, list[int]]]:
        """(bar, claims) of the newest claims repeating the source, by how they name it."""
        if (offers := self.repeating.get(source_id)) is None:
            by_bar: dict[float, list[int]] = {}
            for claim_id, how in self.conn.execute(
                    "SELECT claim_id, how FROM claim_relays WHERE source_id = ? ORDER BY claim_id DESC LIMIT ?",
                    (source_id, RELAY_CLAIMS)):
                by_bar.setdefault(BAR_BY_RELAY[how], []).append(claim_id)
            offers = self.repeating[source_id] = list(by_bar.items())
        return offers


def update_families(conn: sqlite3.Connection, report_ids: Iterable[int], names: SourceNames | None = None,
                    cache: FamilyCache | None = None, *, fresh: bool = False) -> int:
    """Join the claims of these reports to their families (inside the caller's transaction).
    Returns how many claims were placed. ``fresh``: the reports were just stored, so their claims
    (new ids: foreign keys keep any row of a deleted claim from outliving it) are in no family and
    have no keys or relays to leave, which saves four statements a report on import."""
    cache = FamilyCache() if cache is None else cache
    cache.check(conn)
    names = names or cache.source_names(conn)
    lookups = _Lookups(conn)
    placed = 0
    for report_id in report_ids:
        own = [r[0] for r in conn.execute("SELECT id FROM claims WHERE report_id = ?", (report_id,))]
        if not own:
            continue
        if not fresh:
            cache.leave(conn, own)
        claims = load_claims(conn, "c.report_id = ?", (report_id,), cache, order="c.start, c.id")
        relays = record_relays(conn, report_id, claims, names, cache)
        lookups.repeating.clear()  # the report's own relays are now among them
        for claim in claims:
            cache.remember(claim)
            _place(conn, claim, relays.get(claim.id, {}), cache, lookups)
            placed += 1
    cache.flush(conn)
    return placed


def record_relays(conn: sqlite3.Connection, report_id: int, claims: list[FamilyClaim],
                  names: SourceNames, cache: FamilyCache | None = None) -> dict[int, dict[int, str]]:
    """Store which sources the report repeats; returns, per claim, source id -> how it names it."""
    named_in = cache.named_in if cache is not None else lambda n, text, capitalised=True: n.named_in(
        text, capitalised=capitalised)
    own = conn.execute("SELECT source_id FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
    per_claim: dict[int, dict[int, str]] = {}
    for claim in claims:
        for element in claim.chain:
            for named in named_in(names, element):
                per_claim.setdefault(claim.id, {})[named.source_id] = "chain"
    for claim_id, source in conn.execute(
            """SELECT l.claim_id, s.source FROM cited_sources s JOIN cited_source_claims l ON l.cited_source_id = s.id
               WHERE s.report_id = ?""", (report_id,)):
        for named in named_in(names, source, False):
            per_claim.setdefault(claim_id, {}).setdefault(named.source_id, "footnote")
    # A relay says whom it repeats in its opening ("Reposted from ...", "according to ..."): the
    # rest of a long report is not read for names (a digest's footnotes are read above).
    body = conn.execute("SELECT substr(body, 1, ?) FROM reports WHERE id = ?", (OPENING_CHARS, report_id)).fetchone()[0]
    in_body = {n.source_id for n in names.named_in(body)} - {own}
    if len(in_body) <= NAMED_AT_MOST:
        for claim in claims:
            if not per_claim.get(claim.id):  # the chain says whom it repeats; else the body does
                per_claim[claim.id] = {source_id: "body" for source_id in in_body}
    rows = []
    for claim_id, named in per_claim.items():
        named.pop(own, None)
        rows += [(claim_id, source_id, how) for source_id, how in named.items()]
    conn.execute("DELETE FROM claim_relays WHERE claim_id IN (SELECT id FROM claims WHERE report_id = ?)", (report_id,))
    conn.executemany("INSERT OR IGNORE INTO claim_relays(claim_id, source_id, how) VALUES (?, ?, ?)", rows)
    return per_claim


def _candidates(conn: sqlite3.Connection, claim: FamilyClaim, relays: dict[int, str], cache: FamilyCache,
                lookups: _Lookups) -> dict[int, float]:
    """Claim id -> the similarity it needs to join this claim's family: the lowest bar it is offered."""
    offers: list[tuple[float, list[int]]] = []
    if claim.keys:
        offers.append((SAME_FAMILY, cache.newest(conn, claim.keys, CANDIDATES_PER_KEY * len(claim.keys))))
    for source_id, how in relays.items():  # this claim repeats these sources
        offers.append((BAR_BY_RELAY[how], lookups.claims_of_source(source_id)))
    if claim.source_id is not None:  # claims that repeat this claim's source
        offers += lookups.claims_repeating(claim.source_id)
    out: dict[int, float] = {}
    for bar, ids in sorted(offers, key=lambda offer: -offer[0]):  # the highest bars first: the lowest stays
        out.update(dict.fromkeys(ids, bar))
    out.pop(claim.id, None)
    return out


def _place(conn: sqlite3.Connection, claim: FamilyClaim, relays: dict[int, str], cache: FamilyCache,
           lookups: _Lookups) -> None:
    keys = claim.keys
    candidates = _candidates(conn, claim, relays, cache, lookups)
    # The lowest bars first (relays), then the newest: at most MAX_CANDIDATES are read.
    ids = sorted(candidates, reverse=True)
    ids.sort(key=candidates.__getitem__)  # stable: the newest first within a bar
    del ids[MAX_CANDIDATES:]
    tokens, negative = claim.tokens, claim.negative
    # most candidates (~9 in 10 on import) share fewer words than any match needs: dropped in one
    # pass before anything else is looked up for them
    others = [o for o in _load_candidates(conn, ids, claim.report_id, cache)
              if len(tokens & o.tokens) >= MIN_SHARED_WORDS]
    families = cache.families_of(conn, [o.id for o in others])
    matches = []
    joined: set[int] = set()  # families this claim joins: one match in a family is enough
    near: set[int] = set()
    family_of = families.get
    size = len(tokens)
    for other in others:  # in the order of ids
        other_id = other.id
        family = family_of(other_id, other_id)
        if family in joined:
            continue
        other_tokens = other.tokens
        shared = len(tokens & other_tokens)
        bar = candidates[other_id]
        opposite = negative != other.negative
        # similarity_at_most(tokens, other_tokens), from the shared count already taken (the same
        # integers, so the same floats): most candidates stop here
        other_size = len(other_tokens)
        jaccard = 100.0 * shared / (size + other_size - shared)
        shorter = min(size, other_size)
        overlap = 100.0 * shared / shorter if shorter >= SHORT_CLAIM else jaccard
        if 0.30 * overlap + 0.50 * jaccard + 20.001 < (min(bar, NEAR, OPPOSITE) if opposite else min(bar, NEAR)):
            continue  # no bar below can be reached: the score would be thrown away
        score = similarity(tokens, other.tokens, claim.text, other.text, words_a=claim.words, words_b=other.words)
        # below the family bar, names alone are not enough: the claims must share what they say
        facts = len(claim.facts & other.facts) >= MIN_SHARED_FACTS
        if opposite:
            if score >= OPPOSITE and shared >= MIN_SHARED_OPPOSITE and facts:
                matches.append((other.id, "opposite", score))
        elif score >= bar and (facts or score >= SAME_FAMILY):
            matches.append((other.id, "same", score))
            joined.add(family)
        elif score >= NEAR and facts and family not in near:
            matches.append((other.id, "near", score))
            near.add(family)
    matches = [m for m in matches if m[1] != "near" or families.get(m[0], m[0]) not in joined]
    same = [m[0] for m in matches if m[1] == "same"]
    # a match not yet placed (its report is being re-placed) is its own family
    family_ids = {claim.id, *same, *(families[o] for o in same if o in families)}
    family = min(family_ids)
    merged = sorted(family_ids - {family})
    if merged:
        cache.merge(conn, family, merged)
    cache.join(conn, claim.id, family, same)
    cache.add_keys(conn, claim.id, keys)
    if matches:
        conn.executemany("INSERT OR REPLACE INTO claim_matches(a, b, polarity, score) VALUES (?, ?, ?, ?)",
                         [(min(claim.id, o), max(claim.id, o), polarity, round(score, 1)) for o, polarity, score in matches])


def rebuild_families(conn: sqlite3.Connection, *, progress=None, batch: int = 2000) -> int:
    """Recompute every family from nothing, report by report in import order (the steps import
    takes, so a rebuilt store equals one kept up to date). Commits every ``batch`` reports."""
    from ..connection import transaction

    with transaction(conn):
        for table in ("claim_families", "claim_keys", "claim_matches", "claim_relays"):
            conn.execute(f"DELETE FROM {table}")
    cache = FamilyCache()
    names = None
    report_ids = [r[0] for r in conn.execute("SELECT id FROM reports ORDER BY id")]
    placed = 0
    for i in range(0, len(report_ids), batch):
        with transaction(conn):
            placed += update_families(conn, report_ids[i:i + batch], names, cache)
        if progress:
            progress(min(i + batch, len(report_ids)), len(report_ids))
    return placed
