"""The reader: one report with its source line, body and footnotes.

Entity mentions are underlined, claim spans tinted, and the claim focused in the claims pane
stands out, so the analyst sees where each claim sits in the text.

It draws with the Line API: the report is wrapped once per width and only the visible lines
are turned into strips, so moving through the queue does not lay out a whole article (a
``Static`` inside a scrolling container re-wrapped it for its height and again to paint it).
Mouse selection still works: lines carry their offsets and ``get_selection`` reads the text.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style

from db.models import RELIABILITY_LABELS, Claim, CitedSource, Mention, Report
from db.text_find import find_text
from db.text_safety import one_line

from .chooser import WaitsBehindChooser
from .line_styles import CachedLineStyles
from .spans import styled_spans

CLAIM_STYLE = "on $primary-muted"
FOCUSED_CLAIM_STYLE = "bold on $accent-muted"
MENTION_STYLE = "underline $text-secondary"
STATUS_WORDS = {"new": "NEW", "read": "read", "flagged": "FLAGGED", "dismissed": "dismissed"}
PLACEHOLDER = "Select a report in the queue."


class Reader(WaitsBehindChooser, CachedLineStyles, ScrollView, can_focus=True):
    ALLOW_SELECT = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report: Report | None = None
        # The header (title, source, grade, date) and the body (text, spans, cited sources) are
        # kept and wrapped apart: a grade rewrites two header lines, not a 1,500-word body.
        self._header = Content("")
        self._body = Content(PLACEHOLDER)
        self._header_lines: list[Content] = []
        self._lines: list[Content] = []
        self._wrapped_for = -1  # the width self._lines were wrapped for
        self._strips: dict[int, Strip] = {}
        self._focused_claim: Claim | None = None  # its note shows in the header

    # --- what it shows -------------------------------------------------------------------

    def show(self, report: Report | None, claims: list[Claim], mentions: list[Mention],
             cited: list[CitedSource], *, focused_claim: int | None = None, scroll_home: bool = True) -> None:
        self.report = report
        if report is None:
            self._set_content(Content(""), Content("No report selected."))
        else:
            self._focused_claim = next((c for c in claims if c.id == focused_claim), None)
            self._set_content(render_header(report, self._focused_claim),
                              render_body(report, claims, mentions, cited, focused_claim))
        if scroll_home:
            self.scroll_home(animate=False, immediate=True)

    def show_header(self, report: Report) -> None:
        """The same report with a new grade, status or tag: rewrite the header lines only."""
        self.report = report
        header = render_header(report, self._focused_claim)
        if header.is_same(self._header):
            return
        width = self._wrapped_for
        old_lines = self._header_lines
        new_lines = header.wrap(width) if width > 0 else []
        if width <= 0 or len(new_lines) != len(old_lines):
            self._set_content(header, self._body)
            return
        self._header, self._header_lines = header, new_lines
        self._lines[:len(new_lines)] = new_lines
        top = round(self.scroll_offset.y)
        changed = [y for y, (old, new) in enumerate(zip(old_lines, new_lines, strict=False)) if not old.is_same(new)]
        for y in changed:
            self._strips.pop(y, None)
        self.refresh(*(Region(0, y - top, self.size.width, 1) for y in changed if y >= top))

    @property
    def text(self) -> str:
        """What the reader shows, as plain text."""
        return f"{self._header.plain}\n{self._body.plain}" if self._header.plain else self._body.plain

    def _set_content(self, header: Content, body: Content) -> None:
        if self._lines and header.is_same(self._header) and body.is_same(self._body):
            return  # shown again unchanged (a claim graded): wrapping and repainting it would be waste
        self._header, self._body = header, body
        self._wrapped_for = -1
        self._wrap()
        self.refresh()

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width - 1  # a blank column between the text and the scrollbar
        if width <= 0 or width == self._wrapped_for:
            return
        self._header_lines = self._header.wrap(width) if self._header.plain else []
        self._lines = self._header_lines + self._body.wrap(width)
        self._wrapped_for = width
        self._strips.clear()
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self) -> None:
        self._wrap()

    def scroll_to_claim(self, claim: Claim) -> None:
        """Bring the focused claim into view, a few lines below the top."""
        for y, line in enumerate(self._lines):
            if any(span.style == FOCUSED_CLAIM_STYLE for span in line.spans):
                self.scroll_to(y=max(0, y - 3), animate=False, immediate=True)
                return

    def top_body_offset(self) -> int:
        """Where in the report's body the first body line in view starts (0 at the top): "the
        sentence under the cursor" of a reader that scrolls rather than moves a cursor."""
        report = self.report
        if report is None:
            return 0
        first = len(self._header_lines)
        index = max(round(self.scroll_offset.y), first)
        near = sum(len(line.plain) + 1 for line in self._lines[first:index])  # wrapping drops a space or two
        for line in self._lines[index:index + 5]:
            text = line.plain.strip()
            if text:
                found = find_text(report.body, text, near=near)
                return found[0] if found else min(near, len(report.body))
        return min(near, len(report.body))

    # --- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._wrap()  # the first paint can come before the first resize
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        rich_style = self.line_style()
        if index >= len(self._lines):
            return Strip.blank(width, rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._line_strip(index, width)
            if self.text_selection is None:
                self._strips[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, rich_style).apply_offsets(scroll_x, index)

    def _line_strip(self, index: int, width: int) -> Strip:
        line = self._lines[index]
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(index)) is not None:
            start, end = span
            end = len(line.plain) if end == -1 else end
            # Content takes Textual styles: a Rich one raised TypeError while painting a mouse selection
            selected = Style.from_rich_style(self.screen.get_component_rich_style("screen--selection"))
            line = line.stylize(selected, start, end)
        return self.content_strip(line, width)

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract("\n".join(line.plain for line in self._lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._strips.clear()
        self.refresh()


SCREEN_TITLE_LETTERS = 300  # a long real headline is ~250
NOTE_LINES = 12  # a longer note is cut here in the header; the note dialog (e) shows it whole


def note_lines(note: str) -> str:
    """A note as written, line by line, each line made safe; continuation lines indented."""
    lines = [one_line(line) for line in note.splitlines()]
    if len(lines) > NOTE_LINES:
        lines = lines[:NOTE_LINES] + [f"… ({len(lines) - NOTE_LINES} more lines: e shows them)"]
    return "\n     ".join(lines)


def render_header(report: Report, focused_claim: Claim | None = None) -> Content:
    """Title, source with its reliability, the grade, date and status, URL, tags, notes (the
    report's, and the focused claim's)."""
    source = report.source
    reliability = report.reliability
    label = RELIABILITY_LABELS.get(reliability, ("?", ""))[0]
    # titles are stored whole (citations cite them so); a hostile one of kilobytes is cut here
    parts: list = [(one_line(report.title, SCREEN_TITLE_LETTERS), "bold"), "\n"]
    if source is not None:
        parts += [("Source ", "dim"), (one_line(source.name), "bold")]
        if source.affiliation:
            parts += [" · ", (one_line(source.affiliation), "italic")]
        parts += [" · ", (f"reliability {reliability} ({label})", "$text-accent")]
    else:
        parts += [("Source unknown", "dim")]
    parts += [" · ", (f"grade {report.grade}", "bold $text-accent")]
    if report.disputed:  # analysts differ on its credibility or its source's reliability
        parts += [" · ", ("± team differs", "bold $text-warning")]
    parts += ["\n"]
    date = report.published or f"undated (imported {report.imported_at[:10]})"
    parts += [("Date ", "dim"), one_line(date), " · ", (STATUS_WORDS.get(report.status, report.status), "bold")]
    if report.flagged:
        parts += [" · ", ("FLAGGED", "bold $text-warning")]
    if report.author:
        parts += [" · ", ("by ", "dim"), one_line(report.author)]
    parts.append("\n")
    if report.url:
        parts += [("URL ", "dim"), one_line(report.url), "\n"]
    if report.tags:
        parts += [("Tags ", "dim"), one_line(", ".join(report.tags)), "\n"]
    if report.note:
        parts += [("Note ", "dim"), (note_lines(report.note), "italic"), "\n"]
    if focused_claim is not None and focused_claim.note:
        parts += [(f"Note on claim {focused_claim.id} ", "dim"), (note_lines(focused_claim.note), "italic"), "\n"]
    if report.duplicate_of:
        parts += [(f"Same story as report {report.duplicate_of}", "dim italic"), "\n"]
    return Content.assemble(*parts)  # its last newline wraps to the blank line before the body


def render_body(report: Report, claims: list[Claim], mentions: list[Mention], cited: list[CitedSource],
                focused_claim: int | None) -> Content:
    """The text with its mentions and claims marked, then the cited sources."""
    spans = [(m.start, m.end, MENTION_STYLE) for m in mentions]
    spans += [(c.start, c.end, FOCUSED_CLAIM_STYLE if c.id == focused_claim else CLAIM_STYLE) for c in claims]
    body = styled_spans(report.body, spans)
    tail: list = []
    if cited:
        tail += ["\n\n", ("Cited sources", "bold"), "\n"]
        for item in cited:
            date_text = f" ({item.date})" if item.date else ""
            tail += [(f"[{one_line(item.ref)}] ", "$text-accent"), one_line(item.source), (date_text, "dim"), "\n"]
    return Content.assemble(body, *tail)
