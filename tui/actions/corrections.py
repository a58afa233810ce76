"""The main screen's correction keys: put right what the machine got wrong.

A report's metadata (one form), claims (reject as "not a claim", show the rejected, add a missed
one from the reader's selection or the sentence at the top of the reader, move its span, toggle
its flags) and entities (delete as junk, retype, rename). Each is one store call: one audited
transaction that ``u`` undoes, kept through re-extraction. Mixed into ``MainScreen``, whose
``_apply``, ``_claim_targets`` and panes it uses.
"""

from __future__ import annotations

from db.claim_suggest import sentence_from, suggest_attribution
from db.errors import StoreError
from db.text_find import find_text
from db.text_safety import one_line, visible

from ..choices import Choice
from ..screens.form import Field, FormScreen
from ..screens.pickers import TextPrompt

CHAIN_ARROW = "→"
FLAG_CHOICES = [Choice("o", "is_quote", "Quote", "the claim is quoted word for word"),
                Choice("h", "is_hedged", "Hedge", "reportedly, allegedly, may: the speaker is not sure"),
                Choice("d", "is_denial", "Denial", "the speaker denies something")]
TYPE_CHOICES = [Choice(t[0].lower(), t, t, detail)
                for t, detail in (("PERSON", "a person"), ("ORG", "a group, party, company or office"),
                                  ("LOC", "a place"), ("MEDIA", "an outlet, channel or account: a source"))]


