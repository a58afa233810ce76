"""APA 7 references: sentence-case titles in italics, the organisation as author of an unsigned report,
"Retrieved ... from" only for an undated page, and a claim "as cited in" the report (APA 8.6)."""

from __future__ import annotations

from db.attribution import chain_prose

from .case import sentence_case
from .common import _apa_date, _end, _italic, _same, _us_date
from .fields import ClaimFields, _capitalise_start, _Fields
from .names import _apa_name
from .style import Style


def _apa(f: _Fields) -> str:
    title = sentence_case(f.title, f.body)
    author = _apa_name(f.author) if f.author else f.org_full
    if f.container:
        site = f.container
        short = f.org_short
        if short and short.isupper() and " " not in short and not _same(short, f.org_full) and short not in site:
            site = f"{short} {site}"
    else:
        site = f.org_full
    if _same(site, author):
        site = ""
    title_s = _end(_italic(title))
    out = f"{_end(author)} ({_apa_date(f.date)}). {title_s}" if author else f"{title_s} ({_apa_date(f.date)})."
    if site:
        out += f" {_end(site)}"
    if f.url:
        if f.accessed and not f.date:
            out += f" Retrieved {_us_date(f.accessed)}, from {f.url}"
        else:
            out += f" {f.url}"
    return out


def _apa_claim(c: ClaimFields) -> str:
    ref = _apa(c.report)
    return f"{_capitalise_start(chain_prose(c.relays, last_via=False))}, as cited in {ref}" if c.relays else ref


APA = Style("apa", "APA 7", _apa, _apa_claim)
