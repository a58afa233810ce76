"""Styled text from untrusted strings and character spans.

Spans (claims, mentions, search matches) index the raw text, but making the text safe
(``db.text_safety.visible``) can change its length ("\\x9b" becomes "<9B>"). So the raw text
is cut at every span boundary first and each piece is made safe on its own: the styles stay
on the right characters and nothing raw reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from db.text_safety import visible


def styled_spans(text: str, spans: Iterable[tuple[int, int, str]], *, one_line: bool = False) -> Content:
    """``text`` with ``style`` over each ``(start, end, style)``; overlapping styles combine."""
    return Content.assemble(*[(piece, style) if style else piece
                              for piece, style in styled_pieces(text, spans, one_line=one_line)])


def styled_pieces(text: str, spans: Iterable[tuple[int, int, str]], *,
                  one_line: bool = False) -> list[tuple[str, str | None]]:
    """``text`` cut at the spans' ends into ``(visible piece, style or None)``."""
    spans = [(max(0, s), min(len(text), e), style) for s, e, style in spans if e > s]
    cuts = sorted({0, len(text), *[s for s, _, _ in spans], *[e for _, e, _ in spans]})
    pieces: list[tuple[str, str | None]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = visible(text[start:end], keep_newlines=not one_line)
        if one_line:
            piece = piece.replace("\n", " ")
        styles = [style for s, e, style in spans if s <= start and end <= e]
        pieces.append((piece, " ".join(styles) if styles else None))
    return pieces


def safe(text: str | None) -> Content:
    """Untrusted text as literal, visible Content (never markup)."""
    return Content(visible(text or ""))
