"""Names an analyst split apart: spellings that must never be one entity again.

Kept by spelling (``normalise_name``: case, width and quotes folded), not by transliteration
key, because the people an analyst splits apart are often exactly the ones whose names fold
to one key ("Mohamed Ali" / "Mohammed Ali"). Rows live in ``entity_name_decisions`` with
``name_a < name_b``; the relation is symmetric.
"""

from __future__ import annotations

import sqlite3

from .keys import normalise_name


def pair(a: str, b: str) -> tuple[str, str]:
    """The row key of two names: normalised, in order."""
    first, second = sorted((normalise_name(a), normalise_name(b)))
    return first, second


def any_splits(conn: sqlite3.Connection) -> bool:
    """Whether any name was split apart (most databases: none, and linking skips the look-ups)."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM entity_name_decisions)").fetchone()[0])


def apart_from(conn: sqlite3.Connection, name: str) -> set[str]:
    """The normalised names ``name`` was split apart from."""
    key = normalise_name(name)
    return {r[0] for r in conn.execute(
        "SELECT name_b FROM entity_name_decisions WHERE name_a = ? "
        "UNION SELECT name_a FROM entity_name_decisions WHERE name_b = ?", (key, key))}


def names_of(conn: sqlite3.Connection, entity_id: int) -> set[str]:
    """Every normalised name an entity is known by: its own and its aliases."""
    return {normalise_name(r[0]) for r in conn.execute(
        "SELECT name FROM entities WHERE id = ? UNION ALL SELECT alias FROM entity_aliases WHERE entity_id = ?",
        (entity_id, entity_id))}


def between(conn: sqlite3.Connection, names: set[str], others: set[str]) -> list[list[str]]:
    """The split rows (name_a, name_b, decision, at) pairing a name of ``names`` with one of ``others``."""
    if not names or not others:
        return []
    rows = []
    for name in names:
        for a, b, decision, at in conn.execute(
                "SELECT name_a, name_b, decision, at FROM entity_name_decisions WHERE name_a = ? OR name_b = ?",
                (name, name)):
            if (b if a == name else a) in others:
                rows.append([a, b, decision, at])
    return [list(r) for r in dict.fromkeys(tuple(r) for r in rows)]


def restore(conn: sqlite3.Connection, rows: list[list[str]]) -> None:
    conn.executemany("INSERT OR REPLACE INTO entity_name_decisions(name_a, name_b, decision, at) VALUES (?, ?, ?, ?)",
                     [tuple(r) for r in rows])


def remove(conn: sqlite3.Connection, rows: list[list[str]]) -> None:
    conn.executemany("DELETE FROM entity_name_decisions WHERE name_a = ? AND name_b = ?", [(r[0], r[1]) for r in rows])
