"""Citations for reports and claims: pure functions over ``db.models``, no database.

Each style is a small module behind one registry (``registry.py``); what they share is in ``fields.py``
(the fields of a report and a claim), ``common.py`` (the sanitiser, dates, punctuation), ``case.py``
(title and sentence case) and ``names.py``; ``csl.py`` writes CSL-JSON for reference managers.

    cite_report(report, style, *, accessed=None, container=None) -> str
    cite_claim(claim, report, style, *, accessed=None, container=None) -> str

``STYLES`` maps each style id to a label, in the order the UI should offer them.

Which field goes where
---------------------
* Organisation: ``Source.name`` is the short name ("MEMRI", "Caliber.Az"); ``Source.full_name``, when set, is
  the written-out name ("Middle East Media Research Institute"). Chicago writes both as
  "Middle East Media Research Institute (MEMRI)" when they differ (and the full name does not already contain
  the short one); APA, MLA, BibTeX and RIS use the full name; Markdown and the intel line use the short name.
* Author: ``Report.author``. Without one, the organisation stands as the author (Chicago, APA, BibTeX); MLA
  starts with the title instead, as MLA 9 asks when the author would repeat the publisher. RIS never invents an
  ``AU`` (Zotero would import the organisation as a person); the organisation goes in ``PB``.
* Container: the series or section the report appeared in ("Jihad and Terrorism Threat Monitor"):
  ``Report.container``, or the ``container=`` keyword, which wins when given (pass ``""`` to suppress it).
* Date: ``Report.published`` is ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (a time part is ignored);
  anything else counts as undated. Undated: "n.d." (Chicago, APA, Markdown, intel), omitted (MLA, BibTeX, RIS).
* Access date: ``accessed=``. MLA, BibTeX (``urldate``), RIS (``Y2``) and the intel line print it whenever it
  is given; Chicago and APA only for an undated report (CMOS 14.233; APA's "Retrieved ... from").
* Descriptor (intel style): ``Source.affiliation`` ("anti-Iran Iraqi news website").

Untrusted text
--------------
Every string field may come from an adversary. Nothing here raises on any ``str`` content (only on an unknown
style id); each field goes through ``db.text_safety.field_line``, the app's one sanitiser (one line, control and
hidden format characters shown, as everywhere else); the output never holds C0 controls other than tab and
newline, DEL, C1 controls, lone surrogates or the bidi embeddings/overrides/isolates U+202A-202E and
U+2066-2069, because citations go to the clipboard and the terminal. Markdown text is escaped and only
http(s) URLs become links; BibTeX special characters are escaped.

See ``case.py`` for capitalisation.
"""

from __future__ import annotations

from datetime import date

from db.attribution import chain_prose as chain_text
from db.models import Claim, Report

from .bibtex import bibtex_escape, bibtex_key
from .case import sentence_case, title_case
from .common import PartialDate, parse_partial_date, strip_controls
from .fields import _fields, claim_fields
from .markdown import md_escape
from .registry import REGISTRY

__all__ = [
    "STYLES",
    "cite_report",
    "cite_claim",
    "chain_text",
    "title_case",
    "sentence_case",
    "strip_controls",
    "bibtex_escape",
    "bibtex_key",
    "md_escape",
    "parse_partial_date",
    "PartialDate",
]

STYLES: dict[str, str] = {style_id: style.label for style_id, style in REGISTRY.items()}


def _check_style(style: str) -> None:
    if style not in REGISTRY:
        raise ValueError(f"unknown citation style {style!r}; expected one of {', '.join(STYLES)}")


def cite_report(
    report: Report, style: str, *, accessed: date | None = None, container: str | None = None
) -> str:
    """The citation of ``report`` in ``style`` (a key of ``STYLES``).

    ``accessed``: the access date, printed where the style uses one. ``container``: the series or section the
    report appeared in ("Jihad and Terrorism Threat Monitor"); defaults to ``report.container``.
    BibTeX and RIS return a complete record ending in a newline; the other styles one line.
    """
    _check_style(style)
    return strip_controls(REGISTRY[style].report(_fields(report, accessed, container)))


def cite_claim(
    claim: Claim,
    report: Report,
    style: str,
    *,
    accessed: date | None = None,
    container: str | None = None,
) -> str:
    """The citation of ``claim`` (made in ``report``): who said it, through whom, then the report.

    The attribution is ``db.attribution.attribution_chain`` (the panes' and exports' too). A last relay equal to
    the report's source is not repeated where the report is cited after it. Markdown and intel quote a short
    excerpt of the claim; intel grades with the claim's credibility and the source's reliability.
    """
    _check_style(style)
    f = _fields(report, accessed, container)
    return strip_controls(REGISTRY[style].claim(claim_fields(claim, f)))
