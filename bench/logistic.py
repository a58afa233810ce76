"""Pure-Python pieces of the claim re-ranker's training: a sparse logistic regression and isotonic
calibration. Deterministic: the same rows and seed give the same weights on every machine.
"""

from __future__ import annotations

import math
import random

from db.extract.claim_confidence import sigmoid


def train_logistic(rows: list[list[str]], labels: list[int], *, l2: float, epochs: int = 15,
                   learning_rate: float = 0.05, seed: int = 13) -> dict[str, float]:
    """Weights for binary features named by strings, by AdaGrad stochastic gradient descent on the log
    loss plus ``l2`` times the squared weights (applied to the features a row touches, as is usual for
    sparse rows). AdaGrad gives rare features larger steps, so a rule seen in a few hundred rows still
    learns within a few epochs. The step is small: on PolNeAR's fit folds a step of 0.3 left the
    weights noisier (out-of-fold log loss 0.487 against 0.468 at 0.05)."""
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    order = list(range(len(rows)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            names = rows[i]
            p = sigmoid(sum(weights.get(n, 0.0) for n in names))
            error = p - labels[i]
            for n in names:
                w = weights.get(n, 0.0)
                g = error + l2 * w
                sq = squares.get(n, 1e-8) + g * g
                squares[n] = sq
                weights[n] = w - learning_rate * g / math.sqrt(sq)
    return weights


def predict(weights: dict[str, float], rows: list[list[str]]) -> list[float]:
    return [sigmoid(sum(weights.get(n, 0.0) for n in names)) for names in rows]


def log_loss(probs: list[float], labels: list[int]) -> float:
    eps = 1e-6
    total = 0.0
    for p, y in zip(probs, labels, strict=True):
        p = min(1 - eps, max(eps, p))
        total -= math.log(p) if y else math.log(1 - p)
    return total / len(probs) if probs else 0.0


def isotonic_curve(probs: list[float], labels: list[int], min_block: int = 50) -> tuple[list[float], list[float]]:
    """Pool-adjacent-violators on (probability, label), then neighbouring blocks merged until each holds
    ``min_block`` rows, so that no step of the curve rests on a handful of rows (a block of five right rows
    would otherwise promise 1.0). Returns the blocks' mean probabilities (ascending) and mean labels
    (non-decreasing): the points ``claim_confidence.interpolate`` draws straight lines between."""
    # rows with the same probability (the same features) are one point: else a tie would split into a
    # block of wrong rows and a block of right ones at the same x, a vertical step
    grouped: dict[float, list[float]] = {}
    for p, y in zip(probs, labels, strict=True):
        g = grouped.setdefault(p, [0.0, 0.0, 0])
        g[0] += p
        g[1] += y
        g[2] += 1
    blocks: list[list[float]] = []  # [sum of probabilities, sum of labels, rows]
    for p in sorted(grouped):
        blocks.append(list(grouped[p]))
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            sp, sy, n = blocks.pop()
            blocks[-1][0] += sp
            blocks[-1][1] += sy
            blocks[-1][2] += n
    merged: list[list[float]] = []
    for block in blocks:
        if merged and merged[-1][2] < min_block:
            merged[-1] = [merged[-1][0] + block[0], merged[-1][1] + block[1], merged[-1][2] + block[2]]
        else:
            merged.append(block)
    if len(merged) > 1 and merged[-1][2] < min_block:
        last = merged.pop()
        merged[-1] = [merged[-1][0] + last[0], merged[-1][1] + last[1], merged[-1][2] + last[2]]
    xs = [b[0] / b[2] for b in merged]
    ys = [b[1] / b[2] for b in merged]
    return xs, ys
