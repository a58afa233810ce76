"""The triage screen: queue, reader, claims and entities.

All keys come from :mod:`tui.commands`; each ``action_*`` here is one command. Actions act on
the focused pane, and on the selection when there is one. Every change goes through the store
(one transaction, one audit batch) and the panes are then re-read from it, so what the screen
shows is what is saved.
"""

from __future__ import annotations

from functools import partial

from textual import work
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static

from db.errors import StoreError
from db.models import CREDIBILITY_LABELS, RELIABILITY_LABELS, REPORT_STATUSES
from db.store import ReportFilter
from db.text_safety import one_line

from ..clipboard import copy_text
from ..commands import COMMANDS, bindings, keys_for
from ..messages import ImportFinished, ImportProgress
from ..widgets.claims import ClaimsList
from ..widgets.entities import EntitiesPane, EntityList, RelatedReports
from ..widgets.queue import ReportQueue
from ..widgets.reader import Reader
from ..choices import Choice, credibility_choices, dim_threshold_choices, reliability_choices, stance_choices
from ..widgets.chooser import CHOOSER_ACTIONS, CHOOSER_BINDINGS, Chooser
from .pickers import ChoiceScreen, TextPrompt

PANES = ("queue", "reader", "claims", "entities")
NARROW_BELOW = 120  # columns: below this one pane shows at a time
FILTER_CYCLE = ((), ("new",), ("flagged",), ("read",), ("dismissed",))
POLL_SECONDS = 1.5
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


