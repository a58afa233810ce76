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
from dataclasses import dataclass
from collections.abc import Iterable

from .propositions import band_keys, content_tokens, fact_tokens, is_negative, similarity
from .source_names import SourceNames

SAME_FAMILY = 62.0  # similarity (0-100) for two claims to state one proposition
BAR_BY_RELAY = {"chain": 35.0, "footnote": 35.0, "body": 45.0}  # ... when one repeats the other's source
NEAR = 45.0  # below the family bar, alike enough to offer as corroboration when the origins differ
OPPOSITE = 40.0  # an assertion and a denial this close contradict each other (a denial rewords what it denies)
MIN_SHARED_WORDS = 2
MIN_SHARED_OPPOSITE = 3
MIN_SHARED_FACTS = 2
OPENING_CHARS = 1500
NAMED_AT_MOST = 2  # a report naming more held sources in its body is a digest: the naming says little
CANDIDATES_PER_KEY = 15  # a key shared by more claims says little: its newest claims are read
MAX_CANDIDATES = 80  # claims compared with a new claim, at most
RELAY_REPORTS = 8  # a source's newest reports compared with a relay of it
RELAY_CLAIMS = 40  # the newest claims repeating a source compared with a claim of it


@dataclass
class FamilyClaim:
    id: int
    report_id: int
    source_id: int | None
    text: str
    negative: bool  # a denial, or a negated statement
    chain: list[str]
    tokens: frozenset[str]
    facts: frozenset[str]  # the lower-case content words (see propositions.fact_tokens)


class CandidateCache(dict):
    """Claims read as candidates during one update (their text cannot change meanwhile): the same
    stored claims come up for many new ones. Emptied when it grows past ``limit``."""

    def __init__(self, limit: int = 300_000):
        super().__init__()
        self.limit = limit


def _load_candidates(conn: sqlite3.Connection, ids: list[int], report_id: int, cache: CandidateCache) -> list[FamilyClaim]:
    """Claims to compare with a new one (no chain is needed of them), other than the report's own."""
    missing = [i for i in ids if i not in cache]
    if missing:
        if len(cache) > cache.limit:
            cache.clear()
        for i in range(0, len(missing), 500):
            chunk = missing[i:i + 500]
            for r in conn.execute(f"SELECT id, report_id, text, is_denial FROM claims WHERE id IN ({','.join('?' * len(chunk))})",
                                  chunk):
                cache[r[0]] = FamilyClaim(r[0], r[1], None, r[2], is_negative(r[2], bool(r[3])), [], content_tokens(r[2]),
                                          fact_tokens(r[2]))
    return [cache[i] for i in ids if i in cache and cache[i].report_id != report_id]


def load_claims(conn: sqlite3.Connection, where: str, params: Iterable, order: str = "c.id") -> list[FamilyClaim]:
    # in a stated order: placing claims in another order can place them otherwise, and PostgreSQL
    # returns rows in no set order (SQLite's was its index's: by start within a report, else by id)
    rows = conn.execute(
        f"""SELECT c.id, c.report_id, r.source_id, c.text, c.is_denial, c.chain FROM claims c
            JOIN reports r ON r.id = c.report_id WHERE {where} ORDER BY {order}""", list(params)).fetchall()
    return [FamilyClaim(r[0], r[1], r[2], r[3], is_negative(r[3], bool(r[4])), json.loads(r[5] or "[]"),
                        content_tokens(r[3]), fact_tokens(r[3])) for r in rows]


def update_families(conn: sqlite3.Connection, report_ids: Iterable[int], names: SourceNames | None = None,
                    cache: CandidateCache | None = None) -> int:
    """Join the claims of these reports to their families (inside the caller's transaction).
    Returns how many claims were placed."""
    names = names or SourceNames.load(conn)
    cache = CandidateCache() if cache is None else cache
    placed = 0
    for report_id in report_ids:
        for table in ("claim_families", "claim_keys", "claim_relays"):
            conn.execute(f"DELETE FROM {table} WHERE claim_id IN (SELECT id FROM claims WHERE report_id = ?)", (report_id,))
        claims = load_claims(conn, "c.report_id = ?", (report_id,), order="c.start, c.id")
        relays = record_relays(conn, report_id, claims, names)
        for claim in claims:
            _place(conn, claim, relays.get(claim.id, {}), cache)
            placed += 1
    return placed


