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

    def sentence(self, tokens: list[str]) -> list[list[bytes]]:
        """What ``Featurizer.sentence(tokens)`` gives, feature for feature in its order, less the unknown."""
        n = len(tokens)
        ctx = [self._token(t) for t in tokens]
        rich = self.featurizer.kind == "rich"
        casing = sentence_casing([c[1] for c in ctx[1:]]) if rich and self.featurizer.sentence_case else None
        known = self.known
        out: list[list[bytes]] = []
        for i in range(n):
            here = ctx[i]
            f = list(here[2])
            if i >= 2:
                f += ctx[i - 2][3]
            if i >= 1:
                f += ctx[i - 1][4]
                if rich and (pair := b"-1w|w=" + ctx[i - 1][0] + b"|" + here[0]) in known:
                    f.append(pair)
            if i + 1 < n:
                f += ctx[i + 1][5]
                if rich and (pair := b"w|+1w=" + here[0] + b"|" + ctx[i + 1][0]) in known:
                    f.append(pair)
            if i + 2 < n:
                f += ctx[i + 2][6]
            if casing is not None:
                f += self._sentence_case(casing, here[1])
            if rich:
                if i == 0:
                    f += self._known(b"BOS")
                    f += self._known(b"BOS_c=" + here[1].encode())
                if i == n - 1:
                    f += self._known(b"EOS")
            out.append(f)
        return out
