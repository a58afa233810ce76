"""HTML pages: the article's main text and its metadata.

trafilatura finds the main text (dropping navigation, ads and other furniture) and reads
title, author, date and site name from meta tags (og:, article:, twitter:) and JSON-LD;
bench/ingest_html.py compares it with the alternatives on 157 real pages. It is imported
only when a page is parsed, because its import is slow and the app's start-up matters.
When it finds no main text or fails (a pathological tree), the whole page is stripped to
text instead, so a hand-made HTML snippet still imports.

This module is ``db.ingest.html``; with absolute imports it does not shadow the standard
library's ``html`` package.
"""

from __future__ import annotations

import logging
import re
import warnings

from ..models import ParsedReport
from .dates import as_stated, find_dateline, most_precise, normalise_date, stated_dates
from .errors import IngestError
from .htmltext import html_to_text
from ..little_text import LITTLE_TEXT_TAG
from .text import first_line_title, shorten_title

# Pages beyond this many elements are not worth the extractor's time: strip them instead.
_MAX_TREE_SIZE = 200_000
# Counted before trafilatura builds its tree, where hostile pages cost minutes and gigabytes (figures:
# bench/RESULTS.md, "Figures that were in code comments"). A real article page has a few thousand
# tags and a few hundred links.
MAX_TAGS = 50_000
MAX_LINKS = 5_000
# An article text shorter than this is a photo caption, an error or consent page, or a page that
# needs JavaScript. Of the 157 saved news pages, the 6 under it are a 403 page, two "enable
# JavaScript" pages, a photo and a video caption and a box of links (60-298 characters); just over
# it are a 404 page (307) and short real items (348 and up): no cut separates them all. The report
# is imported and tagged (see little_text.py).
LITTLE_TEXT_CHARS = 300
_config = None


def _trafilatura_config():
    """trafilatura's defaults with a tree-size cap (it only takes that through its config)."""
    global _config
    if _config is None:
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "MAX_TREE_SIZE", str(_MAX_TREE_SIZE))
        _config = config
    return _config


_FORM_FIELDS = ("textarea", "select")


def _extract_article(markup: str):
    """trafilatura's Document for the page (main text and metadata), or None."""
    import trafilatura
    from lxml import etree
    from trafilatura.utils import load_html

    # trafilatura logs every page it finds too short; that is our fallback's business.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    tree = load_html(markup)
    if tree is None:
        return None
    # Form fields hold what a reader never reads as the article: a video's "embed this" box is a
    # <textarea> of <iframe> markup, which trafilatura's fallback took for text (globalnews.ca).
    etree.strip_elements(tree, *_FORM_FIELDS, with_tail=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateutil warns about zone names like "EST"
        return trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            # favor_recall: best mean similarity on the 157 saved pages (bench/ingest_html.py)
            # and it never lost an article the default found; furniture is easier to skip
            # than missing text is to notice.
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            config=_trafilatura_config(),
        )


def _meta_text(document: object, attribute: str) -> str | None:
    value = getattr(document, attribute, None) if document is not None else None
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


# What the page's byline holds besides its authors, each dropped as a part of it ("David Lassman;
# Dlassman Com" from an e-mail address, "Malcolm Harris; January"), or the whole byline when it is an
# account box or an author-archive widget ("Account You're logged in as ...").
_NOT_AN_AUTHOR = re.compile(
    r"\b(?:logged|log ?in|log ?out|sign ?in|sign ?up|subscribe|subscription|account|newsletter|cookies?|menu|"
    r"you'?re|your|password|register|archive|rss|feed|e-?mail|comments?|photo|image|getty|follow|googletag|dfp|"
    r"com)\b", re.I)
_NOT_A_NAME_PART = re.compile(
    r"^(?:\w+ com|january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|posted\b.{0,40}|"
    r"(?:contributing|staff|senior|guest) (?:writer|reporter|editor))$", re.I)


def _author(document: object) -> str | None:
    author = _meta_text(document, "author")
    if author is None:
        return None
    parts = [part.strip() for part in author.split(";") if part.strip()]
    parts = [part for part in parts if not _NOT_A_NAME_PART.match(part)]
    if any(_NOT_AN_AUTHOR.search(part.replace("\u2019", "'")) for part in parts):
        return None  # a widget's words beside a name: the name is as likely the widget's
    return "; ".join(parts) or None


def _paragraphs(extracted: object) -> str:
    """trafilatura puts one paragraph per line; store them separated by a blank line."""
    if not isinstance(extracted, str):
        return ""
    return "\n\n".join(line.strip() for line in extracted.split("\n") if line.strip())


def too_complex_for_the_extractor(markup: str) -> bool:
    if markup.count("<") > MAX_TAGS:
        return True
    return markup.count("<a") + markup.count("<A") > MAX_LINKS


def parse_html(markup: str, name: str) -> list[ParsedReport]:
    try:
        document = None if too_complex_for_the_extractor(markup) else _extract_article(markup)
    except Exception:  # RecursionError on deep trees, lxml errors on hostile markup
        document = None  # strip the whole page instead

    body = _paragraphs(getattr(document, "text", None))
    if not body:
        body = html_to_text(markup)
    if not body:
        raise IngestError("no text in the HTML page")

    title = _meta_text(document, "title")
    # htmldate pads a bare year ("/2013/" in a URL) to January 1st: its date counts only as far
    # as the page itself states it, and the dateline in the text wins when it is more precise.
    metadata = normalise_date(_meta_text(document, "date"))
    metadata = as_stated(metadata, stated_dates(markup)) if metadata else None
    published, published_from = most_precise([(metadata, "page metadata"), (find_dateline(body), "dateline")])
    tags = [tag for tag in (getattr(document, "tags", None) or []) if isinstance(tag, str) and tag.strip()][:50]
    if len(body) < LITTLE_TEXT_CHARS:
        tags.append(LITTLE_TEXT_TAG)
    return [
        ParsedReport(
            title=shorten_title(title) if title else first_line_title(body),
            body=body,
            format="html",
            original_name=name,
            url=_meta_text(document, "url"),
            published=published,
            published_from=published_from,
            publisher=_meta_text(document, "sitename"),
            author=_author(document),
            language=_meta_text(document, "language"),
            tags=tags,
        )
    ]
