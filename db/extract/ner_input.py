"""What the CRF tagger is given: ``Featurizer.sentence``'s features less those the model does not know,
as UTF-8 bytes, in the same order.

Why: giving crfsuite a sentence (``Tagger.set``) was about a third of an import's extraction time. It
encodes every feature string and looks each up in the model's attribute dictionary; about 15% of them
(rare words, rare word pairs) are not there, and crfsuite skips an attribute it does not know. Dropping
exactly those here, and encoding each token's features once per spelling, gives the tagger the same
known attributes in the same order: the same scores, tags and marginals, for less work.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from .ner_features import Featurizer, sentence_casing


def model_attributes(path: Path) -> frozenset[bytes] | None:
    """The attribute names of a crfsuite CRF model file (its attribute CQDB, read as crfsuite's
    ``crf1dm.c`` and ``cqdb.c`` write it); None when the file is not laid out as expected (then every
    feature is given to the tagger, as before)."""
    try:
        data = path.read_bytes()
        if data[:4] != b"lCRF":
            return None
        attrs = struct.unpack_from("<I", data, 36)[0]  # header: magic, size, type, version, 4 counts, then offsets
        chunk, _size, _flag, _order, count, backward = struct.unpack_from("<4sIIIII", data, attrs)
        if chunk != b"CQDB":
            return None
        names = []
        for number, offset in enumerate(struct.unpack_from(f"<{count}I", data, attrs + backward)):
            if offset == 0:
                continue  # an id with no record
            record_id, size = struct.unpack_from("<II", data, attrs + offset)
            if record_id != number or size == 0:
                return None
            start = attrs + offset + 8
            names.append(data[start:start + size - 1])  # the key is stored with its terminating NUL
        return frozenset(names)
    except (OSError, struct.error):
        return None


class KnownFeatures:
    """``Featurizer.sentence`` for tagging with one model: the features it knows, encoded."""

    def __init__(self, featurizer: Featurizer, known: frozenset[bytes]) -> None:
        self.featurizer = featurizer
        self.known = known
        self._casing: dict[tuple[str, str], tuple[bytes, ...]] = {}  # (sentence casing, case class) -> its feature
        # tokens recur within and across reports: their features are filtered and encoded once per spelling
        self._token = lru_cache(maxsize=200_000)(self._token_uncached)

    def _keep(self, features: tuple[str, ...]) -> tuple[bytes, ...]:
        known = self.known
        return tuple(e for f in features if (e := f.encode()) in known)

    def _token_uncached(self, token: str) -> tuple[bytes, str, tuple[bytes, ...], tuple[bytes, ...],
                                                   tuple[bytes, ...], tuple[bytes, ...], tuple[bytes, ...]]:
        """As ``Featurizer._token_uncached``, with the lower-cased word encoded and each group kept."""
        low, cc, own, after2, after1, before1, before2 = self.featurizer._token_uncached(token)
        keep = self._keep
        return low.encode(), cc, keep(own), keep(after2), keep(after1), keep(before1), keep(before2)

    def _known(self, feature: bytes) -> tuple[bytes, ...]:
        return (feature,) if feature in self.known else ()

    def _sentence_case(self, casing: str, cc: str) -> tuple[bytes, ...]:
        if (casing, cc) not in self._casing:
            self._casing[casing, cc] = self._known(f"sc={casing}|c={cc}".encode())
        return self._casing[casing, cc]

    def sentence(self, tokens: list[str]) -> list[tuple[bytes, ...]]:
        """What ``Featurizer.sentence(tokens)`` gives, feature for feature in its order, less the unknown
        (built a column at a time: a loop per token was as slow as the tagging it fed)."""
        n = len(tokens)
        if n == 0:
            return []
        ctx = [self._token(t) for t in tokens]
        featurizer, known, none = self.featurizer, self.known, ()
        rich = featurizer.kind == "rich"
        # what each token is given by the token 2 before it, 1 before it, 1 after it and 2 after it
        from_2_before = [none, none, *(c[3] for c in ctx[:-2])][:n]
        from_1_before = [none, *(c[4] for c in ctx[:-1])]
        from_1_after = [*(c[5] for c in ctx[1:]), none]
        from_2_after = [*(c[6] for c in ctx[2:]), none, none][:n]
        pair_before: list[tuple[bytes, ...]] = [none] * n
        pair_after: list[tuple[bytes, ...]] = [none] * n
        if rich:
            for i in range(1, n):
                here, before = ctx[i][0], ctx[i - 1][0]
                if (pair := b"-1w|w=" + before + b"|" + here) in known:
                    pair_before[i] = (pair,)
                if (pair := b"w|+1w=" + before + b"|" + here) in known:
                    pair_after[i - 1] = (pair,)
        casing = sentence_casing([c[1] for c in ctx[1:]]) if rich and featurizer.sentence_case else None
        cased = [self._sentence_case(casing, c[1]) for c in ctx] if casing is not None else [none] * n
        out = [(*c[2], *b2, *b1, *pb, *a1, *pa, *a2, *sc) for c, b2, b1, pb, a1, pa, a2, sc in zip(
            ctx, from_2_before, from_1_before, pair_before, from_1_after, pair_after, from_2_after, cased, strict=True)]
        if featurizer.conj:  # the shape conjunctions, where ``Featurizer.sentence`` puts them (before BOS / EOS)
            out = [(*o, *cj) for o, cj in zip(out, self._conjunctions(tokens), strict=True)]
        if rich:
            out[0] = (*out[0], *self._known(b"BOS"), *self._known(b"BOS_c=" + ctx[0][1].encode()))
            out[-1] = (*out[-1], *self._known(b"EOS"))
        if featurizer.runs:  # the capitalised runs' features, after the rest as ``Featurizer.sentence`` puts them
            extra: list[list[str]] = [[] for _ in range(n)]
            featurizer._run_features(tokens, [featurizer._token(t) for t in tokens], extra)
            out = [(*o, *self._keep(tuple(e))) for o, e in zip(out, extra, strict=True)]
        return out

    def _conjunctions(self, tokens: list[str]) -> list[tuple[bytes, ...]]:
        """``Featurizer.sentence``'s shape conjunctions of each token, the known ones encoded."""
        ctx = [self.featurizer._token(t) for t in tokens]
        n = len(ctx)
        out = []
        for i in range(n):
            sh = ctx[i][2][3]
            prev = ctx[i - 1] if i >= 1 else None
            nxt = ctx[i + 1] if i + 1 < n else None
            out.append(self._keep((f"-1w|sh={prev[0] if prev else '<s>'}|{sh}",
                                   f"sh|+1w={sh}|{nxt[0] if nxt else '</s>'}",
                                   f"-1sh|sh|+1sh={prev[2][3] if prev else '<s>'}|{sh}|{nxt[2][3] if nxt else '</s>'}")))
        return out
