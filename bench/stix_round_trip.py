"""STIX 2.1 round trip at scale: generate reports, grade them, export a bundle, validate it with the OASIS
validator, import it into a fresh database and compare.

    python -m bench.stix_round_trip --reports 1000 [--seed 1] [--keep DIR]

Prints the timings and the comparison; exit 1 if the bundle has a validation error or anything differs.
``analyst_work`` and ``snapshot`` are also what tests/test_stix.py uses.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path


def analyst_work(store, seed: int = 1) -> dict[str, int]:
    """An analyst's day on a store, through the grading API: report grades, stances toward two
    hypotheses, notes on reports, claims and sources, and corroborates/contradicts/duplicates links."""
    rng = random.Random(seed)
    report_ids = store.report_ids()
    if not store.list_hypotheses():
        store.create_hypothesis("Hamas is moving its political leadership to Baghdad")
    second = store.create_hypothesis("The office is a cover for a military presence", activate=False)
    first = store.active_hypothesis_id()
    done = {"report grades": 0, "stances": 0, "notes": 0, "links": 0}
    for credibility in (1, 2, 3, 4, 5):
        chosen = rng.sample(report_ids, max(1, len(report_ids) // 12))
        done["report grades"] += store.set_report_credibility(chosen, credibility)
    claim_ids = [cid for rid in report_ids for cid in store.claim_ids_for_report(rid)]
    for hypothesis in (first, second):
        for stance in ("supports", "refutes", "neutral"):
            chosen = rng.sample(claim_ids, min(len(claim_ids), max(1, len(claim_ids) // 20)))
            done["stances"] += store.set_stance(chosen, stance, hypothesis_id=hypothesis)
    for rid in rng.sample(report_ids, max(1, len(report_ids) // 10)):
        done["notes"] += store.set_note("report", rid, f"Checked against the wire on {rid % 28 + 1} June.")
    for cid in rng.sample(claim_ids, min(len(claim_ids), max(1, len(claim_ids) // 50))):
        done["notes"] += store.set_note("claim", cid, "Speaker is a relay: \u201cask the ministry\u201d.")
    source = store.get_report(report_ids[0]).source
    if source is not None:
        done["notes"] += store.set_note("source", source.id, "Owned by a party close to the government.")
    for kind in ("corroborates", "contradicts", "duplicates"):
        for _ in range(max(1, len(report_ids) // 20)):
            a, b = rng.sample(claim_ids, 2)
            done["links"] += store.relate_claims(a, b, kind)
    return done


def snapshot(store) -> dict:
    """What must survive the round trip, keyed by content (ids differ between databases): each report's
    fields, grades, status, tags and note, its source's grade and note, and each claim's span, attribution,
    flags, credibility, note, stance toward every hypothesis (by title) and links (by the other's text)."""
    hypotheses = store.list_hypotheses()
    out = {}
    for rid in store.report_ids():
        r = store.get_report(rid)
        claims = {}
        stances = {h.title: {c.id: c.stance for c in store.claims_for_report(rid, hypothesis_id=h.id)}
                   for h in hypotheses}
        for c in store.claims_for_report(rid):
            links = sorted((kind, other.text) for kind, other in store.claim_relations(c.id))
            claims[(c.start, c.end)] = {
                "text": c.text, "speaker": c.speaker, "speaker_resolved": c.speaker_resolved, "chain": c.chain,
                "cue": c.cue, "flags": (c.is_quote, c.is_hedged, c.is_denial, c.speaker_inferred),
                "credibility": c.credibility, "note": c.note, "tags": sorted(c.tags), "links": links,
                "stances": {title: by_claim[c.id] for title, by_claim in stances.items() if by_claim.get(c.id)},
            }
        source = r.source
        out[r.content_hash] = {
            "title": r.title, "body": r.body, "url": r.url, "published": r.published, "author": r.author,
            "container": r.container, "language": r.language, "credibility": r.credibility, "status": r.status,
            "tags": sorted(r.tags), "note": r.note,
            "source": None if source is None else (source.name, source.reliability, source.kind, source.affiliation,
                                                   store.note_of("source", source.id)),
            "claims": claims,
        }
    return out


def differences(before: dict, after: dict, limit: int = 10) -> list[str]:
    out = []
    for key in before.keys() | after.keys():
        if key not in after:
            out.append(f"report {before[key]['title'][:40]!r} missing after the round trip")
        elif key not in before:
            out.append(f"report {after[key]['title'][:40]!r} appeared")
        else:
            for name in before[key]:
                if before[key][name] != after[key][name]:
                    out.append(f"report {before[key]['title'][:40]!r}: {name} differs")
        if len(out) >= limit:
            break
    return out


def validation_errors(text: str) -> tuple[list[str], int]:
    """The OASIS validator's errors on a bundle, and how many warnings it gave."""
    from stix2validator import ValidationOptions, validate_string

    result = validate_string(text, ValidationOptions())
    results = getattr(result, "object_results", None) or [result]
    errors = [str(e) for r in results for e in r.errors]
    warnings = sum(len(r.warnings) for r in results)
    return errors, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stix_round_trip", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="folder to keep the databases and the bundle in")
    options = parser.parse_args(argv)
    from bench.generate import generate
    from db.references import reference_writer
    from db.stix.read import import_bundle
    from db.store import Store

    folder = Path(options.keep or tempfile.mkdtemp(prefix="stix-round-trip-"))
    folder.mkdir(parents=True, exist_ok=True)
    source_db, target_db, bundle = folder / "source.db", folder / "target.db", folder / "bundle.json"
    for path in (source_db, target_db):
        path.unlink(missing_ok=True)
    generate(source_db, options.reports, seed=options.seed)
    timings = {}
    with Store.open(source_db) as store:
        print("analyst work:", analyst_work(store, options.seed))
        started = time.perf_counter()
        with bundle.open("w", encoding="utf-8") as handle:
            reference_writer(store, "stix")(store.report_ids(), handle)
        timings["export"] = time.perf_counter() - started
        before = snapshot(store)
    text = bundle.read_text(encoding="utf-8")
    started = time.perf_counter()
    errors, warnings = validation_errors(text)
    timings["validate"] = time.perf_counter() - started
    objects = json.loads(text)["objects"]
    with Store.open(target_db) as store:
        started = time.perf_counter()
        summary = import_bundle(store, json.loads(text))
        timings["import"] = time.perf_counter() - started
        after = snapshot(store)
    found = differences(before, after)
    kinds: dict[str, int] = {}
    for obj in objects:
        kinds[obj["type"]] = kinds.get(obj["type"], 0) + 1
    print(f"bundle: {len(text) / 1024**2:.1f} MiB, {len(objects)} objects {kinds}")
    print(f"validator: {len(errors)} errors, {warnings} warnings")
    for error in errors[:10]:
        print("  error:", error)
    print("import:", summary.line())
    print("timings (s):", {k: round(v, 1) for k, v in timings.items()})
    claims = sum(len(r["claims"]) for r in before.values())
    print(f"compared {len(before)} reports, {claims} claims: {'identical' if not found else 'DIFFERENT'}")
    for line in found:
        print("  ", line)
    return 1 if errors or found else 0


if __name__ == "__main__":
    sys.exit(main())
