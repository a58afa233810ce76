"""The triage screen's keys: grading: source reliability, information credibility, stance, affiliation,
links between claims, who said it.

Mixed into ``MainScreen``, whose panes, ``_apply`` (one store change, then the panes re-read) and
targets they use.
"""

from __future__ import annotations

from textual.content import Content

from db.models import CREDIBILITY_LABELS, RELIABILITY_LABELS
from db.text_safety import one_line

from ..choices import Choice, credibility_choices, reliability_choices, stance_choices
from ..screens.pickers import ChoiceScreen, TextPrompt

from ..wording import count_of


class GradingActions:
    def action_grade_reliability(self) -> None:
        sources = self._source_targets()
        if not sources:
            self.notify("This report has no known source to grade.", severity="warning", markup=False)
            return
        names = ", ".join(one_line(s.name, 30) for s in sources[:3]) + (" …" if len(sources) > 3 else "")
        current = sources[0].reliability if len(sources) == 1 else None

        def chosen(grade) -> None:
            label = RELIABILITY_LABELS[grade][0]
            self._apply(lambda: self.store.set_source_reliability([s.id for s in sources], grade),
                        f"Source reliability {grade} ({label}): {names}", grade_only=True)

        self.open_chooser("Source reliability", reliability_choices(), chosen,
                          subtitle=Content.assemble(("Source: ", "dim"), names), current=current)

    def action_grade_credibility(self) -> None:
        claim_ids = self._claim_targets()
        if claim_ids:
            kind, ids = "claim", claim_ids
            current = self.claims.current().credibility if len(ids) == 1 and self.claims.current() else None
        else:
            kind, ids = "report", self._report_targets()
            current = self.queue.current().credibility if len(ids) == 1 and self.queue.current() else None
        if not ids:
            return

        def chosen(grade) -> None:
            setter = self.store.set_claim_credibility if kind == "claim" else self.store.set_report_credibility
            self._apply(lambda: setter(ids, grade),
                        f"Credibility {grade} ({CREDIBILITY_LABELS[grade][0]}) on {count_of(ids, kind)}",
                        grade_only=True)

        self.open_chooser(f"Information credibility of {count_of(ids, kind)}", credibility_choices(), chosen,
                          current=current)

    def action_grade_stance(self) -> None:
        ids = self._claim_targets()
        if not ids:
            if self.claims.current() is None:
                self.notify("This report has no claims to take a stance on.", severity="warning", markup=False)
                return
            ids = [self.claims.current().id]  # from the queue or reader: the claim under the claims cursor
        hypothesis = self.store.active_hypothesis()
        if hypothesis is None:
            self.notify("No active hypothesis: create one from the palette (Ctrl+P, New hypothesis).",
                        severity="warning", markup=False)
            return
        current = self.claims.current().stance if len(ids) == 1 and self.claims.current() else None

        def chosen(stance) -> None:
            value = None if stance == "clear" else stance
            self._apply(lambda: self.store.set_stance(ids, value),
                        f"Stance {stance} on {count_of(ids, 'claim')}", grade_only=True)

        self.open_chooser(f"Stance of {count_of(ids, 'claim')} toward the hypothesis", stance_choices(), chosen,
                          subtitle=Content(one_line(hypothesis.title, 70)), current=current)

    def action_edit_affiliation(self) -> None:
        sources = self._source_targets()
        if not sources:
            self.notify("This report has no known source.", severity="warning", markup=False)
            return
        source = sources[0]

        def chosen(label) -> None:
            if label is None:
                return
            self._apply(lambda: self.store.set_source_affiliation(source.id, label),
                        f"Affiliation of {one_line(source.name, 30)}: {one_line(label, 40) or 'cleared'}")

        self.app.push_screen(TextPrompt("Source affiliation or stance label",
                                        subtitle=Content.assemble(("Source: ", "dim"), one_line(source.name, 60)),
                                        value=source.affiliation or "", placeholder="e.g. pro-Iran, Kataib Hezbollah-affiliated"),
                             chosen)

    def action_link_claims(self) -> None:
        """First L marks the claim under the cursor; L on another claim (in any report) links the two."""
        claim_ids = self._claim_targets()
        if not claim_ids:
            self.notify("Go to the claims pane (Tab) to link claims.", severity="warning", markup=False)
            return
        current = claim_ids[0]
        marked = getattr(self, "marked_claim", None)
        if marked is None or marked == current:
            self.marked_claim = None if marked == current else current
            self.notify(f"Claim {current} marked: press L on a claim that corroborates or contradicts it."
                        if self.marked_claim else "Mark cleared.", markup=False)
            return
        choices = [Choice("c", "corroborates", "corroborates", "the same thing, independently reported"),
                   Choice("x", "contradicts", "contradicts", "both cannot be true"),
                   Choice("d", "duplicates", "duplicates", "the same report relayed: never counts as confirmation")]

        def chosen(kind) -> None:
            if kind is None:
                return
            self.marked_claim = None
            self._apply(lambda: self.store.relate_claims(marked, current, kind),
                        f"Claim {current} {kind} claim {marked} (u undoes)")

        self.app.push_screen(ChoiceScreen(f"Claim {current} … the marked claim {marked}: how do they relate?", choices), chosen)

    def action_edit_speaker(self) -> None:
        claim_ids = self._claim_targets()
        if not claim_ids:
            self.notify("Go to the claims pane (Tab) to correct who said a claim.", severity="warning", markup=False)
            return
        current = self.store.get_claim(claim_ids[0])

        def chosen(speaker) -> None:
            if speaker is None:
                return
            self._apply(lambda: self.store.set_claim_speaker(claim_ids, speaker),
                        f"Speaker of {count_of(claim_ids, 'claim')}: {one_line(speaker, 40) or 'cleared'}")

        written = Content.assemble(("As written: ", "dim"), one_line(current.speaker or "(none)", 60))
        self.app.push_screen(TextPrompt(f"Who said it ({count_of(claim_ids, 'claim')})", subtitle=written,
                                        value=current.speaker_resolved or current.speaker or "",
                                        placeholder="e.g. informed Iraqi sources"), chosen)
