"""The fields of a citation, read once from a report (and a claim): every style formats these, never the
report itself, so each untrusted field is cleaned by the one sanitiser in one place.

* Organisation: ``Source.name`` is the short name ("MEMRI", "Caliber.Az"); ``Source.full_name``, when set, is
  the written-out name ("Middle East Media Research Institute"); ``org_long`` writes both as
  "Middle East Media Research Institute (MEMRI)" when they differ.
* Author: ``Report.author``, unless it names nobody ("Staff reporter", "Agencies": ``names_a_person``) or is the
  organisation itself (then the report is cited as unsigned: MLA 9 starts with the title, and no style repeats
  the name as author and site).
* Container: ``Report.container``, or the ``container=`` keyword, which wins when given (``""`` suppresses it).
* Date: ``Report.published``: ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; anything else counts as undated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db.attribution import attribution_chain, same_name
from db.models import CREDIBILITY_LABELS, RELIABILITY_LABELS, Claim, Report, Source

from .case import _cap_first
from .common import PartialDate, _accessed, _field, parse_partial_date
from .names import names_a_person

_same = same_name


@dataclass
class _Fields:
    title: str
    raw_title: str
    author: str
    org_short: str
    org_full: str
    org_long: str
    container: str
    url: str
    date: PartialDate | None
    accessed: PartialDate | None
    affiliation: str
    reliability: str
    credibility: int
    kind: str
    language: str
    tags: list[str]
    body: str
    report: Report | None = None


def _org_names(source: Source | None) -> tuple[str, str, str]:
    if source is None:
        return "", "", ""
    short = _field(source.name)
    full = _field(source.full_name) or short
    if not short:
        short = full
    if short and full and short.casefold() != full.casefold() and short.casefold() not in full.casefold():
        long = f"{full} ({short})"
    else:
        long = full
    return short, full, long


def _grade_letter(value: object) -> str:
    v = _field(value).upper()
    return v if v in RELIABILITY_LABELS else "F"


def _grade_digit(value: object) -> int:
    try:
        v = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 6
    return v if v in CREDIBILITY_LABELS else 6


def _fields(report: Report, accessed: object, container: object) -> _Fields:
    short, full, long = _org_names(report.source)
    raw_title = _field(report.title)
    src = report.source
    author = _field(report.author)
    return _Fields(
        title=raw_title or "Untitled",
        raw_title=raw_title,
        author=author if names_a_person(author) and not any(_same(author, n) for n in (short, full, long)) else "",
        org_short=short,
        org_full=full,
        org_long=long,
        container=_field(container if container is not None else getattr(report, "container", None)),
        url=_field(report.url).replace(" ", "%20"),
        date=parse_partial_date(report.published),
        accessed=_accessed(accessed),
        affiliation=_field(src.affiliation) if src else "",
        reliability=_grade_letter(src.reliability) if src else "F",
        credibility=_grade_digit(report.credibility),
        kind=_field(src.kind).lower() if src else "",
        language=_field(report.language),
        tags=[t for t in (_field(t) for t in (report.tags or []) if isinstance(t, str)) if t],
        body=report.body if isinstance(report.body, str) else "",
        report=report,
    )


# --- claims ---------------------------------------------------------------------------------


@dataclass
class ClaimFields:
    """What a claim citation adds to its report's fields."""

    chain: list[str]  # originator first (db/attribution.py)
    relays: list[str]  # the chain without the report's own source, which the citation names anyway
    full_chain: list[str]  # the chain ending with the report's source
    credibility: int
    excerpt: str
    report: _Fields = field(repr=False, default=None)  # type: ignore[assignment]


def _is_source(name: str, f: _Fields) -> bool:
    return any(_same(name, n) for n in (f.org_short, f.org_full, f.org_long) if n)


def claim_fields(claim: Claim, f: _Fields) -> ClaimFields:
    chain = attribution_chain(claim)
    relays = chain[:-1] if chain and _is_source(chain[-1], f) else chain
    relays = [r for r in relays if not _is_source(r, f)] if len(relays) > 1 else relays
    full_chain = list(chain)
    if f.org_short and not (full_chain and _is_source(full_chain[-1], f)):
        full_chain.append(f.org_short)
    return ClaimFields(chain, relays, full_chain, _grade_digit(claim.credibility), _excerpt(claim.text), f)


def _excerpt(text: str, limit: int = 120) -> str:
    t = _field(text).strip("\"'\u201c\u201d\u2018\u2019 ")
    if len(t) <= limit:
        return t
    cut = t[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "\u2026"


def _capitalise_start(text: str) -> str:
    return _cap_first(text) if text[:1].islower() or (text[:1] in "\"'" and text[1:2].islower()) else text

