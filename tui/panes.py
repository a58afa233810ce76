"""The four panes of the triage screen, named once: the layout, the focus, the titles, the narrow
layout's tabs and Tab's order all read this table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pane:
    name: str  # what the screen calls it: ``screen.pane``, CSS class ``-pane-<name>``
    title: str  # its border title before anything is loaded, and its tab in the narrow layout
    box: str  # selector of the widget that shows it (a focus inside it means the pane is current)
    focus: str  # selector of the widget that takes the keys when the pane is current


PANES: tuple[Pane, ...] = (
    Pane("queue", "Queue", "#queue-pane", "#queue"),
    Pane("reader", "Report", "#reader", "#reader"),
    Pane("claims", "Claims", "#claims", "#claims"),
    Pane("entities", "Entities", "#entities", "#entity-list"),
)
PANE_NAMES = tuple(pane.name for pane in PANES)
BY_NAME = {pane.name: pane for pane in PANES}
