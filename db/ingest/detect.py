"""Which parser a file needs: its extension first, then a look at the content.

The extension is a hint the content can overrule: a ``.txt`` that is really an HTML page,
an ``.xml`` that is a feed, a ``.json`` that is JSON Lines. Without an extension (stdin,
``README``) the content decides alone.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from .feeds import feed_root
from .jsonfmt import looks_like_json_lines
from .markdown import has_front_matter

_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".log": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".xml": "feed",
}
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(r"<(?:html|head|body|article|div|p|meta|title)\b[^>]*>", re.IGNORECASE)


def looks_like_html_page(text: str) -> bool:
    """A document that starts like a page, or markup whose first characters are tags."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    return head.lstrip().startswith("<") and len(_HTML_TAGS.findall(head)) >= 3


def detect_format(text: str, name: str) -> str:
    """One of "text", "markdown", "html", "json", "jsonl", "feed" (feeds tell rss/atom/rdf later)."""
    by_extension = _EXTENSIONS.get(PurePath(name).suffix.lower())
    first_character = text[:4096].lstrip()[:1]

    if by_extension in ("json", "jsonl"):
        if by_extension == "json" and looks_like_json_lines(text):
            return "jsonl"
        return by_extension
    if feed_root(text):
        return "feed"
    if by_extension == "feed":
        # An .xml that is not a feed: a page saved as XHTML is still a page; anything else
        # goes to feedparser, which says why it cannot read it.
        return "html" if looks_like_html_page(text) else "feed"
    if by_extension == "html" or looks_like_html_page(text):
        return "html"
    if by_extension == "markdown":
        return "markdown"
    if has_front_matter(text):
        return "markdown"
    if by_extension is None and first_character in ("{", "["):
        return "jsonl" if looks_like_json_lines(text) else "json"
    return "text"
