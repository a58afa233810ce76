"""What a logged change set, whether it is still there, and who changed it since: the checks that
keep undo and stale edits from overwriting another analyst's work."""

from __future__ import annotations

import contextlib

UNCHECKED = object()  # a change whose current value is not read back (merges, splits, added claims)


def value_now(store, change) -> object:
    """The value the field a change names holds now, as the acting analyst sees it; a missing
    target reads as None (it was deleted since)."""
    from ..corrections import CORRECTION_COLUMNS
    from ..errors import NotFound
    from ..grading import COLUMN_FIELDS
    from .mine import GRADE_TABLES

    key = (change.target_kind, change.field)
    conn, tid = store.conn, change.target_id
    if key in GRADE_TABLES or key in COLUMN_FIELDS:
        try:
            return store._current_values(change.target_kind, change.field, [tid])[tid]
        except NotFound:
            return None
    if key in CORRECTION_COLUMNS:
        table, column = CORRECTION_COLUMNS[key]
        row = conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (tid,)).fetchone()
        return row[0] if row else None
    if change.field.startswith("stance:"):
        row = conn.execute("SELECT stance FROM claim_stances WHERE claim_id = ? AND hypothesis_id = ? "
                           "AND analyst = current_analyst()", (tid, int(change.field.split(":", 1)[1]))).fetchone()
        return row[0] if row else None
    if change.field.startswith("ach:"):
        row = conn.execute("SELECT consistency FROM ach_cells WHERE claim_id = ? AND hypothesis_id = ? "
                           "AND analyst = current_analyst()", (tid, int(change.field.split(":", 1)[1]))).fetchone()
        return row[0] if row else None
    if change.field == "ach_row":
        row = conn.execute("SELECT included FROM ach_rows WHERE claim_id = ?", (tid,)).fetchone()
        return row[0] if row else None
    if change.field == "note":
        row = conn.execute("SELECT text FROM notes WHERE target_kind = ? AND target_id = ? AND analyst = current_analyst()",
                           (change.target_kind, tid)).fetchone()
        return row[0] if row else None
    if change.field.startswith("tag:"):
        return conn.execute(
            "SELECT 1 FROM taggings g JOIN tags t ON t.id = g.tag_id WHERE t.name = ? AND g.target_kind = ? "
            "AND g.target_id = ?", (change.field.split(":", 1)[1], change.target_kind, tid)).fetchone() is not None
    if change.field.startswith("relation:"):
        _, kind, other = change.field.split(":", 2)
        a, b = sorted((tid, int(other)))
        return conn.execute("SELECT 1 FROM claim_relations WHERE a = ? AND b = ? AND type = ?",
                            (a, b, kind)).fetchone() is not None
    return UNCHECKED


def values_now(store, changes) -> list[object]:
    """:func:`value_now` of each change; grades and plain columns read in one query per field
    (undoing a grade of 1,000 claims must not read them one by one)."""
    from ..errors import NotFound
    from ..grading import COLUMN_FIELDS
    from .mine import GRADE_TABLES

    read: dict[tuple[str, str], dict[int, object]] = {}
    for key in {(c.target_kind, c.field) for c in changes}:
        if key in GRADE_TABLES or key in COLUMN_FIELDS:
            ids = sorted({c.target_id for c in changes if (c.target_kind, c.field) == key})
            with contextlib.suppress(NotFound):  # some were deleted since: read what is left one by one
                read[key] = store._current_values(key[0], key[1], ids)
    return [read[(c.target_kind, c.field)].get(c.target_id) if (c.target_kind, c.field) in read
            else value_now(store, c) for c in changes]


def last_change(store, target_kind: str, target_id: int, field: str | None = None, *,
                after_id: int = 0, mine_only: bool = False) -> tuple[str, str] | None:
    """(who, at) of the latest logged change of a target (one field, or any) after ``after_id``."""
    sql = "SELECT who, at FROM audit_log WHERE target_kind = ? AND target_id = ? AND id > ?"
    params: list = [target_kind, target_id, after_id]
    if field is not None:
        sql += " AND field = ?"
        params.append(field)
    if mine_only:
        sql += " AND who = current_analyst()"
    row = store.conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
    return (row[0], row[1]) if row else None


def changed_by(who_at: tuple[str, str] | None) -> str:
    """"by bob at 2026-12-07T05:40:00Z", or how it changed when no analyst's change was logged."""
    if who_at is None:
        return "by something other than an analyst's logged change (an import or re-extraction)"
    return f"by {who_at[0]} at {who_at[1]}"
