"""Benchmarks at scale: one sub-command per figure, each printing median and p95 of repeated runs.

    python -m bench.scale search  --db /tmp/bench-100k.db [--json]   # per keystroke, with the fzf anchor
    python -m bench.scale search-ui --db /tmp/bench-100k.db          # keystroke -> results on the search screen
    python -m bench.scale startup --db /tmp/bench-100k.db            # first painted screen, first keystroke
    python -m bench.scale queue   --db /tmp/bench-100k.db            # paging (offset / keyset), filters, opening a report
    python -m bench.scale grade   --db /tmp/bench-100k.db            # one grade; bulk-grading 1,000 claims (writes!)
    python -m bench.scale import  [--into /tmp/copy.db] [--workers 2]  # reports/s through db.importer with extraction
    python -m bench.scale size    --db /tmp/bench-100k.db            # database size vs raw text
    python -m bench.scale memory  --db /tmp/bench-100k.db            # peak RSS, database open and searched
    python -m bench.scale all     --db /tmp/bench-100k.db --json     # everything, one JSON object

``search``, ``queue`` and ``grade`` also take ``--db postgresql://...`` (a corpus moved there with
``analyst-tui copy``, timed by ``python -m bench.pg_copy``).

Build the databases first with ``python -m bench.generate`` (see bench/RESULTS.md). ``grade`` and
``all`` write grades into the database they measure (each run is its own audited transaction).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Typed one character at a time: a name with a typo, a transliteration variant, three words,
# a phrase, one letter (and two more names, as analysts mostly type names).
QUERIES = [
    ("name with a typo", "Ismial Hanyieh"),
    ("transliteration variant", "Kataib Hezbollah"),
    ("transliteration variant 2", "al-Soudani"),
    ("three words", "drone attack Erbil"),
    ("phrase", '"refused to move"'),
    ("one letter", "k"),
]
FZF_QUERIES = ["Ismial Hanyieh", "Kataib Hezbollah", "al-Soudani", "drone attack Erbil", "refused to move"]


def stats(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"n": 0}
    p95 = values[min(len(values) - 1, max(0, int(round(0.95 * len(values) + 0.5)) - 1))]
    return {"n": len(values), "median": round(statistics.median(values), 2), "p95": round(p95, 2),
            "max": round(values[-1], 2)}


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _open(db: str):
    from db.backends import is_postgresql_url
    from db.store import Store

    if not is_postgresql_url(db) and not Path(db).exists():
        sys.exit(f"no database at {db}: build it with python -m bench.generate")
    return Store.open(db)


def _read_through(db: str) -> None:
    """Read the database file once, so a UI benchmark starts with it in the page cache, as on a
    machine where the analyst has been working. (The project machine pages out file data unread
    for ~60 s, and the first keystrokes then read the index from disk: bench/RESULTS.md.)"""
    with open(db, "rb") as f:
        while f.read(1 << 24):
            pass


# --- search ------------------------------------------------------------------------------------


def claim_lines_file(store, db: str) -> Path:
    """The same claim lines fzf filters (one claim per line), cached next to the database."""
    from db.backends import is_postgresql_url

    if is_postgresql_url(db):  # beside nothing: in the temporary folder, one file per database named
        import hashlib

        path = Path(tempfile.gettempdir()) / f"analyst-tui-{hashlib.sha1(db.encode()).hexdigest()[:12]}.claims.txt"
    else:
        path = Path(db).with_suffix(".claims.txt")
    count = store.count_claims()
    marker = path.with_suffix(".count")
    if path.exists() and marker.exists() and marker.read_text() == str(count):
        return path
    with open(path, "w", encoding="utf-8") as handle:
        for cid, text in store.conn.execute("SELECT id, text FROM claims ORDER BY id"):
            handle.write(f"{cid}\t{' '.join(text.split())}\n")
    marker.write_text(str(count))
    return path


def fzf_time(lines: Path, query: str, runs: int) -> float | None:
    if not shutil.which("fzf"):
        return None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with open(lines, "rb") as handle:
            subprocess.run(["fzf", "--filter", query], stdin=handle, stdout=subprocess.DEVNULL, check=False)
        times.append(_ms(start))
    return statistics.median(times)


def bench_search(db: str, runs: int = 3, fzf_runs: int = 3) -> dict:
    from db.search import Searcher

    store = _open(db)
    start = time.perf_counter()
    searcher = Searcher(store)  # starts reading the claims vocabulary in the background
    searcher.search("haniyeh")
    cold_ms = _ms(start)
    vocabulary_s = searcher.wait_for_vocabulary() if hasattr(searcher, "wait_for_vocabulary") else None
    per_query: dict[str, dict] = {}
    every: list[float] = []
    cpu: list[float] = []
    for label, query in QUERIES:
        times: list[float] = []
        hits = 0
        for _ in range(runs):
            searcher.forget_earlier_queries()  # each run types the query as if for the first time
            for n in range(1, len(query) + 1):
                t, c = time.perf_counter(), time.thread_time()
                results = searcher.search(query[:n], limit=100)
                times.append(_ms(t))
                cpu.append((time.thread_time() - c) * 1000)
                hits = len(results.hits)
        every += times
        per_query[label] = {"query": query, **stats(times), "hits_final": hits}
    result = {"cold_first_search_ms": round(cold_ms, 1),
              "vocabulary_read_s": round(vocabulary_s, 2) if vocabulary_s is not None else None,
              "per_keystroke": stats(every), "per_keystroke_cpu": stats(cpu), "queries": per_query}
    lines = claim_lines_file(store, db)
    fzf = {}
    for query in FZF_QUERIES:
        ours = []
        for _ in range(runs):
            searcher.forget_earlier_queries()
            t = time.perf_counter()
            searcher.search(query, limit=100)
            ours.append(_ms(t))
        anchor = fzf_time(lines, query, fzf_runs)
        if anchor is not None:
            fzf[query] = {"fzf_ms": round(anchor, 1), "search_ms": round(statistics.median(ours), 2),
                          "ratio": round(anchor / max(statistics.median(ours), 0.01), 1)}
    if fzf:
        result["fzf"] = fzf
        result["fzf_ratio_min"] = min(v["ratio"] for v in fzf.values())
        result["fzf_ratio_median"] = round(statistics.median(v["ratio"] for v in fzf.values()), 1)
    else:
        result["fzf"] = "fzf not installed (apt-get install fzf)"
    store.close()
    return result


# --- start-up ------------------------------------------------------------------------------------

# Frames are timed where Textual hands them to the terminal (Screen._compositor_refresh), so a
# figure is "key sent -> the frame showing its effect", with no test harness waiting in between
# (Pilot.press + pause adds ~85 ms of its own idle detection, which is why it is not used here).
_FRAME_LOG = r"""
import time
from tui.frame_rate import use_fast_frames
use_fast_frames()  # first, as when the app is launched: before Textual is imported
from textual import screen as _screen_module
FRAMES = []
ON_FRAME = []  # callbacks, so a benchmark waits for frames instead of polling the event loop
_refresh = _screen_module.Screen._compositor_refresh
def _logged_refresh(self):
    result = _refresh(self)
    FRAMES.append((time.perf_counter(), time.thread_time(), MARK(self)))
    for callback in ON_FRAME:
        callback()
    return result
