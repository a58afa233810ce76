"""The ACH matrix as a grid: evidence claims down, hypotheses across, one consistency per cell.

Drawn line by line (Textual's Line API): only the lines on screen are built, from plain
segments, so a matrix of 300 claims x 5 hypotheses opens within the frame budget (DataTable
measured and rendered every cell through Rich: 140 ms at 160x48). The two header lines stay put
when the rows scroll; the first three columns (diagnostic mark, grade and weight, the claim)
stay put when the hypotheses scroll sideways. The cursor moves over the hypothesis cells only.
Every text from reports goes through ``one_line`` and is drawn as plain segments: never markup.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from db.ach import AchCell, AchHypothesis, AchMatrix, AchRow, diagnostic_mark
from db.text_safety import one_line

HEADER = 2  # lines: titles, then rank and score
MARK, GRADE = 2, 8  # "◆ ", "B6 0.51 "
RATING_STYLES = {"CC": Style(bold=True, color="green"), "C": Style(color="green"), "N": Style(color="yellow"),
                 "I": Style(color="red"), "II": Style(bold=True, color="red")}
MARK_STYLES = {"◆": Style(bold=True, color="magenta"), "◇": Style(color="magenta"), "": Style()}
DIM = Style(dim=True)


def rating_label(cell: AchCell) -> tuple[str, Style]:
    """CC..II in colour; a stance's default in italics with a ° (not yet the analyst's rating)."""
    if cell.value is None:
        return "·", DIM
    if cell.origin == "stance":
        return f"{cell.value}°", RATING_STYLES[cell.value] + Style(italic=True)
    return cell.value, RATING_STYLES[cell.value]


def fit(text: str, width: int) -> str:
    """Exactly ``width`` cells (wide letters counted as two), cut with "…" when longer."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class AchTable(ScrollView, can_focus=True):
    """``show(matrix, ...)`` fills it; ``refresh_matrix(matrix)`` redraws it with new ratings."""

    BINDINGS = [
        Binding("up,k", "move(-1, 0)", show=False),
        Binding("down,j", "move(1, 0)", show=False),
        Binding("left,h", "move(0, -1)", show=False),
        Binding("right,l", "move(0, 1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home,g", "jump('first')", show=False),
        Binding("end,G", "jump('last')", show=False),
    ]
    # Styled in tui/app.tcss, not here: CSS first met when the screen opens makes Textual parse
    # the whole stylesheet again (~60 ms of the first opening).
    COMPONENT_CLASSES = {"ach-table--header", "ach-table--cursor", "ach-table--cursor-row"}

    class CellHighlighted(Message):
        """The cursor moved (or the matrix under it changed)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.matrix: AchMatrix | None = None
        self.hypothesis_width = 12
        self.claim_width = 40
        self.cursor_row = 0
        self.cursor_column = 0  # index among the hypotheses
        self._lines: dict[tuple, Strip] = {}  # drawn lines (see render_line)

    # --- filling -------------------------------------------------------------------------------

    @property
    def fixed_width(self) -> int:
        return MARK + GRADE + self.claim_width + 1

    @property
    def row_count(self) -> int:
        return len(self.matrix.rows) if self.matrix else 0

    def show(self, matrix: AchMatrix, *, hypothesis_width: int, claim_width: int) -> None:
        """Show a matrix; the cursor stays on the claim it was on (rows move when they are
        ordered by diagnosticity), else at the same place."""
        row, _ = self.current()
        self.matrix = matrix
        if row is not None:
            self.cursor_row = next((i for i, r in enumerate(matrix.rows) if r.claim_id == row.claim_id), self.cursor_row)
        self.hypothesis_width, self.claim_width = hypothesis_width, claim_width
        self._clamp_cursor()
        self._lines.clear()
        self.virtual_size = Size(self.fixed_width + hypothesis_width * len(matrix.hypotheses), HEADER + len(matrix.rows))
        if self.is_mounted and self.size.height:
            self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.CellHighlighted())

    def refresh_matrix(self, matrix: AchMatrix) -> None:
        """New ratings, scores, rows: the cursor stays where it was (within the new bounds)."""
        self.show(matrix, hypothesis_width=self.hypothesis_width, claim_width=self.claim_width)

    def _clamp_cursor(self) -> None:
        rows = self.row_count
        columns = len(self.matrix.hypotheses) if self.matrix else 0
        self.cursor_row = max(0, min(self.cursor_row, rows - 1))
        self.cursor_column = max(0, min(self.cursor_column, columns - 1))

    # --- where the cursor is -------------------------------------------------------------------

    def current(self) -> tuple[AchRow | None, AchHypothesis | None]:
        if self.matrix is None or not self.matrix.rows:
            return None, None
        hypotheses = self.matrix.hypotheses
        row = self.matrix.rows[min(self.cursor_row, len(self.matrix.rows) - 1)]
        return row, hypotheses[min(self.cursor_column, len(hypotheses) - 1)] if hypotheses else None

    def move_cursor(self, row: int | None = None, column: int | None = None) -> None:
        if self.matrix is None:
            return
        if row is not None:
            self.cursor_row = row
        if column is not None:
            self.cursor_column = column
        self._clamp_cursor()
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.CellHighlighted())

    def _scroll_to_cursor(self) -> None:
        visible_rows = max(1, self.scrollable_content_region.height - HEADER)
        y = self.scroll_y
        if self.cursor_row < y:
            y = self.cursor_row
        elif self.cursor_row >= y + visible_rows:
            y = self.cursor_row - visible_rows + 1
        visible_width = max(1, self.scrollable_content_region.width - self.fixed_width)
        left = self.cursor_column * self.hypothesis_width
        x = self.scroll_x
        if left < x:
            x = left
        elif left + self.hypothesis_width > x + visible_width:
            x = left + self.hypothesis_width - visible_width
        self.scroll_to(x, y, animate=False, immediate=True)

    def action_move(self, rows: int, columns: int) -> None:
        self.move_cursor(self.cursor_row + rows, self.cursor_column + columns)

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - HEADER - 1)
        self.move_cursor(self.cursor_row + direction * page)

    def action_jump(self, where: str) -> None:
        self.move_cursor(0 if where == "first" else self.row_count - 1)

    def on_click(self, event: events.Click) -> None:
        if self.matrix is None or event.y < HEADER or event.x < self.fixed_width:
            return
        self.move_cursor(int(self.scroll_y) + event.y - HEADER,
                         (int(self.scroll_x) + event.x - self.fixed_width) // self.hypothesis_width)

    # --- drawing -------------------------------------------------------------------------------

    def render_lines(self, crop):
        # The styles once per frame: looked up per line they cost more than drawing the lines.
        styles = {"base": self.rich_style, **{name: self.get_component_rich_style(f"ach-table--{name}")
                                              for name in ("header", "cursor", "cursor-row")}}
        if styles != getattr(self, "_styles", None):
            self._styles = styles
            self._lines.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        # A line is drawn once per content, cursor and sideways scroll (a frame draws every line
        # on screen, and the opening of the screen takes two frames).
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y - HEADER if y >= HEADER else -1 - y
        key = (index, width, int(self.scroll_x), index == self.cursor_row and self.cursor_column)
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > 2000:
                self._lines.clear()
            line = self._lines[key] = self._render_line(y, width)
        return line

    def _render_line(self, y: int, width: int) -> Strip:
        styles = getattr(self, "_styles", None) or {"base": self.rich_style, "header": Style(), "cursor": Style(reverse=True),
                                                    "cursor-row": Style()}
        base = styles["base"]
        if self.matrix is None:
            return Strip.blank(width, base)
        if y < HEADER:
            fixed, scrolled = self._header_line(y)
            style = base + styles["header"]
        else:
            index = int(self.scroll_y) + y - HEADER
            if index >= len(self.matrix.rows):
                return Strip.blank(width, base)
            fixed, scrolled = self._row_line(index, styles["cursor"])
            style = base
            if index == self.cursor_row:
                style = base + styles["cursor-row"]
        x = int(self.scroll_x)
        visible = max(0, width - self.fixed_width)
        line = Strip.join([Strip(fixed), Strip(scrolled).crop(x, x + visible)])
        return line.apply_style(style).extend_cell_length(width, style).crop(0, width)

    def _header_line(self, y: int) -> tuple[list[Segment], list[Segment]]:
        matrix = self.matrix
        assert matrix is not None
        width = self.hypothesis_width
        if y == 0:
            fixed = [Segment(fit("◆", MARK)), Segment(fit("grade", GRADE)),
                     Segment(fit(f"evidence ({len(matrix.rows)})", self.claim_width + 1))]
            scrolled = [Segment(fit(one_line(f"H{h.id} {h.title}"), width - 1) + " ",
                                Style(bold=True, underline=h.active)) for h in matrix.hypotheses]
            return fixed, scrolled
        fixed = [Segment(" " * MARK), Segment(fit("weight", GRADE)),
                 Segment(fit("◆ most ◇ diagnostic", self.claim_width + 1), DIM)]
        scrolled = []
        for h in matrix.hypotheses:
            rank = f"#{h.rank} "
            score = f"{h.inconsistency:.2f}"
            scrolled += [Segment(rank, Style(bold=True, color="green" if h.rank == 1 else None)),
                         Segment(score, Style(color="red" if h.inconsistency else "green")),
                         Segment(" " * max(1, width - len(rank) - len(score)))]
        return fixed, scrolled

    def _row_line(self, index: int, cursor_style: Style) -> tuple[list[Segment], list[Segment]]:
        matrix = self.matrix
        assert matrix is not None
        row = matrix.rows[index]
        mark = diagnostic_mark(row)
        fixed = [Segment(fit(mark, MARK), MARK_STYLES[mark]),
                 Segment(f"{row.reliability}{row.credibility} ", Style(bold=True)),
                 Segment(fit(f"{row.weight:.2f}", GRADE - 3), DIM),
                 Segment(fit(one_line(row.text), self.claim_width) + " ",
                         Style(bold=True) if index == self.cursor_row else None)]
        scrolled = []
        width = self.hypothesis_width
        for column, hypothesis in enumerate(matrix.hypotheses):
            label, style = rating_label(row.cells[hypothesis.id])
            cell = label.center(width - 1)
            if index == self.cursor_row and column == self.cursor_column:
                style = style + cursor_style
            scrolled += [Segment(cell, style), Segment(" ")]
        return fixed, scrolled

    # --- what a test or a screen reader reads ------------------------------------------------

    def header_label(self, hypothesis_id: int) -> str:
        """"H2 title… #1 0.51": what the two header lines show for a hypothesis."""
        assert self.matrix is not None
        h = next(h for h in self.matrix.hypotheses if h.id == hypothesis_id)
        return f"{fit(one_line(f'H{h.id} {h.title}'), self.hypothesis_width - 1).rstrip()} #{h.rank} {h.inconsistency:.2f}"

    def cell_label(self, row: int, column: int) -> str:
        assert self.matrix is not None
        return rating_label(self.matrix.rows[row].cells[self.matrix.hypotheses[column].id])[0]

    def mark_of(self, row: int) -> str:
        assert self.matrix is not None
        return diagnostic_mark(self.matrix.rows[row])
