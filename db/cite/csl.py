"""CSL-JSON, the interchange format of reference managers (Zotero, Mendeley, pandoc, every CSL processor).

One item per report, from the same fields as every style (fields.py), so a CSL processor given the item and
an official style (APA, Chicago, MLA) writes what ``cite_report`` writes, or a difference tests/test_csl.py
names. What CSL has no variable for travels in ``note``: the Admiralty grade, which is why the intelligence
source line stays hand-written.

* ``type``: ``article-newspaper`` for an outlet or agency, else ``webpage`` (Zotero's item types).
* ``author``: a person's name as family/given; nothing for an unsigned report or a byline naming nobody (no
  invented author, as in RIS): the organisation is the ``container-title`` (Zotero's "Website Title" or
  "Publication"), and the ``publisher`` when the report is in a series of its own (``container``).
* ``issued``: the date parts the source gave ("2013-08" -> [[2013, 8]]).
"""

from __future__ import annotations

from datetime import date

from db.models import CREDIBILITY_LABELS, RELIABILITY_LABELS, Report

from .bibtex import bibtex_key
from .fields import _fields
from .names import _person_parts

NEWS_KINDS = ("outlet", "agency")


def _date_parts(d) -> dict:
    parts = [d.year] + ([d.month] if d.month else []) + ([d.day] if d.month and d.day else [])
    return {"date-parts": [parts]}


def csl_item(report: Report, *, item_id: str | None = None, accessed: date | None = None) -> dict:
    """The CSL-JSON item of ``report`` (``item_id`` defaults to its BibTeX key)."""
    f = _fields(report, accessed, None)
    item: dict = {"id": item_id or bibtex_key(report),
                  "type": "article-newspaper" if f.kind in NEWS_KINDS else "webpage",
                  "title": f.title}
    if f.author:
        person = _person_parts(f.author)
        item["author"] = ([{"family": person[0], "given": " ".join(person[1])}] if person
                          else [{"literal": f.author}])
    container = f.container or f.org_full
    if container:
        item["container-title"] = container
    if f.org_full and f.container and f.org_full.casefold() != f.container.casefold():
        item["publisher"] = f.org_full  # a series within the publisher's site; else the site is the container
    if f.date:
        item["issued"] = _date_parts(f.date)
    if f.accessed:
        item["accessed"] = _date_parts(f.accessed)
    if f.url:
        item["URL"] = f.url
    if f.language:
        item["language"] = f.language
    if f.tags:
        item["keyword"] = ", ".join(f.tags)
    item["note"] = (f"Admiralty grade {f.reliability}{f.credibility}: source {RELIABILITY_LABELS[f.reliability][0].lower()}, "
                    f"information {CREDIBILITY_LABELS[f.credibility][0].lower()}")
    return item
