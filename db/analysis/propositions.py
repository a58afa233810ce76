"""What a claim asserts, as comparable tokens, and the lookup keys that find similar claims.

Claims are a sentence or less, too short for the report-level MinHash of ``db.dedup`` (word
3-shingles, 14 words at least): here the shingles are single content words (BLAKE2b, as in
``db.dedup``) under twelve universal hash functions, and a key is a band of two minima. Two claims
sharing half their content words share at least one key with probability 1 - (1 - 0.25)**6 = 0.82,
and unrelated claims almost never do; candidates are then checked with rapidfuzz.
"""

from __future__ import annotations

import hashlib
import re
import struct
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz

_WORD = re.compile(r"\w+", re.UNICODE)
_DENIAL_INSIDE = re.compile(r"\bden(?:y|ies|ied|ying)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"'”’]?\s+\S")
HASHES = 8
BAND = 1
SHORT_CLAIM = 5  # content words
MIN_TOKENS = 3  # shorter claims ("the crew was safe") are not compared across reports

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on
once only or other our out over own same she should so some such than that the their them then there these
they this those through to too under until up very was we were what when where which while who whom why
will with would you your said says say told tell according reported reports report reportedly allegedly
added noted stated claimed confirmed denied source sources informed official officials which would one two
last next this month week year today yesterday earlier later already still
""".split())


_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ship", "ed", "es", "s", "e")
NEGATIONS = frozenset("no not never nothing none nobody neither nor baseless untrue false denied denies deny "
                      "refused rejected dismissed".split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem, enough to meet "leaders" / "leadership", "protecting" / "protection"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[:-len(suffix)]
    return word


# Import compares each new claim with up to a hundred stored ones, and the same stored claims
# come up again and again: their words are remembered rather than recomputed.
@lru_cache(maxsize=200_000)
def content_tokens(text: str) -> frozenset[str]:
    """Case-folded content words, stemmed, stop words and numbers dropped."""
    out = set()
    for word in _WORD.findall(text.casefold()):
        if len(word) < 3 or word in STOPWORDS or word in NEGATIONS or word.isdigit():
            continue
        out.add(stem(word))
    return frozenset(out)


@lru_cache(maxsize=200_000)
def fact_tokens(text: str) -> frozenset[str]:
    """The content words written in lower case: what is said, not who or where. Two claims that
    share only names ("Akram al-Hakeem ... Baghdad") are not one proposition however alike."""
    out = set()
    for word in _WORD.findall(text):
        if word[:1].islower():
            word = word.casefold()
            if len(word) >= 3 and word not in STOPWORDS and word not in NEGATIONS and not word.isdigit():
                out.add(stem(word))
    return frozenset(out)


@lru_cache(maxsize=200_000)
def is_negative(text: str, is_denial: bool) -> bool:
    """The claim denies or negates what it is about ("no approval has been issued")."""
    if is_denial and not _DENIAL_INSIDE.search(text):
        # The cue is outside the span ("X denied that ..."): the span is what is denied. A span
        # holding the cue itself ("... within two days, and denied claims of a camp") asserts
        # its main clause and is read like any other.
        return True
    if _SENTENCE_END.search(text.strip()):
        # Several sentences ("No date has been set. This month Hamas opened an office"): a negation
        # in one says nothing of the rest; only the extractor's denial flag counts.
        return False
    words = _WORD.findall(text.casefold())
    # "denied" inside a span reports someone else's denial of a clause the span does not hold
    return any(w in NEGATIONS and not w.startswith("den") for w in words) or "n't" in text.casefold()


_MASK = (1 << 64) - 1
# HASHES universal hash functions of one BLAKE2b digest per word: (a * x + b) mod 2^64, a odd.
_MULTIPLIERS = [int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest(), "little") | 1
                for i in range(HASHES)]
_OFFSETS = [int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest(), "little") for i in range(HASHES)]


@lru_cache(maxsize=200_000)
def _word_hashes(token: str) -> tuple[int, ...]:
    """The word under each of the HASHES functions: computed once a word, not once a claim."""
    v = struct.unpack("<Q", hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=8).digest())[0]
    return tuple(((a * v + b) & _MASK) >> 32 for a, b in zip(_MULTIPLIERS, _OFFSETS, strict=True))


def band_keys(tokens: frozenset[str]) -> list[int]:
    """Lookup keys (signed 64-bit, as SQLite stores them); none for a claim with too few words.
    The values are stored (``claim_keys``): changing the hashing needs ``families --rebuild``."""
    if len(tokens) < MIN_TOKENS:
        return []
    minima = [min(column) for column in zip(*(_word_hashes(t) for t in tokens), strict=True)]
    return [_band_key(band, tuple(minima[band:band + BAND])) for band in range(0, HASHES, BAND)]


@lru_cache(maxsize=200_000)
def _band_key(band: int, minima: tuple[int, ...]) -> int:
    """One band's key: its minima are those of a word, and claims share words, so each is hashed once."""
    digest = hashlib.blake2b(repr((band, list(minima))).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


class Terms(NamedTuple):
    """Everything family placement needs of a claim's text, computed once (in the extraction
    workers on import, see ``terms_of``): its words, facts, polarity, lookup keys, and its words
    sorted into one string, as ``similarity`` compares them."""

    tokens: frozenset[str]
    facts: frozenset[str]
    negative: bool
    keys: list[int]
    words: str


def terms_of(text: str, is_denial: bool) -> Terms:
    tokens = content_tokens(text)
    return Terms(tokens, fact_tokens(text), is_negative(text, is_denial), band_keys(tokens), sorted_words(tokens))


def sorted_words(tokens: frozenset[str]) -> str:
    return " ".join(sorted(tokens))


def similarity(a: frozenset[str], b: frozenset[str], text_a: str, text_b: str, *,
               words_a: str | None = None, words_b: str | None = None) -> float:
    """0-100: shared content words (overlap over the shorter claim, so a relay that trims a
    sentence still matches; Jaccard, so a long claim sharing a few words scores low) and the fuzzy
    agreement of the two word sets (rapidfuzz), which forgives spellings (Al Hafy / al-Hafi)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    jaccard = 100.0 * shared / len(a | b)
    # A short claim ("a Hamas office had opened") is inside many longer ones: it is measured
    # against the whole of the other, not the part it shares.
    overlap = 100.0 * shared / min(len(a), len(b)) if min(len(a), len(b)) >= SHORT_CLAIM else jaccard
    order = fuzz.token_sort_ratio(words_a or sorted_words(a),
                                  words_b or sorted_words(b))
    return 0.30 * overlap + 0.50 * jaccard + 0.20 * order


def similarity_at_most(a: frozenset[str], b: frozenset[str]) -> float:
    """An upper bound of ``similarity`` without rapidfuzz (its part is at most 20): a pair that
    cannot reach any bar is not scored. Float rounding is monotonic, so the bound holds exactly."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    jaccard = 100.0 * shared / len(a | b)
    overlap = 100.0 * shared / min(len(a), len(b)) if min(len(a), len(b)) >= SHORT_CLAIM else jaccard
    return 0.30 * overlap + 0.50 * jaccard + 20.001
