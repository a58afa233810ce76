"""Calibration figures on inputs whose answers are known by hand."""

from __future__ import annotations

import pytest

from bench.calibration import calibration_summary, expected_calibration_error, precision_at, reliability_bins


def test_perfectly_calibrated_bin_has_no_error():
    assert expected_calibration_error([0.25] * 4, [1, 0, 0, 0]) == pytest.approx(0.0)


def test_confident_and_wrong_costs_its_confidence():
    assert expected_calibration_error([0.9, 0.9], [0, 0]) == pytest.approx(0.9)


def test_error_is_weighted_by_each_bins_share():
    # bin 0.1: confidence 0.1, accuracy 0 (gap 0.1); bin 0.9: confidence 0.9, accuracy 1 (gap 0.1);
    # bin 0.6: two rows at 0.6, one right (gap 0.1). Every gap 0.1, so 0.1 overall.
    assert expected_calibration_error([0.1, 0.9, 0.6, 0.6], [0, 1, 1, 0]) == pytest.approx(0.1)
    # one row off by 0.8 among four exact ones: 0.8 / 5
    assert expected_calibration_error([0.8, 0.0, 0.0, 1.0, 1.0], [0, 0, 0, 1, 1]) == pytest.approx(0.16)


def test_bins_cover_zero_to_one_and_put_one_in_the_last():
    bins = reliability_bins([0.0, 0.05, 1.0, 0.95], [0, 1, 1, 1])
    assert len(bins) == 10 and bins[0]["lo"] == 0.0 and bins[-1]["hi"] == 1.0
    assert bins[0]["n"] == 2 and bins[0]["accuracy"] == 0.5 and bins[0]["mean_confidence"] == 0.025
    assert bins[-1]["n"] == 2 and bins[-1]["accuracy"] == 1.0
    assert bins[5]["n"] == 0 and bins[5]["accuracy"] is None


def test_precision_at_threshold_counts_rows_at_or_above_it():
    assert precision_at([0.85, 0.95, 0.5, 0.8], [1, 0, 1, 1], 0.8) == (pytest.approx(2 / 3), 3)
    assert precision_at([0.1], [1], 0.8) == (None, 0)


def test_summary_keys():
    summary = calibration_summary([0.9, 0.2], [1, 0])
    assert set(summary) >= {"ece", "precision_at_0.8", "bins", "n"}
    assert summary["precision_at_0.8"] == 1.0 and summary["n"] == 2
