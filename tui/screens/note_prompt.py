"""``e``: a note of several lines on a report, a claim or a source.

A note is where an analyst writes why a report matters and what to check next: one line was too
little. Enter starts a new line, Ctrl+S saves, Esc cancels; an empty note removes it.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from .typed_ahead import TakesTypedAhead, keep_typed_ahead

HINT = "Enter: new line · Ctrl+S saves (empty removes the note) · Esc cancels"


class NotePrompt(TakesTypedAhead, ModalScreen):
    """Dismisses with the text, or None when cancelled."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, title: str, *, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self):
        with Vertical(classes="dialog note-dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            area = TextArea(self.value, id="note-input", soft_wrap=True, show_line_numbers=False)
            area.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield area
            yield Label(Content(HINT), classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)  # go on writing where the note ends

    def on_key(self, event: events.Key) -> None:
        keep_typed_ahead(self.query_one(TextArea), event)

    def typed_ahead_field(self) -> TextArea:
        return self.query_one(TextArea)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
