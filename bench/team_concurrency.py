"""Team mode under contention (issue 22): N analysts (processes) grading claims, staging stances and
writing notes on the same claims at once, then a check that nothing was lost.

    python -m bench.team_concurrency --db /tmp/team.db [--processes 5 --changes 2000 --claims 1000]
    python -m bench.team_concurrency --db postgresql://HOST/DB (once the PostgreSQL backend is in)

On SQLite each process names its analyst ("analyst1", ...). On PostgreSQL the analyst is the database
login: each process connects as the role "analyst1", "analyst2", ... (the URL's user replaced), which
must exist with rights on the corpus; the setup and the check connect with the URL as given.

Each process opens the database through ``Store.open`` as its own analyst ("analyst1", ...) and makes
its changes one store call (one transaction) at a time, recording every change the store confirmed.
Then, from a fresh connection:

- lost updates: a confirmed change missing from the audit log (or logged but not confirmed), or an
  analyst's final grade, stance or note in the tables differing from the last one they confirmed;
- errors: any exception a store call raised (what an analyst would have seen).

The database gets the claims it needs (synthetic reports) when it has fewer than ``--claims``.
Prints one JSON object; exit status 1 if anything was lost or failed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
from collections import Counter
import sys
import time

STANCES = ("supports", "refutes", "neutral")


def open_as(db: str, analyst: str):
    """The store as one analyst: named on SQLite, logged in as that role on PostgreSQL."""
    from db.store import Store

    if db.startswith(("postgresql:", "postgres:")):
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(db)
        host = parts.netloc.rsplit("@", 1)[-1]
        return Store.open(urlunsplit(parts._replace(netloc=f"{analyst}@{host}")))
    return Store.open(db, analyst=analyst)


def _is_url(db: str) -> bool:
    return db.startswith(("postgresql:", "postgres:"))


def _open_plain(db: str, analyst: str):
    """Setup and checking: the URL's own login on PostgreSQL, a named analyst on SQLite."""
    from db.store import Store

    return Store.open(db) if _is_url(db) else Store.open(db, analyst=analyst)


def prepare(db: str, claims_wanted: int) -> list[int]:
    """The claim ids to work on, adding synthetic reports (10 claims each) until there are enough."""
    from db.models import ExtractedClaim, Extraction, ParsedReport

    with _open_plain(db, "bench-setup") as store:
        have = store.count_claims()
        n = 0
        while have < claims_wanted:
            sentences = [f"Claim {have + k} of batch {n} says outlet {k} saw convoy {random.random():.6f} move."
                         for k in range(10)]
            body = " ".join(sentences)
            extraction = Extraction(version="bench")
            start = 0
            for sentence in sentences:
                extraction.claims.append(ExtractedClaim(start, start + len(sentence), sentence, rule="bench",
                                                        confidence=0.9))
                start += len(sentence) + 1
            with store.write():
                store.store_report(ParsedReport(title=f"Team bench report {have}", body=body, format="text",
                                                publisher=f"Outlet {have % 7}", published="2024-06-01"), extraction)
            have += 10
            n += 1
        if store.active_hypothesis_id() is None:
            store.create_hypothesis("Team bench hypothesis")
        return [r[0] for r in store.conn.execute("SELECT id FROM claims ORDER BY id LIMIT ?", (claims_wanted,))]


def analyst_worker(args) -> dict:
    db, analyst, claim_ids, changes, seed, barrier = args
    rng = random.Random(seed)
    confirmed: list[tuple[int, str, str]] = []  # (claim, audit field, logged new value) of each change made
    last: dict[str, object] = {}  # "credibility:ID" / "stance:ID" / "note:ID" -> the value last confirmed
    errors: list[str] = []
    latencies: list[float] = []
    with open_as(db, analyst) as store:
        hypothesis = store.active_hypothesis_id()
        if barrier is not None:
            barrier.wait()  # every analyst has the file open: they all start writing together
        first = time.time()
        for n in range(changes):
            claim = rng.choice(claim_ids)
            kind = rng.choice(("credibility", "stance", "note"))
            began = time.perf_counter()
            try:
                if kind == "credibility":
                    value: object = rng.randint(1, 5)
                    done = store.set_claim_credibility([claim], value)
                elif kind == "stance":
                    value = rng.choice(STANCES)
                    done = store.set_stance([claim], value, hypothesis)
                else:
                    value = f"{analyst} note {n}"
                    done = store.set_note("claim", claim, value)
            except Exception as exc:  # what the analyst would see: counted, never hidden
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append(time.perf_counter() - began)
            if done:
                field = f"stance:{hypothesis}" if kind == "stance" else kind
                confirmed.append((claim, field, json.dumps(value)))
            last[f"{kind}:{claim}"] = value
    return {"analyst": analyst, "confirmed": confirmed, "last": last, "errors": errors, "latencies": latencies,
            "first": first, "end": time.time()}


