"""``/``: fuzzy search across reports, claims and entities as the analyst types.

The search runs in one thread worker for the life of the dialog, with its own Store and
``db.search.Searcher`` (which keeps its name and vocabulary caches between keystrokes).
Keystrokes go into a queue; the worker takes the newest query waiting (stale ones are
dropped unsearched) and posts the results, already turned into list options, tagged with
their generation, so late results of an old query never replace newer ones.
"""

from __future__ import annotations

import queue

from textual import events, work
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from db.text_safety import one_line

from ..widgets.spans import styled_spans

SHOW_TIMING = True  # snapshot tests turn it off: milliseconds differ between runs
KIND_BADGES = {"report": ("R", "bold $text-primary"), "claim": ("C", "bold $text-success"),
               "entity": ("E", "bold $text-warning")}
MATCH_STYLE = "bold underline $text-accent"
FIRST_SCREENFUL = 24  # hits laid out before the first paint: a 160x48 dialog shows ~18


def hit_prompt(hit) -> Content:
    badge, style = KIND_BADGES.get(hit.kind, ("?", "dim"))
    parts: list = [(badge, style), " ", styled_spans(hit.text, [(s, e, MATCH_STYLE) for s, e in hit.highlights],
                                                       one_line=True)]
    if hit.detail:
        parts += ["\n  ", (one_line(hit.detail), "dim")]
    return Content.assemble(*parts)


def hit_options(hits: list) -> list[Option]:
    return [Option(hit_prompt(hit), id=str(index)) for index, hit in enumerate(hits)]


class SearchScreen(ModalScreen):
    """Dismisses with ``(hits, index)`` of the chosen hit, or ``(hits, None)`` when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down,ctrl+n", "move(1)", "Next", show=False),
        Binding("up,ctrl+p", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    class Results(Message):
        def __init__(self, generation: int, results, options: list[Option]) -> None:
            super().__init__()
            self.generation = generation
            self.results = results
            self.options = options  # built in the worker: the UI thread only lays them out

    def __init__(self, initial: str = "", hits: list | None = None) -> None:
        super().__init__()
        self.initial = initial
        self.hits: list = list(hits or [])
        self.generation = 0
        self.shown_generation = -1
        self._queries: queue.Queue = queue.Queue()
        self._open_when_ready = False  # Enter pressed before the newest query's results arrived

    def compose(self):
        with Vertical(classes="dialog search-dialog"):
            yield Label(Content("Search reports, claims, entities   filters: status:new grade:A-C cred:1-3 "
                                "type:person source:\"…\" from:YYYY-MM-DD tag:x stance:refutes"),
                        classes="dialog-hint", id="search-help")
            field = Input(value=self.initial, placeholder="Type to search (e.g. haniya)", id="search-input")
            field.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield field
            yield Label(Content(""), id="search-status")
            yield OptionList(id="search-results")
            yield Label(Content("↑↓ choose · Enter opens · Esc closes · n/N later walk the hits"), classes="dialog-hint")

    def on_mount(self) -> None:
        self._search_loop()
        if self.hits:
            self._fill(self.hits, hit_options(self.hits))
        if self.initial:
            self._submit_query(self.initial)

    def on_unmount(self) -> None:
        self._queries.put(None)  # ends the worker's loop

    def on_key(self, event: events.Key) -> None:
        """Letters typed right after "/" reach this dialog before its field has focus (the "/"
        binding is a priority one so they do not go to the main screen): they belong to the field."""
        field = self.query_one("#search-input", Input)
        if not field.has_focus and event.is_printable and event.character:
            field.focus()
            field.insert_text_at_cursor(event.character)
            event.stop()

    # --- typing -> worker --------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._submit_query(event.value)

    def _submit_query(self, text: str) -> None:
        self.generation += 1
        self._queries.put((self.generation, text))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_loop(self) -> None:
        from db.search import Searcher

        worker = get_current_worker()
        store = self.app.store.reopen()
        try:
            searcher = Searcher(store)
            while not worker.is_cancelled:
                item = self._queries.get()
                if item is None:
                    return
                # No fixed debounce: an idle worker searches the first keystroke at once; keystrokes
                # typed while it searched queue up, and only the newest of them is searched next.
                while True:
                    try:
                        newer = self._queries.get_nowait()
                    except queue.Empty:
                        break
                    if newer is None:
                        return
                    item = newer
                generation, text = item
                try:
                    results = searcher.search(text, limit=100)
                except Exception as exc:  # the search must never take the screen down
                    from db.search import SearchResults

                    results = SearchResults(query=text, message=f"search failed: {exc}")
                self.post_message(self.Results(generation, results, hit_options(results.hits)))
        finally:
            store.close()

    def on_search_screen_results(self, message: "SearchScreen.Results") -> None:
        message.stop()
        if message.generation < self.shown_generation or message.generation != self.generation:
            return  # an older query: a newer one is on its way or shown
        self.shown_generation = message.generation
        results = message.results
        status = self.query_one("#search-status", Label)
        if results.message:
            status.update(Content(one_line(results.message)), layout=False)
            self._fill([], [])
            return
        query = self.query_one(Input).value.strip()
        if not query:
            status.update(Content(""), layout=False)
        else:
            count = len(results.hits)
            timing = f" · {results.elapsed_ms:.0f} ms" if SHOW_TIMING else ""
            status.update(Content(f"{count} hit{'s' if count != 1 else ''}{timing}"), layout=False)
        self._fill(results.hits, message.options)
        if self._open_when_ready:
            self._open_when_ready = False
            if self.hits:
                self.dismiss((self.hits, 0, self.query_one(Input).value))

    def _fill(self, hits: list, prompts: list[Option]) -> None:
        """Show the hits: a screenful at once, the rest after that frame is painted (laying out
        100 options costs more than a keystroke may)."""
        self.hits = hits
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(prompts[:FIRST_SCREENFUL])
        if hits:
            options.highlighted = 0
        if len(prompts) > FIRST_SCREENFUL:
            generation = self.shown_generation
            self.call_after_refresh(self._fill_rest, generation, prompts[FIRST_SCREENFUL:])

    def _fill_rest(self, generation: int, rest: list[Option]) -> None:
        if generation == self.shown_generation:  # not replaced by newer results meanwhile
            self.query_one(OptionList).add_options(rest)

    # --- choosing ------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if not self.hits:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if self.shown_generation != self.generation:
            self._open_when_ready = True
            return
        if self.hits and options.highlighted is not None:
            self.dismiss((self.hits, options.highlighted, self.query_one(Input).value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((self.hits, int(event.option.id), self.query_one(Input).value))

    def action_cancel(self) -> None:
        self.dismiss((self.hits, None, self.query_one(Input).value))
