"""The shipped claim re-ranker: it loads, gives probabilities, ranks plain cases sensibly, and dropping
a row keeps the nesting of the others consistent. No shared data needed."""

from __future__ import annotations

import json

from db.extract import extract, extract_candidates
from db.extract.claim_confidence import MODEL_PATH, ClaimModel, apply_confidence, interpolate, load_model
from db.models import ExtractedClaim

from bench.logistic import isotonic_curve, predict, train_logistic

GOOD = '"We will not raise taxes this year," Senator John Smith said on Tuesday.'
BAD = "What they said was that the plan will fail badly soon."


def _probabilities(body: str) -> list[tuple[str, float]]:
    model = load_model()
    ex, features = extract_candidates(body)
    return [(c.rule, model.probability(f)) for c, f in zip(ex.claims, features, strict=True)]


def test_shipped_model_loads_and_is_a_probability():
    model = load_model()
    assert model is not None, f"{MODEL_PATH} missing or unreadable"
    assert 0.0 <= model.floor < 1.0
    for body in (GOOD, BAD):
        for _, p in _probabilities(body):
            assert 0.0 <= p <= 1.0


def test_plainly_good_row_outranks_plainly_bad_one():
    [(good_rule, good)] = _probabilities(GOOD)
    [(bad_rule, bad)] = _probabilities(BAD)
    assert (good_rule, bad_rule) == ("quote_then_cue", "what_said_was")
    assert good > bad


def test_extract_carries_the_calibrated_probability():
    [claim] = extract(GOOD).claims
    [(_, p)] = _probabilities(GOOD)
    assert claim.confidence == round(p, 4)


def _model(floor: float, weights: dict[str, float]) -> ClaimModel:
    return ClaimModel.from_dict({"format": "claim-confidence/1", "version": "t", "floor": floor,
                                 "calibration": {"x": [0.0, 1.0], "y": [0.0, 1.0]}, "weights": weights})


def test_dropped_parent_hands_nesting_to_its_own_parent():
    claims = [ExtractedClaim(0, 100, "a" * 100), ExtractedClaim(10, 90, "b" * 80, parent=0),
              ExtractedClaim(20, 40, "c" * 20, parent=1), ExtractedClaim(50, 60, "d" * 10, parent=1)]
    features = [["keep"], ["drop"], ["keep"], ["drop"]]
    kept = apply_confidence(claims, features, _model(0.5, {"keep": 3.0, "drop": -3.0}))
    assert [c.text[0] for c in kept] == ["a", "c"]
    assert [c.parent for c in kept] == [None, 0]
    assert kept[0].confidence > 0.9


def test_no_model_leaves_the_rules_confidence():
    claims = [ExtractedClaim(0, 10, "x" * 10, confidence=0.75)]
    assert apply_confidence(claims, [["bias"]], None)[0].confidence == 0.75


def test_unreadable_model_file_gives_none(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"format": "something else"}))
    assert load_model.__wrapped__(bad) is None


def test_interpolation_is_flat_beyond_the_ends_and_linear_between():
    xs, ys = (0.2, 0.6), (0.1, 0.5)
    assert interpolate(xs, ys, 0.0) == 0.1 and interpolate(xs, ys, 0.9) == 0.5
    assert abs(interpolate(xs, ys, 0.4) - 0.3) < 1e-12


def test_logistic_regression_learns_a_separating_feature():
    rows = [["bias", "good"]] * 50 + [["bias", "bad"]] * 50
    labels = [1] * 50 + [0] * 50
    weights = train_logistic(rows, labels, l2=1e-3, learning_rate=0.3, seed=1)
    good, bad = predict(weights, [["bias", "good"], ["bias", "bad"]])
    assert good > 0.9 and bad < 0.1
    assert weights == train_logistic(rows, labels, l2=1e-3, learning_rate=0.3, seed=1)  # deterministic


def test_isotonic_curve_is_monotone_and_pools_small_blocks():
    probs = [i / 200 for i in range(200)]
    labels = [1 if (i % 3 == 0 or i > 120) else 0 for i in range(200)]
    xs, ys = isotonic_curve(probs, labels, min_block=50)
    assert xs == sorted(xs) and ys == sorted(ys)
    assert len(xs) <= 4  # 200 rows, blocks of 50 at least
    assert ys[0] < 0.5 < ys[-1] == 1.0  # rows above 0.6 are all right; the lowest third mostly wrong


def test_features_do_not_depend_on_the_string_hash_seed():
    """Training sums weights in feature order: an order that moved with PYTHONHASHSEED made two runs of
    the trainer write different files."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("from db.extract import extract_candidates; "
            "print(extract_candidates('The senior White House campaign aides said the plan will fail. "
            "Mr. Smith, a veteran senior senior adviser, said it would not.')[1])")
    root = Path(__file__).resolve().parents[1]
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                              env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(root))).stdout
               for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and "speaker_word=" in outputs.pop()
