"""The reader: one report with its source line, body and footnotes.

Entity mentions are underlined, claim spans tinted, and the claim focused in the claims pane
stands out, so the analyst sees where each claim sits in the text.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from db.models import RELIABILITY_LABELS, Claim, CitedSource, Mention, Report
from db.text_safety import one_line

from .spans import styled_spans

CLAIM_STYLE = "on $primary-muted"
FOCUSED_CLAIM_STYLE = "bold on $accent-muted"
MENTION_STYLE = "underline $text-secondary"
STATUS_WORDS = {"new": "NEW", "read": "read", "flagged": "FLAGGED", "dismissed": "dismissed"}


class Reader(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    Reader > #reader-body { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report: Report | None = None

    def compose(self):
        yield Static(Content("Select a report in the queue."), id="reader-body")

    def show(self, report: Report | None, claims: list[Claim], mentions: list[Mention],
             cited: list[CitedSource], *, focused_claim: int | None = None, scroll_home: bool = True) -> None:
        self.report = report
        body = self.query_one("#reader-body", Static)
        if report is None:
            body.update(Content("No report selected."))
            return
        body.update(render_report(report, claims, mentions, cited, focused_claim))
        if scroll_home:
            self.scroll_home(animate=False)

    def scroll_to_claim(self, claim: Claim) -> None:
        """Bring a claim into view: estimate its line from the characters before it."""
        if self.report is None:
            return
        width = max(20, self.scrollable_content_region.width)
        before = self.report.body[: claim.start]
        header_lines = 6
        lines = header_lines + sum(1 + len(line) // width for line in before.split("\n"))
        self.scroll_to(y=max(0, lines - 3), animate=False)


def render_report(report: Report, claims: list[Claim], mentions: list[Mention], cited: list[CitedSource],
                  focused_claim: int | None) -> Content:
    source = report.source
    reliability = report.reliability
    label = RELIABILITY_LABELS.get(reliability, ("?", ""))[0]
    parts: list = [(one_line(report.title), "bold"), "\n"]
    if source is not None:
        parts += [("Source ", "dim"), (one_line(source.name), "bold")]
        if source.affiliation:
            parts += [" · ", (one_line(source.affiliation), "italic")]
        parts += [" · ", (f"reliability {reliability} ({label})", "$text-accent")]
    else:
        parts += [("Source unknown", "dim")]
    parts += [" · ", (f"grade {report.grade}", "bold $text-accent"), "\n"]
    date = report.published or f"undated (imported {report.imported_at[:10]})"
    parts += [("Date ", "dim"), one_line(date), " · ", (STATUS_WORDS.get(report.status, report.status), "bold")]
    if report.author:
        parts += [" · ", ("by ", "dim"), one_line(report.author)]
    parts.append("\n")
    if report.url:
        parts += [("URL ", "dim"), one_line(report.url), "\n"]
    if report.tags:
        parts += [("Tags ", "dim"), one_line(", ".join(report.tags)), "\n"]
    if report.note:
        parts += [("Note ", "dim"), (one_line(report.note), "italic"), "\n"]
    if report.duplicate_of:
        parts += [(f"Same story as report {report.duplicate_of}", "dim italic"), "\n"]
    parts.append("\n")
    spans = [(m.start, m.end, MENTION_STYLE) for m in mentions]
    spans += [(c.start, c.end, FOCUSED_CLAIM_STYLE if c.id == focused_claim else CLAIM_STYLE) for c in claims]
    header = Content.assemble(*parts)
    body = styled_spans(report.body, spans)
    tail: list = []
    if cited:
        tail += ["\n\n", ("Cited sources", "bold"), "\n"]
        for item in cited:
            date_text = f" ({item.date})" if item.date else ""
            tail += [(f"[{one_line(item.ref)}] ", "$text-accent"), one_line(item.source), (date_text, "dim"), "\n"]
    return Content.assemble(header, body, *tail)
