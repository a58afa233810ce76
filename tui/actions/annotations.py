"""The triage screen's keys: tags, notes (of several lines) and undo.

Mixed into ``MainScreen``, whose panes, ``_apply`` (one store change, then the panes re-read) and
targets they use.
"""

from __future__ import annotations

from db.text_safety import one_line

from ..database_watch import undo_last
from ..screens.note_prompt import NotePrompt
from ..screens.pickers import TextPrompt

from ..wording import count_of


class AnnotationActions:
    def _annotation_target(self) -> tuple[str, list[int]]:
        claim_ids = self._claim_targets()
        if claim_ids:
            return "claim", claim_ids
        return "report", self._report_targets()

    def action_add_tag(self) -> None:
        kind, ids = self._annotation_target()
        if ids:
            self._ask_tag(kind, ids, add=True)

    def action_remove_tag(self) -> None:
        kind, ids = self._annotation_target()
        if ids:
            self._ask_tag(kind, ids, add=False)

    def action_add_source_tag(self) -> None:
        sources = self._source_targets()
        if sources:
            self._ask_tag("source", [s.id for s in sources], add=True)

    def _ask_tag(self, kind: str, ids: list[int], *, add: bool) -> None:
        def chosen(tag) -> None:
            if not tag or not tag.strip():
                return
            change = self.store.add_tag if add else self.store.remove_tag
            self._apply(lambda: change(kind, ids, tag.strip()),
                        f"{'Tagged' if add else 'Untagged'} {count_of(ids, kind)}: {one_line(tag, 40)}")

        self.app.push_screen(TextPrompt(f"{'Add a tag to' if add else 'Remove a tag from'} {count_of(ids, kind)}",
                                        placeholder="tag name"), chosen)

    def action_edit_note(self) -> None:
        kind, ids = self._annotation_target()
        if not ids:
            return
        target = ids[0]
        self._ask_note(kind, target)

    def action_edit_source_note(self) -> None:
        sources = self._source_targets()
        if sources:
            self._ask_note("source", sources[0].id)

    def _ask_note(self, kind: str, target: int) -> None:
        current = self.store.note_of(kind, target) or ""

        def chosen(text) -> None:
            if text is None:
                return
            self._apply(lambda: self.store.set_note(kind, target, text.strip() or None),
                        f"Note {'saved' if text.strip() else 'removed'} on {kind} {target}")

        self.app.push_screen(NotePrompt(f"Note on {kind} {target}", value=current), chosen)

    def action_undo(self) -> None:
        if undo_last(self):
            self.refresh_after_change()
