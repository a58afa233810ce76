"""Quotation spans, found before sentences so that a quote running over sentences and paragraphs is one unit.

Handles straight and curly double quotes, the convention that a quote continuing into the next paragraph
re-opens it without closing the previous one, and unbalanced quotes (closed at the paragraph end).
Single quotes are ignored: they collide with apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The marks and line breaks the scan stops at. Two apostrophes stand for a straight double quote in
# typewriter-style copy ('' ... '').
_MARKS = ("\"", "“", "”", "„", "«", "»", "\n", "''")
_OPENERS = "“„«"
_CLOSERS = "”»"
_NOT_SPACE = re.compile(r"\S")


@dataclass
class Quote:
    open: int  # index of the opening mark (or of the paragraph start when it had none)
    close: int  # index of the closing mark (or paragraph end when unbalanced)
    start: int  # first character of the quoted text
    end: int  # one past its last character
    balanced: bool = True

    @property
    def words(self) -> int:
        return self._words

    def set_words(self, body: str) -> None:
        self._words = len(body[self.start:self.end].split())


def _straight_is_opener(body: str, i: int, n: int = 1) -> bool | None:
    before = body[i - 1] if i > 0 else " "
    after = body[i + n] if i + n < len(body) else " "
    if (before.isspace() or before in "([{—–-:") and not after.isspace():
        return True
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-"):
        return False
    return None  # ambiguous: toggle


def _marks(body: str) -> list[tuple[int, str]]:
    """(position, mark) of every mark in body order, two apostrophes never overlapping: what a regex
    alternation of the marks finds, found by str.find, far faster than the regex engine's scan."""
    found = []
    for mark in _MARKS:
        i = body.find(mark)
        while i >= 0:
            found.append((i, mark))
            i = body.find(mark, i + len(mark))
    found.sort()  # no two marks share a position
    return found


def find_quotes(body: str) -> list[Quote]:
    # What the scan knows of the open quote, kept as it goes: looking back from each mark to the
    # opening one made a run of opening marks cost n looks of n.
    quotes: list[Quote] = []
    open_at: int | None = None
    open_len = 1
    crossed_paragraph = False  # a line break lies between the opening mark and here
    first_text = 0  # the open quote's first character that is not white space

    def opened(at: int, length: int) -> None:
        nonlocal open_at, open_len, crossed_paragraph, first_text
        open_at, open_len, crossed_paragraph = at, length, False
        found = _NOT_SPACE.search(body, at + length)
        first_text = found.start() if found else len(body)

    for i, ch in _marks(body):
        n = len(ch)
        if ch == "\n":
            if open_at is None:
                continue
            # Paragraph ends inside a quote: continue only if the next paragraph re-opens with a mark.
            j = i
            while j < len(body) and body[j].isspace():
                j += 1
            if j < len(body) and (body[j] in "\"“„«" or body.startswith("''", j)):
                crossed_paragraph = True
                continue
            quotes.append(Quote(open_at, i, open_at + open_len, i, balanced=False))
            open_at = None
            continue
        if ch in _OPENERS:
            if open_at is None:
                opened(i, n)
            # else: a re-opening mark of a continued paragraph, or a stray one: part of the same quote
            continue
        if ch in _CLOSERS:
            if open_at is not None:
                quotes.append(Quote(open_at, i, open_at + open_len, i))
                open_at = None
            continue
        # straight quote ('"' or "''"); close is the index of the mark's last character
        role = _straight_is_opener(body, i, n)
        if open_at is None:
            if role is not False:
                opened(i, n)
        else:
            if role is True and crossed_paragraph:
                continue  # re-opening a continued paragraph
            if role is not True or first_text >= i:
                quotes.append(Quote(open_at, i + n - 1, open_at + open_len, i))
                open_at = None
    if open_at is not None:
        quotes.append(Quote(open_at, len(body), open_at + open_len, len(body), balanced=False))
    for q in quotes:
        # trim white space and a trailing comma inside the marks: "...Iraq," said the post
        while q.start < q.end and body[q.start].isspace():
            q.start += 1
        while q.end > q.start and (body[q.end - 1].isspace() or body[q.end - 1] in ",;:"):
            q.end -= 1
        q.set_words(body)
    return [q for q in quotes if q.end > q.start]
