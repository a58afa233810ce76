"""Several analysts (processes) changing the same claims at once on PostgreSQL: nothing lost, no error shown.

    python -m bench.pg_concurrency --server 'postgresql://postgres@/postgres?host=/tmp/pg' \\
        [--analysts 5] [--changes 2000] [--claims 1000] [--json]

A corpus with at least ``--claims`` claims is generated (bench.generate), copied into a new database
(``analyst_tui_bench_concurrency``, dropped first), and an active hypothesis created. Then each analyst
process makes ``--changes`` changes through the store's API, at random over the first ``--claims`` claims:
a claim's credibility, its stance toward the hypothesis, or its note (each note text unique to the
analyst and the change). Checked afterwards:

- no change raised an error (what an analyst would have been shown);
- the audit log holds one entry per change the API confirmed (it returns how many values changed);
- every confirmed note text is in the audit log exactly once;
- every claim's credibility, stance and note is the ``new`` value of its latest audit entry (the last
  writer's value, nothing overwritten unseen).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HYPOTHESIS = "The office opens in Baghdad"


def _analyst(url: str, number: int, changes: int, claim_ids: list[int], queue) -> None:
    from db.store import Store

    rng = random.Random(number)
    confirmed = {"credibility": 0, "stance": 0, "note": 0}
    notes: list[str] = []
    errors: list[str] = []
    latencies: list[float] = []
    store = Store.open(url)
    try:
        for i in range(changes):
            claim = rng.choice(claim_ids)
            kind = rng.choice(("credibility", "stance", "note"))
            started = time.perf_counter()
            try:
                if kind == "credibility":
                    confirmed[kind] += store.set_claim_credibility([claim], rng.randint(1, 6))
                elif kind == "stance":
                    confirmed[kind] += store.set_stance([claim], rng.choice(("supports", "refutes", "neutral")))
                else:
                    text = f"analyst {number} change {i}"
                    if store.set_note("claim", claim, text):
                        confirmed[kind] += 1
                        notes.append(text)
            except Exception as exc:  # what the screen would have shown
                errors.append(f"{type(exc).__name__}: {exc}")
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        store.close()
    queue.put({"analyst": number, "confirmed": confirmed, "notes": notes, "errors": errors, "latencies": latencies})


def prepare(server: str, claims: int) -> tuple[str, list[int]]:
    from bench.generate import generate
    from bench.pg_copy import fresh_database
    from db.corpus_copy import copy_corpus
    from db.store import Store

    folder = Path(tempfile.mkdtemp(prefix="analyst-tui-concurrency-"))
    source = folder / "corpus.db"
    generate(source, max(20, claims // 8), seed=9, batch=200)
    url = fresh_database(server, "analyst_tui_bench_concurrency")
    with Store.open(source) as src, Store.open(url) as dst:
        copy_corpus(src, dst)
        dst.create_hypothesis(HYPOTHESIS)
        ids = [r[0] for r in dst.conn.execute("SELECT id FROM claims ORDER BY id LIMIT ?", (claims,))]
    source.unlink()
    folder.rmdir()
    if len(ids) < claims:
        sys.exit(f"the generated corpus holds {len(ids)} claims, fewer than {claims}")
    return url, ids


def check(url: str, results: list[dict], baseline: int) -> dict:
    from db.store import Store

    with Store.open(url) as store:
        conn = store.conn
        entries = conn.execute("SELECT id, target_id, field, new FROM audit_log WHERE id > ? AND target_kind = 'claim' "
                               "ORDER BY id", (baseline,)).fetchall()
        hypothesis = conn.execute("SELECT id FROM hypotheses WHERE title = ?", (HYPOTHESIS,)).fetchone()[0]
        latest: dict[tuple[int, str], object] = {}
        logged_notes: dict[str, int] = {}
        for _, target, field, new in entries:
            value = json.loads(new) if new is not None else None
            latest[(target, field)] = value
            if field == "note" and value is not None:
                logged_notes[value] = logged_notes.get(value, 0) + 1
        credibility = dict(conn.execute("SELECT id, credibility FROM claims").fetchall())
        stances = dict(conn.execute("SELECT claim_id, stance FROM claim_stances WHERE hypothesis_id = ?",
                                    (hypothesis,)).fetchall())
        notes = dict(conn.execute("SELECT target_id, text FROM notes WHERE target_kind = 'claim'").fetchall())
    wrong = []
    for (target, field), value in latest.items():
        if field == "credibility":
            now = credibility.get(target)
        elif field == f"stance:{hypothesis}":
            now = stances.get(target)
        elif field == "note":
            now = notes.get(target)
        else:
            continue
        if now != value:
            wrong.append((target, field, value, now))
    confirmed = sum(sum(r["confirmed"].values()) for r in results)
    notes_confirmed = [text for r in results for text in r["notes"]]
    return {
        "errors": sum(len(r["errors"]) for r in results),
        "error_examples": [e for r in results for e in r["errors"]][:3],
        "confirmed_changes": confirmed,
        "audit_entries": len(entries),
        "notes_confirmed": len(notes_confirmed),
        "notes_missing_from_log": sum(1 for t in notes_confirmed if logged_notes.get(t) != 1),
        "values_not_the_last_logged": len(wrong),
        "lost_updates": abs(confirmed - len(entries)) + len(wrong),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pg_concurrency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="URL of a database on the PostgreSQL server")
    parser.add_argument("--analysts", type=int, default=5)
    parser.add_argument("--changes", type=int, default=2000, help="changes per analyst")
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    url, ids = prepare(options.server, options.claims)
    from db.store import Store

    with Store.open(url) as store:
        baseline = store.conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [context.Process(target=_analyst, args=(url, n, options.changes, ids, queue))
                 for n in range(options.analysts)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    seconds = time.perf_counter() - started
    latencies = sorted(x for r in results for x in r["latencies"])
    figures = {"analysts": options.analysts, "changes_each": options.changes, "claims": options.claims,
               "seconds": round(seconds, 1), "changes_per_second": round(len(latencies) / seconds, 1),
               "change_ms": {"median": round(statistics.median(latencies), 2),
                             "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
                             "max": round(latencies[-1], 2)},
               **check(url, results, baseline)}
    print(json.dumps(figures) if options.json else "\n".join(f"{k}: {v}" for k, v in figures.items()))
    return 0 if figures["errors"] == 0 and figures["lost_updates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
