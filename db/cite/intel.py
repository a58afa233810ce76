"""The intelligence source line: the one style CSL cannot express, since it carries the Admiralty grade
("Source B, information 3.") and the source's affiliation, which no CSL variable holds."""

from __future__ import annotations

from db.attribution import chain_prose

from .common import _MONTHS_ABBR, _day_month_year, _end, _same
from .fields import ClaimFields, _Fields
from .style import Style


def _intel_body(f: _Fields) -> str:
    org = f.org_short or f.org_full or "Unknown source"
    if f.affiliation and not _same(f.affiliation, org):
        org = f"{org} ({f.affiliation})"
    elems = [org]
    if f.raw_title:
        elems.append(f'"{f.raw_title}"')
    elems.append(_day_month_year(f.date, _MONTHS_ABBR) if f.date else "n.d.")
    if f.url:
        elems.append(f"<{f.url}>")
    out = ", ".join(elems)
    if f.accessed:
        out += f" (accessed {_day_month_year(f.accessed, _MONTHS_ABBR)})"
    return _end(out)


def _intel_grade(reliability: str, credibility: int) -> str:
    return f"Source {reliability}, information {credibility}."


def _intel_report(f: _Fields) -> str:
    return f"{_intel_body(f)} {_intel_grade(f.reliability, f.credibility)}"


def _intel_claim(c: ClaimFields) -> str:
    f = c.report
    head = f"\u201c{c.excerpt}\u201d" if c.excerpt else ""
    who = chain_prose(c.full_chain)
    lead = " \u2014 ".join(e for e in (head, who) if e)
    out = f"{lead}; {_intel_body(f)}" if lead else _intel_body(f)
    return out + " " + _intel_grade(f.reliability, c.credibility)


INTEL = Style("intel", "Intelligence source line", _intel_report, _intel_claim)
