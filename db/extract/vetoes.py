"""Deterministic checks on a proposed name (from the model or from capitalisation) before it is typed.

A proposal is trimmed of what is never part of a name (a preposition or article before it: "Near Mosul";
months and weekdays at its edges), split at a person's title ("US Defense Secretary Ash Carter" is the person
Ash Carter, described as "US Defense Secretary"), or dropped when it is no name at all: page furniture
("Permalink", "Free Sign Up"), an all-capitals heading ("A SIMPLE GUIDE"), a weapon or technology acronym
("VBIED", "UAV"), a date.

Every check works on the proposal's words, found with a linear pattern, never on the whole body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import gazetteer as gz

_WORD = re.compile(r"\S+")
_EDGE_PUNCT = "\"“”‘’'()[],.;:!?"

# Words that open a capitalised phrase without being part of the name after them ("Near Mosul", "In Baghdad").
_LEADING_FUNCTION_WORDS = frozenset(
    """near in at on from to of by for with into onto outside inside around across toward towards against
    between via under over after before during since through throughout within without beyond along amid
    among the a an and but or nor so if as while when where""".split())
# The words of page furniture: a name made of these alone is interface text.
_FURNITURE_WORDS = frozenset(
    """permalink free sign signup up in out log login logout subscribe subscribers subscription share tweet
    email print menu home comment comments reply replies read more continue advertisement advertise
    newsletter newsletters click here next previous prev back top related follow us search contact about
    privacy policy terms cookie cookies settings copyright download app watch video videos photo photos
    gallery trending latest popular most sponsored skip content register account my guide simple now today
    view all full story stories post posted updated update edit a an the to of and for your our""".split())
# Lower-case words a name may open with: "al-Sadr", "von Holtzbrinck", "bin Laden".
_PARTICLES = frozenset("al el ad ash as at az an ar ul ud bin ibn bint abu van von der de del da du le la".split())
_NAME_HEADS = gz.ORG_HEADS | gz.LOC_HEADS | gz.MEDIA_HEADS
# Marks that, standing alone between words, separate two phrases ("Trump – agency"); a hyphen, comma or
# full stop may sit inside a name ("CCNG, Inc.").
_SEPARATORS = frozenset("– — | / \" “ ” « » : ; ( ) [ ] ‘ ’".split())
_DATE_WORDS = gz.MONTHS | gz.WEEKDAYS | frozenset(
    """today yesterday tomorrow tonight morning afternoon evening night week weekend month year""".split())
_ORDINAL = re.compile(r"\d{1,4}(?:st|nd|rd|th)?")
_AGE = re.compile(r"\d{1,3}-years?-old")  # "81-year-old Parker Eaton": the age before a name is no part of it


@dataclass(slots=True)
class CheckedName:
    start: int
    end: int
    type: str | None  # None: the type is still to be decided by the rules
    descriptor: str | None = None
    titled: bool = False


def _bare(word: str) -> str:
    return word.strip(_EDGE_PUNCT).lower()


def _leading_word(word: str) -> str:
    """A word as a function word before a name would be written: "A." is an initial, not "a"."""
    return word.rstrip(",;:").lower()


def _lower_word(word: str) -> bool:
    """A word in lower case that is no name particle ("said", "dust-up"; not "al-Sadr" or "von")."""
    return word[:1].islower() and word.split("-", 1)[0] not in _PARTICLES


def _is_title_word(low: str) -> bool:
    low = low.rstrip(".")
    return low in gz.PERSON_TITLES


# A stock ticker code ("RELI.NS", "GE.N"): no name alone; after a name in brackets, a company's (ner.define_tickers)
TICKER = re.compile(r"[A-Z0-9&]{2,6}\.[A-Z]{1,2}")
COMPASS = frozenset("North South East West Northern Southern Eastern Western Central".split())


_CONTRACTION = re.compile(r"^(?:i|we|you|he|she|it|they|that|there|here|who|what|let)['’](?:d|m|ll|re|ve|s)$|n['’]t$",
                          re.I)
_A_LETTER = re.compile(r"[^\W\d_]")
_PART_NOUNS = frozenset("""shares stake units unit members residents supporters fans thousands hundreds dozens
    millions tens families relatives citizens voters people most some many all none rest part parts half""".split())


def _not_a_name_here(body: str, start: int, end: int) -> bool:
    """What only its place in the text shows is no name: a handle's or a hashtag's mark alone ("@"), a
    hashtag ("#QZ8501"), a handle ("@jealousay" in an embedded post's credit), a demonym alone
    ("Singaporean")."""
    text = body[start:end].strip()
    if text in gz.DEMONYMS or text[:1] in ("#", "@") or (start and body[start - 1] in "@#"):
        return True
    return _A_LETTER.search(text) is None


def is_junk(words: list[str]) -> bool:
    """A proposal that is no name: furniture, an all-capitals heading, an acronym of a thing, a date."""
    if not words:
        return True
    if len(words) == 1 and words[0].strip(_EDGE_PUNCT) in gz.NOT_NAMES:
        return True
    if len(words) == 1 and _CONTRACTION.search(words[0].strip(_EDGE_PUNCT)):
        return True  # "We’re", "Don’t": a sentence's first word, not a name ("O’Neil", "Sa’d" are)
    if len(words) == 1 and TICKER.fullmatch(words[0].strip(_EDGE_PUNCT)):
        return True  # a stock ticker ("Lanco Infratech (LAIN.NS)"), no outlet however like "Caliber.Az" it looks
    if any(w in gz.TITLE_CASE_FUNCTION_WORDS for w in words[1:]):
        return True  # a stretch of a Title Case headline ("X Sheds Lights On Mission Of Baghdad Office")
    if any(w in _SEPARATORS for w in words):
        return True  # a dash or a quotation mark between words: two names or a phrase ("Trump – agency")
    lows = [_bare(w) for w in words]
    # an acronym is never furniture: "US" is a country, "Follow Us" a button
    if all(w in _FURNITURE_WORDS and not (len(o) > 1 and o.isupper()) for w, o in zip(lows, words, strict=True)):
        return True
    if all(w in _DATE_WORDS or _ORDINAL.fullmatch(w) for w in lows):
        return True
    capitalised = [w for w in words if w[:1].isupper()]
    if capitalised and len(capitalised) < len(words) and all(w in gz.DEMONYMS for w in capitalised):
        return True  # a demonym and common nouns: "Iraqi news", "Syrian army" describe, they do not name
    last = words[-1].strip(_EDGE_PUNCT)
    if last.endswith("s") and last[:-1] in gz.DEMONYMS and all(w in COMPASS for w in words[:-1]):
        return True  # a people, not a name: "three South Koreans", "Americans" (demonyms are no entity)
    letters = [w for w in words if any(c.isalpha() for c in w)]
    # two or more all-capital words: a heading ("A SIMPLE GUIDE", "BREAKING NEWS"), not a name; one
    # all-capital word is an acronym and may well be a name ("NATO")
    if len(letters) >= 2 and all(w.isupper() for w in letters):
        return True
    # a bare title ("Defense Secretary"); one word that is also a given name ("Amir") may be the name
    if len(words) == 1 and words[0] in gz.GIVEN_NAMES:
        return False
    return all(_is_title_word(w) or w in gz.TITLE_FILLERS for w in lows)


def check(body: str, start: int, end: int, typ: str | None) -> list[CheckedName]:
    """The name(s) a proposal ``body[start:end]`` stands for once trimmed and split; [] when it is junk."""
    if _not_a_name_here(body, start, end):
        return []
    after = body[end:end + 12].split(None, 1)
    month_name = typ == "PERSON" and not (after and after[0].lower() in gz.AFTER_A_MODAL)
    return [CheckedName(start + a, start + b, t, d, titled)
            for a, b, t, d, titled in _check_text(body[start:end], typ, month_name)]


# Titles only ever written abbreviated, with or without the period ("Dr" and "St" also end streets)
_ABBREVIATED_TITLES = frozenset("gov sen rep lt sgt capt cmdr adm col gen prof rev".split())


# Months that are also surnames: "Theresa May", "Mark May" (a person's name the model read whole)
_MONTH_SURNAMES = frozenset({"may", "june", "april", "august"})


def _month_surname(body: str, words: list[tuple[int, int]], month_name: bool) -> bool:
    if not month_name or len(words) < 2 or _bare(body[words[-1][0]:words[-1][1]]) not in _MONTH_SURNAMES:
        return False
    prev = body[words[-2][0]:words[-2][1]]
    return prev[:1].isupper() and _bare(prev) not in _DATE_WORDS and not gz.is_place(prev)


@lru_cache(maxsize=65536)
def _check_text(body: str, typ: str | None, month_name: bool = False
                ) -> tuple[tuple[int, int, str | None, str | None, bool], ...]:
    """``check`` on a proposal's own text, once per spelling and type (names recur): (start, end, type,
    descriptor, titled) offsets into it."""
    words = [m.span() for m in _WORD.finditer(body)]
    # trim: function words before the name, dates at either edge
    while words and (_leading_word(body[words[0][0]:words[0][1]]) in _LEADING_FUNCTION_WORDS
                     or _bare(body[words[0][0]:words[0][1]]) in _DATE_WORDS
                     or _AGE.fullmatch(_bare(body[words[0][0]:words[0][1]]))):
        words.pop(0)
    # a part or a crowd of what is named ("Shares of Oil and Natural Gas Corp", "Residents of Mosul")
    while len(words) > 2 and _bare(body[words[1][0]:words[1][1]]) == "of" \
            and _bare(body[words[0][0]:words[0][1]]) in _PART_NOUNS:
        del words[:2]
    # a name all in lower case is informal writing ("malaysia"): only a mixed one has words to trim
    mixed = any(body[a:b][:1].isupper() for a, b in words)
    # and a lower-case word at the start ("said GreatFire") or, unless it is a head word ("Defense
    # department"), at the end ("Macmillan-Amazon dust-up"): names are capitalised but for their particles
    while mixed and words and _lower_word(body[words[0][0]:words[0][1]]):
        words.pop(0)
    while words and (_bare(body[words[-1][0]:words[-1][1]]) in _DATE_WORDS and not _month_surname(body, words, month_name)
                     or _bare(body[words[-1][0]:words[-1][1]]) in ("of", "and", "the", "for", "in", "at")
                     or (mixed and _lower_word(body[words[-1][0]:words[-1][1]])
                         and _bare(body[words[-1][0]:words[-1][1]]) not in _NAME_HEADS)):
        words.pop()
    texts = [body[a:b] for a, b in words]
    if is_junk(texts):
        return ()
    lows = [_bare(t) for t in texts]
    # an abbreviated title last ("Florida Gov.", "Iowa Lt."): the person's name after it was cut off, and
    # what is left describes someone, it names no one ("Main St." is a street)
    if len(texts) > 1 and (lows[-1] in _ABBREVIATED_TITLES or texts[-1].endswith(".") and _is_title_word(lows[-1])
                           and lows[-1] not in ("st", "saint", "dr")):
        return ()
    # a person's title inside the proposal: the name is what follows the last title word (and any
    # "of State"-like filler after it), the title part its descriptor
    if lows[-1] in gz.UNAMBIGUOUS_LOC_HEADS and len(lows) > 1:
        return ((words[0][0], words[-1][1], "LOC", None, False),)  # "Rashid Street", "Al-Shifa Hospital"
    # a title inside a name that opens with a given name belongs to it ("Muhammed Sheikh Khalil"), and
    # "St." opens place and firm names ("St. Thomas", "St. Martin's")
    last_title = -1 if texts[0] in gz.GIVEN_NAMES else max(
        (i for i, w in enumerate(lows[:-1]) if _is_title_word(w) and w.rstrip(".") not in ("st", "saint")),
        default=-1)
    k = last_title + 1
    while 0 < k < len(lows) - 1 and (lows[k] in gz.TITLE_FILLERS or lows[k] == "of"):
        k += 1
    # A lone title word first, in a name typed otherwise, opens the name ("General Motors"); a title after
    # other words ("US Defense Secretary Ash Carter"), a title of several words ("Secretary of State John
    # Kerry") or one before a given name is a descriptor.
    if last_title > 0 or (last_title == 0 and (typ in (None, "PERSON") or k > 1 or texts[k] in gz.GIVEN_NAMES)):
        rest = texts[k:]
        if (rest and lows[k - 1] != "of" and len(rest) <= 4 and all(t[:1].isupper() for t in rest)
                and not any(w in gz.ORG_HEADS or w in gz.MEDIA_HEADS or w in gz.LOC_HEADS for w in lows[k:])
                and not gz.is_place(" ".join(rest)) and not is_junk(rest)):
            desc = body[words[0][0]:words[k - 1][1]]
            return ((words[k][0], words[-1][1], "PERSON", desc, True),)
    return ((words[0][0], words[-1][1], typ, None, False),)


def title_before(body: str, start: int) -> str | None:
    """The person's title written right before ``start`` ("Foreign Secretary" in "Foreign Secretary Boris
    Johnson", "US Defense Secretary" before "Ash Carter"), or None: the title and filler words before the
    name, with capitalised words before them, holding at least one title word."""
    # the title is on the name's line: a line break ends it (a heading or furniture above is no title)
    window = max(0, start - 80, body.rfind("\n", max(0, start - 80), start) + 1)
    words = [(m.start(), m.end()) for m in _WORD.finditer(body, window, start)]
    if words and window == start - 80 and window > 0 and not body[window - 1].isspace():
        words.pop(0)  # cut by the window
    first = len(words)
    titled = False
    while first > 0:
        a, b = words[first - 1]
        w = body[a:b]
        if w != w.strip(_EDGE_PUNCT):
            break  # a comma or a bracket ends the title
        low = w.lower()
        if _is_title_word(low):
            titled = True
        elif not (low in gz.TITLE_FILLERS or low == "of" or (titled and w[:1].isupper())):
            break
        first -= 1
    if not titled or first == len(words):
        return None
    while first < len(words) and _bare(body[words[first][0]:words[first][1]]) in ("of", "the"):
        first += 1
    return body[words[first][0]:words[-1][1]] if first < len(words) else None
