"""``M``: the ACH matrix, hypotheses side by side against the evidence (see db/ach.py).

Arrows or hjkl move over the cells; a key rates the cell under the cursor (c C, CC; n N; i I;
I II; x back to the stance's default); o orders the rows most diagnostic first (and back). Each rating is one audited change in the store, and the
table is then re-read from it, so what the screen shows is what is saved. Scores (weighted
inconsistency, rank) sit under each hypothesis' title; diagnostic rows carry a mark.
"""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from db.ach import CONSISTENCY_LABELS, AchMatrix, diagnostic_mark, rows_by_diagnosticity
from db.errors import StoreError
from db.text_safety import one_line

from ..database_watch import WatchesDatabase, undo_last
from ..widgets.ach_table import AchTable
from .pickers import TextPrompt

WIDE_FROM = 140  # columns: wider hypothesis columns from here


def column_widths(screen_width: int, hypotheses: int) -> tuple[int, int]:
    """(hypothesis column, claim column). The claim keeps at least 24 letters: the hypotheses
    scroll sideways behind it when they do not all fit (80 columns, five hypotheses)."""
    hypothesis = 18 if screen_width >= WIDE_FROM else 13 if screen_width >= 110 else 10
    # the vertical scrollbar 2, the mark 2, grade and weight 8, a space after the claim
    claim = screen_width - 2 - 2 - 8 - 1 - hypotheses * hypothesis
    return hypothesis, max(24, min(110, claim))


