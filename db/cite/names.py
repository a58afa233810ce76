"""People's names in citations: inverted (Chicago, MLA), with initials (APA), and bylines that name nobody."""

from __future__ import annotations

import re

from .case import _letters

_NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "abd", "van", "von", "de", "da", "di", "del", "der", "la", "le", "du", "dos", "das"}
_ORG_WORDS = {
    "news", "agency", "institute", "ministry", "center", "centre", "media", "times", "post", "press", "tv",
    "network", "foundation", "group", "council", "office", "service", "staff", "desk", "team", "editorial",
    "editors", "board", "reuters", "association", "university", "committee", "channel", "radio", "daily",
}


def _person_parts(name: str) -> tuple[str, list[str]] | None:
    """(surname, given names) when ``name`` looks like one person's name, else None."""
    if any(ch in name for ch in ",&;/|@()[]\"") or " and " in f" {name.lower()} ":
        return None
    words = name.split()
    if not 2 <= len(words) <= 5:
        return None
    for w in words:
        letters = _letters(w)
        if not letters or any(c.isdigit() for c in w) or w.lower().strip(".") in _ORG_WORDS:
            return None
        if not (w[0].isupper() or w.lower().rstrip("-") in _NAME_PARTICLES):
            return None
    cut = len(words) - 1
    for k in range(1, len(words) - 1):
        if words[k].lower().strip("-") in _NAME_PARTICLES:
            cut = k
            break
    return " ".join(words[cut:]), words[:cut]


def _invert(name: str) -> str:  # Chicago: "Doe, Jane"
    p = _person_parts(name)
    return f"{p[0]}, {' '.join(p[1])}" if p else name


def _apa_name(name: str) -> str:  # APA: "Doe, J. M."
    p = _person_parts(name)
    if not p:
        return name
    initials = " ".join(
        "-".join(f"{_letters(seg)[0]}." for seg in g.split("-") if _letters(seg)) for g in p[1] if _letters(g)
    )
    return f"{p[0]}, {initials}" if initials else p[0]




# A byline that names no one ("Staff reporter", "Agencies", "AFP staff", "Baghdad bureau", "Parliament
# correspondent", "News desk"): a reference
# manager would print it as an author ("Reporter, S."), but it is the publisher speaking, so the citation
# falls back to the organisation as author, as for an unsigned report. Bounded prefix: linear time.
_NOBODY_RE = re.compile(
    r"^(?:[\w.&'\u2019 -]{1,40}\s)?(?:staff(?:\s+(?:reporters?|writers?|correspondents?))?|agencies|wires|desk|"
    r"bureau|correspondents?|reporters?|admins?|(?:media|press)\s+office)\.?$",
    re.IGNORECASE,
)


def names_a_person(author: str) -> bool:
    """False for a byline that names nobody ("Staff reporter", "Agencies", "AFP staff")."""
    return bool(author) and not _NOBODY_RE.match(author)
