"""One big JSON Lines file against a folder of the same reports as separate files, imported in the
same run (issue 18: a 100 MB JSONL of 20,000 reports must import at the folder's rate, within 10%,
and at no less than 100 reports/s).

    python -m bench.import_stream                      # 20,000 reports (~100 MB), both imports
    python -m bench.import_stream --reports 2000 --json

Both inputs are built from ``bench.generate`` (the same seed, the same reports): ``reports.jsonl``
holds one JSON record a line; ``folder/`` one ``.json`` file a report holding the same record. Each
import is ``analyst-tui import`` in a new process into a new database, with the default worker
processes, as an analyst runs it; the progress lines it prints (``[done/total] imported ...``) are
read as they come, so the figures say when the first report was stored and the longest wait
between two progress lines.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] ")
_SUMMARY = re.compile(r"(\d+) imported, (\d+) skipped \(already there\), (\d+) failed")


def build_inputs(folder: Path, reports: int, seed: int = 1) -> tuple[Path, Path]:
    """``reports.jsonl`` and ``folder/`` (one .json file a report), holding the same reports."""
    from bench.generate import Corpus, make_report

    corpus = Corpus(seed, reports)
    rng = random.Random(seed)
    jsonl = folder / "reports.jsonl"
    files = folder / "folder"
    files.mkdir(parents=True, exist_ok=True)
    with jsonl.open("w", encoding="utf-8") as lines:
        for index in range(reports):
            parsed, _ = make_report(corpus, rng, index)
            record = json.dumps({"title": parsed.title, "body": parsed.body, "published": parsed.published,
                                 "publisher": parsed.publisher, "tags": parsed.tags}, ensure_ascii=False)
            lines.write(record + "\n")
            (files / f"report-{index:05d}.json").write_text(record, encoding="utf-8")
    return jsonl, files


def import_timed(path: Path, db: Path) -> dict:
    """``analyst-tui --db DB import PATH`` in a new process: reports/s, and how its progress came."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "tui.entry", "--db", str(db), "import", str(path)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = last = None
    longest_gap = 0.0
    progress_lines = 0
    done = total = 0
    summary = ""
    for line in process.stderr:
        now = time.perf_counter() - started
        if match := _PROGRESS.match(line):
            progress_lines += 1
            done, total = int(match.group(1)), int(match.group(2))
            if first is None:
                first = now
            elif last is not None:
                longest_gap = max(longest_gap, now - last)
            last = now
        elif _SUMMARY.search(line):
            summary = line.strip()
    process.wait()
    seconds = time.perf_counter() - started
    imported = int(_SUMMARY.search(summary).group(1)) if _SUMMARY.search(summary) else 0
    return {"path": path.name, "exit": process.returncode, "imported": imported, "seconds": round(seconds, 1),
            "reports_per_s": round(imported / seconds, 1), "summary": summary,
            "progress_lines": progress_lines, "last_progress": f"{done}/{total}",
            "first_report_stored_s": round(first, 2) if first is not None else None,
            "longest_gap_between_progress_lines_s": round(longest_gap, 2)}


def run(reports: int, seed: int = 1, order: str = "folder-first") -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-import-stream-") as tmp:
        tmp_path = Path(tmp)
        built = time.perf_counter()
        jsonl, files = build_inputs(tmp_path / "inputs", reports, seed)
        built = time.perf_counter() - built
        runs = [("folder", files), ("jsonl", jsonl)]
        if order == "jsonl-first":
            runs.reverse()
        results = {name: import_timed(path, tmp_path / f"{name}.db") for name, path in runs}
        size = jsonl.stat().st_size
    folder_rate, jsonl_rate = results["folder"]["reports_per_s"], results["jsonl"]["reports_per_s"]
    return {"reports": reports, "jsonl_mb": round(size / 1024**2, 1), "build_s": round(built, 1), "order": order,
            "cpus": len(os.sched_getaffinity(0)), "load_average_before": os.getloadavg(),
            "folder": results["folder"], "jsonl": results["jsonl"],
            "jsonl_over_folder": round(jsonl_rate / folder_rate, 3) if folder_rate else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_stream", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--order", choices=["folder-first", "jsonl-first"], default="folder-first")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    result = run(options.reports, options.seed, options.order)
    if options.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['reports']} reports, JSONL {result['jsonl_mb']} MB, {result['cpus']} CPUs, "
          f"load before {result['load_average_before'][0]:.2f}")
    for name in ("folder", "jsonl"):
        r = result[name]
        print(f"  {name:6} {r['reports_per_s']:7.1f} reports/s  {r['seconds']:7.1f} s  {r['imported']} imported  "
              f"progress {r['last_progress']} ({r['progress_lines']} lines, first at {r['first_report_stored_s']} s, "
              f"longest gap {r['longest_gap_between_progress_lines_s']} s)")
    print(f"  JSONL / folder: {result['jsonl_over_folder']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
