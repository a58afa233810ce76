"""Word clusters learnt without labels, a feature of the entity recogniser (``bench.train_ner`` writes them).

A word's neighbours say what it is: "Ramadi" and "Fallujah" are both seen after "in" and before ",", "Sadr"
and "Maliki" after "al-" and before "said". Words the training corpora tag rarely or never still share a
cluster with words they tag often, which is what lets a CRF trained on tweets and Wikipedia read news.

Method (numpy only, deterministic): lower-cased words with digits folded to 0; counts of each vocabulary
word against the most frequent words at offsets -2, -1, +1, +2 (sentence edges count as words); positive
PMI with context smoothing 0.75; a randomised SVD (fixed seed) to ``DIMS`` dimensions; unit vectors
clustered by spherical k-means into ``FINE`` clusters, whose centroids are clustered again into ``MID`` and
``COARSE`` clusters, so that every word gets three nested cluster ids (like the prefixes of a Brown path).

Text: the training corpora's tokens, and the unlabelled text of ``shared/data``: PolNeAR articles, the
saved news pages' article text and the feeds' items. Never the two held-out test files.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from db.extract.ner_features import cluster_key as word_key

DIMS = 100
FINE, MID, COARSE = 800, 160, 32
MIN_COUNT = 4
MAX_VOCAB = 30_000
CONTEXTS = 1_000
OFFSETS = (-2, -1, 1, 2)
SEED = 16
_TAG = re.compile(r"<[^>]{0,2000}>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|\w{1,12});")


def unlabelled_lines(shared: Path) -> Iterator[str]:
    """Lines of running text from ``shared/data`` (``shared`` is that folder): PolNeAR (train and annotator
    training) texts, the saved pages' extracted text, the feeds with their markup removed."""
    for pattern in ("polnear/train/text/*", "polnear/annotator-training/text/*", "html/text/*"):
        for path in sorted(shared.glob(pattern)):
            if path.is_file():
                yield from path.read_text(encoding="utf-8", errors="replace").splitlines()
    import html

    for path in sorted(shared.glob("feeds/*")):
        raw = path.read_bytes().decode("utf-8", errors="replace")
        # escaped markup inside items comes back as markup once unescaped: strip twice
        text = _TAG.sub(" ", html.unescape(_TAG.sub(" ", raw)))
        yield from text.splitlines()


def tokenised_lines(lines: Iterable[str]) -> Iterator[list[str]]:
    from db.extract.ner import tokenize

    for line in lines:
        offsets = tokenize(line)
        if offsets:
            yield [line[a:b] for a, b in offsets]