_screen_module.Screen._compositor_refresh = _logged_refresh
"""

_STARTUP_CHILD = _FRAME_LOG + r"""
import asyncio, json, sys
t_start = time.time()
from textual import events
from db.store import Store
from tui.app import AnalystApp
store = Store.open(sys.argv[1])
app = AnalystApp(store, cursor_blink=False)
out = {"report_ms": [], "report_cpu_ms": [], "all_panes_ms": [], "frames": [], "grade_ms": [], "grade_cpu_ms": [],
       "chooser_closed_ms": []}

def MARK(screen):  # the report the main screen shows (None for a dialog), and whether the chooser is up
    reader = getattr(screen, "reader", None)
    report_id = reader.report.id if reader is not None and reader.report is not None else None
    chooser = screen.query("#chooser")
    return report_id, bool(chooser) and chooser.first().display

async def main():
    async with app.run_test(headless=True, size=(160, 48)) as pilot:
        from tui.widgets.queue import ReportQueue
        queue = None
        for _ in range(20000):
            try:
                queue = app.screen.query_one(ReportQueue)
                if queue.total > 0 and queue.has_focus:
                    break
            except Exception:
                pass
            await asyncio.sleep(0.001)
        await pilot.pause()
        out["first_screen"] = time.time()
        before = queue.cursor
        await pilot.press("j")
        await pilot.pause()
        out["first_key"] = time.time()
        out["moved"] = queue.cursor != before
        await asyncio.sleep(0.5)
        for _ in range(12):
            target = queue.row(queue.cursor + 1).id
            FRAMES.clear()
            sent, sent_cpu = time.perf_counter(), time.thread_time()
            app._driver.send_message(events.Key("j", "j"))  # the queue moves, the report opens
            await asyncio.sleep(0.4)  # the claims and entities panes follow once the cursor rests
            shown = [f for f in FRAMES if f[2][0] == target]
            if not shown:
                continue
            out["report_ms"].append((shown[0][0] - sent) * 1000)
            out["report_cpu_ms"].append((shown[0][1] - sent_cpu) * 1000)
            out["all_panes_ms"].append((FRAMES[-1][0] - sent) * 1000)
            out["frames"].append(len(FRAMES))
        # Grading the report under the cursor: "c" opens the credibility chooser, a digit chooses;
        # timed from the digit to the first frame (it shows the new grade in the queue row and the
        # reader's header), and to the frame without the chooser (it closes one frame later).
        for grade in "2323232":
            app._driver.send_message(events.Key("c", "c"))
            await asyncio.sleep(0.3)
            FRAMES.clear()
            sent, sent_cpu = time.perf_counter(), time.thread_time()
            app._driver.send_message(events.Key(grade, grade))
            await asyncio.sleep(0.4)
            shown = [f for f in FRAMES if f[2][0] is not None]
            closed = [f for f in FRAMES if not f[2][1]]
            if shown and closed and queue.current().credibility == int(grade):
                out["grade_ms"].append((shown[0][0] - sent) * 1000)
                out["grade_cpu_ms"].append((shown[0][1] - sent_cpu) * 1000)
                out["chooser_closed_ms"].append((closed[0][0] - sent) * 1000)
