"""Crash safety: SIGKILL in the middle of a bulk import and of a loop of 1,000 grading changes.

After every kill: ``PRAGMA integrity_check`` is ok, every change the process had confirmed (printed after
its commit) is in the file, and running the import again completes without duplicates. The delays are
random (seeded, printed on failure) and the total time is bounded.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest


from db.store import Store

from .factories import add_report
from .hostile import many_report_files

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
SEED = int(os.environ.get("CRASH_SEED", "20240613"))
FILES = 300
KILLS = 3
CHANGES = 1000

# What the run did, for TESTING.md (printed with -s, and written next to the test run).
STATS: dict[str, object] = {}


@pytest.fixture(scope="module", autouse=True)
def crash_stats_file(tmp_path_factory):
    """Leaves the numbers of this run where TESTING.md's table can be refreshed from (crash_stats.json),
    once the module's tests are done, whichever of them ran and in whatever order."""
    yield
    if STATS:
        folder = os.environ.get("HOSTILE_STATS_DIR")
        out = (Path(folder) if folder else tmp_path_factory.mktemp("crash_stats")) / "crash_stats.json"
        out.write_text(json.dumps(STATS, indent=1))
        print(json.dumps(STATS))


def _kill_after(proc: subprocess.Popen, delay: float) -> bool:
    """SIGKILL ``proc`` after ``delay`` seconds; False if it had already finished."""
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        return True


def _check_file(path: Path) -> None:
    with Store.open(path) as store:
        assert store.integrity_check() == "ok"
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # the full-text indexes agree with their tables
        store.conn.execute("INSERT INTO reports_fts(reports_fts) VALUES ('integrity-check')")


_IMPORTED = re.compile(r"imported (r\d{5}\.txt) -> report (\d+)")


