"""Cross-report analysis (issue 20): quality of suggested links, and speed at scale.

    python -m bench.crossreport quality-demo                 precision/recall against bench/crossreport_demo_key.json
    python -m bench.crossreport quality-generated [--reports 2000 --stories 300]
                                                             on a generated corpus whose relations are known
    python -m bench.crossreport scale --db /tmp/bench-100k.db [--stories 2000] [--place-first N] [--no-rebuild]
    python -m bench.crossreport rebuild-digest --db CORPUS.db --copy /tmp/copy.db
                                                             families --rebuild on a copy: CPU per claim and
                                                             a digest of each derived table (compare two checkouts)
                                                             families for all claims, one report's update, the
                                                             corroboration summary of a claim

Scale copies nothing: it rebuilds the families of the database it is given (derived tables only).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

KEY = Path(__file__).with_name("crossreport_demo_key.json")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _stats(values: list[float]) -> dict:
    values = sorted(values)
    return {"median_ms": _ms(statistics.median(values)), "p95_ms": _ms(values[int(len(values) * 0.95) - 1 if len(values) > 1 else 0]),
            "max_ms": _ms(values[-1]), "runs": len(values)}


def _score(found: set, wanted: set, allowed: set = frozenset()) -> dict:
    right = found & wanted
    lenient = found & (wanted | allowed)
    return {"suggested": len(found), "expected": len(wanted), "right": len(right),
            "precision": round(len(right) / len(found), 3) if found else None,
            "precision_lenient": round(len(lenient) / len(found), 3) if found else None,
            "recall": round(len(right) / len(wanted), 3) if wanted else None}


def quality_demo() -> dict:
    from db.demo import import_demo
    from db.store import Store

    key = json.loads(KEY.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "demo.db") as store:
        import_demo(store)

        def claim(ref) -> int:
            prefix, words = ref
            row = store.conn.execute(
                """SELECT c.id FROM claims c JOIN reports r ON r.id = c.report_id WHERE r.original_name LIKE ?
                   AND c.text LIKE ? ORDER BY c.id""", (prefix + "%", f"%{words}%")).fetchone()
            if row is None:
                raise SystemExit(f"answer key: no claim {ref}")
            return row[0]

        # Compared by claim family: a suggestion naming another claim of the same family (a relay
        # standing for an originator whose own text yielded no claim) names the same proposition.
        def pairs(kind) -> set:
            return {frozenset((store.family_of(claim(a)), store.family_of(claim(b)))) for a, b in key[kind]}

        def families(s) -> frozenset:
            return frozenset((store.family_of(s.claim_id), store.family_of(s.other_id)))

        suggestions = store.suggested_links()
        out = {}
        look = pairs("worth_a_look")
        for kind in ("corroborates", "contradicts"):
            found = {families(s) for s in suggestions if s.type == kind}
            out[kind] = _score(found, pairs(kind), look)
        everything = {families(s) for s in suggestions}
        out["all"] = _score(everything, pairs("corroborates") | pairs("contradicts"), look)
        out["shown"] = [{"type": s.type, "claims": list(s.pair), "texts": [store.get_claim(i).text[:70] for i in s.pair],
                         "reason": s.reason} for s in suggestions]
        return out


def quality_generated(reports: int, stories: int, seed: int, keep: str | None = None) -> dict:
    """``keep``: a database path to build once and score again (the known relations are written
    beside it as ``PATH.truth.json``): rules can be compared on one corpus without regenerating."""
    from bench.generate import add_stories, generate
    from db.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(keep) if keep else Path(folder) / "gen.db"
        truth_file = path.with_name(path.name + ".truth.json")
        built = path.exists() and truth_file.exists()
        if not built:
            generate(path, reports, seed)
        with Store.open(path) as store:
            started = time.perf_counter()
            if built:
                truth = json.loads(truth_file.read_text(encoding="utf-8"))
            else:
                truth = add_stories(store, stories, seed)["stories"]
                store.rebuild_families()
                truth_file.write_text(json.dumps(truth), encoding="utf-8")
            rebuild = time.perf_counter() - started
            started, cpu = time.perf_counter(), time.process_time()
            suggestions = store.suggested_links()
            suggest_seconds, suggest_cpu = time.perf_counter() - started, time.process_time() - cpu
            corroborate = {frozenset((s["originator"], s["independent"])) for s in truth if s["independent"]}
            denials = {s["denial"]: {s["originator"], *s["relays"], *([s["independent"]] if s["independent"] else [])}
                       for s in truth if s["denial"]}
            found_c = {frozenset(s.pair) for s in suggestions if s.type == "corroborates"}
            found_x = [s for s in suggestions if s.type == "contradicts"]
            right_x = [s for s in found_x if any(d in s.pair and (set(s.pair) - {d}) <= story for d, story in denials.items())]
            denials_found = {d for d, story in denials.items() if any(d in s.pair and (set(s.pair) - {d}) <= story for s in found_x)}
            paraphrased = {s["denial"] for s in truth if s["denial"] and s.get("denial_paraphrased")}
            trees_right = relays_joined = relays_total = 0
            relay_counted = 0
            for s in truth:
                family = store.family_of(s["originator"])
                tree = store.origin_tree(s["originator"])
                expected = {store.get_report(store.get_claim(s["originator"]).report_id).source.name}
                if s["independent"] and store.family_of(s["independent"]) == family:
                    expected.add(store.get_report(store.get_claim(s["independent"]).report_id).source.name)
                if {c.source_name for c in tree.originators} == expected:
                    trees_right += 1
                for relay in s["relays"]:
                    relays_total += 1
                    relays_joined += store.family_of(relay) == family
                counted = {o.report_id for o in store.corroboration(s["originator"]).own_originators}
                relay_reports = {store.get_claim(r).report_id for r in s["relays"]}
                relay_counted += bool(counted & relay_reports)
            return {
                "reports": store.count_reports(), "claims": store.count_claims(), "stories": stories,
                "rebuild_seconds": round(rebuild, 1),
                "all_suggestions_seconds": round(suggest_seconds, 1), "all_suggestions_cpu_seconds": round(suggest_cpu, 1),
                "relays_in_their_family": f"{relays_joined}/{relays_total}",
                "trees_with_the_right_originators": f"{trees_right}/{stories}",
                "stories_where_a_relay_counted_as_originator": relay_counted,
                "corroborates": _score(found_c, corroborate),
                "contradicts": {"suggested": len(found_x), "right": len(right_x),
                                "precision": round(len(right_x) / len(found_x), 3) if found_x else None,
                                "denials": len(denials), "denials_found": len(denials_found),
                                "recall": round(len(denials_found) / len(denials), 3) if denials else None,
                                "paraphrased_denials": len(paraphrased),
                                "paraphrased_found": len(denials_found & paraphrased),
                                "word_for_word_denials": len(denials) - len(paraphrased),
                                "word_for_word_found": len(denials_found - paraphrased)},
                "wrong_contradictions_sample": [s.reason for s in found_x if s not in right_x][:8],
                "wrong_corroborations_sample": [s.reason for s in suggestions if s.type == "corroborates"
                                                and frozenset(s.pair) not in corroborate][:8],
            }


def place_first(store, reports: int, progress) -> int:
    """Families of the first ``reports`` reports only, from nothing, as ``families --rebuild`` places
    them (the rest stay unplaced): a corpus too big to place whole in the time at hand."""
    from db.analysis.families import update_families

    with store.write():
        for table in ("claim_families", "claim_keys", "claim_matches", "claim_relays"):
            store.conn.execute(f"DELETE FROM {table}")
    ids = [r[0] for r in store.conn.execute("SELECT id FROM reports ORDER BY id LIMIT ?", (reports,))]
    try:
        from db.analysis.families import FamilyCache
    except ImportError:  # the code before it
        from db.analysis.families import CandidateCache as FamilyCache
    cache, placed = FamilyCache(), 0
    for start in range(0, len(ids), 2000):
        with store.write():
            placed += update_families(store.conn, ids[start:start + 2000], None, cache)
        progress(min(start + 2000, len(ids)), len(ids))
    return placed


def scale(db: str, stories: int, runs: int, seed: int, rebuild: bool = True, first: int | None = None) -> dict:
    from bench.generate import add_stories
    from db.analysis.families import update_families
    from db.store import Store

    out: dict = {}
    with Store.open(db) as store:
        out["reports"], out["claims"] = store.count_reports(), store.count_claims()
        if stories and not store.conn.execute("SELECT 1 FROM reports WHERE original_name LIKE 'story-%' LIMIT 1").fetchone():
            add_stories(store, stories, seed)
            out["stories_added"] = stories
        started = time.perf_counter()
        cpu = time.process_time()
        last = [started]

        def progress(done, total):
            now = time.perf_counter()
            if now - last[0] > 30:
                print(f"  families: {done}/{total} reports, {now - started:.0f} s", file=sys.stderr, flush=True)
                last[0] = now

        if rebuild:
            placed = place_first(store, first, progress) if first else store.rebuild_families(progress=progress)
            out["families_all_claims_seconds"] = round(time.perf_counter() - started, 1)
            out["families_all_claims_cpu_seconds"] = round(time.process_time() - cpu, 1)
            out["claims_placed"] = placed
        out["families_spanning_2_reports"] = store.conn.execute(
            """SELECT count(*) FROM (SELECT f.family_id FROM claim_families f JOIN claims c ON c.id = f.claim_id
               GROUP BY f.family_id HAVING count(DISTINCT c.report_id) > 1)""").fetchone()[0]
        rng = random.Random(seed)
        # generated reports of ~10 claims each (the stories' reports hold one claim: left out)
        report_ids = [r[0] for r in store.conn.execute(
            "SELECT id FROM reports WHERE original_name NOT LIKE 'story-%' ORDER BY id")]
        out["reports_placed"] = store.conn.execute(
            "SELECT count(DISTINCT c.report_id) FROM claim_families f JOIN claims c ON c.id = f.claim_id").fetchone()[0]
        if out["reports_placed"] < len(report_ids):  # a corpus placed in part: its placed reports are updated
            report_ids = report_ids[:out["reports_placed"]]
        out["load_average"] = os.getloadavg()
        times, cpu_times = [], []
        for report_id in rng.sample(report_ids, min(runs, len(report_ids))):
            # As on import: the report's claims leave their families and join them again (commit included).
            started, cpu = time.perf_counter(), time.thread_time()
            with store.write():
                update_families(store.conn, [report_id])
            times.append(time.perf_counter() - started)
            cpu_times.append(time.thread_time() - cpu)
        out["one_report_update"] = _stats(times)
        out["one_report_update_cpu"] = _stats(cpu_times)
        # As on import: reports in order, one cache for all of them (the import's): the newest
        # placed reports placed again, one transaction each.
        try:
            from db.analysis.families import FamilyCache as Cache
        except ImportError:  # the code before it, whose cache lived for one update
            from db.analysis.families import CandidateCache as Cache
        cache, times, cpu_times = Cache(), [], []
        for report_id in report_ids[-runs:]:
            started, cpu = time.perf_counter(), time.thread_time()
            with store.write():
                update_families(store.conn, [report_id], None, cache)
            times.append(time.perf_counter() - started)
            cpu_times.append(time.thread_time() - cpu)
        out["one_report_update_in_import_order"] = _stats(times)
        out["one_report_update_in_import_order_cpu"] = _stats(cpu_times)
        claim_ids = [r[0] for r in store.conn.execute(
            "SELECT claim_id FROM claim_families WHERE family_id IN (SELECT family_id FROM claim_families "
            "GROUP BY family_id HAVING count(*) > 2) LIMIT 5000")]
        all_claims = store.conn.execute("SELECT max(id) FROM claims").fetchone()[0]
        sample = rng.sample(claim_ids, min(runs, len(claim_ids))) + [rng.randrange(1, all_claims + 1) for _ in range(runs)]
        times, cpu_times = [], []
        for claim_id in sample:
            started, cpu = time.perf_counter(), time.thread_time()
            store.corroboration(claim_id)
            times.append(time.perf_counter() - started)
            cpu_times.append(time.thread_time() - cpu)
        out["corroboration_summary"] = _stats(times)
        out["corroboration_summary_cpu"] = _stats(cpu_times)
        out["corroboration_summary_sample"] = f"{min(runs, len(claim_ids))} claims in families of 3+ and {runs} at random"
    return out


DERIVED_TABLES = {"claim_families": "claim_id", "claim_keys": "key, claim_id", "claim_matches": "a, b",
                  "claim_relays": "claim_id, source_id"}


def rebuild_digest(db: str, copy: str) -> dict:
    """``families --rebuild`` on a copy of ``db`` (``db`` is not written): CPU per claim, and a
    SHA-256 of every derived table, row by row, to tell whether two versions of the code place
    claims the same way (run it with each on PYTHONPATH)."""
    import hashlib
    import shutil

    from db.store import Store

    shutil.copy(db, copy)
    with Store.open(copy) as store:
        started, cpu = time.perf_counter(), time.process_time()
        placed = store.rebuild_families()
        out = {"claims_placed": placed, "seconds": round(time.perf_counter() - started, 1),
               "cpu_seconds": round(time.process_time() - cpu, 1),
               "cpu_ms_per_claim": round(1000 * (time.process_time() - cpu) / max(1, placed), 3),
               "load_average": os.getloadavg()[0], "tables": {}}
        for table, order in DERIVED_TABLES.items():
            digest, rows = hashlib.sha256(), 0
            for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
                digest.update(repr(row).encode())
                rows += 1
            out["tables"][table] = {"rows": rows, "sha256": digest.hexdigest()[:16]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crossreport", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("quality-demo")
    p = sub.add_parser("quality-generated")
    p.add_argument("--reports", type=int, default=2000)
    p.add_argument("--stories", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", help="build the corpus into this database once; later runs score it again")
    p = sub.add_parser("rebuild-digest", help="rebuild a copy's families: CPU per claim and a digest of each table")
    p.add_argument("--db", required=True)
    p.add_argument("--copy", required=True, help="where the copy goes (overwritten)")
    p = sub.add_parser("scale")
    p.add_argument("--db", required=True)
    p.add_argument("--stories", type=int, default=0, help="add this many known stories first (once)")
    p.add_argument("--runs", type=int, default=50)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-rebuild", action="store_true", help="time updates and summaries on the families as they are")
    p.add_argument("--place-first", type=int, metavar="N",
                   help="instead of every family, place the first N reports' claims (a corpus too big for the time)")
    args = parser.parse_args(argv)
    if args.command == "quality-demo":
        result = quality_demo()
    elif args.command == "rebuild-digest":
        result = rebuild_digest(args.db, args.copy)
    elif args.command == "quality-generated":
        result = quality_generated(args.reports, args.stories, args.seed, args.keep)
    else:
        result = scale(args.db, args.stories, args.runs, args.seed, rebuild=not args.no_rebuild, first=args.place_first)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