asyncio.run(main())
out["t_start"] = t_start
print(json.dumps(out))
"""


def _child_env() -> dict:
    """As installed: byte-code caches written and reused (this sandbox sets PYTHONDONTWRITEBYTECODE)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def bench_startup(db: str, runs: int = 5) -> dict:
    _open(db).close()  # migrated already, so start-up measures opening, not upgrading
    _read_through(db)
    root = Path(__file__).resolve().parent.parent
    first_screen, first_key, python_ms = [], [], []
    report_ms, report_cpu, all_panes, frames = [], [], [], []
    grade_ms, grade_cpu, chooser_closed = [], [], []
    moved = True
    problem = None
    for run in range(runs + 1):  # the first run compiles .pyc files: not counted
        spawn = time.time()
        proc = subprocess.run([sys.executable, "-c", _STARTUP_CHILD, db], capture_output=True, text=True, cwd=root,
                              env=_child_env(), timeout=120)
        if proc.returncode != 0:
            problem = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
            break
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        moved = moved and out["moved"]
        if run == 0:
            continue
        first_screen.append((out["first_screen"] - spawn) * 1000)
        first_key.append((out["first_key"] - spawn) * 1000)
        python_ms.append((out["t_start"] - spawn) * 1000)
        report_ms += out["report_ms"][2:]  # the first keys of a run warm caches
        report_cpu += out["report_cpu_ms"][2:]
        all_panes += out["all_panes_ms"][2:]
        frames += out["frames"][2:]
        grade_ms += out["grade_ms"][1:]
        grade_cpu += out["grade_cpu_ms"][1:]
        chooser_closed += out["chooser_closed_ms"][1:]
    if problem:
        return {"error": problem}
    return {"first_screen_ms": stats(first_screen), "first_key_ms": stats(first_key),
            "cursor_key_to_report_painted_ms": stats(report_ms), "cursor_key_ui_thread_cpu_ms": stats(report_cpu),
            "cursor_key_to_all_panes_painted_ms": stats(all_panes),
            "frames_per_cursor_key": round(sum(frames) / max(1, len(frames)), 1),
            "grade_key_to_grade_painted_ms": stats(grade_ms), "grade_key_ui_thread_cpu_ms": stats(grade_cpu),
            "grade_key_to_chooser_closed_ms": stats(chooser_closed),
            "interpreter_ms": stats(python_ms), "cursor_moved": moved}


