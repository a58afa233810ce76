"""Footnote-style cited sources: a line "[1] Telegram, June 11, 2024." and the "[1]" markers in the text."""

from __future__ import annotations

import re
from bisect import bisect_right

from db.models import ExtractedCitedSource

from .dates import DATE_RE, match_to_iso

# A footnote line starts the line with the bracketed number and carries a short source description.
_NOTE_LINE = re.compile(r"^[ \t]*\[(\d{1,3})\][ \t]*(\S[^\n]{0,300}?)[ \t]*$", re.M)
_MARKER = re.compile(r"\[(\d{1,3})\]")


def find_cited_sources(body: str) -> list[ExtractedCitedSource]:
    if "[" not in body:  # every note line holds one; the line pattern is slow to rule a long body out
        return []
    notes: dict[str, ExtractedCitedSource] = {}
    note_spans: list[tuple[int, int]] = []
    for m in _NOTE_LINE.finditer(body):
        ref, rest = m.group(1), m.group(2)
        date_m = DATE_RE.search(rest)
        if date_m:
            source = rest[: date_m.start()].strip(" ,;.")
            date = match_to_iso(date_m)
        else:
            source = rest.strip(" ,;.")
            date = None
        source = source.split(",")[0].strip() or source
        start, end = m.start(1) - 1, m.end(2)
        notes.setdefault(ref, ExtractedCitedSource(ref=ref, source=source, date=date,
                                                   raw=body[start:end], start=start, end=end))
        note_spans.append((start, end))
    if not notes:
        return []
    # note lines are found in order and do not overlap: the one a marker may sit in is the last
    # starting at or before it (a scan of every note for every marker was quadratic in a body
    # of note lines; issue 17)
    starts = [s for s, _ in note_spans]
    for m in _MARKER.finditer(body):
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < note_spans[i][1]:
            continue
        note = notes.get(m.group(1))
        if note is not None:
            note.markers.append((m.start(), m.end()))
    return sorted(notes.values(), key=lambda n: n.start)
