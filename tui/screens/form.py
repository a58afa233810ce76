"""A dialog of a few labelled one-line fields: a report's metadata, a claim the analyst adds.

The fields are the same ``Input`` the one-line prompts use (``pickers.TextPrompt``); Tab and
Shift+Tab move between them, Enter in any field saves them all, Esc cancels. It dismisses with
``{name: text}`` of every field, or None. Every label and value is plain text, never markup.
With ``save``, Enter calls it with the values first: an error it returns (another analyst changed
the report since the form was read) is shown in the form, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""


class FormScreen(ModalScreen):
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]
    DEFAULT_CSS = """
    FormScreen .form-row { height: 1; width: 1fr; margin: 0 0 1 0; }
    FormScreen .form-label { width: 12; color: $text-muted; }
    FormScreen .form-row Input { width: 1fr; height: 1; border: none; padding: 0 1; }
    FormScreen .form-row Input:focus { background: $boost; }
    """

    def __init__(self, title: str, fields: list[Field], *, subtitle: Content | str = "",
                 id: str | None = None, save: Callable[[dict[str, str]], str | None] | None = None) -> None:
        super().__init__(id=id)
        self.save = save
        self.title_text = title
        self.subtitle = subtitle if isinstance(subtitle, Content) else Content(subtitle)
        self.fields = fields

    def compose(self):
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            if self.subtitle.plain:
                yield Label(self.subtitle, classes="dialog-subtitle")
            for field in self.fields:
                with Horizontal(classes="form-row"):
                    yield Label(Content(field.label), classes="form-label")
                    box = Input(value=field.value, placeholder=field.placeholder, id=f"field-{field.name}")
                    box.cursor_blink = getattr(self.app, "cursor_blink", True)
                    yield box
            error = Label(Content(""), id="form-error", classes="dialog-hint")
            error.display = False
            yield error
            yield Label(Content("Tab: next field · Enter saves · Esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        """The first empty field has the focus: what is missing is what the analyst came to fill."""
        boxes = list(self.query(Input))
        for box in boxes:
            box.cursor_position = 0  # a long value shows its start, not its end
        next((box for box in boxes if not box.value), boxes[0]).focus()

    def values(self) -> dict[str, str]:
        return {field.name: self.query_one(f"#field-{field.name}", Input).value for field in self.fields}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values = self.values()
        problem = self.save(values) if self.save is not None else None
        if problem:
            error = self.query_one("#form-error", Label)
            error.update(Content.styled(problem, "bold $text-error"))  # plain text: never markup
            error.display = True
            return
        self.dismiss(values)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
