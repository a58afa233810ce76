"""What every citation style shares: the sanitiser (db/text_safety.py's, the app's one rule), partial dates
and their written forms, and joining elements with Chicago punctuation."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from db.attribution import same_name as _same  # noqa: F401  (the styles import it from here)
from db.text_safety import field_line

# What a finished citation may never hold, whatever a style added: C0 (but tab and newline), DEL, C1,
# bidi embeddings/overrides/isolates and lone surrogates. Fields are already shown by field_line.
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def strip_controls(text: str) -> str:
    """Remove C0 (except tab and newline), DEL, C1, bidi overrides/isolates and lone surrogates."""
    return _CONTROL_RE.sub("", text)


def _field(value: object) -> str:
    """One untrusted field as a clean single line ("" for None): the app's one sanitiser."""
    return field_line(value)


# --- dates --------------------------------------------------------------------------------

_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$")
_MONTHS = [calendar.month_name[i] for i in range(13)]
_MONTHS_ABBR = [calendar.month_abbr[i] for i in range(13)]
# MLA 9 abbreviates months longer than four letters.
_MONTHS_MLA = ["", "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None


def parse_partial_date(value: object) -> PartialDate | None:
    """``"2024-06-24"``, ``"2024-06"``, ``"2024"`` (time part ignored); None for anything else."""
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(value)
    if not m:
        return None
    year = int(m.group(1))
    if year < 1:
        return None
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return PartialDate(year, month, day)


def _us_date(d: PartialDate) -> str:  # June 24, 2024
    if d.month is None:
        return str(d.year)
    if d.day is None:
        return f"{_MONTHS[d.month]} {d.year}"
    return f"{_MONTHS[d.month]} {d.day}, {d.year}"


def _apa_date(d: PartialDate | None) -> str:  # 2024, June 24
    if d is None:
        return "n.d."
    if d.month is None:
        return str(d.year)
    if d.day is None:
        return f"{d.year}, {_MONTHS[d.month]}"
    return f"{d.year}, {_MONTHS[d.month]} {d.day}"


def _mla_date(d: PartialDate) -> str:  # 24 June 2024
    parts = [str(d.day)] if d.day else []
    if d.month:
        parts.append(_MONTHS_MLA[d.month])
    parts.append(str(d.year))
    return " ".join(parts)


def _day_month_year(d: PartialDate, months: list[str]) -> str:  # 13 Jun 2024 / 24 June 2024
    parts = [str(d.day)] if d.day else []
    if d.month:
        parts.append(months[d.month])
    parts.append(str(d.year))
    return " ".join(parts)


def _ris_date(d: PartialDate) -> str:  # 2024/06/24/  (RIS: YYYY/MM/DD/other, parts may be empty)
    month = f"{d.month:02d}" if d.month else ""
    day = f"{d.day:02d}" if d.day else ""
    return f"{d.year:04d}/{month}/{day}/"


def _iso(d: PartialDate) -> str:
    out = f"{d.year:04d}"
    if d.month:
        out += f"-{d.month:02d}"
        if d.day:
            out += f"-{d.day:02d}"
    return out


def _accessed(value: object) -> PartialDate | None:
    return parse_partial_date(value) if value is not None else None



# --- joining with Chicago punctuation ----------------------------------------------------------

Part = tuple[str, str, bool]  # (prefix, text, quoted)


def _join(parts: list[Part], sep: str = ",", end: str = ".") -> str:
    """Join elements with ``sep``, quoted titles taking the punctuation inside the quotes and a title that
    ends in ? or ! taking none (CMOS 6.119); never doubles a period."""
    parts = [p for p in parts if p[1]]
    out = []
    for i, (prefix, text, quoted) in enumerate(parts):
        punct = end if i == len(parts) - 1 else sep
        if quoted:
            if text.endswith(("?", "!")) or (punct == "." and text.endswith(".")):
                seg = f'"{text}"'
            else:
                seg = f'"{text}{punct}"'
        else:
            if text.endswith(("?", "!", punct)) or (punct == "." and text.endswith(('."', '?"', '!"'))):
                seg = text
            else:
                seg = text + punct
        out.append(prefix + seg)
    return " ".join(out)


def _end(text: str, punct: str = ".") -> str:
    if not text or text.endswith((".", "?", "!", '."', '?"', '!"', ".*", "?*", "!*")):
        return text
    return text + punct






def _italic(text: str) -> str:
    return "*" + text.replace("\\", "\\\\").replace("*", "\\*") + "*"
