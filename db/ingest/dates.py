"""Dates as written in reports -> ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

Handles ISO dates and timestamps, "June 24, 2024", "Jun. 24, 2024", "24 June 2024",
RFC 822 ("Mon, 24 Jun 2024 10:00:00 GMT"), "2024/06/24", Arabic datelines
("الأربعاء، 28 آب/اغسطس 2013", Levantine and Egyptian month names, Arabic-Indic digits),
and a bare "Jun. 13" when the caller knows the year. The date is the one written: a timestamp
is not shifted to UTC, because the analyst reads the publisher's own date.

A date keeps the precision its source gave: "August 2013" is ``2013-08`` and a lone "2015" is
``2015``. A month or a day is never filled in: a citation reading "January 1, 2015" for a page
that only says 2015 is a fabrication, worse than "n.d.".
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

# Full month names of the European languages the saved pages are in, read only in the shapes
# "9 enero 2014", "12. Juli 2013", "28 de agosto de 2013" and (for checking a page) "Mai 2013".
_EUROPEAN_MONTHS = {
    **dict.fromkeys(("januar", "janvier", "enero", "janeiro", "gennaio"), 1),
    **dict.fromkeys(("februar", "février", "fevrier", "febrero", "fevereiro", "febbraio"), 2),
    **dict.fromkeys(("märz", "maerz", "mars", "marzo", "março", "marco"), 3),
    **dict.fromkeys(("avril", "abril", "aprile"), 4),
    **dict.fromkeys(("mai", "mayo", "maio", "maggio"), 5),
    **dict.fromkeys(("juni", "juin", "junio", "junho", "giugno"), 6),
    **dict.fromkeys(("juli", "juillet", "julio", "julho", "luglio"), 7),
    **dict.fromkeys(("août", "aout", "agosto"), 8),
    **dict.fromkeys(("septembre", "septiembre", "setiembre", "setembro", "settembre"), 9),
    **dict.fromkeys(("oktober", "octobre", "octubre", "outubro", "ottobre"), 10),
    **dict.fromkeys(("novembre", "noviembre", "novembro"), 11),
    **dict.fromkeys(("dezember", "décembre", "decembre", "diciembre", "dezembro", "dicembre"), 12),
}
_EUROPEAN_MONTH = r"(?P<month>" + "|".join(sorted(_EUROPEAN_MONTHS, key=len, reverse=True)) + r")"
_EUROPEAN_DATE = re.compile(r"(?<!\d)(?P<day>[0-3]?\d)(?:\.|er|º)?\s+(?:de\s+)?" + _EUROPEAN_MONTH
                            + r",?\s+(?:de\s+)?" + _YEAR + r"(?!\d)", re.IGNORECASE)
_EUROPEAN_MONTH_YEAR = re.compile(r"\b" + _EUROPEAN_MONTH + r"\s+(?:de\s+)?" + _YEAR + r"(?!\d)",
                                  re.IGNORECASE)
_MONTH_PATH = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)/(?P<month>[01]?\d)/")
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"(?:19|20)\d\d")
_YEAR_MONTH_ONLY = re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)")

# Arabic month names: the Levantine/Iraqi (Syriac) names and the Egyptian/Gulf (Latin) ones, which
# datelines often give together ("آب/اغسطس"), with the spellings with and without hamza.
_ARABIC_MONTHS = {
    "كانون الثاني": 1, "يناير": 1, "شباط": 2, "فبراير": 2, "آذار": 3, "اذار": 3, "مارس": 3,
    "نيسان": 4, "أبريل": 4, "ابريل": 4, "إبريل": 4, "أيار": 5, "ايار": 5, "مايو": 5,
    "حزيران": 6, "يونيو": 6, "يونيه": 6, "تموز": 7, "يوليو": 7, "يوليه": 7,
    "آب": 8, "اب": 8, "أغسطس": 8, "اغسطس": 8, "أيلول": 9, "ايلول": 9, "سبتمبر": 9,
    "تشرين الأول": 10, "تشرين الاول": 10, "أكتوبر": 10, "اكتوبر": 10,
    "تشرين الثاني": 11, "نوفمبر": 11, "كانون الأول": 12, "كانون الاول": 12, "ديسمبر": 12,
}
_HAS_ARABIC_DIGIT = re.compile("[٠-٩۰-۹]")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# day, up to 40 characters of month name(s), year; the lazy middle is bounded, so the cost per
# starting position is too (the text is cut to 200 characters before any pattern runs).
_ARABIC_DATE = re.compile(r"(?<!\d)(?P<day>[0-3]?\d)\s+(?P<month>[^\d]{2,40}?)\s+(?P<year>(?:19|20)\d\d)(?!\d)")

PRECISIONS = ("day", "month", "year")


def precision_of(iso: str | None) -> str | None:
    """"day", "month" or "year" for an ISO date as this module writes them; None for None."""
    if not iso:
        return None
    return {10: "day", 7: "month", 4: "year"}.get(len(iso[:10].rstrip("T")))


def _arabic_month(text: str) -> int | None:
    """The month named by "آب/اغسطس" or "تشرين الأول": every name given must agree."""
    months = {_ARABIC_MONTHS.get(" ".join(part.split())) for part in text.split("/")}
    return months.pop() if len(months) == 1 and None not in months else None


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
    if isinstance(value, int) and MIN_YEAR <= value <= MAX_YEAR:
        return str(value)  # "published: 2015" in YAML or JSON is a year, not 2015 s after 1970
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()[:200].translate(_ARABIC_DIGITS)  # a date is short: no regex over a whole body
    if not text:
        return None
    if _YEAR_ONLY.fullmatch(text):
        return text if MIN_YEAR <= int(text) <= MAX_YEAR else None
    whole = _YEAR_MONTH_ONLY.fullmatch(text)
    if whole:
        return _month_iso(int(whole.group("year")), int(whole.group("month")))
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
    for match in _ARABIC_DATE.finditer(text):
        month = _arabic_month(match.group("month").strip(" ،,"))
        if month:
            return _to_iso(int(match.group("year")), month, int(match.group("day")))
    match = _EUROPEAN_DATE.search(text)
    if match:
        month = _EUROPEAN_MONTHS[match.group("month").lower()]
        return _to_iso(int(match.group("year")), month, int(match.group("day")))
    if year is not None:
        match = _MONTH_DAY.search(text)
        if match:
            return _from_match(match, year)
    match = _MONTH_YEAR.search(text)
    if match:
        return _month_iso(int(match.group("year")), _MONTHS[match.group("month").lower().rstrip(".")])
    return None


def _month_iso(year: int, month: int) -> str | None:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}"


def _from_epoch(seconds: float) -> str | None:
    try:
        stamp = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
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
        # "In August 2013, the army ..." names an event's month: only a short line is a dateline
        if iso and (precision_of(iso) == "day" or len(line) <= _MAX_PARTIAL_DATELINE_LENGTH):
            return iso
    return None


_MAX_PARTIAL_DATELINE_LENGTH = 40
_MAX_PAGE_SCAN = 3_000_000  # dates are in the head and the article, not past 3 MB of markup
_COMPACT_DAY = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?!\d)")
_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def stated_dates(page: str) -> set[str]:
    """Every date a page states, as ISO days, months and years, from its markup, text and URLs:
    what a date found elsewhere (htmldate pads a bare "/2013/" in a URL to January 1st) must
    be checked against before it is believed."""
    text = page[:_MAX_PAGE_SCAN]
    if _HAS_ARABIC_DIGIT.search(text):  # a search costs a tenth of the translation it spares
        text = text.translate(_ARABIC_DIGITS)
    found: set[str] = set()
    for pattern in (*_PATTERNS, _COMPACT_DAY):
        for match in pattern.finditer(text):
            iso = _from_match(match)
            if iso:
                found.update((iso, iso[:7], iso[:4]))
    for match in _EUROPEAN_DATE.finditer(text):
        iso = _to_iso(int(match.group("year")), _EUROPEAN_MONTHS[match.group("month").lower()], int(match.group("day")))
        if iso:
            found.update((iso, iso[:7], iso[:4]))
    for pattern, months in ((_MONTH_YEAR, _MONTHS), (_EUROPEAN_MONTH_YEAR, _EUROPEAN_MONTHS)):
        for match in pattern.finditer(text):
            iso = _month_iso(int(match.group("year")), months[match.group("month").lower().rstrip(".")])
            if iso:
                found.update((iso, iso[:4]))
    for match in _MONTH_PATH.finditer(text):
        iso = _month_iso(int(match.group("year")), int(match.group("month")))
        if iso:
            found.update((iso, iso[:4]))
    for match in _ARABIC_DATE.finditer(text):
        month = _arabic_month(match.group("month").strip(" ،,"))
        iso = _to_iso(int(match.group("year")), month, int(match.group("day"))) if month else None
        if iso:
            found.update((iso, iso[:7], iso[:4]))
    found.update(match.group() for match in _ANY_YEAR.finditer(text))
    return found


def as_stated(iso: str | None, stated: set[str]) -> str | None:
    """``iso`` cut to the precision at which the page states it (day, month, year), or None."""
    if not iso:
        return None
    for candidate in (iso[:10], iso[:7], iso[:4]):
        if candidate in stated:
            return candidate
    return None


def first_date(*candidates: tuple[str | None, str]) -> dict:
    """``published`` and ``published_from`` of a ParsedReport: the first ``(iso, where it came
    from)`` that has a date, in the order the caller trusts them."""
    for iso, origin in candidates:
        if iso:
            return {"published": iso, "published_from": origin}
    return {"published": None, "published_from": None}


def most_precise(candidates) -> tuple[str | None, str | None]:
    """The most precise of ``(iso, where it came from)`` pairs; on a tie, the first given."""
    best: tuple[str | None, str | None] = (None, None)
    rank = {"day": 3, "month": 2, "year": 1, None: 0}
    for iso, origin in candidates:
        if rank[precision_of(iso)] > rank[precision_of(best[0])]:
            best = (iso, origin)
    return best
