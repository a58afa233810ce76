"""RIS records (Zotero, EndNote): ``NEWS`` for outlets and agencies, else ``ELEC``; never an invented ``AU``
(Zotero would import the organisation as a person): the organisation goes in ``PB``."""

from __future__ import annotations

from db.attribution import chain_prose

from .common import _ris_date, _same
from .fields import ClaimFields, _Fields
from .names import _invert
from .style import Style


_NEWS_KINDS = {"outlet", "agency"}


def _ris(f: _Fields, extra: list[tuple[str, str]] | None = None) -> str:
    news = f.kind in _NEWS_KINDS
    lines: list[tuple[str, str]] = [("TY", "NEWS" if news else "ELEC"), ("TI", f.title)]
    if f.author:
        au = _invert(f.author)
        lines.append(("AU", au))
    t2 = f.container or f.org_full
    if t2:
        lines.append(("T2", t2))
    if f.org_full and not (news and _same(f.org_full, t2)):
        lines.append(("PB", f.org_full))
    if f.date:
        lines.append(("PY", f"{f.date.year:04d}"))
        lines.append(("DA", _ris_date(f.date)))
    if f.url:
        lines.append(("UR", f.url))
    if f.accessed:
        lines.append(("Y2", _ris_date(f.accessed)))
    if f.language:
        lines.append(("LA", f.language))
    for tag in f.tags:
        lines.append(("KW", tag))
    lines.extend(extra or [])
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


# Markdown -----------------------------------------------------------------------------------


def _ris_report(f: _Fields) -> str:
    return _ris(f, [("N1", f"Admiralty grade {f.reliability}{f.credibility}")])


def _ris_claim(c: ClaimFields) -> str:
    extra = []
    if c.excerpt:
        extra.append(("AB", c.excerpt))
    if c.full_chain:
        extra.append(("N1", "Attribution: " + chain_prose(c.full_chain)))
    extra.append(("N1", f"Admiralty grade {c.report.reliability}{c.credibility}"))
    return _ris(c.report, extra)


RIS = Style("ris", "RIS (Zotero, EndNote)", _ris_report, _ris_claim)
