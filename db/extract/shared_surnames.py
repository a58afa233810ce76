"""Members of one family named together: "the Tyson and Ashley Gardner", "brothers Ahmed and Mohammed
al-Hassan" - the first name alone shares the surname written once after the second."""

from __future__ import annotations

import re
from operator import attrgetter

from .casing import Listed
from .model_votes import MODEL_VOTE

# What says the names after it are a family's: "the [Tyson and Ashley Gardner]", "brothers [Ahmed and ...]"
_FAMILY_BEFORE = re.compile(r"(?:^|\b(?:the|brothers|sisters|siblings|twins|couple|spouses|parents|sons|daughters|"
                            r"cousins)\s+)$", re.I)


# A plural noun the names modify: "the Monterey and Sabal Palm clubs" are no family
_NOUN_AFTER_NAMES = re.compile(r"\s+(?!(?:was|has|is|says|does|goes)\b)[a-z]+s\b")


def share_surnames(body: str, cands: list, listed: Listed) -> None:
    """"the Tyson and Ashley Gardner", "brothers Ahmed and Mohammed al-Hassan": a first name alone before "and"
    and a person's full name, after a word that makes them a family, shares that person's surname. Only for a
    word no list knows, that is nobody's surname here, and that stands so every time ("Hillary and Huma
    Abedin", "Biden and Susan Rice", "Carter and John Huggins" have no family word: read as they were)."""
    ordered = sorted((c for c in cands if c.name), key=attrgetter("start"))
    persons = [c for c in ordered if c.votes and c.votes.get("PERSON", 0) >= MODEL_VOTE and " " in c.name]
    if not persons:
        return
    surnames = {c.name.rsplit(None, 1)[-1] for c in persons}
    mentions: dict[str, int] = {}
    for c in ordered:
        mentions[c.name] = mentions.get(c.name, 0) + 1
    pairs = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        words = b.name.split()
        if (" " not in a.name and a.name[:1].isupper() and a.name not in surnames and body[a.end:b.start] == " and "
                and len(words) >= 2 and b.votes and b.votes.get("PERSON", 0) >= MODEL_VOTE
                and _FAMILY_BEFORE.search(body, max(0, a.start - 40), a.start)
                and not _NOUN_AFTER_NAMES.match(body, b.end, b.end + 30)
                and not listed(a.name)):
            pairs.append((a, words))
    paired: dict[str, int] = {}
    for a, _ in pairs:
        paired[a.name] = paired.get(a.name, 0) + 1
    for a, words in pairs:
        if paired[a.name] != mentions[a.name]:
            continue  # "George" alone elsewhere may be another George
        family = words[-2:] if len(words) > 2 and words[-2][:1].islower() else words[-1:]  # "al-Hassan", "bin Laden"
        a.name = " ".join([a.name, *family])
        a.votes = {**(a.votes or {}), "PERSON": (a.votes or {}).get("PERSON", 0) + MODEL_VOTE}
