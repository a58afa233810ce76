"""The triage screen: queue, reader, claims and entities.

All keys come from :mod:`tui.commands`; each ``action_*`` here is one command. Actions act on
the focused pane, and on the selection when there is one. Every change goes through the store
(one transaction, one audit batch) and the panes are then re-read from it, so what the screen
shows is what is saved.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static

from db.errors import StoreError
from db.models import REPORT_STATUSES
from db.store import ReportFilter
from db.text_safety import one_line

from ..database_watch import WatchesDatabase
from ..actions.annotations import AnnotationActions
from ..actions.app_level import AppActions
from ..actions.citations import CitationActions
from ..actions.corrections import CorrectionActions
from ..actions.grading import GradingActions
from ..actions.hypotheses import HypothesisActions
from ..actions.search import SearchActions
from ..actions.triage import TriageActions
from ..commands import COMMANDS, bindings, keys_for
from ..feed_actions import FeedActions
from ..feed_poller import FeedPoller
from ..widgets.claims import ClaimsList
from ..widgets.entities import EntitiesPane, EntityList, RelatedReports
from ..widgets.queue import ReportQueue
from ..widgets.reader import Reader
from ..choices import Choice
from ..widgets.chooser import CHOOSER_ACTIONS, CHOOSER_BINDINGS, Chooser
from ..actions.read_and_flagged import mark_opened_read
from .typed_ahead import note_passing

from ..panes import BY_NAME, PANE_NAMES, PANES
from ..wording import retitle
from ..actions.crossreport import CrossReportActions

NARROW_BELOW = 120  # columns: below this one pane shows at a time
LISTS_DELAY = 0.08  # seconds the queue cursor rests before the claims and entities panes follow it


class MainCommands(Provider):
    """The command palette: every command of the table, with its key."""

    def _hits(self):
        screen = self.screen
        keymap = getattr(self.app, "keymap", {})
        for command in COMMANDS:
            keys = keys_for(command, keymap)
            text = command.description if command.description.lower() in command.help.lower() else \
                f"{command.description}: {command.help}"
            help_text = f"{command.help} · key {keys}" if keys else command.help
            yield command, text, help_text, partial(screen.run_action, command.action)

    async def discover(self) -> Hits:
        for _command, text, help_text, run in self._hits():
            yield DiscoveryHit(text, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for _command, text, help_text, run in self._hits():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run, help=help_text)


class MainScreen(TriageActions, GradingActions, AnnotationActions, SearchActions, CitationActions,
                 HypothesisActions, CorrectionActions, CrossReportActions, FeedActions, AppActions,
                 WatchesDatabase, Screen):
    BINDINGS = [*CHOOSER_BINDINGS, *bindings()]  # first: while the chooser is open its keys win
    COMMANDS = {MainCommands}
    CSS_PATH = ["main.tcss", "../widgets/panes.tcss"]

    def __init__(self) -> None:
        super().__init__(id="main")
        self.pane = "queue"
        self.narrow = False
        self.loaded_id: int | None = None
        self._pending_lists = None  # Timer: claims and entities waiting for the queue cursor to rest
        self.search_hits: list = []
        self.search_index: int | None = None
        self.search_query = ""
        self.import_running = False
        self._chosen_for: tuple = ()  # the cursors when the chooser opened
        self._chooser: Chooser | None = None

    @property
    def store(self):
        return self.app.store

    # --- layout ----------------------------------------------------------------------------

    def compose(self):
        yield Static(Content(""), id="topbar")
        with Horizontal(id="panes"):
            with Vertical(id="queue-pane"):
                yield ReportQueue(self.store, id="queue")
            with Vertical(id="right"):
                yield Reader(id="reader")
                with Horizontal(id="lower"):
                    yield ClaimsList(id="claims")
                    yield EntitiesPane(id="entities")
        yield Label(Content(""), id="statusbar")
        yield FeedPoller(id="feeds")
        yield Footer(compact=True)
        yield Chooser(id="chooser")

    def on_mount(self) -> None:
        for pane in PANES:
            self.query_one(pane.box).border_title = pane.title
        self.query_one(ClaimsList).dim_below = self.app.config.dim_claims_below
        self._apply_width(self.app.size.width)
        self.set_pane("queue")
        first = getattr(self.app, "first_run_import", None)
        if first == "demo":  # the welcome to an empty case file would be a false first sight of the demo
            self.queue.arriving = "Loading the demo corpus…"
        self.queue.reload()
        self.queue.move_to_newest_new()
        self.update_topbar()
        self.watch_database()
        if first:
            self.start_import(first, demo=first == "demo")

    @property
    def queue(self) -> ReportQueue:
        return self.query_one(ReportQueue)

    @property
    def claims(self) -> ClaimsList:
        self._flush_pending_lists()
        return self.query_one(ClaimsList)

    @property
    def entities(self) -> EntitiesPane:
        self._flush_pending_lists()
        return self.query_one(EntitiesPane)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def chooser(self) -> Chooser:
        # Kept: check_action asks for it once per binding whenever the Footer is drawn.
        if self._chooser is None:
            self._chooser = self.query_one(Chooser)
        return self._chooser

    # --- the chooser ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the chooser is open only its keys act (the Footer shows Esc), as behind a dialog."""
        return (action in CHOOSER_ACTIONS) == self.chooser.is_open

    def open_chooser(self, title: str, choices: list[Choice], on_choice, *, subtitle: Content | str = "",
                     current: object = None) -> None:
        """A one-key choice over the screen; ``on_choice`` gets the value."""
        self.chooser.open(title, choices, on_choice, subtitle=subtitle, current=current)
        self._chosen_for = self._cursors()
        self.refresh_bindings()

    def _cursors(self) -> tuple:
        return self.queue.cursor, self.query_one(ClaimsList).highlighted

    def _cancel_choice_if_cursor_moved(self) -> None:
        """A click moved a cursor: the open choice was for what was under it before. (A move
        announced late, from a key pressed before the chooser opened, changes nothing.)"""
        if self.chooser.is_open and self._cursors() != self._chosen_for:
            self.chooser.close()

    def on_chooser_closed(self, message: Chooser.Closed) -> None:
        self.refresh_bindings()

    def action_choose(self, key: str) -> None:
        self.chooser.choose(key)

    def action_choose_highlighted(self) -> None:
        self.chooser.choose_highlighted()

    def action_move_choice(self, step: int) -> None:
        self.chooser.move(step)

    def action_cancel_choice(self) -> None:
        self.chooser.close()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def on_screen_resume(self) -> None:
        self.app.show_held_notification()  # a message that waited for the search dialog to close

    def on_key(self, event) -> None:
        note_passing(self, event)  # keys typed right after the one that opens a text dialog go to it

    def _apply_width(self, width: int) -> None:
        self.narrow = width < NARROW_BELOW
        self.set_class(self.narrow, "-narrow")
        if self.is_mounted:
            # At 80 columns the Footer needs every cell for keys; the top bar names Ctrl+P instead.
            self.query_one(Footer).show_command_palette = not self.narrow
        self.update_topbar()

    def set_pane(self, pane: str) -> None:
        self.pane = pane
        for name in PANE_NAMES:
            self.set_class(name == pane, f"-pane-{name}")
        self.update_topbar()

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        for pane in PANES:
            target = self.query_one(pane.box)
            if widget is target or target in widget.ancestors:
                if pane.name != self.pane:
                    self.set_pane(pane.name)
                return

    def focus_named_pane(self, pane: str) -> None:
        self.set_pane(pane)  # first make it visible (narrow layout), then focus it

        def focus() -> None:
            if pane in ("claims", "entities"):
                self._flush_pending_lists()  # the lists of the report under the cursor, not the last one
            self.query_one(BY_NAME[pane].focus).focus()

        self.call_after_refresh(focus)
        focus()

    def update_topbar(self) -> None:
        if not self.is_mounted:
            return
        try:
            counts = self.store.status_counts()
        except StoreError:
            counts = {s: 0 for s in REPORT_STATUSES}
        queue = self.queue
        view = "/".join(queue.filter.statuses) or "all"
        parts: list = [
            ("● ", "bold $text-accent"), (f"{counts['new']} new", "bold"), "  ",
            (f"{counts['read']} read", ""), "  ",
            (f"⚑ {counts['flagged']}", "$text-warning"), "  ",
            (f"✗ {counts['dismissed']}", "dim"), "  │ ",
            ("view ", "dim"), (f"{view} ({queue.total})", "bold"),
        ]
        if queue.selected or self.claims.selected:
            selected = len(queue.selected) + len(self.claims.selected)
            parts += ["  │ ", (f"{selected} selected", "bold reverse")]
        hypothesis = self.store.active_hypothesis()
        if not self.narrow or not (queue.selected or self.claims.selected):
            parts += ["  │ ", ("H ", "dim"),
                      (one_line(hypothesis.title, 40 if not self.narrow else 24) if hypothesis else "no hypothesis",
                       "italic")]
        if self.narrow:
            tabs: list = ["\n"]
            for pane in PANES:
                tabs += [(f" {pane.title} ", "bold reverse" if pane.name == self.pane else "dim"), " "]
            tabs.append(("Tab: next · ^P: commands", "dim"))
            parts += tabs
        self.query_one("#topbar", Static).update(Content.assemble(*parts))
        retitle(self.query_one("#queue-pane"), f"Queue · {view} ({queue.total})")

    # --- loading the current report -------------------------------------------------------------

    def on_report_queue_cursor_moved(self, message: ReportQueue.CursorMoved) -> None:
        self._cancel_choice_if_cursor_moved()
        if message.report_id != self.loaded_id:
            self.load_report(message.report_id)

    def load_report(self, report_id: int | None, *, focus_claim: int | None = None,
                    focus_entity: int | None = None, scroll_home: bool = True, lists_later: bool = False) -> None:
        """Show a report in the reader, claims and entities panes. ``lists_later``: the claims and
        entities follow once the queue cursor rests (LISTS_DELAY), so running down the queue
        paints the cursor and the report only."""
        self.loaded_id = report_id
        self._drop_pending_lists()
        claims_list = self.query_one(ClaimsList)
        entities = self.query_one(EntitiesPane)
        if report_id is None:
            self.reader.show(None, [], [], [])
            claims_list.show(None, [])
            retitle(claims_list, "Claims")
            entities.show([])
            return
        store = self.store
        try:
            report = store.get_report(report_id)
        except StoreError:
            self.reader.show(None, [], [], [])
            return
        claims = self._report_claims(report_id)
        retitle(self.reader, f"Report {report.id}")
        mentions, cited = store.mentions_for_report(report_id), store.cited_sources_for_report(report_id)
        if lists_later:
            self.reader.show(report, claims, mentions, cited, scroll_home=scroll_home)
            self._pending_lists = self.set_timer(LISTS_DELAY, partial(self._show_lists, report_id, claims))
            return
        if focus_claim is None and report_id == claims_list.report_id and claims_list.current():
            focus_claim = claims_list.current().id
        self._show_lists(report_id, claims, focus_claim=focus_claim, focus_entity=focus_entity)
        current_claim = claims_list.current()
        self.reader.show(report, claims, mentions, cited,
                         focused_claim=current_claim.id if current_claim and self.pane == "claims" else focus_claim,
                         scroll_home=scroll_home)

    def _show_lists(self, report_id: int, claims: list, *, focus_claim: int | None = None,
                    focus_entity: int | None = None) -> None:
        self._pending_lists = None
        claims_list = self.query_one(ClaimsList)
        claims_list.show(report_id, claims, keep_claim=focus_claim)
        retitle(claims_list, f"Claims of report {report_id} ({len(claims)})")
        entities = self.query_one(EntitiesPane)
        entities.show(self.store.entities_for_report(report_id), keep_entity=focus_entity, report_id=report_id)
        if focus_entity is not None:
            entity = entities.current_entity()
            if entity is not None:
                entities.show_related(entity, self.store.reports_mentioning(entity.id, exclude_report=report_id))

    def _drop_pending_lists(self) -> None:
        if self._pending_lists is not None:
            self._pending_lists.stop()
            self._pending_lists = None

    def _flush_pending_lists(self) -> None:
        """Fill the claims and entities panes now if they are still waiting for the cursor to rest:
        whatever reads them next must see the report in the reader, never the one before."""
        timer = self._pending_lists
        if timer is not None:
            timer.stop()
            self._pending_lists = None
            if self.loaded_id is not None:
                self._show_lists(self.loaded_id, self._report_claims(self.loaded_id))

    def refresh_after_change(self) -> None:
        """Re-read what a change may have touched; the cursor stays where it is."""
        self.queue.reload()
        self.load_report(self.loaded_id, scroll_home=False)
        self.update_topbar()
        self._data_version = self.store.data_version()

    def refresh_after_grade(self) -> None:
        """After a grade or a stance: the same reports and claims, some reading differently. Only
        what shows a grade is re-read and repainted (queue rows, the reader's header, claim
        prompts): the body, mentions and entities cannot have changed, and repainting the
        whole screen costs a frame 3-4x more at 160 columns."""
        if self._grades_filter_queue():  # the graded report may leave the queue
            self.refresh_after_change()
            return
        self.queue.reload_rows()
        report = self._current_report()
        if report is not None:
            self.reader.show_header(report)
            retitle(self.reader, f"Report {report.id}")
            self.claims.show(report.id, self._report_claims(report.id))
        self._data_version = self.store.data_version()

    def _grades_filter_queue(self) -> bool:
        flt = self.queue.filter
        return bool(flt.reliability or flt.credibility)

    def reread_changed(self) -> None:
        """Another process (a CLI import, a second instance, a feed poll) committed a change."""
        self.refresh_after_change()

    def on_claims_list_claim_highlighted(self, message: ClaimsList.ClaimHighlighted) -> None:
        self._cancel_choice_if_cursor_moved()
        if message.claim is None or self.reader.report is None or self.pane != "claims":
            return
        self._show_claim_in_reader(message.claim)

    def _show_claim_in_reader(self, claim) -> None:
        report_id = self.loaded_id
        if report_id is None:
            return
        store = self.store
        self.reader.show(self.reader.report, self.claims.claims, store.mentions_for_report(report_id),
                         store.cited_sources_for_report(report_id), focused_claim=claim.id, scroll_home=False)
        self.reader.scroll_to_claim(claim)

    # --- moving ------------------------------------------------------------------------------

    def _focused_list(self) -> OptionList | None:
        focused = self.app.focused
        return focused if isinstance(focused, OptionList) else None

    def _move(self, queue_method: str, list_action: str, reader_action: str) -> None:
        if self.pane == "queue":
            queue = self.queue
            getattr(queue, queue_method)()
            current = queue.current()
            if current is not None and current.id != self.loaded_id:
                # Here rather than on the queue's CursorMoved message: then the cursor and the report
                # it opens are painted in the same frame, not in two.
                self.load_report(current.id, lists_later=True)
        elif self.pane == "reader":
            getattr(self.reader, reader_action)(animate=False)
        else:
            options = self._focused_list()
            if options is not None:
                getattr(options, list_action)()

    def action_cursor_down(self) -> None:
        self._move("cursor_down", "action_cursor_down", "scroll_down")

    def action_cursor_up(self) -> None:
        self._move("cursor_up", "action_cursor_up", "scroll_up")

    def action_cursor_top(self) -> None:
        self._move("cursor_top", "action_first", "scroll_home")

    def action_cursor_bottom(self) -> None:
        self._move("cursor_bottom", "action_last", "scroll_end")

    def action_page_down(self) -> None:
        self._move("page_down", "action_page_down", "scroll_page_down")

    def action_page_up(self) -> None:
        self._move("page_up", "action_page_up", "scroll_page_up")

    def action_focus_pane(self, step: int) -> None:
        index = PANE_NAMES.index(self.pane)
        pane = PANE_NAMES[(index + step) % len(PANE_NAMES)]
        if pane == "entities" and self.app.focused is self.query_one(EntityList) and step > 0:
            pane = PANE_NAMES[0]
        self.focus_named_pane(pane)

    def action_open(self) -> None:
        if self.pane == "queue":
            current = self.queue.current()
            if current is None:
                return
            if current.status == "new":
                self._apply(lambda: self.store.set_status([current.id], "read"), None)
            self.focus_named_pane("reader")
        elif self.pane == "claims":
            claim = self.claims.current()
            if claim is not None:
                self._show_claim_in_reader(claim)
                if self.narrow:
                    self.focus_named_pane("reader")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_list = event.option_list
        if isinstance(option_list, ClaimsList):
            event.stop()
            self.action_open()
        elif isinstance(option_list, EntityList):
            event.stop()
            entity = self.entities.current_entity()
            if entity is not None:
                self.entities.show_related(entity, self.store.reports_mentioning(entity.id, exclude_report=self.loaded_id))
                self.query_one(RelatedReports).focus()
        elif isinstance(option_list, RelatedReports):
            event.stop()
            summary = self.entities.current_related()
            if summary is not None:
                self.jump_to_report(summary.id)
                mark_opened_read(self, summary.id)
                self.focus_named_pane("reader")

    def action_back(self, quit_at_top: bool = True) -> None:
        if self.queue.selected or self.claims.selected:
            self.action_clear_selection()
        elif self.pane != "queue":
            self.focus_named_pane("queue")
        elif quit_at_top:
            self.app.exit()

    def jump_to_report(self, report_id: int, *, claim_id: int | None = None, entity_id: int | None = None) -> None:
        """Show a report found elsewhere (search, related list), widening the view when it is filtered out."""
        queue = self.queue
        index = queue.index_of(report_id)
        if index is None and queue.filter != ReportFilter():
            queue.set_filter(ReportFilter())
            self.notify("View changed to all reports to show it.", markup=False)
            index = queue.index_of(report_id)
        self.load_report(report_id, focus_claim=claim_id, focus_entity=entity_id)
        if index is not None:
            queue.move_to(index)
        self.update_topbar()

    # --- changes ---------------------------------------------------------------------------------

    def _apply(self, change, message: str | None, *, grade_only: bool = False) -> bool:
        """Run one store change; say what happened; re-read the panes. Errors become a message.
        ``grade_only``: the change graded or took a stance, nothing else (a cheaper refresh)."""
        try:
            changed = change()
        except StoreError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            return False
        if grade_only:
            self.refresh_after_grade()
        else:
            self.refresh_after_change()
        if message:
            self.notify(message if changed or changed is None else message + " (no change)", markup=False)
        return True

    def _current_report(self):
        if self.loaded_id is None:
            return None
        try:
            return self.store.get_report(self.loaded_id)
        except StoreError:
            return None

    def _source_targets(self) -> list:
        """Sources of the targeted reports (distinct, in order)."""
        sources = {}
        for report_id in self._report_targets():
            report = self.store.get_report(report_id)
            if report.source is not None:
                sources.setdefault(report.source.id, report.source)
        return list(sources.values())

    def _claim_targets(self) -> list[int]:
        if self.claims.selected:
            return self.claims.target_ids()
        if self.pane == "claims":
            return self.claims.target_ids()
        return []
