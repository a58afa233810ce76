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


# A dateline is a line near the top that is (almost) only a date, or "Published/Updated: <date>".
# Dates inside sentences ("On June 11, 2024, a channel posted") are event dates, not the dateline.
_DATELINE_PREFIX = re.compile(r"^\s*(?:(?:published|posted|updated|date|dated)\s*(?:on)?\s*:?\s*)?", re.I)


_SENTENCE_WORD = re.compile(r"\b(said|says|on|in)\b", re.I)  # next to a date, it reads like a sentence


def find_dateline(body: str, max_lines: int = 8, max_chars: int = 3000) -> str | None:
    seen = 0
    for line in body[:max_chars].splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > max_lines:
            break
        if "19" not in line and "20" not in line:
            continue  # every date DATE_RE reads has a year 19xx or 20xx: skip the slow search
        stripped = _DATELINE_PREFIX.sub("", line).strip()
        m = DATE_RE.search(stripped)
        if not m:
            continue
        rest = (stripped[: m.start()] + stripped[m.end():]).strip(" ,.|-–—")
        # allow a weekday or a time next to the date, nothing that reads like a sentence
        if len(rest.split()) <= 3 and not _SENTENCE_WORD.search(rest):
            return match_to_iso(m)
    return None


# --- relative dates, normalised against the report's date ------------------------------------------------
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(
    r"\b(?:(?P<simple>yesterday|today|tonight)"
    r"|(?P<lastnext>last|next|this)\s+(?P<unit>week|month|year|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
    rf"|(?P<prep>since|in|last|this|until|by|from|on)\s+(?P<month>{_MON}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
    r"(?![\s,]+\d))",  # "since October 7" / "in May 2024" are absolute: DATE_RE's business
    re.IGNORECASE,
)


def relative_dates(text: str, reference: str | None) -> list[tuple[int, int, str]]:
    """Relative expressions ("last month", "since October", "on Tuesday", "yesterday") as (start, end, value),
    the value an ISO day ("2024-06-10"), month ("2024-05") or year ("2023") computed from ``reference``
    (the report's ISO date). A named month or weekday is taken as the latest one not after the reference;
    "next ..." goes forward. Nothing is returned without a valid reference date."""
    import datetime as _dt

    try:
        ref = _dt.date.fromisoformat((reference or "")[:10])
    except ValueError:
        return []
    out: list[tuple[int, int, str]] = []
    for m in _RELATIVE.finditer(text):
        val = None
        if m.group("simple"):
            w = m.group("simple").lower()
            val = (ref - _dt.timedelta(days=1) if w == "yesterday" else ref).isoformat()
        elif m.group("lastnext"):
            step = {"last": -1, "next": 1, "this": 0}[m.group("lastnext").lower()]
            unit = m.group("unit").lower()
            if unit == "year":
                val = str(ref.year + step)
            elif unit == "month":
                y, mo = divmod(ref.year * 12 + ref.month - 1 + step, 12)
                val = f"{y:04d}-{mo + 1:02d}"
            elif unit == "week":
                monday = ref - _dt.timedelta(days=ref.weekday()) + _dt.timedelta(weeks=step)
                val = monday.isoformat()  # the week's Monday
            else:
                val = _weekday(ref, _WEEKDAYS.index(unit), step)
        else:
            word = m.group("month").lower().rstrip(".")
            if word in _WEEKDAYS:
                step = 1 if m.group("prep").lower() in ("until", "by") else -1
                val = _weekday(ref, _WEEKDAYS.index(word), step)
            elif word in _MONTH and not (word == "may" and m.group("month")[:1] == "m"):  # "may" the verb
                mo = _MONTH[word]
                y = ref.year if mo <= ref.month else ref.year - 1
                if m.group("prep").lower() in ("until", "by") and mo < ref.month:
                    y = ref.year + 1
                val = f"{y:04d}-{mo:02d}"
        if val:
            out.append((m.start(), m.end(), val))
    return out


def _weekday(ref, wd: int, step: int) -> str:
    import datetime as _dt

    if step >= 0:
        delta = (wd - ref.weekday()) % 7 or (7 if step else 0)
        return (ref + _dt.timedelta(days=delta)).isoformat()
    delta = (ref.weekday() - wd) % 7 or 7
    return (ref - _dt.timedelta(days=delta)).isoformat()