_SEARCH_UI_CHILD = _FRAME_LOG + r"""
import asyncio, json, sys
from textual import events
from db.store import Store
from tui.app import AnalystApp
from bench.scale import QUERIES
store = Store.open(sys.argv[1])
app = AnalystApp(store, cursor_blink=False)
out = {"keys": [], "cpu": [], "missed": 0}
KEY_NAMES = {" ": "space", '"': "quotation_mark", "-": "minus"}

def MARK(screen):
    return getattr(screen, "shown_generation", None)

async def main():
    async with app.run_test(headless=True, size=(160, 48)) as pilot:
        from tui.screens.search import SearchScreen
        for _ in range(5000):
            if getattr(app.screen, "id", None) == "main":
                break
            await asyncio.sleep(0.001)
        await pilot.pause()
        # Woken by each frame: polling every millisecond took the interpreter lock from the
        # search thread ~1,000 times a second, which a person typing does not do.
        painted = asyncio.Event()
        ON_FRAME.append(painted.set)
        for label, query in QUERIES:
            sent = time.perf_counter()
            await pilot.press("slash")
            for _ in range(5000):
                if isinstance(app.screen, SearchScreen):
                    break
                await asyncio.sleep(0.001)
            screen = app.screen
            await pilot.pause()
            # the first opening of a session starts the search thread, which reads names and titles
            if "warm_ms" not in out:
                while not app.search_service.warm.is_set():
                    await asyncio.sleep(0.001)
                out["warm_ms"] = (time.perf_counter() - sent) * 1000
            await asyncio.sleep(0.3)
            for ch in query:
                FRAMES.clear()
                sent, sent_cpu = time.perf_counter(), time.thread_time()
                app._driver.send_message(events.Key(KEY_NAMES.get(ch, ch), ch))
                deadline = sent + 5.0
                while not (screen.shown_generation == screen.generation
                           and any(f[2] == screen.generation for f in FRAMES)):
                    painted.clear()
                    try:
                        await asyncio.wait_for(painted.wait(), max(0.001, deadline - time.perf_counter()))
                    except asyncio.TimeoutError:
                        break
                shown = [f for f in FRAMES if f[2] == screen.generation]
                if shown:
                    out["keys"].append((shown[0][0] - sent) * 1000)
                    out["cpu"].append((shown[0][1] - sent_cpu) * 1000)
                else:
                    out["missed"] += 1
                await asyncio.sleep(0.15)  # typing speed: ~6 keys a second
            await pilot.press("escape")
            await pilot.pause()
        # Peak memory of the app (this process) and of its search process, every query typed.
        import resource
        from pathlib import Path
        out["ui_peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = []
        for task in Path("/proc/self/task").iterdir():
            children += (task / "children").read_text().split()
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text():
                out["search_peak_rss_mib"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
asyncio.run(main())
print(json.dumps(out))
"""


def bench_search_ui(db: str) -> dict:
    """Keystroke -> the frame showing its results, through the search screen, headless."""
    _open(db).close()
    _read_through(db)
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", _SEARCH_UI_CHILD, db], capture_output=True, text=True, cwd=root,
                          env=_child_env(), timeout=600)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"keystroke_to_results_painted_ms": stats(out["keys"]), "ui_thread_cpu_ms": stats(out["cpu"]),
            "first_opening_until_search_ready_ms": round(out["warm_ms"], 1),
            "keystrokes": len(out["keys"]), "keystrokes_without_a_frame": out["missed"],
            "peak_rss_mib": {"app": round(out["ui_peak_rss_mib"], 1),
                             "search_process": round(out.get("search_peak_rss_mib", 0), 1)}}


# --- queue and report --------------------------------------------------------------------------------


