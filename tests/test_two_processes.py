"""Two processes, one file: the CLI importing while another process reads and grades; two processes
grading the same claims at once; a process holding the write lock for seconds.

No "database is locked" reaches the user; no update is lost (checked through the audit log: for every
field, each change's ``old`` is the previous change's ``new``, the last ``new`` is what the table holds,
and every change a process confirmed is logged under its user); each process sees the other's changes
(``Store.data_version()`` moves, and the rows read show them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from db.store import Store

from .factories import add_report
from .hostile import many_report_files

REPO = Path(__file__).resolve().parents[1]
SEED = int(os.environ.get("CRASH_SEED", "20240613"))


def _env(user: str) -> dict[str, str]:
    # the audit log records getpass.getuser(), which reads LOGNAME / USER first
    # ($ANALYST_TUI_ANALYST would name the analyst before the login: a test's --analyst may have set it)
    env = {k: v for k, v in os.environ.items() if k != "ANALYST_TUI_ANALYST"}
    return {**env, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1", "LOGNAME": user, "USER": user}


GRADER = r"""
import json, random, sys, time
from pathlib import Path
from db.store import Store
db, name, changes, seed, stop = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = random.Random(seed)
store = Store.open(db)
versions, counts = set(), set()
go = Path(stop + ".go")  # start together: both processes opened the file before either writes
while not go.exists():
    time.sleep(0.005)
i = 0
while (changes and i < changes) or (not changes and not Path(stop).exists()):
    versions.add(store.data_version())
    counts.add(store.count_reports())
    claims = [r[0] for r in store.conn.execute("SELECT id FROM claims ORDER BY id")]
    reports = [r.id for r in store.list_reports(limit=50)]
    kind = rng.random()
    if claims and kind < 0.6:
        claim, value = rng.choice(claims), rng.randint(1, 6)
        n = store.set_claim_credibility([claim], value)
        print(json.dumps([name, i, "claim", claim, "credibility", value, n]), flush=True)
    elif claims and kind < 0.75:
        claim, value = rng.choice(claims), rng.choice(["supports", "refutes", "neutral"])
        n = store.set_stance([claim], value)
        print(json.dumps([name, i, "claim", claim, "stance:1", value, n]), flush=True)
    elif reports:
        report, value = rng.choice(reports), rng.choice(["new", "read", "dismissed"])  # a flag is a field of its own
        n = store.set_status([report], value)
        print(json.dumps([name, i, "report", report, "status", value, n]), flush=True)
    else:
        time.sleep(0.01)
    i += 1
    if not changes:
        time.sleep(0.005)
print(json.dumps(["summary", name, len(versions), sorted(counts)]), flush=True)
"""


def _start_grader(db: Path, name: str, changes: int, seed: int, stop: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", GRADER, str(db), name, str(changes), str(seed), str(stop)],
                            cwd=REPO, env=_env(name), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen, timeout: float = 180) -> tuple[list, list, str]:
    out, err = proc.communicate(timeout=timeout)
    rows = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
    changes = [r for r in rows if r[0] != "summary"]
    summary = [r for r in rows if r[0] == "summary"]
    return changes, summary, err.decode("utf-8", "replace")


def _claims_store(path: Path, reports: int = 10) -> None:
    store = Store.open(path)
    store.create_hypothesis("The office opens in Baghdad")
    for i in range(reports):
        body = f"Report {i}\n" + " ".join(f"Claim {i}-{k} happened in Baghdad, the source said." for k in range(4)) + "\n"
        add_report(store, title=f"Report {i}", body=body,
                   claims=[(f"Claim {i}-{k} happened in Baghdad", "the source") for k in range(4)])
    store.close()


def _current(store: Store, kind: str, target: int, field: str):
    """The value as ``store``'s analyst sees it: grades and stances are each analyst's own."""
    if field == "credibility":
        return (store.get_claim(target) if kind == "claim" else store.get_report(target)).credibility
    if field == "status":
        return store.conn.execute("SELECT status FROM reports WHERE id = ?", (target,)).fetchone()[0]
    hypothesis = int(field.split(":")[1])
    row = store.conn.execute("SELECT stance FROM claim_stances WHERE claim_id = ? AND hypothesis_id = ? "
                             "AND analyst = current_analyst()", (target, hypothesis)).fetchone()
    return row[0] if row else None


def _as(db, analyst: str):
    """Where ``analyst`` works: the file (named through LOGNAME), or on PostgreSQL their login role's URL."""
    from db.backends import is_postgresql_url

    if is_postgresql_url(db):
        from .pg_server import analyst_url

        return analyst_url(db, analyst)
    return db


def _open_as(db, analyst: str) -> Store:
    from db.backends import is_postgresql_url

    return Store.open(_as(db, analyst)) if is_postgresql_url(db) else Store.open(db, analyst=analyst)


