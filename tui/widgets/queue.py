"""The report queue: a virtual list over the store.

It never holds all rows. It renders with the Line API (only visible lines are drawn) and
fetches pages of ``ReportSummary`` rows from the store on demand, keeping a small cache, so
100k reports cost the same as 20. The total comes from ``store.count_reports``.
"""

from __future__ import annotations

from collections import OrderedDict

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from db.errors import StoreError
from db.models import ReportSummary
from db.store import ReportFilter
from db.text_safety import one_line

from .chooser import WaitsBehindChooser
from .line_styles import CachedLineStyles

PAGE_SIZE = 100
MAX_PAGES = 40

STATUS_MARKS = {"new": "●", "read": " ", "flagged": "⚑", "dismissed": "✗"}


class ReportQueue(WaitsBehindChooser, CachedLineStyles, ScrollView, can_focus=True, inherit_bindings=False):
    """Reports newest first, with a cursor and a multi-selection of report ids.

    Its keys come from the command table: ScrollView's own arrows would scroll the view and leave
    the cursor behind (a class argument; a class attribute of that name is silently ignored)."""

    COMPONENT_CLASSES = {
        "report-queue--cursor",
        "report-queue--cursor-blurred",
        "report-queue--new",
        "report-queue--dismissed",
        "report-queue--selected",
        "report-queue--grade",
        "report-queue--date",
        "report-queue--source",
        "report-queue--flagged",
        "report-queue--disputed",
        "report-queue--little-text",
    }

    DEFAULT_CSS = """
    ReportQueue { overflow-x: hidden; }
    ReportQueue > .report-queue--little-text { color: $text-warning; }
    """

    # repaint=False: watch_cursor repaints only the two rows that changed
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class CursorMoved(Message):
        """The report under the cursor changed (None: the queue is empty)."""

        def __init__(self, report_id: int | None) -> None:
            super().__init__()
            self.report_id = report_id

    def __init__(self, store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.filter = ReportFilter()
        self.total = 0
        self.arriving = ""  # what an import that will fill the empty queue is bringing, said instead of the welcome
        self.selected: set[int] = set()
        self._pages: OrderedDict[int, list[ReportSummary]] = OrderedDict()
        self._last_posted: int | None | bool = False

    # --- data ------------------------------------------------------------------------

    def reload(self, *, keep_id: int | None = None) -> None:
        """Recount and drop the cache (after a change or an outside import); keep the cursor
        on ``keep_id`` (default: the current report) when it is still in the queue."""
        current = self.current()
        keep_id = keep_id if keep_id is not None else (current.id if current else None)
        self._pages.clear()
        self.total = self.store.count_reports(self.filter)
        self.virtual_size = Size(self.scrollable_content_region.width, self.total)
        index = self.index_of(keep_id) if keep_id is not None else None
        if index is None:
            index = min(self.cursor, max(0, self.total - 1))
        self._last_posted = False  # the row under the cursor may have changed: tell the screen again
        self.move_to(index)
        self.refresh()

    def reload_rows(self) -> None:
        """Read the rows again (a grade changed what they show) without recounting: for a change
        that cannot move a report in or out of the queue. Only the rows that read differently are
        repainted: a grade changes one row, and a whole view repainted costs a frame ~3x more."""
        top = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        before = [self.row(index) for index in range(top, min(self.total, top + height))]
        self._pages.clear()
        changed = [index for index, old in enumerate(before, start=top) if self.row(index) != old]
        if changed:
            self._refresh_rows(*changed)

    def set_filter(self, flt: ReportFilter) -> None:
        self.filter = flt
        self.selected.clear()
        self.reload()

    def _empty_lines(self) -> tuple[str, ...]:
        """What an empty queue says: a new case file is welcomed, a filter that hides everything
        is named as the reason."""
        if self.filter != ReportFilter():
            return (" No reports here. Press i to import, v to change the filter.",)
        if self.arriving:
            return (f" {self.arriving}",)
        return (" An empty case file: no reports yet.",
                " Press i to import files or a folder",
                " (text, Markdown, HTML, JSON, RSS/Atom),",
                " or analyst-tui import PATH from a shell.",
                " The demo corpus opens with analyst-tui --demo,",
                " in a temporary database of its own.")

    def row(self, index: int) -> ReportSummary | None:
        if index < 0 or index >= self.total:
            return None
        page_no = index // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self.store.list_reports(self.filter, limit=PAGE_SIZE, offset=page_no * PAGE_SIZE)
            self._pages[page_no] = page
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = index - page_no * PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def current(self) -> ReportSummary | None:
        return self.row(self.cursor) if self.total else None

    def index_of(self, report_id: int) -> int | None:
        for page_no, page in self._pages.items():
            for offset, summary in enumerate(page):
                if summary.id == report_id:
                    return page_no * PAGE_SIZE + offset
        return self.store.report_index(self.filter, report_id)  # a count over the index, not a listing

    def target_ids(self) -> list[int]:
        """What an action applies to: the selection when there is one, else the cursor row."""
        if self.selected:
            return sorted(self.selected)
        current = self.current()
        return [current.id] if current else []

    # --- moving ------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        self.cursor = max(0, min(index, self.total - 1)) if self.total else 0

    def watch_cursor(self, previous: int, cursor: int) -> None:
        top_before = round(self.scroll_offset.y)
        self._scroll_cursor_into_view()
        if round(self.scroll_offset.y) == top_before:
            self._refresh_rows(previous, cursor)  # repainting two rows, not the whole view, keeps j/k cheap
        else:
            self.refresh()
        current = self.current()
        report_id = current.id if current else None
        if report_id != self._last_posted:
            self._last_posted = report_id
            self.post_message(self.CursorMoved(report_id))

    def _refresh_rows(self, *indexes: int) -> None:
        top = round(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        self.refresh(*(Region(0, index - top, width, 1) for index in indexes))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height or 1
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_focus(self) -> None:
        self.forget_line_styles()
        self.refresh()

    def on_blur(self) -> None:
        self.forget_line_styles()
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.total)
        self._scroll_cursor_into_view()

    def move_to_newest_new(self) -> None:
        """Where a day starts: the newest report not yet read (the top when none is left)."""
        try:
            newest = self.store.next_report(None, status="new", flt=self.filter)
        except StoreError:
            newest = None
        index = self.index_of(newest) if newest is not None else None
        self.move_to(index or 0)

    def cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def cursor_top(self) -> None:
        self.move_to(0)

    def cursor_bottom(self) -> None:
        self.move_to(self.total - 1)

    def page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def toggle_select(self) -> None:
        current = self.current()
        if current is None:
            return
        self.selected.symmetric_difference_update({current.id})
        self.cursor_down()
        self.refresh()

    def on_click(self, event) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < self.total:
            self.move_to(index)

    # --- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        base = self.line_style()
        summary = self.row(index)
        if summary is None:
            if y < len(self._empty_lines()) and self.total == 0:
                text = self._empty_lines()[y]
                return Strip([Segment(text, base + Style(dim=True))]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        return self._row_strip(summary, index, width, base)

    def _row_strip(self, summary: ReportSummary, index: int, width: int, base: Style) -> Strip:
        style = self.line_style
        row_style = base
        if summary.status == "new":
            row_style += style("report-queue--new")
        elif summary.status == "dismissed":
            row_style += style("report-queue--dismissed")
        selected = summary.id in self.selected
        if selected:
            row_style += style("report-queue--selected")
        source_width = 16 if width >= 70 else 10
        date = (summary.published or "undated")[:10]
        mark = "⚑" if summary.flagged else STATUS_MARKS.get(summary.status, "?")  # a flagged report may be new too
        mark_style = row_style + style("report-queue--flagged") if summary.flagged else row_style
        segments = [
            Segment("▌" if selected else " ", row_style),
            Segment(mark, mark_style),
            Segment(" ", row_style),
            Segment(f"{summary.reliability}{summary.credibility}", row_style + style("report-queue--grade")),
            # the team differs on its grade: a column kept for the mark, so rows stay aligned
            Segment("±" if summary.disputed else " ", row_style + style("report-queue--disputed")),
            Segment(" ", row_style),
            Segment(date.ljust(10), row_style + style("report-queue--date")),
            Segment(" ", row_style),
        ]
        if width >= 50:
            source = one_line(summary.source_name or "—", source_width)
            segments.append(Segment(source, row_style + style("report-queue--source")))
            segments.append(Segment(" " * (source_width - len(source) + 1), row_style))
        if summary.little_text:  # the page gave a few lines of article text: worth a look
            segments.append(Segment("little text · ", row_style + style("report-queue--little-text")))
        segments.append(Segment(one_line(summary.title, width), row_style))  # titles are stored whole
        strip = Strip(segments).adjust_cell_length(width, row_style)
        if index == self.cursor:
            cursor_style = style("report-queue--cursor" if self.has_focus else "report-queue--cursor-blurred")
            strip = Strip(Segment.apply_style(list(strip), post_style=cursor_style), strip.cell_length)
        return strip
