"""``o``: where the claim under the cursor came from, and what independently supports it.

The claim's suggested credibility (with its reason) beside the analyst's own grade, its family's
origin tree (originators, relays, circular reporting) or its timeline (``t``), and the suggested
links, each accepted (``a``) or rejected (``x``) with one key; ``u`` undoes. Everything is read
in a worker thread with its own connection and arrives as one message; report text is shown as
Content, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import work
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from db.analysis.cli_commands import tree_lines
from db.analysis.timeline import timeline_lines
from db.models import CREDIBILITY_LABELS
from db.text_safety import one_line


@dataclass
class OriginsView:
    """What the screen shows of one claim, read off the UI thread."""

    claim_id: int
    heading: str
    text: str
    analyst_credibility: int
    suggested: int = 6
    reason: str = ""
    summary: str = ""
    tree: list[str] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    suggested_texts: list[str] = field(default_factory=list)  # what each suggestion's other claim says
    error: str | None = None


def read_view(store, claim_id: int, width: int = 120) -> OriginsView:
    claim = store.get_claim(claim_id)
    report = store.get_report(claim.report_id)
    source = report.source.name if report.source else f"report {report.id}"
    view = OriginsView(claim_id, f"Claim {claim_id} · {one_line(source, 60)}, {report.published or 'undated'}", claim.text,
                       claim.credibility)
    c = store.corroboration(claim_id)
    view.suggested, view.reason = c.suggested_credibility, c.reason
    relay = " · this report repeats another" if c.is_relay else ""
    view.summary = (f"{c.independent_support} independent originator(s) · {len(c.relays)} relay(s), not counted · "
                    f"{len(c.contradicting)} contradicting{relay}")
    view.tree = tree_lines(c.tree, width)
    for title, originators in (("Also supported by (your corroborates links)", c.supporting),
                               ("Contradicted by (denials and your contradicts links)", c.contradicting)):
        if originators:
            view.tree += ["", title + ":"] + ["  " + one_line(f"{o.label} [{o.reliability}]", width - 2) for o in originators]
    view.timeline = timeline_lines(store.family_timeline(claim_id), width)
    view.suggestions = store.suggested_links(claim_id)
    for s in view.suggestions:
        other = store.get_claim(s.other_id if s.claim_id == claim_id else s.claim_id)
        view.suggested_texts.append(other.text)
    return view


_LINK_SIGNS = {"corroborates": "⇄", "contradicts": "≠"}


def suggestion_line(s, other_text: str) -> str:
    """"≠ contradicts claim 55 “There is no plan to move …”: denial by the official (…)": the
    other claim's words first, so the analyst judges the pair, then why it is offered."""
    other = s.other_id
    return (f"{_LINK_SIGNS.get(s.type, '·')} {s.type} claim {other} “{one_line(other_text, 70)}”: "
            f"{one_line(s.reason, 220)}")


class OriginsRead(Message):
    def __init__(self, generation: int, view: OriginsView) -> None:
        super().__init__()
        self.generation = generation
        self.view = view


class OriginsScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "dismiss", "Back"),
        Binding("a", "answer('accepted')", "Accept link"),
        Binding("x", "answer('rejected')", "Reject link"),
        Binding("t", "toggle_timeline", "Tree/timeline"),
        Binding("u", "undo", "Undo"),
    ]
    DEFAULT_CSS = """
    OriginsScreen { layout: vertical; }
    OriginsScreen #origins-heading { text-style: bold; color: $text-accent; padding: 0 1; }
    OriginsScreen #origins-text { padding: 0 1; max-height: 3; }
    OriginsScreen #origins-credibility { padding: 0 1; color: $text; }
    OriginsScreen #origins-summary { padding: 0 1; color: $text-muted; }
    OriginsScreen #origins-tree { height: 1fr; border: round $primary; padding: 0 1; }
    OriginsScreen #origins-suggestions { height: auto; max-height: 40%; border: round $secondary; }
    """

    def __init__(self, claim_id: int) -> None:
        super().__init__(id="origins")
        self.claim_id = claim_id
        self.view: OriginsView | None = None
        self.showing_timeline = False
        self.generation = 0

    def compose(self):
        yield Label(Content(f"Claim {self.claim_id}"), id="origins-heading")
        yield Static(Content("Reading…"), id="origins-text")
        yield Static(Content(""), id="origins-credibility")
        yield Static(Content(""), id="origins-summary")
        with VerticalScroll(id="origins-tree"):
            yield Static(Content(""), id="origins-tree-body")
        yield OptionList(id="origins-suggestions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#origins-tree").border_title = "Origin tree (t: timeline)"
        self.query_one("#origins-suggestions").border_title = "Suggested links (a accept · x reject)"
        self.reload()

    def reload(self) -> None:
        self.generation += 1
        self._read(self.generation)

    @work(thread=True, exclusive=True, group="origins", exit_on_error=False)
    def _read(self, generation: int) -> None:
        from db.store import Store

        store = self.app.store
        own = store.path is not None
        try:
            if own:
                store = Store.open(store.path)
            view = read_view(store, self.claim_id, max(40, self.app.size.width - 6))
        except Exception as exc:  # a vanished claim or a busy file ends as a message, not a dead worker
            view = OriginsView(self.claim_id, f"Claim {self.claim_id}", "", 6, error=str(exc) or type(exc).__name__)
        finally:
            if own:
                store.close()
        self.post_message(OriginsRead(generation, view))

    def on_origins_read(self, message: OriginsRead) -> None:
        if message.generation != self.generation:
            return
        self.view = view = message.view
        if view.error:
            self.query_one("#origins-text", Static).update(Content(f"Cannot read claim {self.claim_id}: {view.error}"))
            return
        self.query_one("#origins-heading", Label).update(Content(view.heading))
        self.query_one("#origins-text", Static).update(Content(one_line(view.text, 400)))
        self.query_one("#origins-credibility", Static).update(Content.assemble(
            ("Credibility  ", "bold"), f"analyst {view.analyst_credibility} ({CREDIBILITY_LABELS[view.analyst_credibility][0]})",
            "  ·  ", ("suggested ", "bold"), (f"{view.suggested} ({CREDIBILITY_LABELS[view.suggested][0]})", "bold $text-accent"),
            ": ", one_line(view.reason, 200)))
        self.query_one("#origins-summary", Static).update(Content(view.summary))
        self._show_body()
        options = self.query_one("#origins-suggestions", OptionList)
        options.clear_options()
        for i, (s, text) in enumerate(zip(view.suggestions, view.suggested_texts, strict=True)):
            options.add_option(Option(Content(suggestion_line(s, text)), id=str(i)))
        if not view.suggestions:
            options.add_option(Option(Content("No open suggestion for this claim."), disabled=True))
        else:
            options.highlighted = 0
        options.focus()

    def _show_body(self) -> None:
        if self.view is None:
            return
        lines = self.view.timeline if self.showing_timeline else self.view.tree
        self.query_one("#origins-tree-body", Static).update(Content("\n".join(lines) or "Nothing known."))
        self.query_one("#origins-tree").border_title = "Timeline (t: origin tree)" if self.showing_timeline \
            else "Origin tree (t: timeline)"

    def action_toggle_timeline(self) -> None:
        self.showing_timeline = not self.showing_timeline
        self._show_body()

    def action_answer(self, decision: str) -> None:
        if self.view is None or not self.view.suggestions:
            return
        index = self.query_one("#origins-suggestions", OptionList).highlighted
        if index is None or index >= len(self.view.suggestions):
            return
        s = self.view.suggestions[index]
        store = self.app.store
        if decision == "accepted":
            store.accept_suggestion(s.claim_id, s.other_id, s.type)
            self.notify(f"Linked: claim {s.claim_id} {s.type} claim {s.other_id} (u undoes)", markup=False)
        else:
            store.reject_suggestion(s.claim_id, s.other_id, s.type)
            self.notify("Rejected: not suggested again (u undoes)", markup=False)
        self.reload()

    def action_undo(self) -> None:
        undone = self.app.store.undo()
        self.notify(f"Undone: {undone}" if undone else "Nothing to undo.", markup=False)
        self.reload()