def _check_no_lost_update(db: Path, confirmed: list) -> dict[str, int]:
    """The audit log is a gap-free chain per field (per analyst for grades and stances, each analyst's
    own), ends at the stored value, and holds every confirmed change."""
    with Store.open(db) as store:
        assert store.integrity_check() == "ok"
        rows = store.conn.execute(
            "SELECT id, who, target_kind, target_id, field, old, new FROM audit_log "
            "WHERE field IN ('credibility', 'status') OR field LIKE 'stance:%' ORDER BY id").fetchall()
        chains: dict[tuple, list] = defaultdict(list)
        for row in rows:
            own = row[4] == "credibility" or row[4].startswith("stance:")
            chains[(row[1] if own else None, row[2], row[3], row[4])].append(row)
        analysts = {who: _open_as(db, who) for who in {row[1] for row in rows}}
        for (who, kind, target, field), chain in chains.items():
            for before, after in zip(chain, chain[1:], strict=False):
                assert json.loads(after[5]) == json.loads(before[6]), (
                    f"lost update on {kind} {target} {field}: {before} then {after}")
            seen_by = analysts[who] if who else store
            assert _current(seen_by, kind, target, field) == json.loads(chain[-1][6]), (who, kind, target, field)
        for opened in analysts.values():
            opened.close()
        logged: dict[str, int] = defaultdict(int)
        for row in rows:
            logged[row[1]] += 1
        made: dict[str, int] = defaultdict(int)
        for name, _, _kind, _target, _field, _value, changed in confirmed:
            made[name] += changed
        for name, count in made.items():
            assert logged[name] == count, (name, logged[name], count)
        return {"audit_rows": len(rows), "fields": len(chains)}


@pytest.mark.both_backends
def test_two_processes_grading_the_same_claims(tmp_path, store_target):
    db = store_target  # a file, or a PostgreSQL database: no lost update on either
    _claims_store(db)
    stop = tmp_path / "stop"
    started = time.monotonic()
    a = _start_grader(_as(db, "analyst_a"), "analyst_a", 400, SEED, stop)
    b = _start_grader(_as(db, "analyst_b"), "analyst_b", 400, SEED + 1, stop)
    time.sleep(1.0)  # both have imported db.store and opened the file
    Path(str(stop) + ".go").touch()
    changes_a, summary_a, err_a = _finish(a)
    changes_b, summary_b, err_b = _finish(b)
    seconds = time.monotonic() - started
    for err, proc in ((err_a, a), (err_b, b)):
        assert proc.returncode == 0 and "locked" not in err.lower() and "busy" not in err.lower(), err[-800:]
    assert len(changes_a) == 400 and len(changes_b) == 400
    stats = _check_no_lost_update(db, changes_a + changes_b)
    # they overlapped: each saw the other's commits
    assert summary_a[0][2] > 1 and summary_b[0][2] > 1, (summary_a, summary_b)
    with Store.open(db) as store:
        whos = {r[0] for r in store.conn.execute("SELECT DISTINCT who FROM audit_log")}
        assert {"analyst_a", "analyst_b"} <= whos
    print(json.dumps({"two_graders": {"changes": 800, "seconds": round(seconds, 1), **stats}}))


def _wait_for_changes_after(store: Store, who: str, n: int, timeout: float = 20.0) -> None:
    """Until ``who`` has committed ``n`` more changes: the second began after the first was
    committed, so after now. A batch of the import can hold the write lock for the whole import,
    and a grader stopped as soon as the import ends may never have looked at the file since."""
    last = store.conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if store.conn.execute("SELECT count(*) FROM audit_log WHERE id > ? AND who = ?", (last, who)).fetchone()[0] >= n:
            return
        time.sleep(0.02)


def test_cli_import_while_another_process_reads_and_grades(tmp_path):
    db = tmp_path / "busy.db"
    _claims_store(db, reports=3)
    inbox = tmp_path / "inbox"
    many_report_files(inbox, 200, seed=SEED)
    stop = tmp_path / "stop"
    grader = _start_grader(db, "reader_grader", 0, SEED + 2, stop)
    Path(str(stop) + ".go").touch()
    watcher = Store.open(db)  # the "TUI": polls data_version and sees the import land
    versions, counts = {watcher.data_version()}, {watcher.count_reports()}
    importer = subprocess.Popen([sys.executable, "-m", "tui.entry", "--db", str(db), "import", "--quiet", str(inbox)],
                                cwd=REPO, env=_env("importer"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while importer.poll() is None:
        versions.add(watcher.data_version())
        counts.add(watcher.count_reports())
        time.sleep(0.02)
    out, err = importer.communicate(timeout=60)
    _wait_for_changes_after(watcher, "reader_grader", 2)  # the grader looks again after the import
    stop.touch()
    changes, summary, grader_err = _finish(grader)
    versions.add(watcher.data_version())
    counts.add(watcher.count_reports())
    watcher.close()
    assert importer.returncode == 0, err[-800:]
    assert b"locked" not in err.lower() and b"Traceback" not in err, err[-800:]
    assert b"200 imported, 0 skipped" in err
    assert grader.returncode == 0 and "locked" not in grader_err.lower(), grader_err[-800:]
    assert changes, "the grader made no change while the import ran"
    _check_no_lost_update(db, changes)
    assert len(versions) > 2 and len(counts) > 2, (versions, counts)  # the watcher saw the import progress
    assert summary[0][2] > 1 and len(summary[0][3]) > 1, summary  # so did the grading process
    with Store.open(db) as store:
        assert store.count_reports() == 203


HOLDER = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE settings SET value = value WHERE 0")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def test_a_writer_holding_the_lock_for_seconds_is_waited_for(tmp_path):
    """Longer than SQLite's 5 s busy timeout: the CLI retries instead of saying "database is locked"."""
    db = tmp_path / "held.db"
    _claims_store(db, reports=1)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "6"], stdout=subprocess.PIPE)
    assert holder.stdout.readline().strip() == b"holding"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "tui.entry", "--db", str(db), "grade", "--claim", "1",
                             "--credibility", "2"], cwd=REPO, env=_env("waiter"), capture_output=True, timeout=120)
    waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr[-500:]
    assert b"locked" not in result.stderr.lower() and b"1 change(s) saved" in result.stderr
    assert waited > 4, waited
    with Store.open(db, analyst="waiter") as store:  # the grade is the waiting analyst's own
        assert store.get_claim(1).credibility == 2
