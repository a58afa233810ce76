"""Claim confidence: the probability that an extracted row is a real claim with the right speaker.

The rules' candidates are scored by a logistic regression over ``claim_features`` and the score is
mapped through a monotone calibration curve, both learned on PolNeAR by ``python -m
bench.train_claim_confidence`` and shipped as ``model/claim_confidence.json``. Rows below the model's
floor (chosen on the training data) are that likely junk and are dropped. Pure Python; the file is
read once, on first use. Without a readable model the rules' own confidences stand.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from db.models import ExtractedClaim

MODEL_PATH = Path(__file__).resolve().parent / "model" / "claim_confidence.json"
MODEL_FORMAT = "claim-confidence/1"


@dataclass(frozen=True)
class ClaimModel:
    weights: dict[str, float]
    curve_x: tuple[float, ...]  # raw probabilities, ascending
    curve_y: tuple[float, ...]  # calibrated probabilities, non-decreasing
    floor: float
    version: str

    @classmethod
    def from_dict(cls, data: dict) -> ClaimModel:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"not a {MODEL_FORMAT} file")
        curve = data["calibration"]
        xs, ys = tuple(float(x) for x in curve["x"]), tuple(float(y) for y in curve["y"])
        if len(xs) != len(ys) or not xs or list(xs) != sorted(xs):
            raise ValueError("calibration curve must be ascending and non-empty")
        return cls({str(k): float(v) for k, v in data["weights"].items()}, xs, ys,
                   float(data.get("floor", 0.0)), str(data.get("version", "")))

    def raw_probability(self, features: list[str]) -> float:
        z = sum(self.weights.get(name, 0.0) for name in features)
        return sigmoid(z)

    def calibrated(self, raw: float) -> float:
        return interpolate(self.curve_x, self.curve_y, raw)

    def probability(self, features: list[str]) -> float:
        return self.calibrated(self.raw_probability(features))


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def interpolate(xs: tuple[float, ...], ys: tuple[float, ...], x: float) -> float:
    """Piecewise-linear through (xs, ys), flat beyond both ends."""
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    k = bisect.bisect_right(xs, x)
    x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> ClaimModel | None:
    try:
        return ClaimModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def apply_confidence(claims: list[ExtractedClaim], features: list[list[str]],
                     model: ClaimModel | None) -> list[ExtractedClaim]:
    """Each claim's confidence becomes the model's probability; claims under the floor are dropped and
    the survivors' ``parent`` indices renumbered (a dropped parent hands its place to its own parent)."""
    if model is None:
        return claims
    keep: list[bool] = []
    for claim, names in zip(claims, features, strict=True):
        p = model.probability(names)
        claim.confidence = round(p, 4)
        keep.append(p >= model.floor)
    if all(keep):
        return claims
    new_index: dict[int, int] = {}
    kept: list[ExtractedClaim] = []
    for i, claim in enumerate(claims):
        if keep[i]:
            new_index[i] = len(kept)
            kept.append(claim)
    for claim in kept:
        parent = claim.parent
        while parent is not None and parent not in new_index:
            parent = claims[parent].parent
        claim.parent = new_index.get(parent) if parent is not None else None
    return kept
