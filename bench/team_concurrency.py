"""Team mode under contention (issue 22): N analysts (processes) grading claims, staging stances and
writing notes on the same claims at once, editing the titles of a few shared reports from forms read
a while before, then a check that nothing was lost. The one benchmark of it, on both backends.

    python -m bench.team_concurrency --db /tmp/team.db [--processes 5 --changes 2000 --claims 1000]
    python -m bench.team_concurrency --db 'postgresql://postgres@/team?host=/tmp/pg'

On SQLite each process names its analyst ("analyst1", ...). On PostgreSQL the analyst is the database
login: the setup (with the URL as given: the database's owner or a superuser) creates the login roles
"analyst1", "analyst2", ... where missing, with an analyst's rights (db/backends/pg_roles.py), and each
process connects as its role.

Each process opens the database through ``Store.open`` as its own analyst and makes its changes one
store call (one transaction) at a time, recording every change the store confirmed. Every 20th call it
opens the title form of one of the first few reports (reads its version) and saves it 10 calls later:
a colleague who saved that report meanwhile makes the form stale, and the save is refused (StaleWrite,
with who and when), as the screen shows it; refusals are counted, not errors. Then, from a fresh
connection:

- lost updates: a confirmed change missing from the audit log (or logged but not confirmed), an
  analyst's final grade, stance or note in the tables differing from the last one they confirmed, or a
  shared title differing from the last one logged;
- errors: any other exception a store call raised (what an analyst would have seen).

At the end one stale edit is made on purpose (two analysts read a report, both save it) and the
refusal's message printed.

The database gets the claims it needs (synthetic reports) when it has fewer than ``--claims``.
Prints one JSON object; exit status 1 if anything was lost or failed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
from collections import Counter
import sys
import time

STANCES = ("supports", "refutes", "neutral")
SHARED_REPORTS = 5  # the reports whose titles every analyst edits
FORM_EVERY, FORM_OPEN_FOR = 20, 10  # a title form read every 20th call, saved 10 calls later


def open_as(db: str, analyst: str):
    """The store as one analyst: named on SQLite, logged in as that role on PostgreSQL."""
    from db.backends.pg_roles import url_as
    from db.store import Store

    if _is_url(db):
        return Store.open(url_as(db, analyst))
    return Store.open(db, analyst=analyst)


def create_roles(db: str, analysts: list[str]) -> None:
    """PostgreSQL: a login role per analyst, with an analyst's rights (nothing to do on SQLite)."""
    if _is_url(db):
        from db.backends.pg_roles import ensure_analyst_role

        for analyst in analysts:
            ensure_analyst_role(db, analyst)


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
    from db.errors import StaleWrite

    db, analyst, claim_ids, changes, seed, barrier = args
    rng = random.Random(seed)
    # (target kind, id, audit field, logged new value) of each change made
    confirmed: list[tuple[str, int, str, str]] = []
    last: dict[str, object] = {}  # "credibility:ID" / "stance:ID" / "note:ID" -> the value last confirmed
    errors: list[str] = []
    refused: list[str] = []  # stale title forms: refused with a message, as the screen shows them
    latencies: list[float] = []
    reports = sorted({r[0] for r in _report_ids(db, analyst)})[:SHARED_REPORTS]
    form: tuple[int, int] | None = None  # (report, version read) of the title form open
    with open_as(db, analyst) as store:
        hypothesis = store.active_hypothesis_id()
        if barrier is not None:
            barrier.wait()  # every analyst has the file open: they all start writing together
        first = time.time()
        for n in range(changes):
            if n % FORM_EVERY == 0:
                report = rng.choice(reports)
                form = (report, store.get_report(report).version)
            elif n % FORM_EVERY == FORM_OPEN_FOR and form is not None:
                title = f"Shared report {form[0]} titled by {analyst} at call {n}"
                try:
                    if store.edit_report(form[0], expected_version=form[1], title=title):
                        confirmed.append(("report", form[0], "title", json.dumps(title)))
                except StaleWrite as exc:
                    refused.append(str(exc))
                except Exception as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                form = None
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
                confirmed.append(("claim", claim, field, json.dumps(value)))
            last[f"{kind}:{claim}"] = value
    return {"analyst": analyst, "confirmed": confirmed, "last": last, "errors": errors, "refused": refused,
            "latencies": latencies, "first": first, "end": time.time()}


def _report_ids(db: str, analyst: str) -> list[tuple]:
    with open_as(db, analyst) as store:
        return store.conn.execute("SELECT id FROM reports ORDER BY id LIMIT ?", (SHARED_REPORTS,)).fetchall()


