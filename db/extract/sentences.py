"""A fast regex sentence splitter returning spans into the body.

Lines are hard boundaries (headlines, datelines and paragraphs are separate lines in every format we
import). Inside a line, split after . ! ? (plus closing quotes/brackets) when the next token starts like a
sentence, except after abbreviations and initials.
"""

from __future__ import annotations

import re

_ABBREV = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt maj st jr sr vs etc inc corp co ltd no nos fig
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m approx dept est ft mt
    rev hon pres adm cmdr brig messrs mme mlle""".split()
)
_LINE = re.compile(r"[^\n]+")
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"(\S+)$")
_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")


def _ends_with_abbrev(text: str) -> bool:
    m = _LAST_WORD.search(text)
    if not m:
        return False
    word = m.group(1).lstrip("\"'“‘([").rstrip(".").lower()
    if word in _ABBREV:
        return True
    # initials: "J." "U.S." "D.C."
    return bool(_INITIALS.fullmatch(word))


def split_sentences(body: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(body):
        ls, le = line.start(), line.end()
        start = ls
        for m in _BOUNDARY.finditer(body, ls, le):
            if _ends_with_abbrev(body[max(start, m.start() - 20): m.start() + 1]):
                continue
            spans.append((start, m.end()))
            start = m.end()
        spans.append((start, le))
    out = []
    for s, e in spans:
        while s < e and body[s].isspace():
            s += 1
        while e > s and body[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
