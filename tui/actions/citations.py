"""The triage screen's keys: citations copied to the clipboard, the default style, and the claims
pane's dim threshold.

Mixed into ``MainScreen``, whose panes, ``_apply`` (one store change, then the panes re-read) and
targets they use.
"""

from __future__ import annotations

from db.errors import StoreError
from db.text_safety import one_line

from ..clipboard import copy_text
from ..widgets.claims import ClaimsList
from ..choices import Choice, dim_threshold_choices
from ..screens.pickers import ChoiceScreen

from ..wording import count_of


class CitationActions:
    def _citation(self, style: str) -> tuple[str, str] | None:
        """(text, what) for the focused claim, the selected reports, or the current report."""
        from db.cite import cite_claim, cite_report

        report = self._current_report()
        if report is None:
            return None
        claim_ids = self._claim_targets()
        if claim_ids:
            claims = self.store.claims_by_ids(claim_ids)
            text = "\n".join(cite_claim(c, report, style, container=report.container) for c in claims)
            return text, count_of(claim_ids, "claim")
        if self.queue.selected:
            reports = [self.store.get_report(i) for i in self.queue.target_ids()]
            text = "\n".join(cite_report(r, style, container=r.container) for r in reports)
            return text, count_of(reports, "report")
        return cite_report(report, style, container=report.container), f"report {report.id}"

    def copy_citation(self, style: str) -> None:
        from db.cite import STYLES

        try:
            found = self._citation(style)
        except (StoreError, ValueError) as exc:
            self.notify(f"Cannot cite: {one_line(str(exc))}", severity="error", markup=False)
            return
        if found is None:
            self.notify("Nothing to cite: open a report first.", markup=False)
            return
        text, what = found
        result = copy_text(self.app, text)
        preview = one_line(text, 160)
        severity = "information" if result.ok else "error"
        self.notify(f"Copied {STYLES.get(style, style)} citation of {what} {result.how()}.\n{preview}",
                    severity=severity, markup=False, timeout=6)

    def action_copy_citation(self) -> None:
        self.copy_citation(self.app.config.citation_style)

    def _style_choices(self) -> list[Choice]:
        from db.cite import STYLES

        return [Choice(str(i + 1), style, label, style) for i, (style, label) in enumerate(STYLES.items())]

    def action_pick_citation(self) -> None:
        def chosen(style) -> None:
            if style:
                self.copy_citation(style)

        self.app.push_screen(ChoiceScreen("Copy the citation as", self._style_choices(),
                                          current=self.app.config.citation_style), chosen)

    def action_choose_default_style(self) -> None:
        def chosen(style) -> None:
            if style:
                self.app.config.citation_style = style
                self.app.save_config()
                self.notify(f"y now copies {style} citations.", markup=False)

        self.app.push_screen(ChoiceScreen("Default citation style (y)", self._style_choices(),
                                          current=self.app.config.citation_style), chosen)

    def action_choose_dim_threshold(self) -> None:
        current = self.app.config.dim_claims_below

        def chosen(threshold) -> None:
            if threshold is None:
                return
            self.app.config.dim_claims_below = threshold
            self.app.save_config()
            self.query_one(ClaimsList).set_dim_below(threshold)
            told = "No claim is dimmed." if threshold == 0 else \
                f"Claims under {round(100 * threshold)}% confidence are dimmed."
            self.notify(told, markup=False)

        self.app.push_screen(ChoiceScreen("Dim claims whose confidence is below", dim_threshold_choices(),
                                          current=current), chosen)
