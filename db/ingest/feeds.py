"""RSS 0.9x/1.0 (RDF)/2.0 and Atom feeds: every item becomes a report.

feedparser gets the raw bytes (through a stream, never as a string: given a string it
would try to open it as a URL or a local path), so it applies the encoding the feed
declares and falls back by itself when there is none. Item bodies are HTML fragments;
they are stored as text with paragraph breaks.
"""

from __future__ import annotations

import io
import re

from ..models import ParsedReport
from .dates import first_date, normalise_date
from .errors import IngestError
from .htmltext import html_to_text, looks_like_html
from .markdown import tag_list
from .text import shorten_title

# The first element of an XML document, after the declaration, comments and doctype.
_FIRST_ELEMENT = re.compile(
    r"\A\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<![^>]*>\s*)*<(?P<name>[A-Za-z_][\w.:-]*)", re.DOTALL
)
_FEED_ROOTS = {"rss": "rss", "feed": "atom", "rdf": "rdf"}


def feed_root(text: str) -> str | None:
    """'rss', 'atom' or 'rdf' when the document's root element is a feed's."""
    match = _FIRST_ELEMENT.match(text[:8192])
    if not match:
        return None
    local_name = match.group("name").rsplit(":", 1)[-1].lower()
    return _FEED_ROOTS.get(local_name)


def _format_of(version: str, sniffed: str | None) -> str:
    if version.startswith("atom"):
        return "atom"
    if version in ("rss090", "rss10"):
        return "rdf"
    if version.startswith("rss"):
        return "rss"
    return sniffed or "rss"


def _entry_body(entry: dict) -> str:
    """The longest of the item's content blocks and summary, as text."""
    candidates = [block.get("value") or "" for block in entry.get("content") or [] if isinstance(block, dict)]
    candidates.append(entry.get("summary") or "")
    markup = max((c for c in candidates if isinstance(c, str)), key=len, default="")
    if not markup.strip():
        return ""
    return html_to_text(markup) if looks_like_html(markup) or "<" in markup else markup.strip()


def _entry_title(item: dict) -> str:
    title = item.get("title") or ""
    detail = item.get("title_detail") or {}
    # feedparser unescapes plain-text titles itself; HTML titles ("<b>Live</b>") need stripping.
    if "html" in (detail.get("type") or "") and "<" in title:
        return html_to_text(title).replace("\n", " ")
    return title


def parse_feed(data: bytes, name: str, sniffed: str | None = None) -> list[ParsedReport]:
    import feedparser  # only feeds pay for the import

    # No sanitizing nor URI resolving: item HTML only ever becomes text here (html_to_text drops
    # scripts and styles), and feedparser's sanitizer is quadratic in "<!--" runs.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            raise IngestError(f"malformed feed: {_bozo_reason(parsed.get('bozo_exception'))}")
        raise IngestError("feed has no items")

    channel = parsed.get("feed") or {}
    publisher = _entry_title(channel).strip() or None
    language = (channel.get("language") or "").strip() or None
    fmt = _format_of(parsed.get("version") or "", sniffed)

    reports: list[ParsedReport] = []
    for entry in entries:
        title = shorten_title(_entry_title(entry))
        body = _entry_body(entry)
        if not body:
            # A headline-only item is still news to triage: the title is its text.
            body = title
        if not body:
            continue
        reports.append(
            ParsedReport(
                title=title or shorten_title(body.split("\n", 1)[0]),
                body=body,
                format=fmt,
                original_name=name,
                url=(entry.get("link") or "").strip() or None,
                # The date as the publisher wrote it; the parsed form is converted to UTC.
                **first_date((normalise_date(entry.get("published") or entry.get("updated"))
                              or normalise_date(entry.get("published_parsed") or entry.get("updated_parsed")),
                              "feed item")),
                publisher=publisher,
                author=(entry.get("author") or "").strip() or None,
                language=language,
                tags=tag_list([tag.get("term") for tag in entry.get("tags") or [] if isinstance(tag, dict)]),
            )
        )
    if not reports:
        raise IngestError("feed items have neither title nor text")
    return reports


def _bozo_reason(error: object) -> str:
    if error is None:
        return "unreadable XML"
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]
