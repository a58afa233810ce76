"""Markdown reports, with optional YAML front matter.

Front matter keys: title, source (the publisher), author, url, published, reliability
(A-F), tags (a list or "a, b"), kind (the source kind), affiliation, language, publication. The body is
the text after the front matter block, rendered as a reader sees it (``markdown_text``: no
``**`` in the reader, none in a speaker or an entity); extraction reads the rendered body, so spans
index the stored text. Without a ``title`` key the title is the first ``# heading``, else the
first non-empty line.
"""

from __future__ import annotations

import re

from ..models import RELIABILITY_GRADES, SOURCE_KINDS, ParsedReport
from .dates import find_dateline, first_date, normalise_date
from .errors import IngestError
from .markdown_text import render_inline, render_markdown
from .text import first_line_title, shorten_title

# "---" on the first line, the YAML, then "---" (or YAML's "...") on a line of its own.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# The closing hashes are stripped in Python, not by the pattern: ".+?" followed by "[ \t#]*$"
# tried every end of the title against the rest of the line, quadratic in a line of spaces
# ("# a" and 60,000 spaces took seconds; issue 17).
_H1 = re.compile(r"^#[ \t]+(?P<title>[^\n]+)$", re.MULTILINE)
_MAX_FRONT_MATTER = 64 * 1024


def _heading_text(line: str) -> str:
    """The heading without its closing hashes ("# Title ##"); a heading of hashes keeps one."""
    return line.rstrip(" \t#") or line[0]


def has_front_matter(text: str) -> bool:
    return _FRONT_MATTER.match(text[:_MAX_FRONT_MATTER]) is not None


def split_front_matter(text: str) -> tuple[dict, str]:
    """(front matter mapping, body). Raises IngestError when the YAML is invalid."""
    match = _FRONT_MATTER.match(text[:_MAX_FRONT_MATTER])
    if not match:
        return {}, text
    import yaml  # only files with front matter pay for the import

    try:
        meta = yaml.load(match.group("yaml") or "", Loader=_front_matter_loader())
    except yaml.YAMLError as error:
        raise IngestError(f"invalid YAML front matter: {_yaml_reason(error)}") from None
    except RecursionError:
        raise IngestError("invalid YAML front matter: nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as error:  # e.g. an explicit "!!timestamp 2024-13-45"
        raise IngestError(f"invalid YAML front matter: {type(error).__name__}: {str(error)[:120]}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise IngestError("invalid YAML front matter: expected 'key: value' lines")
    return meta, text[match.end():]


_LOADER = None


def _front_matter_loader():
    """yaml.SafeLoader without implicit timestamps: an impossible date an adversary writes
    ("published: 2024-13-45") made SafeLoader raise ValueError and lost the whole report.
    Dates stay text and go through ``normalise_date`` like every other date."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class FrontMatterLoader(yaml.SafeLoader):
            pass

        FrontMatterLoader.yaml_implicit_resolvers = {
            first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
        _LOADER = FrontMatterLoader
    return _LOADER


def _yaml_reason(error: Exception) -> str:
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    mark = getattr(error, "problem_mark", None)
    if mark is not None:
        # +2: YAML counts from 0 and the block starts after the opening "---" line.
        return f"{problem} at line {mark.line + 2}"
    return problem


def scalar_text(value: object) -> str | None:
    """A front matter / JSON scalar as stripped text; None for missing, empty or structured values."""
    if value is None or isinstance(value, (dict, list, tuple, set, bool)):
        return None
    text = str(value).strip()
    return text or None


def tag_list(value: object) -> list[str]:
    """Tags from a list of scalars or a comma-separated string; other shapes give no tags."""
    if isinstance(value, str):
        items: list[object] = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = list(value)[:100]
    else:
        return []
    tags: list[str] = []
    for item in items:
        tag = scalar_text(item)
        if tag and tag not in tags:
            tags.append(tag[:100])
    return tags


def reliability_grade(value: object) -> str | None:
    """'A'..'F' (any case, "B2" style accepted) or None."""
    text = scalar_text(value)
    if text and text[0].upper() in RELIABILITY_GRADES and (len(text) == 1 or text[1:].isdigit()):
        return text[0].upper()
    return None


def source_kind(value: object) -> str | None:
    text = scalar_text(value)
    return text.lower() if text and text.lower() in SOURCE_KINDS else None


def parse_markdown(text: str, name: str) -> list[ParsedReport]:
    meta, body = split_front_matter(text)
    meta = {str(key).strip().lower(): value for key, value in meta.items()}
    if not body.strip():
        raise IngestError("no text after the front matter" if meta else "empty file")

    heading = _H1.search(body)
    rendered = render_markdown(body)
    if not rendered.strip():  # only markup (">", "---", "* "): nothing an analyst could read
        raise IngestError("no text in the Markdown file, only markup")
    title = scalar_text(meta.get("title"))
    if title:
        title = shorten_title(title)
    elif heading:
        title = shorten_title(render_inline(_heading_text(heading.group("title"))))
    else:
        title = first_line_title(rendered)
    body = rendered

    return [
        ParsedReport(
            title=title,
            body=body,
            format="markdown",
            original_name=name,
            **first_date((normalise_date(meta.get("published", meta.get("date"))), "front matter"),
                         (find_dateline(body), "dateline")),
            publisher=scalar_text(meta.get("source", meta.get("publisher"))),
            **descriptive_fields(meta),
        )
    ]


def descriptive_fields(fields: dict) -> dict:
    """The metadata keys front matter and JSON records share, read the same way for both."""
    return {
        "url": scalar_text(fields.get("url", fields.get("link"))),
        "author": scalar_text(fields.get("author")),
        "language": scalar_text(fields.get("language", fields.get("lang"))),
        "tags": tag_list(fields.get("tags")),
        "reliability": reliability_grade(fields.get("reliability")),
        "source_kind": source_kind(fields.get("kind")),
        "affiliation": scalar_text(fields.get("affiliation")),
        "container": scalar_text(fields.get("publication")),
    }
