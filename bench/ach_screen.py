"""Opening the ACH screen: the key ``M`` to the first frame showing the matrix (issue 20's bar:
5 hypotheses x 300 claims <= 100 ms).

    python -m bench.ach_screen [--db PATH] [--hypotheses 5] [--claims 300] [--runs 15] [--json]

Fills the database when PATH holds no hypotheses yet: with a corpus in it (``bench.generate``),
300 of its claims spread across it; else 30 new reports of 10 claims, sources graded A-F. Every
claim becomes an evidence row: a stance toward one hypothesis and the analyst's ratings on 80% of
the cells. Then it opens the app headless at 160x48 and at 80x24 and, ``runs`` times, sends
``M`` and times until Textual hands the first frame of the ACH screen to the terminal
(``Screen._compositor_refresh``, as bench/scale.py times frames; the UI thread's CPU time over
the same span is given too, as the figure a loaded machine moves least), then closes it with ``q``.
The first opening of a process (the screen's module imported) is reported apart.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import tui  # noqa: F401  (first, as when the app is launched: it sets Textual's frame rate)
from textual import events
from textual import screen as screen_module

from db.models import ExtractedClaim, Extraction, ParsedReport
from db.store import Store

FRAMES: list[tuple[float, float, str]] = []  # (clock, this thread's CPU time, screen)
_refresh = screen_module.Screen._compositor_refresh


def _logged_refresh(self):
    result = _refresh(self)
    FRAMES.append((time.perf_counter(), time.thread_time(), type(self).__name__))
    return result


screen_module.Screen._compositor_refresh = _logged_refresh

SOURCES = [("Levant Wire", "A"), ("Shafaq News", "B"), ("Tigris Monitor", "C"), ("Kura Valley Herald", "D"),
           ("Resistance Front", "E"), ("Iraq Watch Room", "F")]
RATINGS = ("CC", "C", "N", "N", "I", "II")


def build(path: Path, hypotheses: int, claims: int, seed: int = 20) -> None:
    rng = random.Random(seed)
    store = Store.open(path)
    ids = [store.create_hypothesis(f"Hypothesis {i + 1}: Hamas moves its leadership to place {i + 1}", activate=i == 0)
           for i in range(hypotheses)]
    claim_ids: list[int] = []
    total = store.count_claims()
    if total >= claims:  # a generated corpus (bench/generate.py): claims spread across it
        step = total // claims
        claim_ids = [r[0] for r in store.conn.execute("SELECT id FROM claims ORDER BY id")][::step][:claims]
    per_report = 10
    for r in range((claims - len(claim_ids) + per_report - 1) // per_report):
        sentences = [f"Claim {r}-{k}: informed sources said the office in district {rng.randint(1, 99)} "
                     f"would open within {rng.randint(2, 30)} days, the outlet reported." for k in range(per_report)]
        body = f"Report {r}\n" + " ".join(sentences)
        extraction = Extraction(version="bench")
        for sentence in sentences[:min(per_report, claims - len(claim_ids))]:
            start = body.index(sentence)
            extraction.claims.append(ExtractedClaim(start, start + len(sentence), sentence, speaker="informed sources",
                                                    rule="bench", confidence=0.9))
        source, grade = SOURCES[r % len(SOURCES)]
        with store.write():
            outcome = store.store_report(ParsedReport(title=f"Report {r}", body=body, format="text", publisher=source,
                                                      published=f"2024-06-{1 + r % 28:02d}", reliability=grade), extraction)
        claim_ids += store.claim_ids_for_report(outcome.report_id)
    for claim_id in claim_ids:
        store.set_stance([claim_id], rng.choice(("supports", "refutes", "neutral")), rng.choice(ids))
        store.set_claim_credibility([claim_id], rng.randint(1, 6))
    for hypothesis_id in ids:
        rated = rng.sample(claim_ids, int(len(claim_ids) * 0.8))
        by_rating: dict[str, list[int]] = {}
        for claim_id in rated:
            by_rating.setdefault(rng.choice(RATINGS), []).append(claim_id)
        for rating, rated_ids in by_rating.items():
            store.set_ach_cell(rated_ids, hypothesis_id, rating)
    store.close()


async def time_openings(store: Store, size: tuple[int, int], runs: int) -> dict:
    from tui.app import AnalystApp

    app = AnalystApp(store, cursor_blink=False)
    openings: list[float] = []
    cpu: list[float] = []
    async with app.run_test(headless=True, size=size) as pilot:
        await pilot.pause(0.5)
        for _ in range(runs):
            FRAMES.clear()
            sent, sent_cpu = time.perf_counter(), time.thread_time()
            app._driver.send_message(events.Key("M", "M"))
            deadline = sent + 5
            while not any(name == "AchScreen" for _, _, name in FRAMES) and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            shown = [(t, c) for t, c, name in FRAMES if name == "AchScreen"]
            if not shown:
                raise RuntimeError("the ACH screen never painted")
            openings.append((shown[0][0] - sent) * 1000)
            cpu.append((shown[0][1] - sent_cpu) * 1000)
            rows = app.screen.table.row_count
            columns = len(app.screen.table.matrix.hypotheses)
            await pilot.pause(0.2)
            app._driver.send_message(events.Key("q", "q"))
            await pilot.pause(0.3)
    return {"first_ms": round(openings[0], 1), "warm_ms": _stats(openings[1:]), "first_cpu_ms": round(cpu[0], 1),
            "warm_cpu_ms": _stats(cpu[1:]), "rows": rows, "columns": columns}


def _stats(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {}
    return {"runs": len(ordered), "median": round(ordered[len(ordered) // 2], 1),
            "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            "min": round(ordered[0], 1), "max": round(ordered[-1], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database to use (built if it holds no hypotheses)")
    parser.add_argument("--hypotheses", type=int, default=5)
    parser.add_argument("--claims", type=int, default=300)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="bench-ach-")) / "ach.db"
    with Store.open(path) as store:
        empty = not store.list_hypotheses()
    if empty:
        started = time.perf_counter()
        build(path, args.hypotheses, args.claims)
        print(f"built {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    store = Store.open(path)
    matrix_ms = []
    for _ in range(args.runs):
        started = time.perf_counter()
        matrix = store.ach_matrix()
        matrix_ms.append((time.perf_counter() - started) * 1000)
    result = {"db": str(path), "hypotheses": len(matrix.hypotheses), "evidence_rows": len(matrix.rows),
              "ach_matrix_query_ms": _stats(matrix_ms)}
    for size in ((160, 48), (80, 24)):
        result[f"key_to_first_frame_{size[0]}x{size[1]}"] = asyncio.run(time_openings(store, size, args.runs))
    from bench.scale import machine

    result["machine"] = {**machine(), "load_average": os.getloadavg()}
    print(json.dumps(result, indent=1) if args.json else json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
