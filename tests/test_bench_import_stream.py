"""The import-stream benchmark builds the same reports both ways and measures both imports."""

from __future__ import annotations

import json

from bench.import_stream import build_inputs, run


def test_both_inputs_hold_the_same_reports(tmp_path):
    jsonl, folder = build_inputs(tmp_path, 12, seed=3)
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    files = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]
    assert lines == files and len(lines) == 12 and all(r["body"] and r["title"] for r in lines)


def test_a_small_run_measures_both(tmp_path):
    result = run(20, seed=2)  # over 64 KB: read record by record
    for name in ("folder", "jsonl"):
        assert result[name]["exit"] == 0 and result[name]["imported"] == 20, result[name]
        assert result[name]["last_progress"] == "20/20" and result[name]["progress_lines"] == 20
    assert result["jsonl_over_folder"] > 0
