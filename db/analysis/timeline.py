"""A family's or an entity's claims and denials in date order, with their sources and grades."""

from __future__ import annotations

import sqlite3
import textwrap
from dataclasses import dataclass

from .corroboration import MAX_LINKED_FAMILIES, linked_families
from .origins import family_of, origin_tree
from .propositions import is_negative
from ..team import mine
from ..text_safety import one_line

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
    # "originator", "relay", "circular"; "against" / "supports" for a claim of a family the analyst linked
    # (or a denial matched) to this one; "" in an entity's timeline
    role: str


def _sort(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda e: (e.published is None, e.published or "", e.report_id, e.claim_id or 0))


def family_timeline(conn: sqlite3.Connection, claim_id: int) -> list[TimelineEntry]:
    """The family's claims, and those of the families that contradict or corroborate it (the
    analyst's links, matched denials): a denial worded otherwise stands where it happened in time."""
    family = family_of(conn, claim_id)
    entries = _family_entries(conn, family, None)
    claim_ids = [e.claim_id for e in entries if e.claim_id is not None] or [claim_id]
    for other, kind in linked_families(conn, family, claim_ids)[:MAX_LINKED_FAMILIES]:
        entries += _family_entries(conn, other, "supports" if kind == "corroborates" else "against")
    return _sort(entries)[:MAX_ENTRIES]


def _family_entries(conn: sqlite3.Connection, family: int, linked_as: str | None) -> list[TimelineEntry]:
    tree = origin_tree(conn, family)
    entries = []
    for carrier in tree.carriers.values():
        role = linked_as or ("circular" if carrier.circular else ("relay" if carrier.parents else "originator"))
        if not carrier.claim_ids:
            entries.append(TimelineEntry(carrier.published, carrier.report_id, carrier.source_name, carrier.reliability,
                                         None, carrier.text, None, False, role))
        for cid in carrier.claim_ids:
            text, credibility, denial = conn.execute(
                f"SELECT text, {mine.claim_credibility('claims')}, is_denial FROM claims WHERE id = ?", (cid,)).fetchone()
            entries.append(TimelineEntry(carrier.published, carrier.report_id, carrier.source_name, carrier.reliability,
                                         cid, text, credibility, is_negative(text, bool(denial)), role))
    return entries


def timeline_lines(entries: list[TimelineEntry], width: int) -> list[str]:
    """Two lines or more an entry: date, grade, source and role, then what was said, wrapped to
    ``width`` (at most three lines) so an 80-column terminal reads the claim, not its first words."""
    lines = []
    for e in entries:
        grade = f"{e.reliability}{e.credibility if e.credibility is not None else '-'}"
        role = f" ({e.role})" if e.role else ""
        source = one_line(e.source or f"report {e.report_id}", max(12, width - 24 - len(role)))
        lines.append(f"{e.published or 'undated':<10}  {grade}  {source}{role}")
        said = one_line(("DENIES " if e.denial else "") + e.text, 3 * width)
        lines += textwrap.wrap(said, max(32, width), initial_indent=" " * 12, subsequent_indent=" " * 12,
                               max_lines=3, placeholder=" …")
    return lines


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
