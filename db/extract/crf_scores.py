"""The CRF tagger's input computed as scores: each token's score for each tag, summed here from the
model's weights, then handed to crfsuite as a few weighted attributes that add up to the same scores.

Why: crfsuite's ``Tagger.set`` encodes every feature string of every token (about 20 a token) and
looks each up in the model; that, and building those strings, was about two thirds of the entity
recogniser's time. Most of a token's features depend only on its spelling and its neighbours'
spellings, so their summed weights are cached per spelling and added as vectors. crfsuite scores a
token as the sum of (attribute value x attribute weight); given ``basis`` attributes whose weight
vectors span the tags' scores, one value each reproduces any score vector. Viterbi and the marginals
do not change when a token's scores all move by one constant, so the score of the outside tag ("O") is
taken as that constant and one attribute fewer is needed. The tags and marginals are crfsuite's own,
equal to the string input's to ~1e-15 (``tests/test_ner_training.py`` checks it).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from .ner_features import Featurizer

_HEADER = struct.Struct("<4sI4sIIIIIIIII")  # crf1dm.c: magic, size, type, version, counts, offsets
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_STATE_FEATURE = 0  # (attribute, label); 1 is a transition (label, label), which crfsuite keeps applying
# per-spelling rows kept at most (5 score vectors of 7 tags each: ~280 bytes a spelling)
_MAX_SPELLINGS = 50_000


class CrfWeights:
    """A crfsuite CRF model file's labels, attribute names and state-feature weights, read as crfsuite's
    ``crf1dm.c`` and ``cqdb.c`` write them."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        magic, _size, _kind, _version, _nf, n_labels, n_attrs, off_features, off_labels, off_attrs, _lr, _ar = (
            _HEADER.unpack_from(data, 0))
        if magic != b"lCRF":
            raise ValueError(f"{path.name} is no crfsuite CRF model")
        chunk, _size, count = struct.unpack_from("<4sII", data, off_features)
        if chunk != b"FEAT":
            raise ValueError(f"{path.name}: no feature chunk where its header says")
        features = np.frombuffer(data, dtype=_FEATURE, count=count, offset=off_features + 12)
        self.labels = [name.decode() for _id, name in sorted(_cqdb_names(data, off_labels).items())]
        if len(self.labels) != n_labels:
            raise ValueError(f"{path.name}: {len(self.labels)} labels named of {n_labels}")
        names = _cqdb_names(data, off_attrs)
        # attribute name -> row of ``weights``; the names as the tagger would be given them (UTF-8)
        self.index: dict[bytes, int] = {name: number for number, name in names.items()}
        state = features[features["type"] == _STATE_FEATURE]
        self.weights = np.zeros((n_attrs, n_labels))
        self.weights[state["src"], state["dst"]] = state["weight"]


def _cqdb_names(data: bytes, offset: int) -> dict[int, bytes]:
    """id -> name of a CQDB chunk's records (its backward array)."""
    chunk, _size, _flag, _order, count, backward = struct.unpack_from("<4sIIIII", data, offset)
    if chunk != b"CQDB":
        raise ValueError("no CQDB chunk where the model's header says")
    names: dict[int, bytes] = {}
    for number, at in enumerate(struct.unpack_from(f"<{count}I", data, offset + backward)):
        if at == 0:
            continue  # an id with no record
        record_id, size = struct.unpack_from("<II", data, offset + at)
        if record_id != number or size == 0:
            raise ValueError("a CQDB record out of place")
        names[number] = data[offset + at + 8:offset + at + 8 + size - 1]  # stored with its terminating NUL
    return names


class Basis:
    """Attributes of the model whose weights, relative to the outside tag's, span every tag's score: a
    token's scores become one value for each (``items``)."""

    def __init__(self, crf: CrfWeights, outside: str = "O") -> None:
        o = crf.labels.index(outside)
        others = [k for k in range(len(crf.labels)) if k != o]
        relative = crf.weights[:, others] - crf.weights[:, [o]]
        # greedy: the attribute whose weights are furthest from the span of those chosen so far, so that
        # the chosen rows are near orthogonal and solving for their values loses no precision
        chosen: list[int] = []
        rest = relative.copy()
        for _ in others:
            norms = np.einsum("ij,ij->i", rest, rest)
            best = int(norms.argmax())
            if norms[best] < 1e-6:
                raise ValueError("the model's weights do not span its tags' scores")
            chosen.append(best)
            unit = rest[best] / np.sqrt(norms[best])
            rest -= np.outer(rest @ unit, unit)
        names = {row: name for name, row in crf.index.items()}
        self.names = [names[row] for row in chosen]
        self._others, self._outside = others, o
        self._solve = np.linalg.inv(relative[chosen])
        # a dict display builds the rows' dicts a third faster than dict(zip()): "lambda rows: [{n0: v0,
        # n1: v1, ...} for v0, v1, ... in rows]", the names bound as values (never written into the code)
        keys = ", ".join(f"n{k}: v{k}" for k in range(len(self.names)))
        values = ", ".join(f"v{k}" for k in range(len(self.names)))
        self._dicts = eval(f"lambda rows: [{{{keys}}} for {values} in rows]",  # noqa: S307
                           {f"n{k}": name for k, name in enumerate(self.names)})

    def items(self, scores: np.ndarray) -> list[dict[bytes, float]]:
        """crfsuite items (attribute -> value) that score each row's tags as ``scores`` does, up to a
        constant a row."""
        return self._dicts(((scores[:, self._others] - scores[:, [self._outside]]) @ self._solve).tolist())


