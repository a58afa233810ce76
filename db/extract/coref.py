"""Resolve anaphoric speakers ("the account", "the daily", "the sources", "he", "they") to the nearest
fitting earlier speaker or entity mention."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from operator import itemgetter

from db.models import ExtractedClaim, ExtractedEntity

from . import gazetteer as gz

_MEDIA_CLASS = frozenset(gz.MEDIA_NOUNS | {"post", "article", "report", "outlet", "online outlet", "tweet"})
_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
_PRONOUNS_PLURAL = frozenset({"they", "them"})
_PRONOUNS_THING = frozenset({"it"})
_RELATIVE = frozenset({"who", "which"})
_FIRST_PERSON = frozenset({"i", "we", "me", "us"})
_ALL_PRONOUNS = _PRONOUNS_PERSON | _PRONOUNS_PLURAL | _PRONOUNS_THING | _RELATIVE | _FIRST_PERSON
_DEFINITE = re.compile(r"^(?:the|this|that|these|those|another)\s+(?:[\w-]+\s+){0,3}?(?P<head>[\w-]+)$", re.I)


def _head(text: str) -> str:
    return text.lower().split()[-1] if text.split() else ""


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


_WORD = re.compile(r"[\w-]+")


@lru_cache(maxsize=16384)
def _stemmed_words(name: str, descriptor: str) -> frozenset[str]:
    """The words of an earlier speaker or mention and its descriptor; cached, as every definite speaker
    ("the daily") is compared with all of them."""
    return frozenset(_stem(w) for w in _WORD.findall((name + " " + descriptor).lower()))


def resolve(claims: list[ExtractedClaim], speaker_pos: list[int], entities: list[ExtractedEntity]) -> None:
    # earlier candidates: (position, text as written, resolved name, type, descriptor)
    history: list[tuple[int, str, str, str, str]] = []
    for e in entities:
        desc = (e.descriptor or "").lower()
        for s, _ in e.mentions:
            history.append((s, e.name, e.name, e.type, desc))
    name_info = {e.name: e for e in entities}
    alias_to = {a: e for e in entities for a in e.aliases}
    history.sort(key=itemgetter(0))
    positions = [h[0] for h in history]  # history's positions, kept in step: bisect without a key function
    order = sorted(range(len(claims)), key=lambda i: (speaker_pos[i], i))
    for i in order:
        c = claims[i]
        pos = speaker_pos[i]
        sp = (c.speaker or "").strip()
        low = sp.lower()
        k = bisect.bisect_left(positions, pos)
        before = _Reversed(history, k)
        resolved = None
        if c.speaker_resolved and c.speaker_inferred:
            resolved = c.speaker_resolved  # the extractor saw the antecedent ("X, who said")
        elif not sp:
            # an orphan quote continues the last speaker
            resolved = next((h[2] for h in before if h[3] == "SPEAKER"), None)
        elif low in _PRONOUNS_PERSON:
            resolved = next((h[2] for h in before if h[3] == "PERSON"), None)
        elif low in _PRONOUNS_PLURAL:
            resolved = next((h[2] for h in before if h[3] == "SPEAKER" and h[1].lower().endswith("s")
                             and h[1].lower() not in _PRONOUNS_PLURAL), None)
        elif low in _RELATIVE:
            # "X, who said ...": the antecedent is the nearest name written before the pronoun
            want = ("PERSON", "SPEAKER") if low == "who" else ("ORG", "MEDIA", "SPEAKER", "LOC")
            resolved = next((h[2] for h in before if h[3] in want and h[1].lower() not in _ALL_PRONOUNS), None)
        elif low in _PRONOUNS_THING:
            resolved = next((h[2] for h in before if h[3] in ("MEDIA", "ORG", "SPEAKER")
                             and h[1].lower() not in _PRONOUNS_PERSON | _PRONOUNS_PLURAL), None)
        else:
            m = _DEFINITE.match(sp)
            if m and not sp[:1].isupper() or (m and sp.split()[0].lower() in ("the", "another")):
                head = _stem(m.group("head").lower()) if m else ""
                for h in before:
                    words = _stemmed_words(h[1], h[4])
                    if h[1].lower() == low:
                        continue
                    if head in words or (head in _MEDIA_CLASS and (h[3] == "MEDIA" or words & _MEDIA_CLASS)):
                        resolved = h[2]
                        break
        ent = name_info.get(sp) or alias_to.get(sp)
        if resolved is None and ent is not None and ent.name != sp:
            resolved = ent.name
        if resolved and resolved != sp:
            c.speaker_resolved = resolved
            c.speaker_inferred = True
            if not c.chain or c.chain == [c.speaker]:
                c.chain = [resolved] if c.speaker else [resolved]
        else:
            c.speaker_resolved = sp or None
        # register this speaker (resolved, with any descriptor words) for later anaphora
        if sp:
            desc = ""
            e2 = name_info.get(sp)
            if e2 and e2.descriptor:
                desc = e2.descriptor.lower()
            at = bisect.bisect_right(positions, pos)
            positions.insert(at, pos)
            history.insert(at, (pos, sp, c.speaker_resolved or sp, "SPEAKER", desc))
    # "I"/"we" inside a quotation is the person quoted: the speaker of the enclosing claim
    for c in claims:
        if c.parent is not None and (c.speaker or "").strip().lower() in _FIRST_PERSON:
            outer = claims[c.parent]
            name = outer.speaker_resolved or outer.speaker
            if outer.is_quote and name and name.lower() not in _FIRST_PERSON:
                c.speaker_resolved = name
                c.speaker_inferred = True
    # nested claims: the chain continues through the enclosing claim's chain
    for c in claims:
        if c.parent is not None:
            outer = claims[c.parent].chain
            if outer and c.chain and c.chain[-1:] != outer[-1:]:
                c.chain = c.chain + [x for x in outer if x not in c.chain]


class _Reversed:
    """history[:k] newest first, without copying the list for every claim."""

    __slots__ = ("h", "k")

    def __init__(self, h: list, k: int):
        self.h, self.k = h, k

    def __iter__(self):
        h = self.h
        for i in range(self.k - 1, -1, -1):
            yield h[i]