def _import_cmd(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tui.entry", "--db", str(db), "import", *args]


def test_sigkill_during_bulk_import(tmp_path):
    rng = random.Random(SEED)
    inbox = tmp_path / "inbox"
    many_report_files(inbox, FILES, seed=SEED)
    kills = []
    for attempt in range(KILLS):
        db = tmp_path / f"import{attempt}.db"
        proc = subprocess.Popen(_import_cmd(db, str(inbox)), cwd=REPO, env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # kill after a random number of confirmed reports (0 included: killed during the first
        # batch), plus a random delay: the next batch is being extracted or committed by then
        target = rng.randrange(0, FILES * 2 // 3)
        head = []
        while len(_IMPORTED.findall("".join(head))) < target:
            line = proc.stderr.readline().decode("utf-8", "replace")
            if not line:
                break
            head.append(line)
        delay = rng.uniform(0.05, 0.6)
        killed = _kill_after(proc, delay)
        err = "".join(head) + proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        confirmed = {name: int(rid) for name, rid in _IMPORTED.findall(err)}
        _check_file(db)
        with Store.open(db) as store:
            for name, report_id in confirmed.items():  # every report the import confirmed is there, whole
                report = store.get_report(report_id)
                assert report.original_name == name, (name, report_id, kills)
                assert report.body == (inbox / name).read_text(encoding="utf-8")
            stored = store.count_reports()
            assert stored >= len(confirmed)
            # a batch is one transaction: never a report without its claims
            assert store.conn.execute("SELECT count(*) FROM reports WHERE id NOT IN "
                                      "(SELECT report_id FROM claims)").fetchone()[0] == 0
        kills.append({"kill_after": target, "delay_s": round(delay, 2), "killed": killed,
                      "confirmed": len(confirmed), "stored": stored})
        assert killed and stored < FILES, f"not killed mid-import: {kills}"
        # the import run again completes, without duplicates
        result = subprocess.run(_import_cmd(db, "--quiet", str(inbox)), cwd=REPO, env=ENV, capture_output=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr[-500:]
        assert f"{FILES - stored} imported, {stored} skipped".encode() in result.stderr, result.stderr[-300:]
        _check_file(db)
        with Store.open(db) as store:
            assert store.count_reports() == FILES
            names = [r[0] for r in store.conn.execute("SELECT original_name FROM reports")]
            assert len(set(names)) == FILES
            twice = store.conn.execute("SELECT report_id, start, count(*) FROM claims GROUP BY report_id, start "
                                       "HAVING count(*) > 1").fetchall()
            assert twice == [], "claims stored twice for one report"
    STATS["import"] = {"files": FILES, "runs_killed": sum(k["killed"] for k in kills), "kills": kills}


GRADER = r"""
import sys
from db.store import Store
db, changes = sys.argv[1], int(sys.argv[2])
store = Store.open(db)
ids = [r[0] for r in store.conn.execute("SELECT id FROM claims ORDER BY id")]
print("ready", flush=True)
for i in range(changes):
    claim = ids[i % len(ids)]
    value = 1 + (i // len(ids)) % 6
    store.set_claim_credibility([claim], value)
    print(i, claim, value, flush=True)   # confirmed: printed only after the commit returned
"""


def _graded_store(path: Path, reports: int = 20) -> int:
    store = Store.open(path)
    body = "Report {i}\n" + " ".join(f"Claim {{i}}-{k} happened in Baghdad, the source said." for k in range(5)) + "\n"
    for i in range(reports):
        text = body.format(i=i)
        add_report(store, title=f"Report {i}", body=text,
                   claims=[(f"Claim {i}-{k} happened in Baghdad", "the source") for k in range(5)])
    count = store.count_claims()
    store.close()
    return count


def test_sigkill_during_1000_grading_changes(tmp_path):
    rng = random.Random(SEED + 1)
    runs = []
    for attempt in range(KILLS):
        db = tmp_path / f"grades{attempt}.db"
        n_claims = _graded_store(db)
        proc = subprocess.Popen([sys.executable, "-c", GRADER, str(db), str(CHANGES)], cwd=REPO, env=ENV,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready", proc.stderr.read()[-500:]
        # 1,000 commits take well under a second here: kill after a random number of confirmed
        # changes (plus a random few milliseconds), so the kill lands inside the loop every time
        target = rng.randrange(20, CHANGES - 50)
        head = [proc.stdout.readline().decode() for _ in range(target)]
        delay = rng.uniform(0, 0.01)
        killed = _kill_after(proc, delay)
        lines = head + proc.stdout.read().decode().split("\n")
        proc.stdout.close()
        proc.stderr.close()
        confirmed = [tuple(map(int, line.split())) for line in lines if line.strip() and len(line.split()) == 3]
        _check_file(db)
        last: dict[int, tuple[int, int]] = {}
        for i, claim, value in confirmed:
            last[claim] = (i, value)
        with Store.open(db) as store:
            ids = [r[0] for r in store.conn.execute("SELECT id FROM claims ORDER BY id")]
            in_flight = len(confirmed)  # the change that may have committed without being printed
            for claim, (_i, value) in last.items():
                stored = store.get_claim(claim).credibility
                next_value = 1 + (in_flight // len(ids)) % 6 if ids[in_flight % len(ids)] == claim else None
                assert stored in (value, next_value), (claim, stored, value, runs)
            logged = store.conn.execute("SELECT count(*) FROM audit_log WHERE field = 'credibility'").fetchone()[0]
            assert len(confirmed) <= logged <= len(confirmed) + 1, (len(confirmed), logged)
        runs.append({"kill_after": target, "extra_delay_s": round(delay, 3), "killed": killed, "confirmed": len(confirmed), "claims": n_claims})
        assert killed or len(confirmed) == CHANGES
    assert any(r["killed"] and 0 < r["confirmed"] < CHANGES for r in runs), f"no run was killed mid-loop: {runs}"
    STATS["grading"] = {"changes_per_run": CHANGES, "runs": runs}