class TokenScores:
    """Each token's score for each tag, as crfsuite would sum them from ``featurizer.sentence``'s
    features: fast for the feature sets built of per-spelling groups, word pairs and the sentence's ends
    (the shipped one), feature by feature for the others (run, conjunction and sentence-case features)."""

    def __init__(self, featurizer: Featurizer, crf: CrfWeights) -> None:
        self.featurizer = featurizer
        self.index = crf.index
        # one row of zeros past the last attribute: where a feature the model does not know points
        self.weights = np.vstack([crf.weights, np.zeros((1, crf.weights.shape[1]))])
        self._unknown = len(crf.weights)
        self._by_spelling = not (featurizer.sentence_case or featurizer.runs or featurizer.conj)
        self._rich = featurizer.kind == "rich"
        self._clear()

    def _clear(self) -> None:
        self._spellings: dict[str, tuple[bytes, str, int]] = {}
        self._rows = np.zeros((1024, 5, self.weights.shape[1]))

    def _summed(self, features) -> np.ndarray:
        index, unknown = self.index, self._unknown
        return self.weights[[index.get(f.encode(), unknown) for f in features]].sum(axis=0)

    def _spelling(self, token: str) -> tuple[bytes, str, int]:
        """(lower-cased word, case class, row of ``_rows``): the summed weights of the token's own
        features and of those it gives the tokens 2 and 1 after it and 1 and 2 before it."""
        found = self._spellings.get(token)
        if found is not None:
            return found
        row = len(self._spellings)
        if row == len(self._rows):
            self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
        low, cc, *groups = self.featurizer._token_uncached(token)
        for k, group in enumerate(groups):
            self._rows[row, k] = self._summed(group)
        found = self._spellings[token] = (low.encode(), cc, row)
        return found

    def document(self, sentences: list[list[str]], extra: list[list[list[str]]] | None = None) -> np.ndarray:
        """The scores (tokens of all ``sentences`` in order x tags), ``extra`` features added to each
        token's (document features)."""
        lengths = [len(s) for s in sentences]
        total = sum(lengths)
        if not self._by_spelling:
            scores = np.array([self._summed(f) for s in sentences if s for f in self.featurizer.sentence(s)])
        else:
            scores = self._by_spellings(sentences, lengths, total)
        if extra is not None:
            flat = [f for s in extra for f in s]
            scores = scores + np.array([self._summed(f) for f in flat]) if flat else scores
        return scores.reshape(total, self.weights.shape[1])

    def _by_spellings(self, sentences: list[list[str]], lengths: list[int], total: int) -> np.ndarray:
        if len(self._spellings) >= _MAX_SPELLINGS:  # bounded memory: start again (between documents, as the
            self._clear()  # rows of a document's tokens are read after all of them are looked up)
        known = self._spellings
        ctx = [known.get(t) or self._spelling(t) for s in sentences for t in s]
        rows = self._rows[[c[2] for c in ctx]]  # (tokens, 5, tags)
        scores = rows[:, 0].copy()
        # within one sentence every neighbour counts; across several, those of another sentence do not
        sentence = np.repeat(np.arange(len(sentences)), lengths) if len(sentences) > 1 else None
        for shift, given in ((2, 1), (1, 2)):  # what the tokens before give
            if sentence is None:
                scores[shift:] += rows[:-shift, given]
            else:
                scores[shift:] += np.where((sentence[shift:] == sentence[:-shift])[:, None], rows[:-shift, given], 0.0)
        for shift, given in ((1, 3), (2, 4)):  # what the tokens after give
            if sentence is None:
                scores[:-shift] += rows[shift:, given]
            else:
                scores[:-shift] += np.where((sentence[shift:] == sentence[:-shift])[:, None], rows[shift:, given], 0.0)
        if self._rich and total:
            index, unknown, weights = self.index, self._unknown, self.weights
            at: list[int] = []  # the sentences' first and last tokens, and the word pairs
            features: list[int] = []
            start = 0
            for n in lengths:
                if n:
                    at += (start, start, start + n - 1)
                    features += (index.get(b"BOS", unknown), index.get(b"BOS_c=" + ctx[start][1].encode(), unknown),
                                 index.get(b"EOS", unknown))
                    start += n
            if total > 1:
                lows = [c[0] for c in ctx]
                # the word pairs, those across two sentences too (left out below)
                pairs = [b + b"|" + h for b, h in zip(lows, lows[1:], strict=False)]
                within = range(1, total) if sentence is None else np.flatnonzero(sentence[1:] == sentence[:-1]) + 1
                for i in within:
                    p = pairs[i - 1]
                    if (f := index.get(b"-1w|w=" + p)) is not None:
                        at.append(i)
                        features.append(f)
                    if (f := index.get(b"w|+1w=" + p)) is not None:
                        at.append(i - 1)
                        features.append(f)
            np.add.at(scores, at, weights[features])
        return scores
