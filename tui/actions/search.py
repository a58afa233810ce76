"""The triage screen's keys: search (``/``, ``n``/``N``) and opening a hit.

Mixed into ``MainScreen``, whose panes, ``_apply`` (one store change, then the panes re-read) and
targets they use.
"""

from __future__ import annotations

from .read_and_flagged import mark_opened_read


class SearchActions:
    def action_search(self) -> None:
        from ..screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.search_query, self.search_hits), self._search_done)

    def _search_done(self, result) -> None:
        if result is None:
            return
        hits, index, query = result
        self.search_hits, self.search_query = hits, query
        if index is not None:
            self.search_index = index
            self.open_hit(hits[index])

    def open_hit(self, hit) -> None:
        if hit.kind == "report":
            self.jump_to_report(hit.id)
            mark_opened_read(self, hit.id)
            self.focus_named_pane("reader")
        elif hit.kind == "claim":
            self.jump_to_report(hit.report_id, claim_id=hit.id)
            mark_opened_read(self, hit.report_id)
            self.focus_named_pane("claims")
            claim = self.claims.current()
            if claim is not None:
                self._show_claim_in_reader(claim)
        elif hit.kind == "entity":
            report_id = hit.report_id
            if report_id is None:
                mentioning = self.store.reports_mentioning(hit.id, limit=1)
                report_id = mentioning[0].id if mentioning else None
            if report_id is None:
                self.notify("No report names this entity.", markup=False)
                return
            self.jump_to_report(report_id, entity_id=hit.id)
            mark_opened_read(self, report_id)
            self.focus_named_pane("entities")

    def action_next_hit(self, step: int) -> None:
        if not self.search_hits:
            self.notify("No search results: press / to search.", markup=False)
            return
        index = 0 if self.search_index is None else (self.search_index + step) % len(self.search_hits)
        self.search_index = index
        self.notify(f"Hit {index + 1} of {len(self.search_hits)}", markup=False, timeout=1.5)
        self.open_hit(self.search_hits[index])
