"""``?``: every command and its key, from the command table (so it is never out of date)."""

from __future__ import annotations

import textwrap

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from db.models import CREDIBILITY_LABELS, RELIABILITY_LABELS

from ..commands import COMMANDS, GROUPS, keys_for
from ..widgets.queue import STATUS_MARKS


KEY_COLUMN, NAME_COLUMN = 18, 24


def _wrapped(text: str, width: int, indent: int) -> str:
    """Wrapped with a hanging indent, so continuation lines stay in their column."""
    lines = textwrap.wrap(text, max(20, width - indent)) or [""]
    return ("\n" + " " * indent).join(lines)


def help_content(keymap: dict[str, str], width: int = 116) -> Content:
    """Every command by group. Wide: key, name and explanation on one row; narrow (80 columns):
    the explanation goes on its own indented line instead of wrapping under the keys."""
    parts: list = []
    wide = width >= 2 + KEY_COLUMN + NAME_COLUMN + 40
    for group in GROUPS:
        parts += [(group, "bold $text-accent"), "\n"]
        for command in COMMANDS:
            if command.group != group:
                continue
            keys = keys_for(command, keymap) or "palette"
            parts += [(f"  {keys:<{KEY_COLUMN}}", "bold" if keys != "palette" else "dim")]
            if wide:
                indent = 2 + KEY_COLUMN + NAME_COLUMN
                parts += [f"{command.description:<{NAME_COLUMN - 1}} ", (_wrapped(command.help, width, indent), "dim"), "\n"]
            else:
                parts += [command.description, "\n", (" " * 4 + _wrapped(command.help, width, 4), "dim"), "\n"]
        parts.append("\n")
    parts += [("Admiralty code", "bold $text-accent"), "\n"]
    for grade, (label, _meaning) in RELIABILITY_LABELS.items():
        credibility = CREDIBILITY_LABELS.get(ord(grade) - ord("A") + 1, ("", ""))[0]
        digit = ord(grade) - ord("A") + 1
        parts += [f"  {grade} {label:<22}{digit} {credibility}", "\n"]
    parts += ["\n", ("Marks in the queue", "bold $text-accent"), "\n",
              f"  {STATUS_MARKS['new']} new   {STATUS_MARKS['flagged']} flagged   {STATUS_MARKS['dismissed']} dismissed", "\n",
              "  F2± the team differs on the grade   little text: a page of a few lines", "\n"]
    parts += ["\n", ("Ctrl+P opens the command palette: hypotheses, import, themes, citation style.", "dim"), "\n",
              ("Keys can be remapped in the settings file under \"keymap\" (command id -> keys).", "dim")]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Close")]

    def __init__(self, keymap: dict[str, str], config_path: str | None = None) -> None:
        super().__init__()
        self.keymap = keymap
        self.config_path = config_path

    def compose(self):
        with VerticalScroll(classes="dialog help-dialog"):
            yield Label(Content("Keys  (Esc or q closes)"), classes="dialog-title")
            yield Static(help_content(self.keymap, _body_width(self.app.size.width)), id="help-body")
            if self.config_path:
                yield Label(Content(f"Settings: {self.config_path}"), classes="dialog-hint")

    def on_resize(self, event) -> None:
        """Laid out again for the new width: opened wide and narrowed to 80 columns, the wide rows
        were cut at the dialog's edge."""
        self.query_one("#help-body", Static).update(help_content(self.keymap, _body_width(event.size.width)))


def _body_width(terminal_width: int) -> int:
    return min(120, terminal_width) - 8  # the dialog is at most 120 columns, less its border and padding
