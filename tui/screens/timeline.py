"""An entity's claims and denials in date order, with their sources and grades (palette:
"Entity timeline"). Read in a worker thread with its own connection."""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from db.text_safety import one_line


def timeline_lines(entries) -> list[str]:
    lines = []
    for e in entries:
        grade = f"{e.reliability}{e.credibility if e.credibility is not None else '-'}"
        denies = "denies: " if e.denial else ""
        lines.append(f"{e.published or 'undated':<10} {grade} {one_line(e.source or f'report {e.report_id}', 26):<26} "
                     f"{denies}{one_line(e.text, 110)}")
    return lines


class TimelineRead(Message):
    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines


class EntityTimelineScreen(Screen):
    BINDINGS = [Binding("escape,q", "dismiss", "Back")]
    DEFAULT_CSS = """
    EntityTimelineScreen #timeline-heading { text-style: bold; color: $text-accent; padding: 0 1; }
    EntityTimelineScreen #timeline-scroll { height: 1fr; border: round $primary; padding: 0 1; }
    """

    def __init__(self, entity_id: int, name: str) -> None:
        super().__init__(id="entity-timeline")
        self.entity_id = entity_id
        self.name_shown = one_line(name, 60)

    def compose(self):
        yield Label(Content(f"Timeline of {self.name_shown}: claims in date order"), id="timeline-heading")
        with VerticalScroll(id="timeline-scroll"):
            yield Static(Content("Reading…"), id="timeline-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def _read(self) -> None:
        from db.store import Store

        store = self.app.store
        own = store.path is not None
        try:
            if own:
                store = Store.open(store.path)
            lines = timeline_lines(store.entity_timeline(self.entity_id)) or ["No claim mentions it."]
        except Exception as exc:
            lines = [f"Cannot read the timeline: {exc}"]
        finally:
            if own:
                store.close()
        self.post_message(TimelineRead(lines))

    def on_timeline_read(self, message: TimelineRead) -> None:
        self.query_one("#timeline-body", Static).update(Content("\n".join(message.lines)))
