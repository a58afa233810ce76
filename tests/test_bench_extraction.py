"""The extraction harness on a tiny gold file, and (when present) on the shared seeds gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.extraction import main, norm, run

SHARED = Path(__file__).resolve().parents[2] / "shared"
ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text(
        "Harbor Daily reported that the ferry service will resume in April.\n"
        "The mayor said the budget was approved, the council added.\n"
        "Subscribe now to read more.\n", encoding="utf-8")
    gold = {
        "schema": "analyst-gold/1",
        "documents": [{
            "file": "a.txt",
            "entities": [{"name": "Harbor Daily", "types": ["MEDIA"], "aliases": []}],
            "claims": [
                {"anchor": "the ferry service will resume", "speakers": ["Harbor Daily"]},
                {"anchor": "the budget was approved", "speakers": ["the council", "The mayor"]},
            ],
            "boilerplate": ["Subscribe now"],
        }],
        "relations": [],
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


def test_normalisation():
    assert norm("The  “Daily”-News") == '"daily" news'


def test_tiny_gold(tmp_path):
    res = run(_write(tmp_path), tmp_path / "reports")
    assert res["entities"]["recall"] == 1.0
    assert res["claims"]["recall"] == 1.0
    assert res["claims"]["precision"] == 1.0
    assert res["attribution_accuracy"] == 1.0
    assert res["documents"] == 1


def test_cli_json(tmp_path, capsys):
    gold = _write(tmp_path)
    assert main(["--gold", str(gold), "--reports", str(tmp_path / "reports"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("entities", "entities_typed", "claims"):
        assert set(out[key]) >= {"precision", "recall", "f1"}
    assert "attribution_accuracy" in out


def test_demo_gold_runs(capsys):
    """The check below on a small gold written for two of the demo's own reports."""
    assert main(["--gold", str(ROOT / "tests" / "fixtures" / "gold" / "demo.gold.json"), "--reports",
                 str(ROOT / "seeds"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"entities", "entities_typed", "claims", "attribution_accuracy"} <= set(out)
    assert out["documents"] == 2
    assert out["claims"]["recall"] >= 0.5 and out["entities"]["recall"] >= 0.5, out


@pytest.mark.skipif(not (SHARED / "gold" / "seeds.gold.json").exists(), reason="shared data absent")
def test_seeds_gold_runs(capsys):
    assert main(["--gold", str(SHARED / "gold" / "seeds.gold.json"), "--reports", str(SHARED / "seeds"),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"entities", "entities_typed", "claims", "attribution_accuracy"} <= set(out)


def test_cli_json_reports_calibration(tmp_path, capsys):
    gold = _write(tmp_path)
    assert main(["--gold", str(gold), "--reports", str(tmp_path / "reports"), "--json"]) == 0
    calibration = json.loads(capsys.readouterr().out)["calibration"]
    assert set(calibration) >= {"ece", "precision_at_0.8", "bins"}
    assert len(calibration["bins"]) == 10 and 0.0 <= calibration["ece"] <= 1.0
    assert calibration["n"] == sum(b["n"] for b in calibration["bins"]) > 0


def test_text_output_has_a_calibration_line(tmp_path, capsys):
    gold = _write(tmp_path)
    assert main(["--gold", str(gold), "--reports", str(tmp_path / "reports")]) == 0
    assert "calibration        ECE" in capsys.readouterr().out


def test_labels_follow_the_harness_matching(tmp_path):
    from bench.extraction import label_claims
    from db.extract import extract_candidates

    body = "The mayor said the budget was approved.\nThe weather service said rain is likely today.\n"
    doc = {"file": "x.txt", "claims": [{"anchor": "the budget was approved", "speakers": ["The mayor"]}],
           "optional_claims": ["rain is likely today"]}
    ex, _ = extract_candidates(body)
    by_text = dict(zip((c.text for c in ex.claims), label_claims(doc, body, ex), strict=True))
    assert by_text == {"the budget was approved": 1, "rain is likely today": None}
    doc["claims"][0]["speakers"] = ["The governor"]
    assert label_claims(doc, body, ex)[0] == 0  # right claim, wrong speaker