class CorrectionActions:
    show_rejected: bool = False  # rejected claims drawn struck through in the claims pane

    def _report_claims(self, report_id: int) -> list:
        """The claims the claims pane shows: the rejected too when asked for."""
        return self.store.claims_for_report(report_id, rejected=self.show_rejected)

    # --- report metadata ----------------------------------------------------------------------

    def action_edit_report(self) -> None:
        report = self._current_report()
        if report is None:
            self.notify("Open a report first.", markup=False)
            return
        named = [e.name for e in self.store.entities_for_report(report.id) if e.type == "MEDIA"]
        source_hint = f"e.g. {', '.join(one_line(n, 30) for n in named[:3])}" if named else "the outlet or account"
        # Shown as visible text (a hostile title's escapes cannot reach the terminal through the
        # form); only the fields the analyst changes are saved, so nothing else is rewritten.
        fields = [
            Field("title", "Title", shown(report.title)),
            Field("source", "Source", shown(report.source.name if report.source else ""), source_hint),
            Field("author", "Author", shown(report.author)),
            Field("published", "Published", shown(report.published), "2024-06-21, June 2024 or 2024"),
            Field("url", "URL", shown(report.url)),
            Field("language", "Language", shown(report.language), "e.g. en, ar"),
        ]
        before = {f.name: f.value for f in fields}

        def changes(values) -> dict[str, str]:
            return {name: text for name, text in values.items() if text.strip() != before[name].strip()}

        def save(values) -> str | None:
            """Saved as of the version the form was read at: another analyst's edit since is shown
            in the form (who and when), and nothing of theirs is overwritten."""
            changed = changes(values)
            if not changed:
                return None
            try:
                self.store.edit_report(report.id, expected_version=report.version, **changed)
            except StoreError as exc:
                return one_line(str(exc), 200)
            return None

        def saved(values) -> None:
            if values is None:
                return
            changed = changes(values)
            if not changed:
                self.notify("Nothing changed.", markup=False)
                return
            self._apply(lambda: None, f"Report {report.id}: {', '.join(changed)} corrected (u undoes)")

        self.app.push_screen(FormScreen(f"Correct report {report.id}", fields, save=save,
                                        subtitle="Empty clears a field · the source becomes gradable with r"), saved)

    # --- claims ---------------------------------------------------------------------------------

    def _claims_or_warn(self, what: str) -> list[int]:
        ids = self._claim_targets()
        if not ids:
            self.notify(f"Go to the claims pane (Tab) to {what}.", severity="warning", markup=False)
        return ids

    def action_reject_claim(self) -> None:
        ids = self._claims_or_warn("reject a claim")
        if not ids:
            return
        claims = self.store.claims_by_ids(ids)
        restore = all(c.rejected for c in claims)
        hidden = "" if restore or self.show_rejected else "; X shows rejected claims"
        word = "Restored" if restore else "Rejected as not a claim:"
        self._apply(lambda: self.store.reject_claims(ids, not restore),
                    f"{word} {_claims(ids)} (u undoes{hidden})")

    def action_toggle_rejected(self) -> None:
        self.show_rejected = not self.show_rejected
        self.refresh_after_change()
        self.notify("Rejected claims shown, struck through." if self.show_rejected else "Rejected claims hidden.",
                    markup=False)

    def action_toggle_claim_flag(self) -> None:
        ids = self._claims_or_warn("set a claim's flags")
        if not ids:
            return
        claims = self.store.claims_by_ids(ids)

        def chosen(flag) -> None:
            if flag is None:
                return
            on = not all(getattr(c, flag) for c in claims)
            label = next(c.label for c in FLAG_CHOICES if c.value == flag)
            self._apply(lambda: self.store.set_claim_flag(ids, flag, on),
                        f"{label} {'set on' if on else 'cleared on'} {_claims(ids)} (u undoes)")

        current = [c.label.lower() for c in FLAG_CHOICES if all(getattr(x, c.value) for x in claims)]
        self.open_chooser(f"Toggle a flag of {_claims(ids)}", FLAG_CHOICES, chosen,
                          subtitle=f"Now: {', '.join(current) or 'no flags'}")

    def action_edit_claim_span(self) -> None:
        ids = self._claims_or_warn("change a claim's span")
        if not ids:
            return
        claim = self.store.get_claim(ids[0])

        def chosen(text) -> None:
            if text is None or not text.strip():
                return
            self._apply(lambda: self.store.set_claim_span(claim.id, text=text),
                        f"Span of claim {claim.id} corrected (u undoes)")

        self.app.push_screen(TextPrompt(f"Span of claim {claim.id}: the claim as written in the report",
                                        subtitle="Cut or widen it; the text must be in the report",
                                        value=shown(" ".join(claim.text.split()))), chosen)

    def _text_to_add(self) -> tuple[str, int] | None:
        """The text the analyst chose in the reader, and where it is in the body: the selection,
        else the first sentence that starts in view in the reader."""
        reader, report = self.reader, self.reader.report
        if report is None:
            return None
        selection = reader.text_selection
        if selection is not None:
            chosen = reader.get_selection(selection)
            found = find_text(report.body, chosen[0]) if chosen else None
            if found:
                return report.body[found[0]:found[1]], found[0]
        offset = reader.top_body_offset()
        start, end = sentence_from(report.body, offset)
        return report.body[start:end].strip(), start

    def action_add_claim(self) -> None:
        report = self._current_report()
        chosen = self._text_to_add() if report is not None else None
        if report is None or not chosen or not chosen[0]:
            self.notify("Open a report and select the claim's text in it (or scroll it to the top).", markup=False)
            return
        text, at = chosen
        suggestion = suggest_attribution(report.body, at, at + len(text))
        fields = [Field("text", "Claim", shown(" ".join(text.split()))),
                  Field("speaker", "Who said it", shown(suggestion.speaker), "e.g. informed Iraqi sources"),
                  Field("chain", "Through", shown(f" {CHAIN_ARROW} ".join(suggestion.chain)),
                        f"originator {CHAIN_ARROW} relay {CHAIN_ARROW} relay")]

        def saved(values) -> None:
            if values is None or not values["text"].strip():
                return
            chain = [part.strip() for part in values["chain"].replace("->", CHAIN_ARROW).split(CHAIN_ARROW)]
            added: list[int] = []

            def adding() -> int:
                added.append(self.store.add_claim(report.id, at, text=values["text"], speaker=values["speaker"],
                                                  chain=[c for c in chain if c]))
                return 1

            if self._apply(adding, f"Claim added to report {report.id} (u undoes)"):
                self.focus_named_pane("claims")
                self.claims.focus_claim(added[0])

        self.app.push_screen(FormScreen(f"Add a claim to report {report.id}", fields,
                                        subtitle="Speaker and chain as the extractor reads the sentence: correct them"),
                             saved)

    # --- entities ------------------------------------------------------------------------------

    def _entity_or_warn(self):
        entity = self.entities.current_entity()
        if entity is None:
            self.notify("Choose the entity in the entities pane (Tab) first.", severity="warning", markup=False)
        return entity

    def action_delete_entity(self) -> None:
        entity = self._entity_or_warn()
        if entity is None:
            return
        choices = [Choice("y", True, f"Delete {one_line(entity.name, 40)}",
                          "not an entity: its mentions go, and re-extraction will not bring it back")]

        def chosen(yes) -> None:
            if yes:
                self._apply(lambda: self.store.delete_entity(entity.id, expected_version=entity.version),
                            f"Deleted {one_line(entity.name, 40)} (u undoes)")

        self.open_chooser(f"Delete the entity {one_line(entity.name, 40)}?", choices, chosen)

    def action_retype_entity(self) -> None:
        entity = self._entity_or_warn()
        if entity is None:
            return

        def chosen(type_) -> None:
            if type_ is not None:
                self._apply(lambda: self.store.retype_entity(entity.id, type_, expected_version=entity.version),
                            f"{one_line(entity.name, 40)} is now {type_} (u undoes)")

        self.open_chooser(f"Type of {one_line(entity.name, 40)}", TYPE_CHOICES, chosen, current=entity.type)

    def action_rename_entity(self) -> None:
        entity = self._entity_or_warn()
        if entity is None:
            return

        def chosen(name) -> None:
            if name and name.strip():
                self._apply(lambda: self.store.rename_entity(entity.id, name, expected_version=entity.version),
                            f"Renamed {one_line(entity.name, 30)} to {one_line(name, 30)} (u undoes)")

        self.app.push_screen(TextPrompt(f"Name of {one_line(entity.name, 50)}", value=shown(entity.name),
                                        subtitle="The old name stays one of its names"), chosen)


def shown(value: str | None) -> str:
    """A stored value as a form field shows it: visible, on one line."""
    return visible(value or "", keep_newlines=False)


def _claims(ids: list[int]) -> str:
    return f"claim {ids[0]}" if len(ids) == 1 else f"{len(ids)} claims"

