"""A one-key choice (a grade, a stance) drawn over the main screen instead of in a dialog.

A dialog is a screen: opening it and closing it repaints the whole terminal, which made a grade
take 40-80 ms to show at 160x48. The chooser is a box on its own layer of the main screen and
never takes focus, so choosing repaints the graded row and the reader's header, and the box's
area a frame later. Its keys reach it through the screen's bindings (``CHOOSER_BINDINGS``), which
the screen turns on only while the chooser is open; the screen's other keys wait, as behind a
dialog.
"""

from __future__ import annotations

import string
from collections.abc import Callable

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from db.text_safety import one_line

from ..choices import Choice

# The screen's actions that drive the chooser (``action_<name>``); on only while it is open.
CHOOSER_ACTIONS = frozenset({"choose", "choose_highlighted", "move_choice", "cancel_choice"})

# Every key a choice may have (q cancels); a key the open choice does not offer does nothing.
# On only while the chooser is open. None is a priority binding: a priority binding is checked as
# the key arrives, before the keys ahead of it have acted, so the "2" or the Down of a fast "c2"
# or "c Down Enter" would find the chooser not yet open. The focused pane's own arrows and Enter
# step aside while it is open instead (``WaitsBehindChooser``), and the key goes on to these.
CHOOSER_BINDINGS = [
    Binding("escape,q", "cancel_choice", "Cancel"),
    Binding("up", "move_choice(-1)", "Up", show=False),
    Binding("down", "move_choice(1)", "Down", show=False),
    Binding("enter", "choose_highlighted", "Choose"),
    *[Binding(key, f"choose('{key}')", show=False) for key in string.digits + string.ascii_lowercase if key != "q"],
]


class WaitsBehindChooser:
    """For the main screen's panes: while the screen's chooser is open their own keys (arrows,
    Enter, paging) do nothing and go on to the screen, whose keys are then the chooser's, as
    behind a dialog. Mixed in before the widget class."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        chooser = getattr(self.screen, "chooser", None)
        if chooser is not None and chooser.is_open:
            return False
        return super().check_action(action, parameters)


class Chooser(Widget):
    """Closed until ``open``; a choice's key, Enter on the highlighted one or a click on one
    calls back with its value."""

    class Closed(Message):
        """The box is gone from the screen (the Footer can show the screen's keys again)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.subtitle = Content("")
        self.choices: list[Choice] = []
        self.current: object = None
        self.highlighted = 0
        self._on_choice: Callable[[object], None] | None = None

    @property
    def is_open(self) -> bool:
        return self._on_choice is not None

    def open(self, title: str, choices: list[Choice], on_choice: Callable[[object], None], *,
             subtitle: Content | str = "", current: object = None) -> None:
        self.title, self.choices, self.current = title, choices, current
        self.subtitle = subtitle if isinstance(subtitle, Content) else Content(subtitle)
        self.highlighted = next((i for i, c in enumerate(choices) if c.value == current), 0)
        self._on_choice = on_choice
        self._show()
        self.add_class("-open")

    def close(self) -> None:
        """Cancel the open choice (nothing is chosen)."""
        if self.is_open:
            self._on_choice = None
            self._hide()

    def _hide(self) -> None:
        if self.has_class("-open"):
            self.remove_class("-open")
            self.post_message(self.Closed())

    def choose(self, key: str) -> bool:
        for choice in self.choices:
            if choice.key == key:
                self._pick(choice)
                return True
        return False

    def choose_highlighted(self) -> None:
        if self.choices:
            self._pick(self.choices[self.highlighted])

    def move(self, step: int) -> None:
        if self.choices:
            self.highlighted = (self.highlighted + step) % len(self.choices)
            self._show()

    @property
    def text(self) -> str:
        return self.render().plain

    def render(self) -> Content:
        return render_choices(self.title, self.choices, self.subtitle, self.current, self.highlighted,
                              width=self.content_region.width or 80)

    def _show(self) -> None:
        self.refresh(layout=True)

    def _pick(self, choice: Choice) -> None:
        """Closed at once, hidden once the next frame is painted: hiding lays the screen out again
        and repaints everything under the box, which would hold back the frame that shows the
        choice's effect (a grade) by ~20 ms; a frame later nobody sees the difference."""
        on_choice, self._on_choice = self._on_choice, None

        def hide() -> None:
            if not self.is_open:  # not opened again in between
                self._hide()

        self.call_after_refresh(hide)
        if on_choice is not None:
            on_choice(choice.value)

    def on_click(self, event) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.is_open:
            return
        index = offset.y - (2 if self.subtitle.plain else 1)
        if 0 <= index < len(self.choices):
            self._pick(self.choices[index])


def render_choices(title: str, choices: list[Choice], subtitle: Content, current: object,
                   highlighted: int, *, width: int) -> Content:
    """Title, subtitle, then one line per choice: key, • for the value it has now, label, and as
    much of its meaning as the line has room for (a line per choice keeps a click on its row)."""
    label_width = max((len(c.label) for c in choices), default=0)
    lines: list[Content] = [Content.styled(title, "bold $text-accent")]
    if subtitle.plain:
        lines.append(subtitle.stylize("dim"))
    for index, choice in enumerate(choices):
        mark = "•" if choice.value == current else " "
        parts: list = [(choice.key.upper(), "bold $text-accent"), f" {mark} ", (choice.label.ljust(label_width), "bold")]
        room = width - len(choice.key) - 5 - label_width
        if choice.detail and room > 10:
            parts += ["  ", (one_line(choice.detail, room), "dim")]
        line = Content.assemble(*parts)
        lines.append(line.stylize("reverse") if index == highlighted else line)
    lines.append(Content.styled("Press a key to choose, or ↑↓ Enter · Esc cancels", "dim"))
    return Content("\n").join(lines)