def verify(db: str, results: list[dict]) -> dict:
    lost_log, lost_value = 0, 0
    with _open_plain(db, "bench-check") as store:
        conn = store.conn
        hypothesis = store.active_hypothesis_id()
        for result in results:
            analyst = result["analyst"]
            logged = Counter(tuple(row) for row in conn.execute(
                "SELECT target_id, field, new FROM audit_log WHERE who = ? AND target_kind = 'claim'", (analyst,)))
            made = Counter(tuple(change) for change in result["confirmed"])
            lost_log += sum((made - logged).values()) + sum((logged - made).values())
            for key, value in result["last"].items():
                kind, claim = key.split(":")
                if kind == "credibility":
                    row = conn.execute("SELECT credibility FROM claim_grades WHERE claim_id = ? AND analyst = ?",
                                       (int(claim), analyst)).fetchone()
                    now = row[0] if row else conn.execute("SELECT credibility FROM claims WHERE id = ?",
                                                          (int(claim),)).fetchone()[0]
                elif kind == "stance":
                    row = conn.execute("SELECT stance FROM claim_stances WHERE claim_id = ? AND hypothesis_id = ? "
                                       "AND analyst = ?", (int(claim), hypothesis, analyst)).fetchone()
                    now = row[0] if row else None
                else:
                    row = conn.execute("SELECT text FROM notes WHERE target_kind = 'claim' AND target_id = ? "
                                       "AND analyst = ?", (int(claim), analyst)).fetchone()
                    now = row[0] if row else None
                lost_value += now != value
    return {"lost_in_audit_log": lost_log, "lost_in_tables": lost_value}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="an SQLite file, or a postgresql:// URL")
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--changes", type=int, default=2000, help="changes per process")
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=22)
    options = parser.parse_args(argv)
    random.seed(options.seed)
    began = time.perf_counter()
    claim_ids = prepare(options.db, options.claims)
    setup_s = time.perf_counter() - began
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(options.processes)
        jobs = [(options.db, f"analyst{i + 1}", claim_ids, options.changes, options.seed + i, barrier)
                for i in range(options.processes)]
        cpu_before = time.process_time()
        with context.Pool(options.processes) as pool:
            results = pool.map(analyst_worker, jobs, chunksize=1)
    wall = max(r["end"] for r in results) - min(r["first"] for r in results)  # writing, not starting up
    children = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
    checked = verify(options.db, results)
    latencies = sorted(x for r in results for x in r["latencies"])
    errors = [e for r in results for e in r["errors"]]
    calls = options.processes * options.changes
    report = {
        "db": "postgresql" if options.db.startswith("postgresql") else "sqlite",
        "processes": options.processes, "changes_per_process": options.changes, "claims": len(claim_ids),
        "store_calls": calls, "confirmed_changes": sum(len(r["confirmed"]) for r in results),
        "errors": len(errors), "first_errors": errors[:3], **checked,
        "wall_s": round(wall, 2),
        "all_writing_together_s": round(min(r["end"] for r in results) - max(r["first"] for r in results), 2), "cpu_s_children": round(children.ru_utime + children.ru_stime, 2),
        "cpu_s_parent": round(time.process_time() - cpu_before, 2), "setup_s": round(setup_s, 2),
        "calls_per_s": round(calls / wall, 1),
        "latency_median_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "latency_p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2) if latencies else None,
        "latency_max_ms": round(latencies[-1] * 1000, 2) if latencies else None,
    }
    print(json.dumps(report, indent=1))
    return 1 if errors or checked["lost_in_audit_log"] or checked["lost_in_tables"] else 0


if __name__ == "__main__":
    sys.exit(main())
