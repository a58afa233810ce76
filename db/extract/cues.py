"""Reporting cues: verbs of saying, writing, believing and announcing, with their inflections."""

from __future__ import annotations

import re

from .wordlists import word_set, words

# Regular verbs (base form; inflections are generated) and irregular forms listed whole: data/cue_verbs.txt.
_REGULAR = list(words("cue_verbs.txt", "regular"))
_IRREGULAR = list(words("cue_verbs.txt", "irregular"))


def _inflect(v: str) -> list[str]:
    if v.endswith("e"):
        return [v, v + "s", v + "d", v[:-1] + "ing"]
    if v.endswith(("sh", "ch", "ss", "x")):
        return [v, v + "es", v + "ed", v + "ing"]
    if v.endswith("y") and v[-2] not in "aeiou":
        return [v, v[:-1] + "ies", v[:-1] + "ied", v + "ing"]
    if v in ("admit", "quip", "regret"):
        return [v, v + "s", v + v[-1] + "ed", v + v[-1] + "ing"]
    return [v, v + "s", v + "ed", v + "ing"]


FORMS: dict[str, str] = {}
for _v in _REGULAR:
    for _f in _inflect(_v):
        FORMS[_f] = _v
for _f in _IRREGULAR:
    FORMS.setdefault(_f, _f)
_LEMMAS = words("cue_verbs.txt", "lemmas")
for _f, _lemma in zip(_LEMMAS[0::2], _LEMMAS[1::2], strict=False):
    FORMS[_f] = _lemma

# Verbs that report speech and can follow their content ("..., the sources added").
# Verbs that report speech and can follow their content ("..., the sources added"); cues that hedge or deny the
# claim; participles that open a second content for the same speaker (", adding that ..."): data/cue_verbs.txt.
SPEECH = word_set("cue_verbs.txt", "speech")
HEDGING = word_set("cue_verbs.txt", "hedging")
DENYING = word_set("cue_verbs.txt", "denying")
CONTINUATIONS = word_set("cue_verbs.txt", "continuations")
QUOTE_ONLY = word_set("cue_verbs.txt", "quote_only")

ACCORDING_RE = re.compile(r"\b(according to|in the words of|as reported by|as cited by)\s+", re.I)
ACCORDING_HINTS = ("according to", "in the words of", "as reported by", "as cited by")  # one is in every match
# "claims" alone is a noun as often as not ("unemployment claims"): the verb hedges through the cue instead.
# "may" in lower case only: "May" is a month.
HEDGE_WORDS = re.compile(r"\b(reportedly|allegedly|purportedly|supposedly|claimed|rumou?red|"
                         r"unconfirmed|unverified|it is said|is said to|are said to|apparently|might|(?-i:may)|"
                         r"believed|(?:is|are|was|were) thought|thought to be)\b", re.I)
DENIAL_WORDS = re.compile(r"\b(denie[sd]|deny(?:ing)?|(?:is|are|was|were) (?:false|baseless|untrue|"
                          r"unfounded|fabricated|fake)|baseless|groundless|no truth|refuted|rejected (?:the )?"
                          r"(?:reports?|claims?|allegations?)|(?:not|never) (?:been )?(?:responsible|involved)|"
                          r"no (?:involvement|role)|nothing to do with)\b", re.I)
# "neither confirmed nor denied", "would not confirm or deny": declining to answer is no denial.
NON_DENIAL = re.compile(r"\b(?:neither|not|never|nor|or)\s+(?:\w+\s+){0,2}?(?:confirm(?:ed|s|ing)?\s+)?(?:n?or\s+)?"
                        r"den(?:y|ied|ies|ying)\b", re.I)

# Letters a case-insensitive regex takes for an ASCII letter (or lower() turns into one plus a combining
# mark) where the lower-cased text would not hold that letter alone: dotted capital I, dotless i, long s.
CASE_ODDITIES = re.compile("[\u0130\u0131\u017f]")

# Each match of HEDGE_WORDS / DENIAL_WORDS contains one of these, in lower case. A plain substring test
# rules most texts out far faster than the case-insensitive regex, which is then run on the rest.
HEDGE_HINTS = ("reportedly", "allegedly", "purportedly", "supposedly", "claimed", "rumo", "unconfirmed",
                "unverified", "is said", "are said", "apparently", "might", "may", "believed", "thought")
DENIAL_HINTS = ("denie", "deny", "false", "baseless", "untrue", "unfounded", "fabricated", "fake", "groundless",
                 "no truth", "refuted", "rejected", "responsible", "involve", "no role", "nothing to do")


def may_contain(text: str, hints: tuple[str, ...], low: str | None = None) -> bool:
    """A case-insensitive regex may find one of ``hints`` (lower case) in ``text``: one occurs in the lower-cased
    text (``low``, when the caller has it), or the text holds a letter such a regex equates with an ASCII one
    where lower() does not. False rules the regex out."""
    if not text.isascii() and CASE_ODDITIES.search(text):
        return True
    if low is None:
        low = text.lower()
    return any(hint in low for hint in hints)


def has_hedge_word(text: str, low: str | None = None) -> bool:
    """``low``: ``text`` lower-cased, when the caller has it (see may_contain)."""
    return may_contain(text, HEDGE_HINTS, low) and HEDGE_WORDS.search(text) is not None


def has_denial_word(text: str, low: str | None = None) -> bool:
    if not may_contain(text, DENIAL_HINTS, low):
        return False
    if "den" in (low if low is not None else text.lower()) and NON_DENIAL.search(text):
        text = NON_DENIAL.sub(" ", text)
    return DENIAL_WORDS.search(text) is not None


def _trie_pattern(words) -> str:
    """An alternation of lower-case words nested by shared prefixes ("sa(?:id|y(?:s|ing)?)"): the engine
    tries a few branches per position instead of every form in turn."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        alts = [re.escape(ch) + branch(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


_WORD = re.compile(r"([A-Za-z]+)")
# A whole cue word in lower-cased text (the same positions as the text: see iter_cues).
# The character before the word is matched too (anything but a letter), in a text with a space put in front:
# the engine then skips letters in bulk instead of trying the pattern at every position. Group 1 is the word.
_CUE_IN_LOWER = re.compile(r"[^a-z](" + _trie_pattern(FORMS) + r")(?![a-z])")
# Letters whose lower case is an ASCII letter (or two characters): lower-casing would move or make words.
_LOWERS_TO_ASCII = re.compile("[\u0130\u212a]")


def iter_cues(text: str, low: str | None = None):
    """Cue words in text (runs of ASCII letters that are a verb form, in any case), as match objects with
    group(1). The text is searched lower-cased with one prefix-tree regex, far faster than looking every
    word up; where lower-casing would not keep letters in place, every word is looked up instead.
    ``low``: ``text.lower()`` when the caller has it already."""
    if not text.isascii() and _LOWERS_TO_ASCII.search(text):
        for m in _WORD.finditer(text):
            if m.group(1).lower() in FORMS:
                yield m
        return
    for m in _CUE_IN_LOWER.finditer(" " + (text.lower() if low is None else low)):
        yield _WORD.match(text, m.start(1) - 1, m.end(1) - 1)
