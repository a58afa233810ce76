"""A small HTML -> plain text conversion with paragraph breaks.

Used for feed item bodies (which are HTML fragments) and as the fallback when the
article extractor gives nothing or fails on a page. Built on lxml's (libxml2's) HTML parser
driving a collector of events, never a tree: thousands of nested elements cannot exhaust the
stack. Not the standard library's ``html.parser``: at the end of the input it rescans the rest
of the text for every construct left open ("<!--", "<a b=\"", "</a", "<?"), quadratic in a run
of them (128,000 characters of "<!--" took 14 s; issue 17).
"""

from __future__ import annotations

import re

from .decode import valid_str

# Elements whose start and end mark a paragraph boundary.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
# Elements whose content is never readable text.
_SKIPPED_TAGS = frozenset("script style noscript template svg head iframe object textarea select".split())


class _TextCollector:
    """The parser's target: text of the elements read, with breaks at block boundaries."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skip_depth = 0

    def start(self, tag, attributes) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def end(self, tag) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)

    def comment(self, text: str) -> None:
        pass

    def close(self) -> str:
        return "".join(self.parts)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML document or fragment: paragraphs separated by a blank line."""
    from lxml import etree

    if not markup.strip():
        return ""
    parser = etree.HTMLParser(target=_TextCollector(), recover=True, no_network=True, remove_comments=True,
                              remove_pis=True)
    # libxml2 takes UTF-8: a lone surrogate (from a JSON escape) cannot reach it
    parser.feed(valid_str(markup))
    return tidy_paragraphs(parser.close())


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


# "[^<>]*", not "[^>]*": in "<a <a <a ..." every "<a" scanned to the end of the text for a ">"
# (quadratic; issue 17); a tag holding a "<" is not a tag this needs to see.
_MARKUP_TAG = re.compile(
    r"<(?:p|br|div|a|img|span|em|strong|b|i|u|ul|ol|li|h[1-6]|table|blockquote|figure)\b[^<>]*>",
    re.IGNORECASE,
)
_CHARACTER_REFERENCE = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether a feed or JSON field holds markup rather than plain text."""
    return bool(_MARKUP_TAG.search(text) or _CHARACTER_REFERENCE.search(text))
