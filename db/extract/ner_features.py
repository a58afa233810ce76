"""Token features of the CRF entity recogniser: one definition for training (``bench.train_ner``) and tagging
(``db.extract.ner``), since a model only works on the features it was trained with.

Two feature sets, compared in bench/RESULTS.md: ``plain`` (the word, its case and suffix, the words beside it)
and ``rich`` (word shape, affixes, sentence position, two words of context each side with their shapes, and
membership of word lists: given names, places, countries, demonyms, organisation and outlet head words,
titles, months, and the name tokens of the OFAC sanctions lists shipped with the model).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import gazetteer as gz

_SHAPE_RUNS = re.compile(r"(.)\1+")


class Gazetteer:
    """The word lists a token is looked up in: the app's own lists plus the model's shipped name tokens."""

    def __init__(self, ofac_path: Path | None) -> None:
        self.ofac_person: frozenset[str] = frozenset()
        self.ofac_org: frozenset[str] = frozenset()
        if ofac_path is not None:
            person, org = set(), set()
            try:
                for line in ofac_path.read_text(encoding="utf-8").splitlines():
                    kind, _, token = line.partition("\t")
                    (person if kind == "P" else org).add(token)
            except OSError:  # a missing list costs features, never the app
                pass
            self.ofac_person, self.ofac_org = frozenset(person), frozenset(org)
        places = {p.lower() for p in gz.PLACES}
        # a multi-word place marks each of its words: "Saudi", "Arabia"
        self.place_words = frozenset(w for p in places for w in p.split())
        self.countries = frozenset(c.lower() for c in gz.COUNTRIES)
        self.given = frozenset(g.lower() for g in gz.GIVEN_NAMES)
        self.demonyms = frozenset(d.lower() for d in gz.DEMONYMS) | frozenset(d.lower() + "s" for d in gz.DEMONYMS)
        self.orgs = frozenset(o.lower() for o in gz.ORGANISATIONS)
        self.media = frozenset(w for m in gz.PLATFORMS for w in m.lower().split())
        self.org_heads = gz.ORG_HEADS | gz.ORG_HEADS_TRANSLITERATED
        self.months = gz.MONTHS | gz.WEEKDAYS

    def flags(self, low: str) -> tuple[str, ...]:
        out = []
        if low in self.given:
            out.append("g:given")
        if low in self.place_words:
            out.append("g:place")
        if low in self.countries:
            out.append("g:country")
        if low in self.demonyms:
            out.append("g:demonym")
        if low in self.orgs:
            out.append("g:org")
        if low in self.org_heads:
            out.append("g:orghead")
        if low in gz.MEDIA_HEADS:
            out.append("g:mediahead")
        if low in self.media:
            out.append("g:platform")
        if low in gz.PERSON_TITLES or low in gz.TITLE_FILLERS:
            out.append("g:title")
        if low in gz.LOC_HEADS:
            out.append("g:lochead")
        if low in self.months:
            out.append("g:month")
        if low in self.ofac_person:
            out.append("g:ofacper")
        if low in self.ofac_org:
            out.append("g:ofacorg")
        return tuple(out)


def shape(token: str) -> str:
    """"Xxxx" → "Xx", "U.S." → "X.X.", "1990s" → "dx": character classes with runs collapsed."""
    s = "".join("X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c for c in token[:12])
    return _SHAPE_RUNS.sub(r"\1", s)


def case_class(token: str) -> str:
    if token.istitle():
        return "title"
    if token.isupper():
        return "upper"
    if token.islower():
        return "lower"
    if token.isdigit():
        return "digit"
    return "mixed"


class Featurizer:
    def __init__(self, kind: str, gazetteer: Gazetteer | None) -> None:
        if kind not in ("plain", "rich"):
            raise ValueError(f"unknown feature set {kind!r}")
        self.kind = kind
        self.gazetteer = gazetteer
        # per-token work is cached per spelling: tokens recur within and across reports
        self._own = lru_cache(maxsize=200_000)(self._own_uncached)
        self._ctx = lru_cache(maxsize=200_000)(self._ctx_uncached)

    def _own_uncached(self, token: str) -> tuple[str, ...]:
        low = token.lower()
        cc = case_class(token)
        if self.kind == "plain":
            return ("w=" + low, "c=" + cc, "s3=" + low[-3:])
        sh = shape(token)
        feats = ["w=" + low, "c=" + cc, "sh=" + sh, "p2=" + low[:2], "p3=" + low[:3], "s2=" + low[-2:],
                 "s3=" + low[-3:], "len=" + str(min(len(token), 8))]
        if "-" in token:
            feats.append("hyphen")
        if self.gazetteer is not None:
            feats.extend(self.gazetteer.flags(low))
        return tuple(feats)

    def _ctx_uncached(self, token: str) -> tuple[str, str, str, tuple[str, ...]]:
        """(lower-cased word, case class, shape, word-list flags) of a neighbouring token."""
        low = token.lower()
        flags = self.gazetteer.flags(low) if self.gazetteer is not None and self.kind == "rich" else ()
        return low, case_class(token), shape(token), flags

    def sentence(self, tokens: list[str]) -> list[list[str]]:
        n = len(tokens)
        ctx = [self._ctx(t) for t in tokens]
        out: list[list[str]] = []
        rich = self.kind == "rich"
        for i, tok in enumerate(tokens):
            f = ["b", *self._own(tok)]
            if rich:
                if i == 0:
                    f.append("BOS")
                    f.append("BOS_c=" + ctx[0][1])
                if i == n - 1:
                    f.append("EOS")
                for j in (-2, -1, 1, 2):
                    k = i + j
                    if 0 <= k < n:
                        low, cc, sh, flags = ctx[k]
                        f.append(f"{j}w={low}")
                        f.append(f"{j}sh={sh}")
                        if j in (-1, 1):
                            f.append(f"{j}c={cc}")
                            f.extend(f"{j}{g}" for g in flags)
                if i > 0:
                    f.append(f"-1w|w={ctx[i - 1][0]}|{ctx[i][0]}")
                if i + 1 < n:
                    f.append(f"w|+1w={ctx[i][0]}|{ctx[i + 1][0]}")
            else:
                for j in (-1, 1):
                    k = i + j
                    if 0 <= k < n:
                        f.append(f"{j}w={ctx[k][0]}")
                        f.append(f"{j}c={ctx[k][1]}")
            out.append(f)
        return out
