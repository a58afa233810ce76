"""The ACH matrix as a table: evidence claims down, hypotheses across, one consistency per cell.

The first three columns (diagnostic mark, grade and weight, the claim) stay put while the
hypotheses scroll sideways; the cursor moves over the hypothesis columns only. Every text from
reports goes in as ``rich.text.Text`` through ``one_line``: DataTable parses plain strings as
markup, and a report's text is data.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from db.ach import AchCell, AchHypothesis, AchMatrix, AchRow, diagnostic_mark
from db.text_safety import one_line

FIXED = 3  # mark, grade + weight, claim
RATING_STYLES = {"CC": "bold green", "C": "green", "N": "yellow", "I": "red", "II": "bold red"}
MARK_STYLES = {"◆": "bold magenta", "◇": "magenta", "": ""}


def rating_text(cell: AchCell) -> Text:
    """CC..II in colour; a stance's default in italics with a dot (not yet the analyst's rating)."""
    if cell.value is None:
        return Text("·", style="dim", justify="center")
    if cell.origin == "stance":
        return Text(f"{cell.value}°", style=f"italic {RATING_STYLES[cell.value]}", justify="center")
    return Text(cell.value, style=RATING_STYLES[cell.value], justify="center")


def header_text(hypothesis: AchHypothesis, width: int) -> Text:
    """Two lines: "H2 Hamas is…" and "#1 0.51" (rank, weighted inconsistency)."""
    title = one_line(f"H{hypothesis.id} {hypothesis.title}", width)
    text = Text(title + "\n", style="bold" if hypothesis.active else "")
    text.append(f"#{hypothesis.rank} ", style="bold green" if hypothesis.rank == 1 else "bold")
    text.append(f"{hypothesis.inconsistency:.2f}", style="red" if hypothesis.inconsistency else "green")
    return text


def mark_text(row: AchRow) -> Text:
    mark = diagnostic_mark(row)
    return Text(mark or " ", style=MARK_STYLES[mark])


def grade_text(row: AchRow) -> Text:
    text = Text(f"{row.reliability}{row.credibility} ", style="bold")
    text.append(f"{row.weight:.2f}", style="dim")
    return text


class AchTable(DataTable):
    """``show(matrix)`` fills it; ``refresh_matrix(matrix)`` updates cells, marks and headers in place."""

    BINDINGS = [
        Binding("h", "cursor_left", show=False),
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
        Binding("l", "cursor_right", show=False),
        Binding("g", "first_row", show=False),
        Binding("G", "last_row", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", fixed_columns=FIXED, header_height=2, zebra_stripes=True)
        self.matrix: AchMatrix | None = None
        self.hypothesis_width = 12
        self.claim_width = 40

    def show(self, matrix: AchMatrix, *, hypothesis_width: int, claim_width: int) -> None:
        self.matrix = matrix
        self.hypothesis_width, self.claim_width = hypothesis_width, claim_width
        self.clear(columns=True)
        self.add_column(Text("◆"), width=1, key="mark")
        self.add_column(Text("grade\nweight"), width=7, key="grade")
        self.add_column(Text(f"evidence ({len(matrix.rows)})\n◆ most ◇ diagnostic"), width=claim_width,
                        key="claim")
        for hypothesis in matrix.hypotheses:
            self.add_column(header_text(hypothesis, hypothesis_width), width=hypothesis_width, key=f"h{hypothesis.id}")
        self.add_rows(
            [mark_text(row), grade_text(row), Text(one_line(row.text, claim_width + 1), no_wrap=True),
             *(rating_text(row.cells[h.id]) for h in matrix.hypotheses)]
            for row in matrix.rows)
        if matrix.rows and matrix.hypotheses:
            self.move_cursor(row=0, column=FIXED, animate=False)

    def refresh_matrix(self, matrix: AchMatrix) -> None:
        """Same rows and columns, new ratings and scores: only what changed is rewritten."""
        old = self.matrix
        self.matrix = matrix
        if old is None or [r.claim_id for r in old.rows] != [r.claim_id for r in matrix.rows] \
                or [h.id for h in old.hypotheses] != [h.id for h in matrix.hypotheses]:
            cursor = self.cursor_coordinate
            self.show(matrix, hypothesis_width=self.hypothesis_width, claim_width=self.claim_width)
            if self.row_count:
                self.move_cursor(row=min(cursor.row, self.row_count - 1), column=max(cursor.column, FIXED),
                                 animate=False)
            return
        row_keys = list(self.rows)
        for index, (before, after) in enumerate(zip(old.rows, matrix.rows)):
            key = row_keys[index]
            if diagnostic_mark(before) != diagnostic_mark(after):
                self.update_cell(key, "mark", mark_text(after))
            if (before.weight, before.reliability, before.credibility) != (after.weight, after.reliability, after.credibility):
                self.update_cell(key, "grade", grade_text(after))
            for hypothesis in matrix.hypotheses:
                if before.cells[hypothesis.id] != after.cells[hypothesis.id]:
                    self.update_cell(key, f"h{hypothesis.id}", rating_text(after.cells[hypothesis.id]))
        for hypothesis in matrix.hypotheses:
            self.columns[self._column_key(hypothesis.id)].label = header_text(hypothesis, self.hypothesis_width)
        self.refresh()

    def _column_key(self, hypothesis_id: int):
        return next(key for key in self.columns if key.value == f"h{hypothesis_id}")

    # --- where the cursor is -------------------------------------------------------------------

    def current(self) -> tuple[AchRow | None, AchHypothesis | None]:
        if self.matrix is None or not self.matrix.rows:
            return None, None
        coordinate = self.cursor_coordinate
        row = self.matrix.rows[coordinate.row] if coordinate.row < len(self.matrix.rows) else None
        index = coordinate.column - FIXED
        hypothesis = self.matrix.hypotheses[index] if 0 <= index < len(self.matrix.hypotheses) else None
        return row, hypothesis

    def action_cursor_left(self) -> None:
        if self.cursor_coordinate.column > FIXED:  # the fixed columns are labels, not cells to rate
            super().action_cursor_left()

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1))

    async def _on_click(self, event) -> None:  # type: ignore[override]
        await super()._on_click(event)
        if self.cursor_coordinate.column < FIXED and self.matrix and self.matrix.hypotheses:
            self.move_cursor(column=FIXED)
