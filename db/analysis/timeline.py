"""A family's or an entity's claims and denials in date order, with their sources and grades."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .origins import family_of, origin_tree
from .propositions import is_negative
from ..team import mine

MAX_ENTRIES = 500


@dataclass
class TimelineEntry:
    published: str | None
    report_id: int
    source: str | None
    reliability: str
    claim_id: int | None  # None: a report drawn into a family by its text (no claim extracted)
    text: str
    credibility: int | None  # the analyst's grade of the claim
    denial: bool
    role: str  # "originator", "relay", "circular", or "" for an entity's timeline


def _sort(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda e: (e.published is None, e.published or "", e.report_id, e.claim_id or 0))


def family_timeline(conn: sqlite3.Connection, claim_id: int) -> list[TimelineEntry]:
    tree = origin_tree(conn, family_of(conn, claim_id))
    entries = []
    for carrier in tree.carriers.values():
        role = "circular" if carrier.circular else ("relay" if carrier.parents else "originator")
        if not carrier.claim_ids:
            entries.append(TimelineEntry(carrier.published, carrier.report_id, carrier.source_name, carrier.reliability,
                                         None, carrier.text, None, False, role))
        for cid in carrier.claim_ids:
            text, credibility, denial = conn.execute(
                f"SELECT text, {mine.claim_credibility('claims')}, is_denial FROM claims WHERE id = ?", (cid,)).fetchone()
            entries.append(TimelineEntry(carrier.published, carrier.report_id, carrier.source_name, carrier.reliability,
                                         cid, text, credibility, is_negative(text, bool(denial)), role))
    return _sort(entries)[:MAX_ENTRIES]


def entity_timeline(conn: sqlite3.Connection, entity_id: int) -> list[TimelineEntry]:
    """Claims that mention the entity or that it is the speaker of."""
    rows = conn.execute(
        f"""SELECT r.published, r.id, s.name, {mine.source_reliability()}, c.id, c.text, {mine.claim_credibility()}, c.is_denial
           FROM claims c JOIN reports r ON r.id = c.report_id LEFT JOIN sources s ON s.id = r.source_id
           WHERE c.id IN (SELECT claim_id FROM mentions WHERE entity_id = ? AND claim_id IS NOT NULL
                          UNION SELECT id FROM claims WHERE speaker_entity_id = ?)
           ORDER BY r.published IS NULL, r.published, r.id, c.start LIMIT ?""",
        (entity_id, entity_id, MAX_ENTRIES)).fetchall()
    return [TimelineEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], is_negative(r[5], bool(r[7])), "") for r in rows]