class AchScreen(WatchesDatabase, Screen):
    # Its styles are in tui/app.tcss (loaded at start): a stylesheet first met when the screen
    # opens makes Textual parse every stylesheet again, a third of the first opening's time.
    BINDINGS = [
        Binding("c", "rate('C')", "Rate", key_display="c C n i I"),
        Binding("C", "rate('CC')", "CC", show=False),
        Binding("n", "rate('N')", "N", show=False),
        Binding("i", "rate('I')", "I", show=False),
        Binding("I", "rate('II')", "II", show=False),
        Binding("x,delete,backspace,minus", "rate('-')", "Default", key_display="x"),
        Binding("a", "add_evidence", "Add row"),
        Binding("d", "remove_evidence", "Drop row"),
        Binding("u", "undo", "Undo"),
        Binding("o", "toggle_order", "Order"),
        Binding("escape,q", "close", "Back", key_display="q"),
    ]

    def __init__(self) -> None:
        super().__init__(id="ach")
        self.matrix: AchMatrix | None = None
        self.by_diagnosticity = False  # o: rows most diagnostic first, else by report date

    @property
    def store(self):
        return self.app.store

    def compose(self):
        yield Static(Content(""), id="ach-topbar")
        yield AchTable(id="ach-table")
        yield Static(Content(""), id="ach-empty")
        yield Static(Content(""), id="ach-cell")
        yield Static(Content(""), id="ach-claim")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload(first=True)
        self.watch_database()

    def reread_changed(self) -> None:
        """Ratings, stances or grades changed by another process (the CLI, a second window)."""
        self.reload()

    @property
    def table(self) -> AchTable:
        return self.query_one(AchTable)

    # --- reading ---------------------------------------------------------------------------------

    def reload(self, *, first: bool = False) -> None:
        """Re-read the matrix from the store and show it."""
        try:
            matrix = self.store.ach_matrix()
        except StoreError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            return
        if self.by_diagnosticity:
            matrix.rows = rows_by_diagnosticity(matrix)
        self.matrix = matrix
        table = self.table
        if first or table.matrix is None:
            hypothesis_width, claim_width = column_widths(self.app.size.width, len(matrix.hypotheses))
            table.show(matrix, hypothesis_width=hypothesis_width, claim_width=claim_width)
            table.focus()
        else:
            table.refresh_matrix(matrix)
        self._show_empty(matrix)
        self._update_topbar(matrix)
        self._update_detail()

    def on_resize(self, event) -> None:
        if self.matrix is None:
            return
        widths = column_widths(event.size.width, len(self.matrix.hypotheses))
        table = self.table
        if widths != (table.hypothesis_width, table.claim_width):
            table.show(self.matrix, hypothesis_width=widths[0], claim_width=widths[1])

    def _show_empty(self, matrix: AchMatrix) -> None:
        empty = self.query_one("#ach-empty", Static)
        if not matrix.hypotheses:
            message = ("No hypotheses yet. Create competing hypotheses from the command palette (Ctrl+P, "
                       "New hypothesis) or with 'analyst-tui hypothesis add TITLE'.")
        elif not matrix.rows:
            message = ("No evidence yet. A claim becomes a row when it has a stance toward a hypothesis (s on the "
                       "claims pane), or when you add it: a here (claim ids), Ctrl+P 'Add to ACH' on the claims "
                       "pane, or 'analyst-tui ach add CLAIM'.")
        else:
            message = ""
        empty.update(Content(message))
        empty.display = bool(message)

    def _update_topbar(self, matrix: AchMatrix) -> None:
        ranking = " · ".join(f"#{h.rank} H{h.id} {h.inconsistency:.2f}" for h in matrix.ranking)
        diagnostic = sum(1 for r in matrix.rows if r.diagnostic)
        order = "most diagnostic first" if self.by_diagnosticity else "by date"
        text = Content.assemble(
            ("ACH", "bold $text-accent"),
            f"  {len(matrix.hypotheses)} hypotheses × {len(matrix.rows)} evidence ({order}), {diagnostic} diagnostic  ",
            ("least inconsistent first: ", "dim"), ranking or "-")
        self.query_one("#ach-topbar", Static).update(text)

    def _update_detail(self) -> None:
        """The claim under the cursor in full, and the cell: its hypothesis, rating and where it came from."""
        cell_line, claim_line = self.query_one("#ach-cell", Static), self.query_one("#ach-claim", Static)
        row, hypothesis = self.table.current()
        if row is None:
            cell_line.update(Content(""))
            claim_line.update(Content(""))
            return
        mark = diagnostic_mark(row)
        parts: list = [(f"claim {row.claim_id}", "bold"), f" · report {row.report_id} · ",
                       one_line(row.source or "no source", 40), f" {row.reliability}{row.credibility}",
                       f" · weight {row.weight:.2f}"]
        if mark:
            kind = "most diagnostic" if row.most_diagnostic else "diagnostic"
            parts += ["  ", (f"{mark} {kind} ({row.diagnosticity:.2f})", "bold $text-secondary")]
        if hypothesis is not None:
            cell = row.cells[hypothesis.id]
            if cell.value is None:
                rating = "unrated (counts as N)"
            else:
                origin = "your rating" if cell.origin == "analyst" else "from the claim's stance, not rated yet"
                rating = f"{cell.value} {CONSISTENCY_LABELS[cell.value]} ({origin})"
            parts += ["\n", (f"H{hypothesis.id}: ", "bold"), (rating, "bold"), " · ", one_line(hypothesis.title, 90)]
        cell_line.update(Content.assemble(*parts))
        speaker = f" — {one_line(row.speaker, 60)}" if row.speaker else ""
        claim_line.update(Content.assemble(one_line(row.text, 400), (speaker, "dim")))

    def on_ach_table_cell_highlighted(self, event: AchTable.CellHighlighted) -> None:
        self._update_detail()

    # --- changes ---------------------------------------------------------------------------------

    def _change(self, change, message: str, *, quiet: bool = False) -> None:
        """One store change, then the matrix re-read. ``quiet``: the cell itself shows the change
        (a message over the table would hide the cells being rated)."""
        try:
            changed = change()
        except StoreError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            return
        self.reload()
        if not quiet or not changed:
            self.notify(message if changed else message + " (no change)", markup=False, timeout=2)

    def action_rate(self, code: str) -> None:
        row, hypothesis = self.table.current()
        if row is None or hypothesis is None:
            self.notify("Move to a cell under a hypothesis to rate it.", severity="warning", markup=False)
            return
        value = None if code == "-" else code
        said = value or "back to the stance's default"
        self._change(lambda: self.store.set_ach_cell([row.claim_id], hypothesis.id, value),
                     f"Claim {row.claim_id} × H{hypothesis.id}: {said}", quiet=True)

    def action_add_evidence(self) -> None:
        def chosen(text) -> None:
            if not text or not text.strip():
                return
            words = re.split(r"[\s,]+", text.strip())
            if not all(w.isascii() and w.isdigit() for w in words):
                self.notify("Claim ids are whole numbers (e.g. 12 40 41).", severity="warning", markup=False)
                return
            ids = [int(w) for w in words]
            self._change(lambda: self.store.add_ach_evidence(ids), f"Added to the matrix: claim {', '.join(words)}")

        self.app.push_screen(TextPrompt("Add claims to the ACH matrix as evidence rows",
                                        placeholder="claim ids, e.g. 12 40 41 (shown by / search and 'show')"), chosen)

    def action_remove_evidence(self) -> None:
        row, _ = self.table.current()
        if row is None:
            return
        self._change(lambda: self.store.remove_ach_evidence([row.claim_id]),
                     f"Claim {row.claim_id} taken out of the matrix (u brings it back)")

    def action_undo(self) -> None:
        undo_last(self)
        self.reload()

    def action_toggle_order(self) -> None:
        self.by_diagnosticity = not self.by_diagnosticity
        self.reload()

    def action_close(self) -> None:
        self.dismiss()
