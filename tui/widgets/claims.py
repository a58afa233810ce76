"""The claims of the current report: who said it and through whom, the claim, its grade and
its stance toward the active hypothesis. Few per report, so an OptionList is enough."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from db.attribution import attribution_text
from db.models import Claim
from db.render import claim_flags
from db.text_safety import one_line

from .chooser import WaitsBehindChooser

STANCE_BADGES = {
    "supports": ("+ supports", "bold $text-success"),
    "refutes": ("− refutes", "bold $text-error"),
    "neutral": ("= neutral", "$text-warning"),
    None: ("· no stance", "dim"),
}


def claim_attribution(claim: Claim) -> str:
    """"originator → relay → relay" (``db.attribution``: the rule ``show``, citations and exports use)."""
    return attribution_text(claim, empty="unattributed")


RELATION_BADGES = {
    "corroborates": ("⇄", "$text-success"),
    "contradicts": ("≠", "bold $text-error"),
    "duplicates": ("≡", "dim"),
}


def is_dimmed(claim: Claim, dim_below: float) -> bool:
    """An extracted claim the extractor is not confident enough of; the analyst's own claims never are."""
    return claim.origin == "extracted" and claim.confidence < dim_below


def confidence_badge(claim: Claim) -> str:
    """ "conf 62%": how likely the extractor thinks the claim and its speaker are right."""
    return f"conf {round(100 * claim.confidence)}%"


def claim_prompt(claim: Claim, *, selected: bool, text_limit: int = 240, dim_below: float = 0.0) -> Content:
    stance_text, stance_style = STANCE_BADGES.get(claim.stance, STANCE_BADGES[None])
    parts: list = [
        ("▌" if selected else " ", "bold $accent"),
        (f"{claim.credibility}", "bold $text-accent"),
        " ",
        (stance_text, stance_style),
    ]
    if claim.disputed:  # the team differs on its grade or stance: 'analyst-tui team --claim ID' lists who
        parts += ["  ", ("± team differs", "bold $text-warning")]
    dimmed = is_dimmed(claim, dim_below)
    if claim.origin == "extracted":
        parts += ["  ", (confidence_badge(claim), "$text-error" if dimmed else "$text-muted")]
    flags = claim_flags(claim)
    if flags:
        parts += ["  ", (" ".join(flags), "italic $text-warning")]
    if claim.tags:
        parts += ["  ", ("#" + " #".join(one_line(t) for t in claim.tags), "$text-secondary")]
    if claim.note:  # the note's first line: more than a mark, and the reader shows it whole
        parts += ["  ", (f"✎ {one_line(claim.note.strip().splitlines()[0], 60)}", "italic $text-secondary")]
    for kind, (mark, style) in RELATION_BADGES.items():
        if claim.relations.get(kind):
            parts += ["  ", (f"{mark}{claim.relations[kind]} {kind}", style)]
    if claim.rejected:
        parts += ["  ", ("✗ not a claim", "bold $text-error")]
    if claim.relations:
        parts += [(" (> follows)", "dim")]
    parts += ["\n ", (claim_attribution(claim), "bold"), "\n ", one_line(claim.text, text_limit)]
    content = Content.assemble(*parts)
    if claim.rejected:
        return content.stylize("strike dim")
    return content.stylize("dim") if dimmed else content


class ClaimsList(WaitsBehindChooser, OptionList):
    """Claims with a multi-selection; highlighting a claim tells the screen to show it in the reader."""

    class ClaimHighlighted(Message):
        def __init__(self, claim: Claim | None) -> None:
            super().__init__()
            self.claim = claim

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.claims: list[Claim] = []
        self.selected: set[int] = set()
        self.report_id: int | None = None
        self.dim_below = 0.0  # extracted claims less confident than this are drawn dim

    def _prompt(self, claim: Claim) -> Content:
        return claim_prompt(claim, selected=claim.id in self.selected, dim_below=self.dim_below)

    def set_dim_below(self, threshold: float) -> None:
        self.dim_below = threshold
        for index, claim in enumerate(self.claims):
            self.replace_option_prompt_at_index(index, self._prompt(claim))

    def show(self, report_id: int | None, claims: list[Claim], *, keep_claim: int | None = None) -> None:
        if report_id == self.report_id and [c.id for c in claims] == [c.id for c in self.claims]:
            if claims:
                self._update_changed(claims, keep_claim)
            return
        if report_id != self.report_id:
            self.selected.clear()
        self.report_id = report_id
        self.claims = claims
        keep = keep_claim if keep_claim is not None else (self.current().id if self.current() else None)
        self.clear_options()
        if not claims:
            self.add_option(Option(Content("No attributed claims found in this report."), disabled=True))
            return
        options: list = []
        for claim in claims:
            options += [Option(self._prompt(claim), id=str(claim.id)), None]
        self.add_options(options[:-1])  # None: a divider line between claims
        self.option_ids = {c.id: i for i, c in enumerate(claims)}
        index = next((i for i, c in enumerate(claims) if c.id == keep), 0)
        self.highlighted = index

    def _update_changed(self, claims: list[Claim], keep_claim: int | None) -> None:
        """The same claims, some graded or tagged: replace those prompts only (a rebuild lays
        out and repaints every claim, ~10 ms for a long report)."""
        for index, (before, now) in enumerate(zip(self.claims, claims, strict=False)):
            if before != now:
                self.replace_option_prompt_at_index(index, self._prompt(now))
        self.claims = claims
        if keep_claim is not None:
            self.focus_claim(keep_claim)

    def current(self) -> Claim | None:
        if self.highlighted is None or not self.claims or self.highlighted >= len(self.claims):
            return None
        return self.claims[self.highlighted]

    def focus_claim(self, claim_id: int) -> None:
        for index, claim in enumerate(self.claims):
            if claim.id == claim_id:
                self.highlighted = index
                return

    def target_ids(self) -> list[int]:
        if self.selected:
            return [c.id for c in self.claims if c.id in self.selected]
        current = self.current()
        return [current.id] if current else []

    def toggle_select(self) -> None:
        current = self.current()
        if current is None:
            return
        self.selected.symmetric_difference_update({current.id})
        self.replace_option_prompt_at_index(self.highlighted, self._prompt(current))
        self.action_cursor_down()

    def clear_selection(self) -> None:
        cleared, self.selected = self.selected, set()
        for index, claim in enumerate(self.claims):
            if claim.id in cleared:
                self.replace_option_prompt_at_index(index, self._prompt(claim))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.ClaimHighlighted(self.current()))
