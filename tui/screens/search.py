"""``/``: fuzzy search across reports, claims and entities as the analyst types.

Every keystroke is asked of the app's ``SearchService`` (one thread with warm caches) with a
new generation; answers of older generations are dropped when they arrive late.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from db.text_safety import one_line

from ..messages import SearchAnswered
from ..widgets.hits import HitList
from .typed_ahead import TakesTypedAhead, keep_typed_ahead

SHOW_TIMING = True  # snapshot tests turn it off: milliseconds differ between runs


class SearchField(Input):
    """The query field. Its text width (``virtual_size``) changes with every letter, and in
    ``Input`` that asks for a layout of the whole dialog (~7 ms at 160x48) before the frame that
    shows the letter. The field has a fixed size, so a repaint is all a letter needs."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class SearchScreen(TakesTypedAhead, ModalScreen):
    """Dismisses with ``(hits, index)`` of the chosen hit, or ``(hits, None)`` when cancelled."""

    HOLDS_NOTIFICATIONS = True  # a toast covered the dialog's last lines at 80x24 (see AnalystApp.on_notify)
    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down,ctrl+n", "move(1)", "Next", show=False),
        Binding("up,ctrl+p", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def __init__(self, initial: str = "", hits: list | None = None) -> None:
        super().__init__()
        self.initial = initial
        self.hits: list = list(hits or [])
        self.generation = 0
        self.shown_generation = -1
        self._open_when_ready = False  # Enter pressed before the newest query's results arrived

    def compose(self):
        with Vertical(classes="dialog search-dialog"):
            yield Label(Content("Search reports, claims, entities   filters: status:new grade:A-C cred:1-3 "
                                "type:person source:\"…\" from:YYYY-MM-DD tag:x stance:refutes"),
                        classes="dialog-hint", id="search-help")
            field = SearchField(value=self.initial, placeholder="Type to search (e.g. haniya)", id="search-input")
            field.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield field
            yield Label(Content(""), id="search-status")
            yield HitList(id="search-results")
            yield Label(Content("↑↓ choose · Enter opens · Esc closes · n/N later walk the hits"), classes="dialog-hint")

    def on_mount(self) -> None:
        # Searched from the value's watcher, at the keystroke: Input.Changed would arrive only
        # after the field's own repaint (~8 ms later), and the search is what the analyst waits for.
        self.watch(self.query_one("#search-input", Input), "value", self._submit_query, init=False)
        self.app.hold_shown_notification()  # a toast raised just before would cover the last lines
        self.app.search_service.start()
        if self.hits:
            self._fill(self.hits)
        if self.initial:
            self._submit_query(self.initial)

    def on_key(self, event: events.Key) -> None:
        """Letters typed right after "/" reach this dialog before its field has focus: they
        belong to the field."""
        keep_typed_ahead(self.query_one("#search-input", Input), event)

    def typed_ahead_field(self) -> Input:
        return self.query_one("#search-input", Input)

    # --- typing -> worker --------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # already searched (see on_mount)

    def search_again(self) -> None:
        """The database changed under the dialog (an import landed): the same query, answered anew."""
        self._submit_query(self.query_one(Input).value)

    def _submit_query(self, text: str) -> None:
        self.generation += 1
        self.app.search_service.ask(self, self.generation, text)

    def on_search_answered(self, message: SearchAnswered) -> None:
        message.stop()
        if message.generation < self.shown_generation or message.generation != self.generation:
            return  # an older query: a newer one is on its way or shown
        self.shown_generation = message.generation
        results = message.results
        status = self.query_one("#search-status", Label)
        if results.message:
            status.update(Content(one_line(results.message)), layout=False)
            self._fill([])
            return
        query = self.query_one(Input).value.strip()
        if not query:
            status.update(Content(""), layout=False)
        else:
            count = len(results.hits)
            timing = f" · {results.elapsed_ms:.0f} ms" if SHOW_TIMING else ""
            status.update(Content(f"{count} hit{'s' if count != 1 else ''}{timing}"), layout=False)
        self._fill(results.hits)
        if self._open_when_ready:
            self._open_when_ready = False
            if self.hits:
                self.dismiss((self.hits, 0, self.query_one(Input).value))

    def _fill(self, hits: list) -> None:
        self.hits = hits
        self.query_one(HitList).show(hits)

    # --- choosing ------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        hit_list = self.query_one(HitList)
        hit_list.move_to(hit_list.cursor + delta)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.shown_generation != self.generation:
            self._open_when_ready = True
            return
        if self.hits:
            self.dismiss((self.hits, self.query_one(HitList).cursor, self.query_one(Input).value))

    def on_hit_list_chosen(self, event: HitList.Chosen) -> None:
        event.stop()
        self.dismiss((self.hits, event.index, self.query_one(Input).value))

    def action_cancel(self) -> None:
        self.dismiss((self.hits, None, self.query_one(Input).value))