def record_relays(conn: sqlite3.Connection, report_id: int, claims: list[FamilyClaim],
                  names: SourceNames) -> dict[int, dict[int, str]]:
    """Store which sources the report repeats; returns, per claim, source id -> how it names it."""
    own = conn.execute("SELECT source_id FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
    per_claim: dict[int, dict[int, str]] = {}
    for claim in claims:
        for element in claim.chain:
            for named in names.named_in(element):
                per_claim.setdefault(claim.id, {})[named.source_id] = "chain"
    for claim_id, source in conn.execute(
            """SELECT l.claim_id, s.source FROM cited_sources s JOIN cited_source_claims l ON l.cited_source_id = s.id
               WHERE s.report_id = ?""", (report_id,)):
        for named in names.named_in(source, capitalised=False):
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


def _candidates(conn: sqlite3.Connection, claim: FamilyClaim, keys: list[int], relays: dict[int, str]) -> dict[int, float]:
    """Claim id -> the similarity it needs to join this claim's family."""
    out: dict[int, float] = {}
    if keys:
        out = dict.fromkeys((r[0] for r in conn.execute(
            f"SELECT DISTINCT claim_id FROM claim_keys WHERE key IN ({','.join('?' * len(keys))}) "
            f"ORDER BY claim_id DESC LIMIT ?", [*keys, CANDIDATES_PER_KEY * len(keys)])), SAME_FAMILY)

    def offer(rows, bar):
        for (other,) in rows:
            out[other] = min(bar, out.get(other, bar))

    for source_id, how in relays.items():  # this claim repeats these sources
        offer(conn.execute("""SELECT c.id FROM claims c WHERE c.report_id IN
                              (SELECT id FROM reports WHERE source_id = ? ORDER BY id DESC LIMIT ?)""",
                           (source_id, RELAY_REPORTS)), BAR_BY_RELAY[how])
    if claim.source_id is not None:  # claims that repeat this claim's source
        for other, how in conn.execute("SELECT claim_id, how FROM claim_relays WHERE source_id = ? "
                                       "ORDER BY claim_id DESC LIMIT ?", (claim.source_id, RELAY_CLAIMS)):
            out[other] = min(BAR_BY_RELAY[how], out.get(other, BAR_BY_RELAY[how]))
    out.pop(claim.id, None)
    return out


def _place(conn: sqlite3.Connection, claim: FamilyClaim, relays: dict[int, str], cache: CandidateCache) -> None:
    keys = band_keys(claim.tokens)
    candidates = _candidates(conn, claim, keys, relays)
    # The lowest bars first (relays), then the newest: at most MAX_CANDIDATES are read.
    ids = sorted(candidates, key=lambda i: (candidates[i], -i))[:MAX_CANDIDATES]
    families: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        families.update(conn.execute(
            f"SELECT claim_id, family_id FROM claim_families WHERE claim_id IN ({','.join('?' * len(chunk))})", chunk))
    others = _load_candidates(conn, ids, claim.report_id, cache)
    matches = []
    joined: set[int] = set()  # families this claim joins: one match in a family is enough
    near: set[int] = set()
    for other in sorted(others, key=lambda o: (candidates[o.id], -o.id)):
        family = families.get(other.id, other.id)
        if family in joined:
            continue
        shared = len(claim.tokens & other.tokens)
        if shared < MIN_SHARED_WORDS:
            continue
        score = similarity(claim.tokens, other.tokens, claim.text, other.text)
        # below the family bar, names alone are not enough: the claims must share what they say
        facts = len(claim.facts & other.facts) >= MIN_SHARED_FACTS
        if claim.negative != other.negative:
            if score >= OPPOSITE and shared >= MIN_SHARED_OPPOSITE and facts:
                matches.append((other.id, "opposite", score))
        elif score >= candidates[other.id] and (facts or score >= SAME_FAMILY):
            matches.append((other.id, "same", score))
            joined.add(family)
        elif score >= NEAR and facts and family not in near:
            matches.append((other.id, "near", score))
            near.add(family)
    matches = [m for m in matches if m[1] != "near" or families.get(m[0], m[0]) not in joined]
    same = [m[0] for m in matches if m[1] == "same"]
    family_ids = {claim.id, *same}  # a match not yet placed (its report is being re-placed) is its own family
    for i in range(0, len(same), 500):
        chunk = same[i:i + 500]
        family_ids.update(r[0] for r in conn.execute(
            f"SELECT family_id FROM claim_families WHERE claim_id IN ({','.join('?' * len(chunk))})", chunk))
    family = min(family_ids)
    merged = sorted(family_ids - {family})
    for i in range(0, len(merged), 500):
        chunk = merged[i:i + 500]
        conn.execute(f"UPDATE claim_families SET family_id = ? WHERE family_id IN ({','.join('?' * len(chunk))})",
                     [family, *chunk])
    conn.execute("INSERT OR REPLACE INTO claim_families(claim_id, family_id) VALUES (?, ?)", (claim.id, family))
    conn.executemany("INSERT OR IGNORE INTO claim_families(claim_id, family_id) VALUES (?, ?)",
                     [(other, family) for other in same])
    conn.executemany("INSERT OR IGNORE INTO claim_keys(key, claim_id) VALUES (?, ?)", [(k, claim.id) for k in keys])
    conn.executemany("INSERT OR REPLACE INTO claim_matches(a, b, polarity, score) VALUES (?, ?, ?, ?)",
                     [(min(claim.id, o), max(claim.id, o), polarity, round(score, 1)) for o, polarity, score in matches])


def rebuild_families(conn: sqlite3.Connection, *, progress=None, batch: int = 2000) -> int:
    """Recompute every family from nothing, report by report in import order (the steps import
    takes, so a rebuilt store equals one kept up to date). Commits every ``batch`` reports."""
    from ..connection import transaction

    with transaction(conn):
        for table in ("claim_families", "claim_keys", "claim_matches", "claim_relays"):
            conn.execute(f"DELETE FROM {table}")
    names = SourceNames.load(conn)
    cache = CandidateCache()
    report_ids = [r[0] for r in conn.execute("SELECT id FROM reports ORDER BY id")]
    placed = 0
    for i in range(0, len(report_ids), batch):
        with transaction(conn):
            placed += update_families(conn, report_ids[i:i + batch], names, cache)
        if progress:
            progress(min(i + batch, len(report_ids)), len(report_ids))
    return placed
