"""One big JSON Lines file against a folder of the same reports as separate files, imported in the
same run (issue 18: a 100 MB JSONL of 20,000 reports must import at the folder's rate, within 10%,
and at no less than 100 reports/s).

    python -m bench.import_stream                      # 20,000 reports (~100 MB), both imports
    python -m bench.import_stream --reports 2000 --json
    python -m bench.import_stream --reports 1000 --compare-with /tmp/before   # the code before a change, in turn

Both inputs are built from ``bench.generate`` (the same seed, the same reports): ``reports.jsonl``
holds one JSON record a line; ``folder/`` one ``.json`` file a report holding the same record. Each
import is ``analyst-tui import`` in a new process into a new database, with the default worker
processes, as an analyst runs it; the progress lines it prints (``[done/total] imported ...``) are
read as they come, so the figures say when the first report was stored and the longest wait
between two progress lines.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] ")
_SUMMARY = re.compile(r"(\d+) imported, (\d+) skipped \(already there\), (\d+) failed")


def build_inputs(folder: Path, reports: int, seed: int = 1, words: int | None = None) -> tuple[Path, Path]:
    """``reports.jsonl`` and ``folder/`` (one .json file a report), holding the same reports
    (of 300-1,500 words, or of ``words`` each)."""
    from bench.generate import Corpus, make_report

    corpus = Corpus(seed, reports)
    rng = random.Random(seed)
    jsonl = folder / "reports.jsonl"
    files = folder / "folder"
    files.mkdir(parents=True, exist_ok=True)
    with jsonl.open("w", encoding="utf-8") as lines:
        for index in range(reports):
            parsed, _ = make_report(corpus, rng, index, words)
            record = json.dumps({"title": parsed.title, "body": parsed.body, "published": parsed.published,
                                 "publisher": parsed.publisher, "tags": parsed.tags}, ensure_ascii=False)
            lines.write(record + "\n")
            (files / f"report-{index:05d}.json").write_text(record, encoding="utf-8")
    return jsonl, files


class _CpuWatch:
    """The CPU seconds of one process (the storing process: its threads, not its children) and of
    its descendants (the extraction workers), read from /proc every 0.2 s until it ends."""

    def __init__(self, pid: int):
        self.pid, self.seconds, self.descendants = pid, None, 0.0
        self._last: dict[int, float] = {}  # descendant -> its CPU seconds when last seen
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    @staticmethod
    def _cpu(pid: int) -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    @staticmethod
    def _children(pid: int) -> list[int]:
        found = []
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                found += [int(c) for c in (task / "children").read_text().split()]
        return found

    def sample(self) -> None:
        if (own := self._cpu(self.pid)) is None:
            return
        self.seconds = own
        todo = self._children(self.pid)
        while todo:
            pid = todo.pop()
            if (cpu := self._cpu(pid)) is not None:
                self._last[pid] = cpu
                todo += self._children(pid)
        self.descendants = sum(self._last.values())

    def _watch(self) -> None:
        while Path(f"/proc/{self.pid}").exists():
            self.sample()
            time.sleep(0.2)


def import_timed(path: Path, db: Path, code: Path = ROOT) -> dict:
    """``analyst-tui --db DB import PATH`` in a new process: reports/s, and how its progress came.
    ``code``: the checkout whose code imports (another one: the code before a change, run in turn
    with this one so that both meet the same machine)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "tui.entry", "--db", str(db), "import", str(path)],
                               cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    cpu = _CpuWatch(process.pid)
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
            cpu.sample()  # the import is done; the process only exits now
    process.wait()
    seconds = time.perf_counter() - started
    storing = cpu.seconds or 0.0
    tree = storing + cpu.descendants
    imported = int(_SUMMARY.search(summary).group(1)) if _SUMMARY.search(summary) else 0
    return {"path": path.name, "exit": process.returncode, "imported": imported, "seconds": round(seconds, 1),
            "reports_per_s": round(imported / seconds, 1), "summary": summary,
            "storing_process_cpu_s": round(storing, 1),
            "storing_cpu_ms_per_report": round(1000 * storing / imported, 2) if imported else None,
            "all_processes_cpu_s": round(tree, 1),
            "all_cpu_ms_per_report": round(1000 * tree / imported, 2) if imported else None,
            "load_average_after": os.getloadavg()[0],
            "progress_lines": progress_lines, "last_progress": f"{done}/{total}",
            "first_report_stored_s": round(first, 2) if first is not None else None,
            "longest_gap_between_progress_lines_s": round(longest_gap, 2)}


def compare(reports: int, seed: int, before: Path, rounds: int, words: int | None = None) -> dict:
    """The JSONL import with the code of ``before`` and with this checkout's, in turn, ``rounds``
    times on the same input: CPU time per report of the storing process, before and after."""
    out: dict = {"reports": reports, "words": words or "300-1500", "before": str(before), "after": str(ROOT), "cpus": len(os.sched_getaffinity(0)),
                 "rounds": []}
    with tempfile.TemporaryDirectory(prefix="bench-import-compare-") as tmp:
        jsonl, _ = build_inputs(Path(tmp) / "inputs", reports, seed, words)
        for number in range(rounds):
            one = {}
            for name, code in (("before", before), ("after", ROOT))[:: 1 if number % 2 == 0 else -1]:
                one[name] = import_timed(jsonl, Path(tmp) / f"{name}-{number}.db", code)
            out["rounds"].append(one)
    return out


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
    parser.add_argument("--compare-with", type=Path, metavar="CHECKOUT",
                        help="import the JSONL file with that checkout's code and with this one, in turn")
    parser.add_argument("--rounds", type=int, default=2, help="with --compare-with: how many times each")
    parser.add_argument("--words", type=int, help="with --compare-with: reports of this many words (else 300-1,500)")
    options = parser.parse_args(argv)
    if options.compare_with:
        result = compare(options.reports, options.seed, options.compare_with.resolve(), options.rounds, options.words)
        if options.json:
            print(json.dumps(result, indent=2))
            return 0
        print(f"{result['reports']} reports, {result['cpus']} CPUs; before: {result['before']}")
        for number, one in enumerate(result["rounds"], 1):
            for name in one:
                r = one[name]
                print(f"  round {number} {name:6} {r['reports_per_s']:7.1f} reports/s  storing process "
                      f"{r['storing_cpu_ms_per_report']} ms CPU/report, all processes {r['all_cpu_ms_per_report']} "
                      f"ms CPU/report  (load {r['load_average_after']:.1f})")
        return 0
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
