"""The ACH matrix (:mod:`db.ach`) as text: a Markdown table (for a brief), lines for the
terminal (``analyst-tui ach``) and a dict for ``--json``. Claim text and titles are untrusted:
Markdown escapes them, the terminal lines go through ``one_line``."""

from __future__ import annotations

from .ach import AchCell, AchMatrix, diagnostic_mark, rows_by_diagnosticity
from .cite import md_escape, strip_controls
from .text_safety import one_line


def matrix_as_markdown(matrix: AchMatrix, *, text_limit: int = 160) -> str:
    """The matrix as a Markdown table: hypotheses least inconsistent first, rows most diagnostic
    first, the weighted inconsistency in the last row. Claim text is escaped (it is untrusted)."""
    columns = matrix.ranking
    lines = ["Hypotheses, least inconsistent first (weighted inconsistency; lower survives):", ""]
    for h in columns:
        lines.append(f"{h.rank}. H{h.id}: {_md_cell(h.title, 200)}: inconsistency {h.inconsistency:.2f}, "
                     f"consistency {h.consistency:.2f}")
    lines.append("")
    if not columns:
        return "No hypotheses yet.\n"
    header = ["", "Evidence", "Source", "Weight"] + [f"H{h.id} {_md_cell(h.title, 40)}" for h in columns]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join([":-:", "---", "---", "--:"] + [":-:"] * len(columns)) + "|")
    for row in rows_by_diagnosticity(matrix):
        evidence = f"{_md_cell(row.text, text_limit)} (claim {row.claim_id})"
        source = f"{_md_cell(row.source or 'no source', 40)} {row.reliability}{row.credibility}"
        cells = [_md_rating(row.cells[h.id]) for h in columns]
        lines.append("| " + " | ".join([diagnostic_mark(row), evidence, source, f"{row.weight:.2f}", *cells]) + " |")
    if not matrix.rows:
        lines.append("| | *no evidence yet* | | |" + " |" * len(columns))
    lines.append("| | **Weighted inconsistency** | | | " + " | ".join(f"**{h.inconsistency:.2f}**" for h in columns) + " |")
    lines += ["", "◆ most diagnostic, ◇ diagnostic (rated differently across hypotheses). Ratings: CC very "
                  "consistent, C consistent, N neutral, I inconsistent, II very inconsistent; *italic*: from the "
                  "claim's stance, not yet rated in the matrix; · unrated. Weight: credibility x source reliability."]
    return "\n".join(lines) + "\n"


def _md_rating(cell: AchCell) -> str:
    if cell.value is None:
        return "·"
    return f"*{cell.value}*" if cell.origin == "stance" else cell.value


def _md_cell(text: str | None, limit: int) -> str:
    flat = " ".join(strip_controls(str(text or "")).split())
    if len(flat) > limit:
        flat = flat[:limit - 1].rstrip() + "…"
    return md_escape(flat)


def matrix_as_dict(matrix: AchMatrix) -> dict:
    """For ``ach --json``: columns in order, the ranking, and every row with its cells."""
    return {
        "hypotheses": [{"id": h.id, "title": h.title, "active": h.active, "rank": h.rank,
                        "inconsistency": round(h.inconsistency, 4), "consistency": round(h.consistency, 4),
                        "inconsistent_rows": h.inconsistent_rows} for h in matrix.hypotheses],
        "ranking": [h.id for h in matrix.ranking],
        "rows": [{"claim_id": r.claim_id, "report_id": r.report_id, "text": r.text, "speaker": r.speaker,
                  "source": r.source, "reliability": r.reliability, "credibility": r.credibility,
                  "weight": round(r.weight, 4), "added": r.added, "diagnosticity": round(r.diagnosticity, 4),
                  "most_diagnostic": r.most_diagnostic,
                  "cells": {str(h): {"consistency": c.value, "origin": c.origin} for h, c in r.cells.items()}}
                 for r in matrix.rows],
    }


def matrix_as_text(matrix: AchMatrix, *, text_limit: int = 90) -> str:
    """For the terminal: the ranking, then one line per row (most diagnostic first), hypotheses
    least inconsistent first. Untrusted text goes through ``one_line`` (no control reaches the terminal)."""
    columns = matrix.ranking
    if not columns:
        return "No hypotheses yet: 'analyst-tui hypothesis add TITLE' creates one."
    lines = ["Hypotheses, least inconsistent first (weighted inconsistency; lower survives):"]
    for h in columns:
        lines.append(f"  {h.rank}. H{h.id:<4} inconsistency {h.inconsistency:6.2f}  consistency {h.consistency:6.2f}  "
                     f"{one_line(h.title, 80)}")
    lines.append("")
    if not matrix.rows:
        lines.append("No evidence yet: give claims a stance, or 'analyst-tui ach add CLAIM'.")
        return "\n".join(lines)
    width = max(4, *(len(f"H{h.id}") + 1 for h in columns))
    lines.append(f"    {'claim':>6}  weight  grade  " + "".join(f"{'H' + str(h.id):<{width}}" for h in columns) + "evidence")
    for row in rows_by_diagnosticity(matrix):
        cells = "".join(f"{_text_rating(row.cells[h.id]):<{width}}" for h in columns)
        lines.append(f"{diagnostic_mark(row) or ' ':<2}  {row.claim_id:>6}  {row.weight:6.2f}  {row.reliability}{row.credibility:<4} "
                     f"{cells}{one_line(row.text, text_limit)}")
    lines += ["", "◆ most diagnostic  ◇ diagnostic  * from the claim's stance (not rated in the matrix)  · unrated"]
    return "\n".join(lines)


def _text_rating(cell: AchCell) -> str:
    if cell.value is None:
        return "·"
    return cell.value + ("*" if cell.origin == "stance" else "")