def stale_edit_refused(db: str, analysts: tuple[str, str]) -> str:
    """Two analysts open one report's form; the first saves, the second's save must be refused.
    Returns the refusal's message (raises if the stale save went through)."""
    from db.errors import StaleWrite

    with open_as(db, analysts[0]) as first, open_as(db, analysts[1]) as second:
        report = first.conn.execute("SELECT min(id) FROM reports").fetchone()[0]
        seen_first, seen_second = first.get_report(report).version, second.get_report(report).version
        first.edit_report(report, expected_version=seen_first, author=f"Edited by {analysts[0]}")
        try:
            second.edit_report(report, expected_version=seen_second, author=f"Edited by {analysts[1]}")
        except StaleWrite as exc:
            if second.get_report(report).author != f"Edited by {analysts[0]}":
                raise AssertionError("the refused edit changed the report") from exc
            return str(exc)
    raise AssertionError("a stale edit was saved over a colleague's")


def verify(db: str, results: list[dict]) -> dict:
    lost_log, lost_value = 0, 0
    with _open_plain(db, "bench-check") as store:
        conn = store.conn
        hypothesis = store.active_hypothesis_id()
        for result in results:
            analyst = result["analyst"]
            logged = Counter(tuple(row) for row in conn.execute(
                "SELECT target_kind, target_id, field, new FROM audit_log WHERE who = ? "
                "AND target_kind IN ('claim', 'report')", (analyst,)))
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
        # a shared title: the last one logged, by whoever saved it last
        for report, title in conn.execute("SELECT id, title FROM reports WHERE id IN (SELECT target_id FROM audit_log "
                                          "WHERE target_kind = 'report' AND field = 'title')").fetchall():
            logged_last = conn.execute("SELECT new FROM audit_log WHERE target_kind = 'report' AND target_id = ? "
                                       "AND field = 'title' ORDER BY id DESC LIMIT 1", (report,)).fetchone()[0]
            lost_value += json.dumps(title) != logged_last
    return {"lost_in_audit_log": lost_log, "lost_in_tables": lost_value}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="an SQLite file, or a postgresql:// URL")
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--changes", type=int, default=2000, help="changes per process")
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=22)
    options = parser.parse_args(argv)
    if options.processes < 2:
        parser.error("--processes: at least 2 (a team)")
    random.seed(options.seed)
    load_before = os.getloadavg()
    began = time.perf_counter()
    claim_ids = prepare(options.db, options.claims)
    analysts = [f"analyst{i + 1}" for i in range(options.processes)]
    create_roles(options.db, analysts)
    setup_s = time.perf_counter() - began
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(options.processes)
        jobs = [(options.db, analyst, claim_ids, options.changes, options.seed + i, barrier)
                for i, analyst in enumerate(analysts)]
        cpu_before = time.process_time()
        with context.Pool(options.processes) as pool:
            results = pool.map(analyst_worker, jobs, chunksize=1)
    wall = max(r["end"] for r in results) - min(r["first"] for r in results)  # writing, not starting up
    children = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
    load_after = os.getloadavg()
    checked = verify(options.db, results)
    stale_message = stale_edit_refused(options.db, (analysts[0], analysts[1]))
    latencies = sorted(x for r in results for x in r["latencies"])
    errors = [e for r in results for e in r["errors"]]
    calls = options.processes * options.changes
    report = {
        "db": "postgresql" if options.db.startswith("postgresql") else "sqlite",
        "processes": options.processes, "changes_per_process": options.changes, "claims": len(claim_ids),
        "store_calls": calls, "confirmed_changes": sum(len(r["confirmed"]) for r in results),
        "errors": len(errors), "first_errors": errors[:3], **checked,
        "title_saves_confirmed": sum(1 for r in results for c in r["confirmed"] if c[0] == "report"),
        "stale_title_forms_refused": sum(len(r["refused"]) for r in results),
        "first_refusal": next((m for r in results for m in r["refused"]), None),
        "stale_edit_on_purpose": stale_message,
        "wall_s": round(wall, 2),
        "all_writing_together_s": round(min(r["end"] for r in results) - max(r["first"] for r in results), 2), "cpu_s_children": round(children.ru_utime + children.ru_stime, 2),
        "cpu_s_parent": round(time.process_time() - cpu_before, 2), "setup_s": round(setup_s, 2),
        "calls_per_s": round(calls / wall, 1),
        "latency_median_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "latency_p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2) if latencies else None,
        "latency_max_ms": round(latencies[-1] * 1000, 2) if latencies else None,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }
    print(json.dumps(report, indent=1))
    return 1 if errors or checked["lost_in_audit_log"] or checked["lost_in_tables"] else 0


if __name__ == "__main__":
    sys.exit(main())
