"""A small HTML -> plain text conversion with paragraph breaks.

Used for feed item bodies (which are HTML fragments) and as the fallback when the
article extractor gives nothing or fails on a page. Built on the standard library's
``html.parser``, which is event-driven and never recurses, so thousands of nested
elements cannot exhaust the stack.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose start and end mark a paragraph boundary.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
# Elements whose content is never readable text.
_SKIPPED_TAGS = frozenset("script style noscript template svg head iframe object".split())


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        # <br/> and <hr/>; a self-closing <script/> must not start skipping.
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML document or fragment: paragraphs separated by a blank line."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return tidy_paragraphs("".join(collector.parts))


def tidy_paragraphs(text: str) -> str:
    """Collapse runs of spaces inside lines and runs of blank lines between paragraphs."""
    lines = [re.sub(r"[ \t\u00a0\f\v]+", " ", line).strip() for line in text.split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


_MARKUP_TAG = re.compile(
    r"<(?:p|br|div|a|img|span|em|strong|b|i|u|ul|ol|li|h[1-6]|table|blockquote|figure)\b[^>]*>",
    re.IGNORECASE,
)
_CHARACTER_REFERENCE = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether a feed or JSON field holds markup rather than plain text."""
    return bool(_MARKUP_TAG.search(text) or _CHARACTER_REFERENCE.search(text))
