"""Processes started from inside the TUI: import workers and the search process.

Textual replaces ``sys.stderr`` with a stand-in without a file; multiprocessing gave it to the
resource tracker it starts with the first child process, and the start failed ("bad value(s) in
fds_to_keep"). A fresh interpreter is needed: once any test has started a process here, the
tracker runs and the failure cannot show.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .hostile import many_report_files

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import asyncio, json, sys
from pathlib import Path
from textual.app import App
from db.importer import import_paths
from db.search_process import SearchProcess
from db.store import Store

async def main():
    inbox, db = Path(sys.argv[1]), Path(sys.argv[2])
    out = {}
    async with App().run_test():
        out["stderr_has_a_file"] = sys.stderr.fileno() >= 0
        with Store.open(db) as store:
            out["imported"] = import_paths(store, [inbox], workers=2).imported
        search = SearchProcess(db)
        out["hits"] = len(search.search("said", 20).hits)
        search.close()
    print(json.dumps(out), file=sys.__stdout__)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_worker_processes_and_the_search_process_start_under_textual(tmp_path):
    many_report_files(tmp_path / "inbox", 110, seed=4)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "inbox"), str(tmp_path / "t.db")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"stderr_has_a_file": False, "imported": 110, "hits": out["hits"]} and out["hits"] > 0
