"""A Markdown link line: escaped text, and a link only for an http(s) URL."""

from __future__ import annotations

import re

from db.attribution import chain_prose

from .common import _MONTHS, PartialDate, _day_month_year, _end
from .fields import ClaimFields, _Fields
from .style import Style


_MD_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>|])")
_SAFE_URL_RE = re.compile(r"^https?://[^\s<>]+$", re.I)


def md_escape(text: str) -> str:
    """Backslash-escape Markdown syntax in untrusted text (and a leading "#" that would make a heading)."""
    out = _MD_ESCAPE_RE.sub(r"\\\1", text)
    return "\\" + out if out.startswith(("#", "+ ", "- ", "= ")) else out


def _md_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def _md_date(d: PartialDate | None) -> str:
    return _day_month_year(d, _MONTHS) if d else "n.d."


def _md_link(f: _Fields) -> str:
    text = md_escape(f.title)
    if f.url and _SAFE_URL_RE.match(f.url):
        return f"[{text}]({_md_url(f.url)})"
    if f.url:  # not http(s): show it, do not link it
        return f"*{text}* ({md_escape(f.url)})"
    return f"*{text}*"


def _markdown(f: _Fields) -> str:
    elems = [md_escape(f.org_short) if f.org_short else "", _md_link(f), _md_date(f.date)]
    out = _end(", ".join(e for e in elems if e))
    if f.accessed:
        out += f" Accessed {_md_date(f.accessed)}."
    return out


# Intel --------------------------------------------------------------------------------------


def _markdown_claim(c: ClaimFields) -> str:
    f = c.report
    head = f"\u201c{md_escape(c.excerpt)}\u201d" if c.excerpt else ""
    who = md_escape(chain_prose(c.full_chain)) if c.full_chain else ""
    tail = ", ".join(e for e in (_md_link(f), _md_date(f.date)) if e)
    lead = " \u2014 ".join(e for e in (head, who) if e)
    out = _end(f"{lead}: {tail}" if lead else tail)
    if f.accessed:
        out += f" Accessed {_md_date(f.accessed)}."
    return out


MARKDOWN = Style("markdown", "Markdown link", _markdown, _markdown_claim)
