"""``?``: every command and its key, from the command table (so it is never out of date)."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from db.models import CREDIBILITY_LABELS, RELIABILITY_LABELS

from ..commands import COMMANDS, GROUPS, keys_for


def help_content(keymap: dict[str, str]) -> Content:
    parts: list = []
    for group in GROUPS:
        parts += [(group, "bold $text-accent"), "\n"]
        for command in COMMANDS:
            if command.group != group:
                continue
            keys = keys_for(command, keymap) or "palette"
            parts += [(f"  {keys:<18}", "bold" if keys != "palette" else "dim"), f"{command.description:<22}",
                      (command.help, "dim"), "\n"]
        parts.append("\n")
    parts += [("Admiralty code", "bold $text-accent"), "\n"]
    for grade, (label, _meaning) in RELIABILITY_LABELS.items():
        credibility = CREDIBILITY_LABELS.get(ord(grade) - ord("A") + 1, ("", ""))[0]
        digit = ord(grade) - ord("A") + 1
        parts += [f"  {grade} {label:<22}{digit} {credibility}", "\n"]
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
            yield Static(help_content(self.keymap), id="help-body")
            if self.config_path:
                yield Label(Content(f"Settings: {self.config_path}"), classes="dialog-hint")
