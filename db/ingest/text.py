"""Plain-text reports.

The body is the text exactly as imported, title line included, with only CRLF/CR turned
into LF: claim and entity spans are character offsets into the stored body, so the body
must not be rewritten. The title is the first non-empty line; a dateline near the top
gives the publication date.
"""

from __future__ import annotations

from ..models import ParsedReport
from .dates import find_dateline, first_date
from .errors import IngestError

# Titles are stored whole: citations (BibTeX included) cite them, and a headline of 250
# characters is ordinary. Only hostile input (a 16 MB file that is one line) meets this cap;
# the screen shortens titles to its own width.
MAX_TITLE_LENGTH = 4096


def shorten_title(line: str, limit: int = MAX_TITLE_LENGTH) -> str:
    """The title on one line, whole up to ``limit`` characters (else cut at a word boundary near
    it, ending in "…")."""
    line = " ".join(line[: limit * 8].split())  # no need to split all of a 16 MB line
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def first_line_title(text: str) -> str:
    """The first non-empty line, shortened; "" when the text is blank."""
    for line in text.split("\n", 1000)[:1000]:
        if line.strip():
            return shorten_title(line)
    return ""


def parse_text(text: str, name: str) -> list[ParsedReport]:
    if not text.strip():
        raise IngestError("empty file")
    return [
        ParsedReport(
            title=first_line_title(text),
            body=text,
            format="text",
            original_name=name,
            **first_date((find_dateline(text), "dateline")),
        )
    ]