def _spherical_kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 20,
                      weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(assignment of each row, unit centroids). Rows of ``x`` are unit vectors; k-means++ seeding."""
    n = x.shape[0]
    w = np.ones(n) if weights is None else weights
    centres = np.empty((k, x.shape[1]), dtype=x.dtype)
    first = int(rng.choice(n, p=w / w.sum()))
    centres[0] = x[first]
    dist = np.maximum(0.0, 1.0 - x @ centres[0])
    for j in range(1, k):
        p = dist * w
        idx = int(rng.choice(n, p=p / p.sum())) if p.sum() > 0 else int(rng.integers(n))
        centres[j] = x[idx]
        dist = np.minimum(dist, np.maximum(0.0, 1.0 - x @ centres[j]))
    assign = np.zeros(n, dtype=np.int64)
    for _ in range(iterations):
        assign = np.argmax(x @ centres.T, axis=1)
        sums = np.zeros_like(centres)
        np.add.at(sums, assign, x * w[:, None])
        norms = np.linalg.norm(sums, axis=1)
        empty = norms == 0
        sums[~empty] /= norms[~empty, None]
        sums[empty] = centres[empty]
        centres = sums
    return assign, centres


def build(sentences: Iterable[list[str]], *, fine_k: int = FINE, mid_k: int = MID, coarse_k: int = COARSE,
          dims: int = DIMS, min_count: int = MIN_COUNT, contexts: int = CONTEXTS) -> dict[str, tuple[int, int, int]]:
    """word key -> (coarse, mid, fine) cluster ids."""
    counts: Counter[str] = Counter()
    seqs: list[list[str]] = []
    for tokens in sentences:
        keys = [word_key(t) for t in tokens]
        counts.update(keys)
        seqs.append(keys)
    vocab = [w for w, c in counts.most_common(MAX_VOCAB) if c >= min_count]
    vocab.sort(key=lambda w: (-counts[w], w))  # ties broken by the word: the same order on every run
    index = {w: i for i, w in enumerate(vocab)}
    fine_k = min(fine_k, len(vocab))
    mid_k = min(mid_k, fine_k)
    coarse_k = min(coarse_k, mid_k)
    dims = min(dims, len(vocab) - 1)
    n_ctx = contexts + 1  # the last context id is a sentence edge
    ids: list[int] = []
    for keys in seqs:  # one flat stream; -1 marks a sentence edge (two edges: offsets of 2 stay inside)
        ids.extend((-1, -1))
        ids.extend(index.get(k, -2) for k in keys)
    ids.extend((-1, -1))
    stream = np.array(ids, dtype=np.int64)
    ctx = np.where(stream == -1, contexts, np.where((stream >= 0) & (stream < contexts), stream, -1))
    v = len(vocab)
    width = n_ctx * len(OFFSETS)
    cooc = np.zeros(v * width, dtype=np.float64)
    for j, off in enumerate(OFFSETS):
        a = stream[max(0, -off):len(stream) - max(0, off)]
        b = ctx[max(0, off):len(ctx) - max(0, -off)]
        ok = (a >= 0) & (b >= 0)
        cooc += np.bincount(a[ok] * width + j * n_ctx + b[ok], minlength=v * width)
    m = cooc.reshape(v, width)
    del cooc
    total = m.sum()
    row = m.sum(axis=1, keepdims=True)
    col = m.sum(axis=0, keepdims=True) ** 0.75
    col = col / col.sum() * total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(m * total / (row * col))
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0).astype(np.float32)
    del m, pmi
    rng = np.random.default_rng(SEED)
    # randomised SVD with two power iterations
    q = ppmi @ rng.standard_normal((width, dims + 20)).astype(np.float32)
    for _ in range(2):
        q, _r = np.linalg.qr(q)
        q, _r = np.linalg.qr(ppmi @ (ppmi.T @ q))
    u_small, s, _vt = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    vectors = (q @ u_small[:, :dims]) * np.sqrt(s[:dims])
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    weights = np.sqrt(np.array([counts[w] for w in vocab], dtype=np.float64))
    fine, centres = _spherical_kmeans(vectors.astype(np.float64), fine_k, rng, weights=weights)
    size = np.bincount(fine, minlength=fine_k).astype(np.float64)
    mid_of_fine, mid_centres = _spherical_kmeans(centres, mid_k, rng, weights=np.maximum(size, 1e-3))
    coarse_of_mid, _ = _spherical_kmeans(mid_centres, coarse_k, rng)
    return {w: (int(coarse_of_mid[mid_of_fine[f]]), int(mid_of_fine[f]), int(f))
            for w, f in zip(vocab, fine, strict=True)}


def write(clusters: dict[str, tuple[int, int, int]], out: Path) -> None:
    out.write_text("".join(f"{w}\t{a}\t{b}\t{c}\n" for w, (a, b, c) in sorted(clusters.items())),
                   encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Build clusters from the corpora and shared data and print some, to look at them."""
    import argparse

    from bench.train_ner import CORPORA, HELD_OUT
    from bench.ner_corpora import read_sentences

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ner"))
    ap.add_argument("--out", type=Path, default=Path("/tmp/word_clusters.tsv"))
    args = ap.parse_args(argv)
    sents = [t for name in CORPORA for rel in CORPORA[name] if rel not in HELD_OUT
             for t, _ in read_sentences(args.data / rel)]
    sents.extend(tokenised_lines(unlabelled_lines(args.data.parent)))
    print(f"{len(sents)} lines, {sum(map(len, sents))} tokens", file=sys.stderr)
    clusters = build(sents)
    write(clusters, args.out)
    by_fine: dict[int, list[str]] = {}
    for w, (_a, _b, c) in clusters.items():
        by_fine.setdefault(c, []).append(w)
    for probe in ("baghdad", "maliki", "said", "ministry", "reuters", "hezbollah", "january", "john"):
        if probe in clusters:
            print(probe, clusters[probe], sorted(by_fine[clusters[probe][2]])[:25])
    return 0


if __name__ == "__main__":
    sys.exit(main())
