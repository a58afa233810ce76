"""A fast regex sentence splitter returning spans into the body.

Lines are hard boundaries (headlines, datelines and paragraphs are separate lines in every format we
import). Inside a line, split after . ! ? (plus closing quotes/brackets and footnote markers) when the
next token starts like a sentence, except after abbreviations and initials.
"""

from __future__ import annotations

import bisect
import re

_ABBREV = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt maj st jr sr vs etc inc corp co ltd no nos fig
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m approx dept est ft mt
    rev hon pres adm cmdr brig messrs mme mlle""".split()
)
_LINE = re.compile(r"[^\n]+")
# ... and footnote markers: "leave Qatar.[3] It described ..." is two sentences
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?:\[\d{1,3}\])*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")


def _ends_with_abbrev(text: str) -> bool:
    """``text`` ends with the boundary's punctuation (no white space): its last word runs to its end."""
    words = text.rsplit(None, 1)
    if not words:
        return False
    word = words[-1].lstrip("\"'“‘([").rstrip(".").lower()
    if word in _ABBREV:
        return True
    # initials: "J." "U.S." "D.C."
    return bool(_INITIALS.fullmatch(word))


def _stops(body: str) -> list[int]:
    """Where a boundary may start: every ".", "!" and "?", in body order."""
    out = []
    for ch in ".!?":
        i = body.find(ch)
        while i >= 0:
            out.append(i)
            i = body.find(ch, i + 1)
    out.sort()
    return out


def split_sentences(body: str) -> list[tuple[int, int]]:
    # _BOUNDARY is tried at each stop of a line, as its finditer would (from the end of its last match on):
    # the stops are found by str.find, far faster than the regex engine scanning for its first character.
    stops = _stops(body)
    k, n_stops = 0, len(stops)
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(body):
        ls, le = line.start(), line.end()
        start = resume = ls
        k = bisect.bisect_left(stops, ls, k)
        while k < n_stops and stops[k] < le:
            at = stops[k]
            k += 1
            if at < resume:
                continue
            m = _BOUNDARY.match(body, at, le)
            if m is None:
                # A match from a later stop of the same run of marks would end where this one did and
                # fail the same look-ahead: skip the run, or a run of n dots costs n matches of n.
                resume = at + 1
                while resume < le and body[resume] in ".!?":
                    resume += 1
                continue
            resume = m.end()
            if _ends_with_abbrev(body[max(start, at - 20): at + 1]):
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
