"""Triage keys that keep read and flagged apart.

Whether a report has been read and whether it is flagged for later are two facts: ``m`` on a
flagged report once removed the flag (it set the status to "read"), and a report opened from the
search stayed "new" although the analyst had just read it. The flag is its own column
(``store.set_flagged``); the status is new, read or dismissed.
"""

from __future__ import annotations

from db.store import ReportFilter


def toggle_flag(screen) -> None:
    """``f``: flag the targeted reports, or unflag them when every one is flagged. Read stays read."""
    ids = screen.queue.target_ids()
    if not ids:
        return
    rows = screen.store.list_reports(ReportFilter(ids=tuple(ids)), limit=len(ids))
    unflag = all(row.flagged for row in rows)
    what = f"report {ids[0]}" if len(ids) == 1 else f"{len(ids)} reports"
    screen._apply(lambda: screen.store.set_flagged(ids, not unflag), f"{'Unflagged' if unflag else 'Flagged'} {what}")


def mark_opened_read(screen, report_id: int | None) -> None:
    """A report opened to be read (from the search, a related list) is read, as Enter in the queue
    makes it; its flag stays."""
    if report_id is None:
        return
    rows = screen.store.list_reports(ReportFilter(ids=(report_id,)), limit=1)
    if rows and rows[0].status == "new":
        screen._apply(lambda: screen.store.set_status([report_id], "read"), None)
