"""Optimistic concurrency for shared facts: a report's metadata and an entity's name, type, merges
and splits. Each row carries ``version``; a write states the version its form read and runs
``UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?``. Zero rows: someone else
changed it first, and the write is refused with who and when (from the audit log), never applied
over their change. Called inside the write transaction, before anything is written."""

from __future__ import annotations

from ..errors import StaleWrite
from .since import changed_by, last_change

TABLES = {"report": "reports", "entity": "entities"}
# The fields whose change makes a form read earlier stale.
SHARED_FIELDS = {"title", "author", "url", "language", "source_id", "published",
                 "type", "canonical", "merged_into", "split_into", "deleted"}


def claim_version(store, kind: str, target_id: int, expected: int | None) -> None:
    """Take the next version of a report or entity; with ``expected``, only if it is still that one."""
    table = TABLES[kind]
    if expected is None:
        store.conn.execute(f"UPDATE {table} SET version = version + 1 WHERE id = ?", (target_id,))
        return
    cursor = store.conn.execute(f"UPDATE {table} SET version = version + 1 WHERE id = ? AND version = ?",
                                (target_id, int(expected)))
    if cursor.rowcount == 0:
        exists = store.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (target_id,)).fetchone()
        what = "changed" if exists else "deleted or merged"
        raise StaleWrite(f"{kind} {target_id} was {what} {changed_by(last_change(store, kind, target_id))} "
                         f"after you opened it; your edit was not saved. Reopen it to see theirs and edit again")


def bump_versions(conn, changes) -> None:
    """An undo of shared facts makes earlier reads stale too."""
    targets = {(c.target_kind, c.target_id) for c in changes
               if c.target_kind in TABLES and c.field in SHARED_FIELDS}
    for kind, target_id in sorted(targets):
        conn.execute(f"UPDATE {TABLES[kind]} SET version = version + 1 WHERE id = ?", (target_id,))