def bench_queue(db: str, runs: int = 20) -> dict:
    from db.store import ReportFilter

    store = _open(db)
    total = store.count_reports()
    result: dict = {"reports": total}
    t = [0.0] * runs
    for i in range(runs):
        s = time.perf_counter()
        store.count_reports()
        t[i] = _ms(s)
    result["count_reports_ms"] = stats(t)
    for depth in (0, total // 10, total // 2, max(0, total - 200)):
        offs, keys = [], []
        for _ in range(runs):
            s = time.perf_counter()
            rows = store.list_reports(limit=100, offset=depth)
            offs.append(_ms(s))
        key = store.report_position_key(rows[0].id) if rows else None
        for _ in range(runs):
            s = time.perf_counter()
            store.list_reports(limit=100, after=key)
            keys.append(_ms(s))
        result[f"page_at_{depth}"] = {"offset_ms": stats(offs), "keyset_ms": stats(keys)}
    # Proposals for db/store.py, measured here: an offset page skipped on the covering index only,
    # and a cursor position found by counting on the index instead of listing every id.
    deep = max(0, total - 200)
    sub, pos_now, pos_new = [], [], []
    target = store.list_reports(limit=1, offset=deep)[0].id if total else None
    for _ in range(max(3, runs // 4)):
        s = time.perf_counter()
        store.conn.execute(
            f"SELECT {store._SUMMARY_COLUMNS} FROM reports r LEFT JOIN sources s ON s.id = r.source_id "
            "WHERE r.id IN (SELECT id FROM reports ORDER BY sort_key DESC, id DESC LIMIT ? OFFSET ?) "
            "ORDER BY r.sort_key DESC, r.id DESC", (100, deep)).fetchall()
        sub.append(_ms(s))
        if target is not None:
            s = time.perf_counter()
            store.report_ids().index(target)
            pos_now.append(_ms(s))
            s = time.perf_counter()
            key = store.report_position_key(target)
            store.conn.execute("SELECT count(*) FROM reports r WHERE (r.sort_key, r.id) > (?, ?)", key).fetchone()
            pos_new.append(_ms(s))
    result["proposal_offset_page_via_index_ms"] = stats(sub)
    result["cursor_position_report_ids_index_ms"] = stats(pos_now)
    result["proposal_cursor_position_count_ms"] = stats(pos_new)
    # Filters: through the store (indexes) vs the anchor, a plain full scan filtered in Python.
    flt = ReportFilter(statuses=("new",), reliability=("A", "B"))
    ours, scan = [], []
    for _ in range(max(3, runs // 4)):
        s = time.perf_counter()
        store.count_reports(flt)
        store.list_reports(flt, limit=100)
        ours.append(_ms(s))
        s = time.perf_counter()
        rows = [r for r in store.conn.execute(
            "SELECT r.id, r.title, r.status, r.sort_key, coalesce(s.reliability, 'F') FROM reports r "
            "LEFT JOIN sources s ON s.id = r.source_id") if r[2] == "new" and r[4] in ("A", "B")]
        rows.sort(key=lambda r: (r[3], r[0]), reverse=True)
        scan.append(_ms(s))
    result["filter_ms"] = stats(ours)
    result["filter_full_scan_ms"] = stats(scan)
    # Cursor move: the queue fetches the page under the cursor, then the report opens in the reader.
    rng = random.Random(5)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM reports ORDER BY random() LIMIT ?", (runs * 3,))]
    opens = []
    for rid in ids:
        s = time.perf_counter()
        store.get_report(rid)
        store.claims_for_report(rid)
        store.entities_for_report(rid)
        opens.append(_ms(s))
    result["open_report_ms"] = stats(opens)
    moves = []
    for _ in range(runs * 3):
        depth = rng.randrange(max(1, total))
        s = time.perf_counter()
        rows = store.list_reports(limit=100, offset=(depth // 100) * 100)
        if rows:
            rid = rows[depth % len(rows)].id
            store.get_report(rid)
            store.claims_for_report(rid)
            store.entities_for_report(rid)
        moves.append(_ms(s))
    result["cursor_move_and_open_ms"] = stats(moves)
    store.close()
    return result


# --- grading -----------------------------------------------------------------------------------------


def bench_grade(db: str, runs: int = 20) -> dict:
    store = _open(db)
    max_id = store.conn.execute("SELECT max(id) FROM claims").fetchone()[0]
    rng = random.Random(11)
    one = []
    for i in range(runs):
        cid = rng.randint(1, max_id)
        s = time.perf_counter()
        store.set_claim_credibility([cid], 1 + i % 5)
        store.get_claim(cid)  # what the screen re-reads
        one.append(_ms(s))
    bulk = []
    for i in range(max(3, runs // 4)):
        start = rng.randint(1, max(1, max_id - 1000))
        ids = list(range(start, start + 1000))
        s = time.perf_counter()
        store.set_claim_credibility(ids, 2 + i % 3)
        bulk.append(_ms(s))
    undo = []
    for _ in range(3):
        s = time.perf_counter()
        store.undo()
        undo.append(_ms(s))
    store.close()
    return {"grade_one_ms": stats(one), "grade_1000_ms": stats(bulk), "undo_1000_ms": stats(undo)}


# --- import -----------------------------------------------------------------------------------------


def bench_import(n: int = 300, words: int = 600, into: str | None = None, runs: int = 3, workers: int = 0) -> dict:
    """Reports/s through ``db.importer.import_paths`` with ``workers`` extraction processes (0: all
    in this process). Each run starts its own workers; the first run also starts the forkserver
    they are forked from (as a CLI import does), later runs reuse it (as a second TUI import does)."""
    from bench.generate import write_text_files
    from db.importer import import_paths
    from db.store import Store

    rates = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        files = write_text_files(Path(tmp) / "files", n, words)
        raw_words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
        for run in range(runs):
            if into:
                db = into
                store = Store.open(db)
                store.conn.execute("DELETE FROM reports WHERE original_name LIKE 'report-%.txt'")
            else:
                db = str(Path(tmp) / f"import-{run}.db")
                store = Store.open(db)
            s = time.perf_counter()
            imported = import_paths(store, [Path(tmp) / "files"], workers=workers).imported
            seconds = time.perf_counter() - s
            store.close()
            rates.append(imported / seconds)
    return {"files": n, "words_per_report": round(raw_words / n), "reports_per_s": stats(rates),
            "first_run_per_s": round(rates[0], 2), "into": into or "new database",
            "pipeline": f"db.importer.import_paths, parse + extract in {workers} worker processes" if workers
            else "db.importer.import_paths, all in one process (workers=0)"}


# --- size and memory -----------------------------------------------------------------------------------


def bench_size(db: str) -> dict:
    store = _open(db)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = store.conn.execute(
        "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))) FROM reports").fetchone()[0] or 0
    size = Path(db).stat().st_size
    tables = {}
    try:
        for name, pages in store.conn.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 12"):
            tables[name] = round(pages / 2**20, 1)
    except Exception:
        tables = {"dbstat": "not available"}
    counts = store.stats()
    store.close()
    return {"db_mib": round(size / 2**20, 1), "raw_text_mib": round(raw / 2**20, 1),
            "ratio": round(size / max(raw, 1), 2), "largest_mib": tables,
            "reports": counts["reports"], "claims": counts["claims"], "entities": counts["entities"]}


_MEMORY_CHILD = r"""
import json, resource, sys, time
from db.store import Store
from db.search import Searcher
from bench.scale import QUERIES
store = Store.open(sys.argv[1])
searcher = Searcher(store)
for _ in range(2):
    for _, q in QUERIES:
        for n in range(1, len(q) + 1):
            searcher.search(q[:n], limit=100)
for rid in [r[0] for r in store.conn.execute("SELECT id FROM reports ORDER BY random() LIMIT 50")]:
    store.get_report(rid); store.claims_for_report(rid); store.entities_for_report(rid)
store.list_reports(limit=100, offset=store.count_reports() // 2)
print(json.dumps({"peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_memory(db: str) -> dict:
    _open(db).close()
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, db], capture_output=True, text=True, cwd=root,
                          timeout=600)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-400:]}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"peak_rss_mib": round(out["peak_rss_mib"], 1)}


# --- command line -----------------------------------------------------------------------------------------


def _import_both(args, runs: dict) -> dict:
    result = bench_import(args.files, into=args.into, **runs)
    if args.workers:
        result["pooled"] = bench_import(args.files, into=args.into, workers=args.workers, **runs)
    return result


def _print(name: str, result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps({name: result}))
        return
    print(f"== {name}")
    for key, value in result.items():
        print(f"  {key}: {json.dumps(value)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["search", "search-ui", "startup", "queue", "grade", "import", "size", "memory", "all"])
    parser.add_argument("--db", help="a database built by python -m bench.generate")
    parser.add_argument("--runs", type=int, default=None, help="repetitions (defaults per benchmark)")
    parser.add_argument("--into", help="import: into this database (else a new one per run)")
    parser.add_argument("--files", type=int, default=300, help="import: number of files")
    parser.add_argument("--workers", type=int, default=0,
                        help="import: also measure import_paths with this many extraction processes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.command != "import" and not args.db:
        parser.error("--db is required")
    runs = {} if args.runs is None else {"runs": args.runs}
    commands = {
        "size": lambda: bench_size(args.db),
        "search": lambda: bench_search(args.db, **runs),
        "queue": lambda: bench_queue(args.db, **runs),
        "startup": lambda: bench_startup(args.db, **runs),
        "search-ui": lambda: bench_search_ui(args.db),
        "grade": lambda: bench_grade(args.db, **runs),
        "import": lambda: _import_both(args, runs),
        "memory": lambda: bench_memory(args.db),
    }
    if args.command == "all":
        out = {"machine": machine()}
        for name, fn in commands.items():
            out[name] = fn()
            if not args.json:
                _print(name, out[name], False)
        if args.json:
            print(json.dumps(out))
        return 0
    result = commands[args.command]()
    result["machine"] = machine()
    _print(args.command, result, args.json)
    return 0


def machine() -> dict:
    import platform
    import sqlite3

    return {"cores": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(terse=True)}


if __name__ == "__main__":
    sys.exit(main())
