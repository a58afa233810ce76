"""BibTeX (biblatex ``@online``) records: brace-balanced values whatever a field holds, the Admiralty grade
as an ``annotation``, and a claim's excerpt and attribution as ``abstract`` and ``addendum``."""

from __future__ import annotations

import re
import unicodedata

from db.attribution import chain_prose
from db.models import Report

from .case import _ARTICLES
from .common import _field, _iso, parse_partial_date
from .fields import ClaimFields, _Fields, _org_names
from .style import Style


# BibTeX counts braces before TeX sees a backslash: "\}" still closes a group, so a report field
# holding "}, title = {x" ended the field and wrote fields of its own. Every escape here is brace-
# balanced: a value holds only the braces it was given by this module, in pairs.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile(r"[\\{}&%$#_~^]")


def bibtex_escape(text: str) -> str:
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_ESCAPES[m.group(0)], text)


def _bibtex_url(url: str) -> str:
    return (
        url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20").replace('"', "%22")
    )


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_.lower())


def bibtex_key(report: Report) -> str:
    """``source-year-firstword``: "memri-2024-outlet", "caliberaz-nd-media"."""
    short, _, _ = _org_names(report.source)
    source = _slug(short) or _slug(_field(report.author).split(" ")[-1] if report.author else "") or "anon"
    d = parse_partial_date(report.published)
    year = str(d.year) if d else "nd"
    word = ""
    for w in _field(report.title).split(" "):
        s = _slug(w)
        if s and s not in _ARTICLES:
            word = s
            break
    key = "-".join(p for p in (source[:30], year, word[:20]) if p)
    return key if word else f"{key}-{_slug(str(report.id)) or 'x'}"


def _bibtex(f: _Fields, report: Report, extra: list[tuple[str, str]] | None = None) -> str:
    fields: list[tuple[str, str]] = []
    if f.author:
        fields.append(("author", bibtex_escape(f.author)))
    elif f.org_full:
        fields.append(("author", "{" + bibtex_escape(f.org_full) + "}"))  # corporate author: no name parsing
    fields.append(("title", "{" + bibtex_escape(f.title) + "}"))  # protect the headline's capitals
    if f.org_long:
        fields.append(("organization", bibtex_escape(f.org_long)))
    if f.container:
        fields.append(("note", bibtex_escape(f.container)))
    if f.date:
        fields.append(("date", _iso(f.date)))
        fields.append(("year", str(f.date.year)))
    if f.url:
        fields.append(("url", _bibtex_url(f.url)))
    if f.accessed:
        fields.append(("urldate", _iso(f.accessed)))
    if f.language:
        fields.append(("langid", bibtex_escape(f.language)))
    fields.extend(extra or [])
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{bibtex_key(report)},\n{body}\n}}\n"


# RIS ----------------------------------------------------------------------------------------


def _bibtex_report(f: _Fields) -> str:
    return _bibtex(f, f.report, [("annotation", f"Admiralty grade {f.reliability}{f.credibility}")])


def _bibtex_claim(c: ClaimFields) -> str:
    f = c.report
    extra = [("annotation", bibtex_escape(f"Admiralty grade {f.reliability}{c.credibility}"))]
    if c.full_chain:
        extra.insert(0, ("addendum", bibtex_escape(chain_prose(c.full_chain))))
    if c.excerpt:
        extra.insert(0, ("abstract", bibtex_escape(c.excerpt)))
    return _bibtex(f, f.report, extra)


BIBTEX = Style("bibtex", "BibTeX", _bibtex_report, _bibtex_claim)
