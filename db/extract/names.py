"""Transliteration-tolerant name keys and merge proposals.

``name_key`` maps spellings of one name to one key: Haniyeh / Haniyya / Hanieh, Kata'ib / Kataib,
Hizbullah / Hezbollah, Yaqoub Al-Zaidi / Yaqub al-Zaydi. Tokens are sorted, so "HANIYEH, Ismail" and
"Ismail Haniyeh" share a key (word order rarely tells two people apart; a missing token does, and is kept).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

_APOSTROPHES = re.compile(r"['ʿʾ’‘`´ʼ]")
_SPLIT = re.compile(r"[^a-z0-9]+")
# Arabic article, bare or assimilated to a sun letter when hyphenated ("ash-Shami", "ad-Din").
_ARTICLE_HYPHEN = re.compile(r"\b(?:al|el|ul|ad|adh|an|ar|as|ash|at|ath|az|ed|en|er|es|esh|et|ez)-", re.I)
_ARTICLE_BARE = frozenset({"al", "el"})
_FOLDS = [("kh", "k"), ("q", "k"), ("dh", "d"), ("ph", "f"), ("ou", "u"), ("w", "u"), ("y", "i")]
_ENDINGS = [("iyyah", "ia"), ("iyya", "ia"), ("iyah", "ia"), ("iyeh", "ia"), ("ieh", "ia"), ("iya", "ia"),
            ("eh", "a"), ("ah", "a")]
_ENDING_SUFFIXES = tuple(old for old, _ in _ENDINGS)
# A character the same character follows: deleting each such one collapses every run to a single character,
# with an empty replacement (a "\1" template would call back into Python for every match).
_DOUBLE = re.compile(r"(.)(?=\1)")


@lru_cache(maxsize=65536)
def _fold_token(tok: str) -> str:
    if tok.endswith(_ENDING_SUFFIXES):
        for old, new in _ENDINGS:
            if tok.endswith(old) and len(tok) > len(old) + 1:
                tok = tok[: -len(old)] + new
                break
    for old, new in _FOLDS:
        tok = tok.replace(old, new)
    tok = tok.replace("e", "i").replace("o", "u")
    tok = _DOUBLE.sub("", tok)
    # endings again: folding can expose one ("haniyya" -> "hania")
    if tok.endswith("iia"):
        tok = tok[:-3] + "ia"
    return tok


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    if not isinstance(name, str):
        return ""
    text = name
    if not name.isascii():  # ASCII has nothing to decompose: most names skip the per-character pass
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text)
    if "-" in text:
        text = _ARTICLE_HYPHEN.sub("", text)
    tokens = [t for t in _SPLIT.split(text.lower()) if t]
    if len(tokens) > 1:
        tokens = [t for t in tokens if t not in _ARTICLE_BARE] or tokens
    return " ".join(sorted(_fold_token(t) for t in tokens))


def _is_subset(a: str, b: str) -> bool:
    ta, tb = set(a.split()), set(b.split())
    return ta < tb or tb < ta


def propose_merges(names: list[str], threshold: float = 88.0) -> list[tuple[str, str, float]]:
    """Pairs of names whose keys are close but not equal, best first.

    A name whose tokens are a subset of the other's ("Ali Bagheri" / "Ali Bagheri Kani") is never proposed:
    token_set_ratio scores such pairs 100 although they are often different people.
    """
    uniq = list(dict.fromkeys(n for n in names if isinstance(n, str) and n.strip()))
    keys = [name_key(n) for n in uniq]
    out: list[tuple[str, str, float]] = []
    for i in range(len(uniq)):
        for j in range(i + 1, len(uniq)):
            ka, kb = keys[i], keys[j]
            if not ka or not kb or ka == kb or _is_subset(ka, kb):
                continue
            if len(ka.split()) != len(kb.split()):
                continue
            score = fuzz.ratio(ka, kb)
            if score >= threshold:
                out.append((uniq[i], uniq[j], round(score, 1)))
    out.sort(key=lambda t: -t[2])
    return out
