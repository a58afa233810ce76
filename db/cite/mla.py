"""MLA 9 works-cited entries: the title first when the author would repeat the publisher, abbreviated
months, the URL without its scheme, and "Accessed" whenever an access date is given."""

from __future__ import annotations

import re

from db.attribution import chain_prose

from .case import title_case
from .common import Part, _end, _italic, _join, _mla_date, _same
from .fields import ClaimFields, _capitalise_start, _Fields
from .names import _invert
from .style import Style


def _mla_url(url: str) -> str:
    return re.sub(r"^https?://", "", url, flags=re.I)


def _mla(f: _Fields) -> str:
    title = title_case(f.title)
    parts: list[Part] = []
    if f.author:
        parts.append(("", _invert(f.author), False))
    head = _join(parts + [("", title, True)], sep=".", end=".")
    elems = []
    if f.container:
        elems.append(_italic(f.container))
        if f.org_full and not _same(f.org_full, f.container):
            elems.append(f.org_full)
    elif f.org_full:
        elems.append(_italic(f.org_full))
    if f.date:
        elems.append(_mla_date(f.date))
    if f.url:
        elems.append(_mla_url(f.url))
    out = head
    if elems:
        out += " " + _end(", ".join(elems))
    if f.accessed:
        out += f" Accessed {_mla_date(f.accessed)}."
    return out


# BibTeX ---------------------------------------------------------------------------------------


def _mla_claim(c: ClaimFields) -> str:
    ref = _mla(c.report)
    if not c.relays:
        return ref
    return f"{_end(_capitalise_start(chain_prose(c.relays, last_via=False)))} Quoted in {ref}"


MLA = Style("mla", "MLA 9", _mla, _mla_claim)
