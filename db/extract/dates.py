"""Dates written in prose ("June 11, 2024", "11 June 2024", "2024-06-11") to ISO, and the dateline."""

from __future__ import annotations

import re

_MONTH = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MON}),?\s+(?P<y2>(?:19|20)\d\d)"
    rf"|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d))\b",
    re.IGNORECASE,
)


def _iso(y: int, m: int, d: int) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def match_to_iso(m: re.Match) -> str | None:
    if m.group("y1"):
        return _iso(int(m.group("y1")), _MONTH[m.group("m1").lower().rstrip(".")], int(m.group("d1")))
    if m.group("y2"):
        return _iso(int(m.group("y2")), _MONTH[m.group("m2").lower().rstrip(".")], int(m.group("d2")))
    return _iso(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))


def to_iso(text: str) -> str | None:
    m = DATE_RE.search(text)
    return match_to_iso(m) if m else None


# A dateline is a line near the top that is (almost) only a date, or "Published/Updated: <date>".
# Dates inside sentences ("On June 11, 2024, a channel posted") are event dates, not the dateline.
_DATELINE_PREFIX = re.compile(r"^\s*(?:(?:published|posted|updated|date|dated)\s*(?:on)?\s*:?\s*)?", re.I)


def find_dateline(body: str, max_lines: int = 8, max_chars: int = 3000) -> str | None:
    seen = 0
    for line in body[:max_chars].splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > max_lines:
            break
        stripped = _DATELINE_PREFIX.sub("", line).strip()
        m = DATE_RE.search(stripped)
        if not m:
            continue
        rest = (stripped[: m.start()] + stripped[m.end():]).strip(" ,.|-–—")
        # allow a weekday or a time next to the date, nothing that reads like a sentence
        if len(rest.split()) <= 3 and not re.search(r"\b(said|says|on|in)\b", rest, re.I):
            return match_to_iso(m)
    return None
