"""How well stated confidences match how often rows are right: reliability bins, expected calibration
error (ECE) and precision among the rows at or above a confidence. Pure Python, used by the extraction
harness and by the re-ranker's training.
"""

from __future__ import annotations


def _bin_sums(probs: list[float], labels: list[int], n_bins: int) -> list[tuple[int, float, int]]:
    """Per equal-width bin over [0, 1]: rows, sum of probabilities, sum of labels (a probability of
    exactly 1 falls in the last bin)."""
    sums = [[0, 0.0, 0] for _ in range(n_bins)]
    for p, y in zip(probs, labels, strict=True):
        k = min(n_bins - 1, max(0, int(p * n_bins)))
        sums[k][0] += 1
        sums[k][1] += p
        sums[k][2] += y
    return [(n, sp, sy) for n, sp, sy in sums]


def reliability_bins(probs: list[float], labels: list[int], n_bins: int = 10) -> list[dict]:
    """Every bin, empty ones with n = 0, so that every run prints the same bins."""
    bins = []
    for k, (n, sp, sy) in enumerate(_bin_sums(probs, labels, n_bins)):
        bins.append({"lo": round(k / n_bins, 4), "hi": round((k + 1) / n_bins, 4), "n": n,
                     "mean_confidence": round(sp / n, 4) if n else None,
                     "accuracy": round(sy / n, 4) if n else None})
    return bins


def expected_calibration_error(probs: list[float], labels: list[int], n_bins: int = 10) -> float:
    """The bins' |accuracy - mean confidence|, weighted by their share of the rows."""
    total = len(probs)
    if not total:
        return 0.0
    return sum(abs(sy - sp) / total for n, sp, sy in _bin_sums(probs, labels, n_bins) if n)


def precision_at(probs: list[float], labels: list[int], threshold: float) -> tuple[float | None, int]:
    """Share of correct rows among those with confidence >= threshold, and how many there are
    (None when there are none)."""
    chosen = [y for p, y in zip(probs, labels, strict=True) if p >= threshold]
    return (sum(chosen) / len(chosen) if chosen else None), len(chosen)


def calibration_summary(probs: list[float], labels: list[int], n_bins: int = 10) -> dict:
    precision, n_at = precision_at(probs, labels, 0.8)
    return {
        "ece": round(expected_calibration_error(probs, labels, n_bins), 4),
        "precision_at_0.8": round(precision, 4) if precision is not None else None,
        "n_at_0.8": n_at,
        "n": len(probs),
        "bins": reliability_bins(probs, labels, n_bins),
    }
