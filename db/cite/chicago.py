"""Chicago Manual of Style, 17th ed.: notes (14.206) and bibliography entries for web pages and news.

A claim is cited through its chain, last relay first ("The National, citing unnamed \"informed Iraqi
sources,\" quoted in ..."), as CMOS 14.260 cites a source quoted in another.
"""

from __future__ import annotations

import re

from .case import title_case
from .common import Part, _join, _same, _us_date
from .fields import ClaimFields, _capitalise_start, _Fields
from .names import _invert
from .style import Style


def _chicago_note_parts(f: _Fields, *, org_first: bool = True) -> list[Part]:
    title = title_case(f.title)
    date_s = _us_date(f.date) if f.date else "n.d."
    acc = f"accessed {_us_date(f.accessed)}" if f.accessed and not f.date else ""
    parts: list[Part] = []
    if f.author:
        parts += [("", f.author, False), ("", title, True), ("", f.container, False)]
        if not _same(f.org_long, f.container):
            parts.append(("", f.org_long, False))
    elif org_first:
        parts += [("", f.org_long, False), ("", title, True), ("", f.container, False)]
    else:
        parts += [("", title, True), ("", f.org_long, False)]
        if not _same(f.org_long, f.container):
            parts.append(("", f.container, False))
    parts += [("", date_s, False), ("", acc, False), ("", f.url, False)]
    return parts


def _chicago_bib(f: _Fields) -> str:
    title = title_case(f.title)
    head = _invert(f.author) if f.author else f.org_long
    site = [f.container] if f.container else []
    if f.author and f.org_long and not _same(f.org_long, f.container):
        site.append(f.org_long)
    site.append(_us_date(f.date) if f.date else "n.d.")
    blocks: list[Part] = [("", head, False), ("", title, True), ("", ", ".join(s for s in site if s), False)]
    if f.accessed and not f.date:
        blocks.append(("", f"Accessed {_us_date(f.accessed)}", False))
    blocks.append(("", f.url, False))
    return _join(blocks, sep=".", end=".")


_UNNAMED_MARKERS = ("unnamed", "anonymous", "unidentified", "undisclosed")


def _cms_chain_parts(relays: list[str]) -> list[Part]:
    """Last relay first: The National, citing unnamed "informed Iraqi sources"."""
    parts: list[Part] = []
    for i, name in enumerate(reversed(relays)):
        prefix = "citing " if i else ""
        if name[:1].islower():  # a description, not a name
            desc = re.sub(r"^(the|a|an)\s+", "", name, flags=re.I) or name
            if not any(m in desc.lower() for m in _UNNAMED_MARKERS):
                prefix += "unnamed "
            parts.append((prefix, desc, True))
        else:
            parts.append((prefix, name, False))
    return parts


def note(f: _Fields) -> str:
    return _capitalise_start(_join(_chicago_note_parts(f)))


def note_claim(c: ClaimFields) -> str:
    parts = _cms_chain_parts(c.relays)
    report_parts = _chicago_note_parts(c.report, org_first=False)
    if parts:
        first = next(p for p in report_parts if p[1])
        idx = report_parts.index(first)
        report_parts[idx] = ("quoted in " + first[0], first[1], first[2])
    return _capitalise_start(_join(parts + report_parts))


def bib_claim(c: ClaimFields) -> str:
    bib = _chicago_bib(c.report)
    return f"{_capitalise_start(_join(_cms_chain_parts(c.relays)))} Quoted in {bib}" if c.relays else bib


NOTE = Style("chicago-note", "Chicago (note)", note, note_claim)
BIB = Style("chicago-bib", "Chicago (bibliography)", _chicago_bib, bib_claim)
