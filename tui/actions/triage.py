"""The triage screen's keys: selecting reports and claims, and triage: read, flagged, dismissed, the
next new one, the view.

Mixed into ``MainScreen``, whose panes, ``_apply`` (one store change, then the panes re-read) and
targets they use.
"""

from __future__ import annotations

from db.store import ReportFilter

from ..screens.claim_links import follow_back, follow_link
from .read_and_flagged import toggle_flag

from ..wording import count_of

FILTER_CYCLE = ((), ("new",), ("flagged",), ("read",), ("dismissed",))


class TriageActions:
    def action_toggle_select(self) -> None:
        if self.pane == "claims":
            self.claims.toggle_select()
        elif self.pane == "queue":
            self.queue.toggle_select()
        else:
            self.notify("Select rows in the queue or the claims pane.", markup=False)
        self.update_topbar()

    def action_clear_selection(self) -> None:
        self.queue.selected.clear()
        self.queue.refresh()
        self.claims.clear_selection()
        self.update_topbar()

    def _report_targets(self) -> list[int]:
        return self.queue.target_ids()

    def _statuses(self, ids: list[int]) -> dict[int, str]:
        rows = self.store.list_reports(ReportFilter(ids=tuple(ids)), limit=len(ids) or 1)
        return {r.id: r.status for r in rows}

    def action_toggle_read(self) -> None:
        ids = self._report_targets()
        if not ids:
            return
        statuses = self._statuses(ids)
        new_status = "new" if all(s == "read" for s in statuses.values()) else "read"
        self._apply(lambda: self.store.set_status(ids, new_status), f"Marked {count_of(ids, 'report')} {new_status}")

    def action_toggle_status(self, status: str) -> None:
        ids = self._report_targets()
        if not ids:
            return
        statuses = self._statuses(ids)
        undo = all(s == status for s in statuses.values())
        new_status = "read" if undo else status
        word = {"flagged": "Unflagged" if undo else "Flagged", "dismissed": "Restored" if undo else "Dismissed"}[status]
        moved = self._apply(lambda: self.store.set_status(ids, new_status), f"{word} {count_of(ids, 'report')}")
        if moved and status == "dismissed" and not undo and not self.queue.selected and not self.queue.filter.statuses:
            self.queue.cursor_down()

    def action_toggle_flag(self) -> None:
        toggle_flag(self)

    def action_follow_link(self) -> None:
        follow_link(self)

    def action_follow_back(self) -> None:
        follow_back(self)

    def action_next_new(self) -> None:
        current = self.queue.current()
        next_id = self.store.next_report(current.id if current else None, status="new", flt=self.queue.filter
                                         if "new" in self.queue.filter.statuses or not self.queue.filter.statuses
                                         else ReportFilter())
        if next_id is None:
            self.notify("No new reports left.", markup=False)
            return
        self.jump_to_report(next_id)

    def action_cycle_filter(self) -> None:
        current = self.queue.filter.statuses
        index = FILTER_CYCLE.index(current) if current in FILTER_CYCLE else 0
        self.set_status_filter(FILTER_CYCLE[(index + 1) % len(FILTER_CYCLE)])

    def set_status_filter(self, statuses: tuple[str, ...]) -> None:
        self.queue.set_filter(ReportFilter(statuses=statuses))
        self.update_topbar()
        self.focus_named_pane("queue")
