"""Search hits as a list the analyst moves through while the focus stays in the search field.

It draws with the Line API: a keystroke's results replace the list by swapping a Python list
and repainting the visible lines. An ``OptionList`` measured and wrapped every option it was
given and laid the dialog out again on every keystroke, which cost more than the search.

A hit is one or two lines (text; detail). They are made when the hit is first drawn, so a
keystroke pays for the ~20 hits on screen, not the 100 found, and straight from styled pieces
to segments (no Content: a third of a line's cost). Lines are cut to the width with an
ellipsis, never wrapped: a hit's height never depends on the width, and new results never need
a layout pass.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from db.text_safety import one_line

from .line_styles import CachedLineStyles
from .spans import styled_pieces

KIND_BADGES = {"report": ("R", "bold $text-primary"), "claim": ("C", "bold $text-success"),
               "entity": ("E", "bold $text-warning")}
MATCH_STYLE = "bold underline $text-accent"


def hit_line_pieces(hit) -> tuple[list[tuple[str, str | None]], ...]:
    """The lines that show one hit as ``(text, style)`` pieces: badge and matched text, then its
    detail (source, date)."""
    badge, style = KIND_BADGES.get(hit.kind, ("?", "dim"))
    first = [(badge, style), (" ", None),
             *styled_pieces(hit.text, [(s, e, MATCH_STYLE) for s, e in hit.highlights], one_line=True)]
    if not hit.detail:
        return (first,)
    return first, [("  ", None), (one_line(hit.detail), "dim")]


class HitList(CachedLineStyles, ScrollView):
    """Rows of hits with a cursor; clicking a hit posts ``Chosen``."""

    COMPONENT_CLASSES = {"hit-list--cursor"}

    # The scrollbar is always there: one that came and went with the number of hits (the first
    # results of every query, and any with few) asked for a layout of the whole dialog each time.
    DEFAULT_CSS = """
    HitList { overflow-x: hidden; overflow-y: scroll; }
    HitList > .hit-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    """

    # repaint=False: watch_cursor repaints only the lines of the two hits that changed
    cursor: reactive[int] = reactive(0, init=False, repaint=False)

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hits: list = []
        self._lines: dict[int, tuple] = {}  # hit index -> its lines' pieces, once drawn
        self._first_line: list[int] = []  # the list line where each hit starts
        self._hit_at_line: list[int] = []  # the hit each list line belongs to
        self._strips: dict[tuple[int, bool], Strip] = {}  # (line, under the cursor) -> strip
        # every line below the hits: one strip, so Textual's per-strip filter cache answers for it
        self._blank: Strip | None = None

    @property
    def text(self) -> str:
        """Every hit's lines as plain text (for tests and copying)."""
        return "\n".join("".join(text for text, _ in line) for index in range(len(self._hits))
                         for line in self._hit_pieces(index))

    def show(self, hits: list) -> None:
        """Replace the hits (``db.search.SearchHit``); the cursor goes back to the first. A line
        that reads as before (a quarter of them, from one keystroke to the next) keeps its strip
        and is not repainted."""
        shown_before = self._visible_line_keys() if round(self.scroll_offset.y) == 0 else []
        strips_before = self._strips
        self._hits = hits
        self._first_line = []
        self._hit_at_line = []
        for index, hit in enumerate(hits):
            self._first_line.append(len(self._hit_at_line))
            self._hit_at_line.extend([index] * _line_count(hit))
        self._lines.clear()
        self._strips = {}
        self.set_reactive(HitList.cursor, 0)
        width = self.scrollable_content_region.width
        self._set_virtual_size(Size(width, len(self._hit_at_line)))
        if not shown_before:
            self.scroll_to(y=0, animate=False, immediate=True)
            self.refresh()
            return
        shown_now = self._visible_line_keys()
        changed = []
        for line in range(max(len(shown_before), len(shown_now))):
            key = shown_now[line] if line < len(shown_now) else None
            if key is not None and line < len(shown_before) and key == shown_before[line] \
                    and (strip := strips_before.get((line, key[1]))) is not None:
                self._strips[line, key[1]] = strip
            else:
                changed.append(Region(0, line, width, 1))
        if changed:
            self.refresh(*changed)

    def _set_virtual_size(self, size: Size) -> None:
        """A new number of lines. Assigning ``virtual_size`` lays the whole screen out again (~15 ms
        in the search dialog, a keystroke in four); the scrollbar's proportions are all that
        changes (it never comes or goes: see DEFAULT_CSS)."""
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)  # Textual's (pinned 8.2); a test checks the scrollbar follows

    def _visible_line_keys(self) -> list[tuple]:
        """What each line on screen shows, as a key: equal keys draw equal strips."""
        top = round(self.scroll_offset.y)
        keys = []
        for line in range(top, min(len(self._hit_at_line), top + self.scrollable_content_region.height)):
            index = self._hit_at_line[line]
            hit = self._hits[index]
            part = line - self._first_line[index]
            shown = (hit.kind, hit.text, tuple(map(tuple, hit.highlights))) if part == 0 else hit.detail
            keys.append((part, index == self.cursor, shown))
        return keys

    # --- moving ------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        if self._hits:
            self.cursor = max(0, min(index, len(self._hits) - 1))

    def watch_cursor(self, previous: int, cursor: int) -> None:
        top_before = round(self.scroll_offset.y)
        self._scroll_cursor_into_view()
        if round(self.scroll_offset.y) != top_before:
            self.refresh()
            return
        for index in (previous, cursor):
            if 0 <= index < len(self._hits):
                self.refresh(Region(0, self._first_line[index] - top_before,
                                    self.scrollable_content_region.width, _line_count(self._hits[index])))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height or 1
        top = round(self.scroll_offset.y)
        first = self._first_line[self.cursor]
        last = first + _line_count(self._hits[self.cursor]) - 1
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True)

    def on_click(self, event) -> None:
        line = round(self.scroll_offset.y) + event.y
        if 0 <= line < len(self._hit_at_line):
            self.move_to(self._hit_at_line[line])
            self.post_message(self.Chosen(self.cursor))

    def on_resize(self) -> None:
        self._forget_strips()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._hit_at_line))

    # --- drawing -------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines straight from ``render_line`` (the same strip objects while they show the same
        thing), with the app's line filters. Textual's styles cache would make every line again
        for borders, padding, tint and opacity, which this widget has none of (see DEFAULT_CSS;
        ``test_hit_list_draws_as_textual_would``): 1-1.5 ms of the ~10 ms frame that shows a
        keystroke's results at 160x48. The lines stop at the scrollbar, which covers the rest."""
        background = self.background_colors[1]
        filters = self.get_line_filters()
        strips = []
        for y in crop.line_range:
            strip = self.render_line(y)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        if crop.column_span != (0, self.region.width):
            strips = [strip.crop(*crop.column_span) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if line >= len(self._hit_at_line):
            if self._blank is None:
                self._blank = Strip.blank(width, self.line_style())
            return self._blank
        index = self._hit_at_line[line]
        under_cursor = index == self.cursor
        strip = self._strips.get((line, under_cursor))
        if strip is None:
            strip = self.pieces_strip(self._hit_pieces(index)[line - self._first_line[index]], width)
            if under_cursor:
                cursor_style = self.line_style("hit-list--cursor")
                strip = Strip(Segment.apply_style(list(strip), post_style=cursor_style), strip.cell_length)
            self._strips[line, under_cursor] = strip
        return strip

    def notify_style_update(self) -> None:
        self._forget_strips()
        super().notify_style_update()

    def _forget_strips(self) -> None:
        self._strips.clear()
        self._blank = None

    def _hit_pieces(self, index: int) -> tuple[list[tuple[str, str | None]], ...]:
        lines = self._lines.get(index)
        if lines is None:
            lines = self._lines[index] = hit_line_pieces(self._hits[index])
        return lines


def _line_count(hit) -> int:
    return 2 if hit.detail else 1
