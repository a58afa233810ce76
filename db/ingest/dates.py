"""Dates as written in reports -> ISO ``YYYY-MM-DD``.

Handles ISO dates and timestamps, "June 24, 2024", "Jun. 24, 2024", "24 June 2024",
RFC 822 ("Mon, 24 Jun 2024 10:00:00 GMT"), "2024/06/24", and a bare "Jun. 13" when the
caller knows the year. The date is the one written: a timestamp is not shifted to UTC,
because the analyst reads the publisher's own date.
"""

from __future__ import annotations

import datetime as dt
import re
import time

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Feeds in other languages localise RFC 822 month abbreviations ("Seg, 24 Set 2018 19:42:40
# -0300"). Only trusted in that timestamp shape: "out" or "set" alone are English words.
_RFC822_FOREIGN_MONTHS = {
    "fev": 2, "abr": 4, "mai": 5, "ago": 8, "set": 9, "out": 10, "dez": 12,  # Portuguese
    "ene": 1, "dic": 12,  # Spanish
    "janv": 1, "févr": 2, "avr": 4, "juil": 7, "déc": 12,  # French
    "mär": 3, "okt": 10,  # German
}
_RFC822_FOREIGN = re.compile(
    r"\b(?P<day>[0-3]?\d)\s+(?P<month>[^\W\d_]{3,5})\.?\s+(?P<year>(?:19|20)\d\d)\s+\d\d:\d\d"
)
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Each pattern names month/day/year groups; the year is optional only in MONTH_DAY.
_PATTERNS = (
    re.compile(r"(?<!\d)" + _YEAR + r"[-/.](?P<month>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.IGNORECASE),
    re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b", re.IGNORECASE),
)
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?!,?\s*\d)", re.IGNORECASE)

# Only consider lines that look like a dateline, not a sentence that mentions a date.
_MAX_DATELINE_LENGTH = 120
MIN_YEAR, MAX_YEAR = 1900, 2100


def _to_iso(year: int, month: int, day: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(match: re.Match[str], year: int | None = None) -> str | None:
    groups = match.groupdict()
    month_text = groups["month"].lower().rstrip(".")
    month = _MONTHS.get(month_text) if not month_text.isdigit() else int(month_text)
    if month is None:
        return None
    if groups.get("year"):
        year = int(groups["year"])
    if year is None:
        return None
    return _to_iso(year, month, int(groups["day"]))


def normalise_date(value: object, *, year: int | None = None) -> str | None:
    """ISO date for a date-like value (str, date, datetime, struct_time, epoch number), or None.

    ``year`` completes a date written without one ("Jun. 13").
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return _to_iso(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _to_iso(value.year, value.month, value.day)
    if isinstance(value, time.struct_time):
        return _to_iso(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()[:200]  # a date is short; do not run regexes over a whole body
    if not text:
        return None
    if re.fullmatch(r"\d{9,11}(?:\.\d+)?", text):
        return _from_epoch(float(text))
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            iso = _from_match(match)
            if iso:
                return iso
    match = _RFC822_FOREIGN.search(text)
    if match and match.group("month").lower() in _RFC822_FOREIGN_MONTHS:
        month = _RFC822_FOREIGN_MONTHS[match.group("month").lower()]
        return _to_iso(int(match.group("year")), month, int(match.group("day")))
    if year is not None:
        match = _MONTH_DAY.search(text)
        if match:
            return _from_match(match, year)
    return None


def _from_epoch(seconds: float) -> str | None:
    try:
        stamp = dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return _to_iso(stamp.year, stamp.month, stamp.day)


def find_dateline(text: str, *, max_lines: int = 10) -> str | None:
    """The date of a dateline near the top of a report ("June 24, 2024", "BAGHDAD, 24 June 2024 -").

    Looks at the first ``max_lines`` non-empty lines and only at the start of longer lines,
    so that a date quoted further down a paragraph is not taken for the publication date.
    """
    seen = 0
    for line in text.split("\n", 200)[:200]:
        line = line.strip()
        if not line:
            continue
        seen += 1
        if seen > max_lines:
            break
        iso = normalise_date(line[:_MAX_DATELINE_LENGTH])
        if iso:
            return iso
    return None
