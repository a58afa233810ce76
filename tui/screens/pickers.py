"""Small dialogs: pick one of a few choices with one key, or type a line of text.

A choice's key picks it directly (so grading is two keystrokes: ``r`` then ``b``); the list
also moves with j/k and picks with Enter. Every label is Content, never markup: hypothesis
titles and source names are typed by people and may contain anything.
"""

from __future__ import annotations


from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ..choices import CHOICE_KEYS, Choice
from .typed_ahead import TakesTypedAhead, keep_typed_ahead

# One binding per possible choice key; the action ignores keys the dialog does not offer.
_CHOICE_KEYS = CHOICE_KEYS


class ChoiceScreen(ModalScreen):
    BINDINGS = [
        Binding("escape,q", "dismiss_none", "Cancel"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
        *[Binding(k, f"choose_key('{k}')", show=False) for k in _CHOICE_KEYS],
    ]

    def __init__(self, title: str, choices: list[Choice], *, subtitle: Content | str = "",
                 current: object = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.subtitle = subtitle if isinstance(subtitle, Content) else Content(subtitle)
        self.choices = choices
        self.current = current

    def compose(self):
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            if self.subtitle.plain:
                yield Label(self.subtitle, classes="dialog-subtitle")
            yield OptionList(*[Option(self._prompt(c), id=str(i)) for i, c in enumerate(self.choices)],
                             id="choices")
            yield Label(Content("Press a key to choose, or ↑↓ Enter · Esc cancels"), classes="dialog-hint")

    def _prompt(self, choice: Choice) -> Content:
        mark = "•" if choice.value == self.current else " "
        parts: list = [(f"{choice.key.upper()}", "bold $text-accent"), f" {mark} ", (choice.label, "bold")]
        if choice.detail:
            parts += ["\n     ", (choice.detail, "dim")]
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        index = next((i for i, c in enumerate(self.choices) if c.value == self.current), 0)
        options.highlighted = index
        self.call_after_refresh(setattr, options, "highlighted", index)

    def action_cursor(self, direction: str) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if direction == "down" else options.action_cursor_up()

    def action_choose_key(self, key: str) -> None:
        for choice in self.choices:
            if choice.key == key:
                self.dismiss(choice.value)
                return

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id)].value)


class TextPrompt(TakesTypedAhead, ModalScreen):
    """One line of text: a tag, a note, a path, a hypothesis title. Enter saves, Esc cancels."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, title: str, *, subtitle: Content | str = "", value: str = "", placeholder: str = "",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.subtitle = subtitle if isinstance(subtitle, Content) else Content(subtitle)
        self.value = value
        self.placeholder = placeholder

    def compose(self):
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            if self.subtitle.plain:
                yield Label(self.subtitle, classes="dialog-subtitle")
            field = Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            field.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield field
            yield Label(Content("Enter saves · Esc cancels"), classes="dialog-hint")

    def on_key(self, event: events.Key) -> None:
        keep_typed_ahead(self.query_one("#prompt-input", Input), event)

    def typed_ahead_field(self) -> Input:
        return self.query_one("#prompt-input", Input)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.is_current:
            return  # an Enter typed ahead twice: the dialog is already closing
        self.dismiss(event.value)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