class MainScreen(Screen):
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
        self._data_version: int | None = None
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
        yield Footer(compact=True)
        yield Chooser(id="chooser")

    def on_mount(self) -> None:
        self.query_one("#queue-pane").border_title = "Queue"
        self.query_one(Reader).border_title = "Report"
        self.query_one(ClaimsList).border_title = "Claims"
        self.query_one(ClaimsList).dim_below = self.app.config.dim_claims_below
        self.query_one(EntitiesPane).border_title = "Entities"
        self._apply_width(self.app.size.width)
        self.set_pane("queue")
        self.queue.reload()
        self.update_topbar()
        self._data_version = self.store.data_version()
        self.set_interval(POLL_SECONDS, self.poll_database)
        first = getattr(self.app, "first_run_import", None)
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

    def _apply_width(self, width: int) -> None:
        self.narrow = width < NARROW_BELOW
        self.set_class(self.narrow, "-narrow")
        if self.is_mounted:
            # At 80 columns the Footer needs every cell for keys; the top bar names Ctrl+P instead.
            self.query_one(Footer).show_command_palette = not self.narrow
        self.update_topbar()

    def set_pane(self, pane: str) -> None:
        self.pane = pane
        for name in PANES:
            self.set_class(name == pane, f"-pane-{name}")
        self.update_topbar()

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        for name, node in (("queue", "#queue-pane"), ("reader", "#reader"), ("claims", "#claims"),
                           ("entities", "#entities")):
            target = self.query_one(node)
            if widget is target or target in widget.ancestors:
                if name != self.pane:
                    self.set_pane(name)
                return

    def focus_named_pane(self, pane: str) -> None:
        self.set_pane(pane)  # first make it visible (narrow layout), then focus it

        def focus() -> None:
            if pane == "queue":
                self.queue.focus()
            elif pane == "reader":
                self.reader.focus()
            elif pane == "claims":
                self.claims.focus()
            else:
                self.query_one(EntityList).focus()

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
            for name, label in zip(PANES, ("Queue", "Report", "Claims", "Entities")):
                tabs += [(f" {label} ", "bold reverse" if name == self.pane else "dim"), " "]
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
            entities.show([])
            return
        store = self.store
        try:
            report = store.get_report(report_id)
        except StoreError:
            self.reader.show(None, [], [], [])
            return
        claims = store.claims_for_report(report_id)
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
        retitle(claims_list, f"Claims ({len(claims)})")
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
                self._show_lists(self.loaded_id, self.store.claims_for_report(self.loaded_id))

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
            self.claims.show(report.id, self.store.claims_for_report(report.id))
        self._data_version = self.store.data_version()

    def _grades_filter_queue(self) -> bool:
        flt = self.queue.filter
        return bool(flt.reliability or flt.credibility)

    def poll_database(self) -> None:
        """Pick up changes another process (a CLI import, a second instance) committed."""
        try:
            version = self.store.data_version()
        except StoreError:
            return
        if version != self._data_version:
            self._data_version = version
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
        index = PANES.index(self.pane)
        pane = PANES[(index + step) % len(PANES)]
        if pane == "entities" and self.app.focused is self.query_one(EntityList) and step > 0:
            pane = PANES[0]
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

    # --- selection and triage --------------------------------------------------------------------

    def action_toggle_select(self) -> None:
        if self.pane == "claims":
            self.claims.toggle_select()
        elif self.pane == "queue":
            self.queue.toggle_select()
        else:
            self.notify("Select rows in the queue or the claims pane.", markup=False)
        self.update_topbar()

    def action_clear_selection(self) -> None:
        self.queue.selected.clear()
        self.queue.refresh()
        self.claims.clear_selection()
        self.update_topbar()

    def _report_targets(self) -> list[int]:
        return self.queue.target_ids()

    def _statuses(self, ids: list[int]) -> dict[int, str]:
        rows = self.store.list_reports(ReportFilter(ids=tuple(ids)), limit=len(ids) or 1)
        return {r.id: r.status for r in rows}

    def action_toggle_read(self) -> None:
        ids = self._report_targets()
        if not ids:
            return
        statuses = self._statuses(ids)
        new_status = "new" if all(s == "read" for s in statuses.values()) else "read"
        self._apply(lambda: self.store.set_status(ids, new_status), f"Marked {_count(ids, 'report')} {new_status}")

    def action_toggle_status(self, status: str) -> None:
        ids = self._report_targets()
        if not ids:
            return
        statuses = self._statuses(ids)
        undo = all(s == status for s in statuses.values())
        new_status = "read" if undo else status
        word = {"flagged": "Unflagged" if undo else "Flagged", "dismissed": "Restored" if undo else "Dismissed"}[status]
        moved = self._apply(lambda: self.store.set_status(ids, new_status), f"{word} {_count(ids, 'report')}")
        if moved and status == "dismissed" and not undo and not self.queue.selected and not self.queue.filter.statuses:
            self.queue.cursor_down()

    def action_next_new(self) -> None:
        current = self.queue.current()
        next_id = self.store.next_report(current.id if current else None, status="new", flt=self.queue.filter
                                         if "new" in self.queue.filter.statuses or not self.queue.filter.statuses
                                         else ReportFilter())
        if next_id is None:
            self.notify("No new reports left.", markup=False)
            return
        self.jump_to_report(next_id)

    def action_cycle_filter(self) -> None:
        current = self.queue.filter.statuses
        index = FILTER_CYCLE.index(current) if current in FILTER_CYCLE else 0
        self.set_status_filter(FILTER_CYCLE[(index + 1) % len(FILTER_CYCLE)])

    def set_status_filter(self, statuses: tuple[str, ...]) -> None:
        self.queue.set_filter(ReportFilter(statuses=statuses))
        self.update_topbar()
        self.focus_named_pane("queue")

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

    def action_grade_reliability(self) -> None:
        sources = self._source_targets()
        if not sources:
            self.notify("This report has no known source to grade.", severity="warning", markup=False)
            return
        names = ", ".join(one_line(s.name, 30) for s in sources[:3]) + (" …" if len(sources) > 3 else "")
        current = sources[0].reliability if len(sources) == 1 else None

        def chosen(grade) -> None:
            label = RELIABILITY_LABELS[grade][0]
            self._apply(lambda: self.store.set_source_reliability([s.id for s in sources], grade),
                        f"Source reliability {grade} ({label}): {names}", grade_only=True)

        self.open_chooser("Source reliability", reliability_choices(), chosen,
                          subtitle=Content.assemble(("Source: ", "dim"), names), current=current)

    def action_grade_credibility(self) -> None:
        claim_ids = self._claim_targets()
        if claim_ids:
            kind, ids = "claim", claim_ids
            current = self.claims.current().credibility if len(ids) == 1 and self.claims.current() else None
        else:
            kind, ids = "report", self._report_targets()
            current = self.queue.current().credibility if len(ids) == 1 and self.queue.current() else None
        if not ids:
            return

        def chosen(grade) -> None:
            setter = self.store.set_claim_credibility if kind == "claim" else self.store.set_report_credibility
            self._apply(lambda: setter(ids, grade),
                        f"Credibility {grade} ({CREDIBILITY_LABELS[grade][0]}) on {_count(ids, kind)}",
                        grade_only=True)

        self.open_chooser(f"Information credibility of {_count(ids, kind)}", credibility_choices(), chosen,
                          current=current)

    def action_grade_stance(self) -> None:
        ids = self._claim_targets()
        if not ids:
            if self.claims.current() is None:
                self.notify("This report has no claims to take a stance on.", severity="warning", markup=False)
                return
            ids = [self.claims.current().id]  # from the queue or reader: the claim under the claims cursor
        hypothesis = self.store.active_hypothesis()
        if hypothesis is None:
            self.notify("No active hypothesis: create one from the palette (Ctrl+P, New hypothesis).",
                        severity="warning", markup=False)
            return
        current = self.claims.current().stance if len(ids) == 1 and self.claims.current() else None

        def chosen(stance) -> None:
            value = None if stance == "clear" else stance
            self._apply(lambda: self.store.set_stance(ids, value),
                        f"Stance {stance} on {_count(ids, 'claim')}", grade_only=True)

        self.open_chooser(f"Stance of {_count(ids, 'claim')} toward the hypothesis", stance_choices(), chosen,
                          subtitle=Content(one_line(hypothesis.title, 70)), current=current)

    def action_edit_affiliation(self) -> None:
        sources = self._source_targets()
        if not sources:
            self.notify("This report has no known source.", severity="warning", markup=False)
            return
        source = sources[0]

        def chosen(label) -> None:
            if label is None:
                return
            self._apply(lambda: self.store.set_source_affiliation(source.id, label),
                        f"Affiliation of {one_line(source.name, 30)}: {one_line(label, 40) or 'cleared'}")

        self.app.push_screen(TextPrompt("Source affiliation or stance label",
                                        subtitle=Content.assemble(("Source: ", "dim"), one_line(source.name, 60)),
                                        value=source.affiliation or "", placeholder="e.g. pro-Iran, Kataib Hezbollah-affiliated"),
                             chosen)

    def action_link_claims(self) -> None:
        """First L marks the claim under the cursor; L on another claim (in any report) links the two."""
        claim_ids = self._claim_targets()
        if not claim_ids:
            self.notify("Go to the claims pane (Tab) to link claims.", severity="warning", markup=False)
            return
        current = claim_ids[0]
        marked = getattr(self, "marked_claim", None)
        if marked is None or marked == current:
            self.marked_claim = None if marked == current else current
            self.notify(f"Claim {current} marked: press L on a claim that corroborates or contradicts it."
                        if self.marked_claim else "Mark cleared.", markup=False)
            return
        choices = [Choice("c", "corroborates", "corroborates", "the same thing, independently reported"),
                   Choice("x", "contradicts", "contradicts", "both cannot be true"),
                   Choice("d", "duplicates", "duplicates", "the same report relayed: never counts as confirmation")]

        def chosen(kind) -> None:
            if kind is None:
                return
            self.marked_claim = None
            self._apply(lambda: self.store.relate_claims(marked, current, kind),
                        f"Claim {current} {kind} claim {marked} (u undoes)")

        self.app.push_screen(ChoiceScreen(f"Claim {current} … the marked claim {marked}: how do they relate?", choices), chosen)

    def action_edit_speaker(self) -> None:
        claim_ids = self._claim_targets()
        if not claim_ids:
            self.notify("Go to the claims pane (Tab) to correct who said a claim.", severity="warning", markup=False)
            return
        current = self.store.get_claim(claim_ids[0])

        def chosen(speaker) -> None:
            if speaker is None:
                return
            self._apply(lambda: self.store.set_claim_speaker(claim_ids, speaker),
                        f"Speaker of {_count(claim_ids, 'claim')}: {one_line(speaker, 40) or 'cleared'}")

        written = Content.assemble(("As written: ", "dim"), one_line(current.speaker or "(none)", 60))
        self.app.push_screen(TextPrompt(f"Who said it ({_count(claim_ids, 'claim')})", subtitle=written,
                                        value=current.speaker_resolved or current.speaker or "",
                                        placeholder="e.g. informed Iraqi sources"), chosen)

    def _annotation_target(self) -> tuple[str, list[int]]:
        claim_ids = self._claim_targets()
        if claim_ids:
            return "claim", claim_ids
        return "report", self._report_targets()

    def action_add_tag(self) -> None:
        kind, ids = self._annotation_target()
        if ids:
            self._ask_tag(kind, ids, add=True)

    def action_remove_tag(self) -> None:
        kind, ids = self._annotation_target()
        if ids:
            self._ask_tag(kind, ids, add=False)

    def action_add_source_tag(self) -> None:
        sources = self._source_targets()
        if sources:
            self._ask_tag("source", [s.id for s in sources], add=True)

    def _ask_tag(self, kind: str, ids: list[int], *, add: bool) -> None:
        def chosen(tag) -> None:
            if not tag or not tag.strip():
                return
            change = self.store.add_tag if add else self.store.remove_tag
            self._apply(lambda: change(kind, ids, tag.strip()),
                        f"{'Tagged' if add else 'Untagged'} {_count(ids, kind)}: {one_line(tag, 40)}")

        self.app.push_screen(TextPrompt(f"{'Add a tag to' if add else 'Remove a tag from'} {_count(ids, kind)}",
                                        placeholder="tag name"), chosen)

    def action_edit_note(self) -> None:
        kind, ids = self._annotation_target()
        if not ids:
            return
        target = ids[0]
        self._ask_note(kind, target)

    def action_edit_source_note(self) -> None:
        sources = self._source_targets()
        if sources:
            self._ask_note("source", sources[0].id)

    def _ask_note(self, kind: str, target: int) -> None:
        current = self.store.note_of(kind, target) or ""

        def chosen(text) -> None:
            if text is None:
                return
            self._apply(lambda: self.store.set_note(kind, target, text.strip() or None),
                        f"Note {'saved' if text.strip() else 'removed'} on {kind} {target}")

        self.app.push_screen(TextPrompt(f"Note on {kind} {target}", value=current,
                                        placeholder="empty removes the note"), chosen)

    def action_undo(self) -> None:
        try:
            what = self.store.undo()
        except StoreError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            return
        self.notify(f"Undone: {what}" if what else "Nothing to undo.", markup=False)
        self.refresh_after_change()

    # --- search --------------------------------------------------------------------------------

    def action_search(self) -> None:
        from .search import SearchScreen

        self.app.push_screen(SearchScreen(self.search_query, self.search_hits), self._search_done)

    def _search_done(self, result) -> None:
        if result is None:
            return
        hits, index, query = result
        self.search_hits, self.search_query = hits, query
        if index is not None:
            self.search_index = index
            self.open_hit(hits[index])

    def open_hit(self, hit) -> None:
        if hit.kind == "report":
            self.jump_to_report(hit.id)
            self.focus_named_pane("reader")
        elif hit.kind == "claim":
            self.jump_to_report(hit.report_id, claim_id=hit.id)
            self.focus_named_pane("claims")
            claim = self.claims.current()
            if claim is not None:
                self._show_claim_in_reader(claim)
        elif hit.kind == "entity":
            report_id = hit.report_id
            if report_id is None:
                mentioning = self.store.reports_mentioning(hit.id, limit=1)
                report_id = mentioning[0].id if mentioning else None
            if report_id is None:
                self.notify("No report names this entity.", markup=False)
                return
            self.jump_to_report(report_id, entity_id=hit.id)
            self.focus_named_pane("entities")

    def action_next_hit(self, step: int) -> None:
        if not self.search_hits:
            self.notify("No search results: press / to search.", markup=False)
            return
        index = 0 if self.search_index is None else (self.search_index + step) % len(self.search_hits)
        self.search_index = index
        self.notify(f"Hit {index + 1} of {len(self.search_hits)}", markup=False, timeout=1.5)
        self.open_hit(self.search_hits[index])

    # --- citations -----------------------------------------------------------------------------

    def _citation(self, style: str) -> tuple[str, str] | None:
        """(text, what) for the focused claim, the selected reports, or the current report."""
        from db.cite import cite_claim, cite_report

        report = self._current_report()
        if report is None:
            return None
        claim_ids = self._claim_targets()
        if claim_ids:
            claims = self.store.claims_by_ids(claim_ids)
            text = "\n".join(cite_claim(c, report, style, container=report.container) for c in claims)
            return text, _count(claim_ids, "claim")
        if self.queue.selected:
            reports = [self.store.get_report(i) for i in self.queue.target_ids()]
            text = "\n".join(cite_report(r, style, container=r.container) for r in reports)
            return text, _count(reports, "report")
        return cite_report(report, style, container=report.container), f"report {report.id}"

    def copy_citation(self, style: str) -> None:
        from db.cite import STYLES

        try:
            found = self._citation(style)
        except (StoreError, ValueError) as exc:
            self.notify(f"Cannot cite: {one_line(str(exc))}", severity="error", markup=False)
            return
        if found is None:
            self.notify("Nothing to cite: open a report first.", markup=False)
            return
        text, what = found
        result = copy_text(self.app, text)
        preview = one_line(text, 160)
        severity = "information" if result.ok else "error"
        self.notify(f"Copied {STYLES.get(style, style)} citation of {what} {result.how()}.\n{preview}",
                    severity=severity, markup=False, timeout=6)

    def action_copy_citation(self) -> None:
        self.copy_citation(self.app.config.citation_style)

    def _style_choices(self) -> list[Choice]:
        from db.cite import STYLES

        return [Choice(str(i + 1), style, label, style) for i, (style, label) in enumerate(STYLES.items())]

    def action_pick_citation(self) -> None:
        def chosen(style) -> None:
            if style:
                self.copy_citation(style)

        self.app.push_screen(ChoiceScreen("Copy the citation as", self._style_choices(),
                                          current=self.app.config.citation_style), chosen)

    def action_choose_default_style(self) -> None:
        def chosen(style) -> None:
            if style:
                self.app.config.citation_style = style
                self.app.save_config()
                self.notify(f"y now copies {style} citations.", markup=False)

        self.app.push_screen(ChoiceScreen("Default citation style (y)", self._style_choices(),
                                          current=self.app.config.citation_style), chosen)

    def action_choose_dim_threshold(self) -> None:
        current = self.app.config.dim_claims_below

        def chosen(threshold) -> None:
            if threshold is None:
                return
            self.app.config.dim_claims_below = threshold
            self.app.save_config()
            self.query_one(ClaimsList).set_dim_below(threshold)
            told = "No claim is dimmed." if threshold == 0 else \
                f"Claims under {round(100 * threshold)}% confidence are dimmed."
            self.notify(told, markup=False)

        self.app.push_screen(ChoiceScreen("Dim claims whose confidence is below", dim_threshold_choices(),
                                          current=current), chosen)

    # --- hypotheses ----------------------------------------------------------------------------

    def action_new_hypothesis(self) -> None:
        def chosen(title) -> None:
            if title and title.strip():
                self._apply(lambda: self.store.create_hypothesis(title), f"Active hypothesis: {one_line(title, 60)}")

        self.app.push_screen(TextPrompt("New hypothesis (becomes the active one)",
                                        placeholder="e.g. Hamas is moving its political office to Baghdad"), chosen)

    def action_rename_hypothesis(self) -> None:
        hypothesis = self.store.active_hypothesis()
        if hypothesis is None:
            self.action_new_hypothesis()
            return

        def chosen(title) -> None:
            if title and title.strip():
                self._apply(lambda: self.store.rename_hypothesis(hypothesis.id, title),
                            f"Hypothesis renamed: {one_line(title, 60)}")

        self.app.push_screen(TextPrompt("Rename the active hypothesis", value=hypothesis.title), chosen)

    def action_switch_hypothesis(self) -> None:
        hypotheses = self.store.list_hypotheses()
        if not hypotheses:
            self.action_new_hypothesis()
            return
        keys = "123456789abcdefghilmnoprstuvwxyz"
        choices = [Choice(keys[i], h.id, one_line(h.title, 70)) for i, h in enumerate(hypotheses[:len(keys)])]
        current = next((h.id for h in hypotheses if h.active), None)

        def chosen(hypothesis_id) -> None:
            if hypothesis_id is not None:
                title = next(h.title for h in hypotheses if h.id == hypothesis_id)
                self._apply(lambda: self.store.activate_hypothesis(hypothesis_id),
                            f"Active hypothesis: {one_line(title, 60)}")

        self.app.push_screen(ChoiceScreen("Active hypothesis (claims show stance toward it)", choices,
                                          current=current), chosen)

    def action_review_merges(self) -> None:
        """Close spellings the importer proposed as one entity: the analyst decides, nothing merges silently."""
        proposals = self.store.merge_proposals()
        if not proposals:
            self.notify("No proposed merges: close spellings of names are proposed after each import.", markup=False)
            return
        keys = "123456789abcdefghilmnoprstuvwxyz"
        choices = [Choice(keys[i], (a, b), f"{one_line(a.name, 32)}  ~  {one_line(b.name, 32)}",
                          f"{a.type} · {a.mention_count} and {b.mention_count} mentions · similarity {score:.0f}")
                   for i, (a, b, score) in enumerate(proposals[:len(keys)])]

        def decide(pair) -> None:
            if pair is None:
                return
            a, b = pair
            actions = [Choice("m", ("merge", a, b), f"Merge into {one_line(a.name, 40)}"),
                       Choice("r", ("merge", b, a), f"Merge into {one_line(b.name, 40)}"),
                       Choice("x", ("apart", a, b), "Different entities: keep them apart for good")]

            def act(choice) -> None:
                if choice is None:
                    return
                verb, keep, other = choice
                if verb == "merge":
                    self._apply(lambda: self.store.merge_entities(keep.id, other.id),
                                f"Merged {one_line(other.name, 30)} into {one_line(keep.name, 30)} (u undoes)")
                else:
                    self._apply(lambda: self.store.reject_merge(keep.id, other.id),
                                f"{one_line(keep.name, 30)} and {one_line(other.name, 30)} stay apart")

            self.app.push_screen(ChoiceScreen("Same entity?", actions), act)

        self.app.push_screen(ChoiceScreen(f"Proposed merges ({len(proposals)})", choices), decide)

    def action_split_entity(self) -> None:
        """Two people taken for one: a name of the entity under the entities cursor becomes its own entity."""
        from ..choices import name_choices

        entity = self.entities.current_entity()
        if entity is None:
            self.notify("Choose the entity in the entities pane (Tab) first.", severity="warning", markup=False)
            return
        if not entity.aliases:
            self.notify(f"{one_line(entity.name, 40)} has no other name to split off.", markup=False)
            return

        def chosen(name) -> None:
            if name is not None:
                self._apply(lambda: self.store.split_entity(entity.id, name),
                            f"Split {one_line(name, 30)} off {one_line(entity.name, 30)} (u undoes)")

        self.app.push_screen(ChoiceScreen(f"Split a name off {one_line(entity.name, 40)}", name_choices(entity.aliases),
                                          subtitle="It becomes an entity of its own, with its mentions and claims"),
                             chosen)

    # --- app-level --------------------------------------------------------------------------------

    def action_help(self) -> None:
        from .help import HelpScreen

        path = self.app.config.path
        self.app.push_screen(HelpScreen(self.app.keymap, str(path) if path else None))

    def action_set_theme(self, theme: str) -> None:
        self.app.theme = theme

    def action_import_path(self) -> None:
        if self.import_running:
            self.notify("An import is already running.", markup=False)
            return

        def chosen(path) -> None:
            if path and path.strip():
                from pathlib import Path

                self.start_import([str(Path(path.strip()).expanduser())])

        self.app.push_screen(TextPrompt("Import a file or folder", placeholder="~/inbox/ or report.html"), chosen)

    def start_import(self, paths, *, demo: bool = False) -> None:
        if self.store.path is None:
            self.notify("Import needs a database file (this one is in memory).", severity="error", markup=False)
            return
        self.import_running = True
        self._set_status("Importing the demo corpus…" if demo else "Importing…")
        self._import_worker([] if demo else list(paths), demo)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import_worker(self, paths: list[str], demo: bool) -> None:
        from ..workers import import_into

        import_into(self, self.store.path, paths, demo=demo)

    def on_import_progress(self, message: ImportProgress) -> None:
        total = f"/{message.total}" if message.total else ""
        self._set_status(f"Importing {message.done}{total} · {message.status}: {one_line(message.name, 50)}")  # files or records
        if message.status == "imported" and message.done % 10 == 0:
            self.queue.reload()
            self.update_topbar()

    def on_import_finished(self, message: ImportFinished) -> None:
        self.import_running = False
        self._set_status("")
        if message.error:
            self.notify(f"Import failed: {one_line(message.error)}", severity="error", markup=False, timeout=10)
        else:
            text = "Import: " + message.summary_line
            if message.failures:
                text += "\n" + "\n".join(one_line(f, 100) for f in message.failures[:5])
            self.notify(text, severity="warning" if message.failures else "information", markup=False, timeout=8)
        self.refresh_after_change()
        if self.loaded_id is None:
            self.queue.move_to(0)
            current = self.queue.current()
            self.load_report(current.id if current else None)
        from .search import SearchScreen

        if isinstance(self.app.screen, SearchScreen):
            self.app.screen.search_again()  # its hits were found before the import landed

    def _set_status(self, text: str) -> None:
        status = self.query_one("#statusbar", Label)
        status.update(Content(text))
        status.set_class(bool(text), "-active")


def _count(items, noun: str) -> str:
    n = len(items)
    if n == 1 and noun in ("report", "claim") and isinstance(items, list) and isinstance(items[0], int):
        return f"{noun} {items[0]}"
    return f"{n} {noun}{'s' if n != 1 else ''}"


def retitle(widget, title: str) -> None:
    """Setting a border title repaints the whole widget, so only a new title is set."""
    if widget.border_title != title:
        widget.border_title = title
