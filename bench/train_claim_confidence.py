"""Learn the claim re-ranker from PolNeAR's fit part and write ``db/extract/model/claim_confidence.json``.

    python -m bench.train_claim_confidence [--gold FILE] [--reports DIR] [--out FILE]

1. The rules run on every fit document (``bench/split.py``); each claim row is labelled by the
   harness's own matching (``bench.extraction.label_claims``): right = a gold claim with its speaker.
2. Features seen in fewer than MIN_FEATURE_ROWS rows are dropped (too rare to weigh).
3. The fit documents are cut into FOLDS document-wise; for each L2 strength of L2_GRID a logistic
   regression is trained on all folds but one and scores the one left out. The strength with the lowest
   out-of-fold log loss is kept.
4. Those out-of-fold scores, which no model saw in training, fit the isotonic calibration curve, and the
   floor is chosen on them: the highest candidate floor that costs the fit documents at most
   FLOOR_RECALL_COST of claims recall (none: see there).
5. The final regression is trained on every fit document and written with the curve and the floor.
Nothing here depends on today's rules: run it again after the rules change.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from db.extract import extract_candidates
from db.extract.claim_confidence import MODEL_FORMAT, MODEL_PATH, interpolate

from .calibration import calibration_summary
from .extraction import label_claims, prf, score_claims
from .logistic import isotonic_curve, log_loss, predict, train_logistic
from .split import in_split

DEFAULT_GOLD = Path("/work/shared/gold/polnear-train.gold.json")
DEFAULT_REPORTS = Path("/work/shared/data/polnear/train/text")
FOLDS = 4
L2_GRID = (1e-3, 3e-3, 1e-2, 3e-2)
MIN_FEATURE_ROWS = 10
FLOOR_CANDIDATES = tuple(round(0.05 * k, 2) for k in range(0, 11))  # 0.0 .. 0.5
# Dropping a row can lose a found gold claim. A floor that cost PolNeAR's fit documents 0.9 points of
# recall (0.10) bought 0.8 points of held-out precision and dropped plainly right claims whose low score
# comes from the gold's punctuation ("Amina Diallo" against "Amina Diallo, the regional health
# director,"): a floor must cost no found claim at all; doubtful rows are dimmed for the analyst instead.
FLOOR_RECALL_COST = 0.0
SEED = 13


@dataclasses.dataclass
class Document:
    file: str
    gold: dict
    body: str
    extraction: object
    features: list[list[str]]
    labels: list[int | None]

    @property
    def fold(self) -> int:
        # a second byte of the same hash the held-out split uses its first byte of: independent of it
        return hashlib.sha1(self.file.encode("utf-8")).digest()[1] % FOLDS


def load_documents(gold_path: Path, reports: Path, words_only: bool = False) -> list[Document]:
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    docs = []
    for doc in gold["documents"]:
        path = Path(reports) / doc["file"]
        if "claims" not in doc or not in_split(doc["file"], "fit") or not path.exists():
            continue
        body = path.read_text(encoding="utf-8", errors="replace")
        ex, features = extract_candidates(body)
        docs.append(Document(doc["file"], doc, body, ex, features, label_claims(doc, body, ex, words_only)))
    return docs


def labelled(docs: list[Document]) -> tuple[list[list[str]], list[int]]:
    rows, labels = [], []
    for d in docs:
        for names, y in zip(d.features, d.labels, strict=True):
            if y is not None:
                rows.append(names)
                labels.append(y)
    return rows, labels


def vocabulary(rows: list[list[str]]) -> set[str]:
    counts = Counter(n for names in rows for n in names)
    return {n for n, k in counts.items() if k >= MIN_FEATURE_ROWS}


def restrict(rows: list[list[str]], vocab: set[str]) -> list[list[str]]:
    return [[n for n in names if n in vocab] for names in rows]


def out_of_fold(docs: list[Document], vocab: set[str], l2: float) -> list[list[float]]:
    """Per document, the raw probability of each of its rows from the model trained without its fold."""
    scores: list[list[float]] = [[] for _ in docs]
    for fold in range(FOLDS):
        rows, labels = labelled([d for d in docs if d.fold != fold])
        weights = train_logistic(restrict(rows, vocab), labels, l2=l2, seed=SEED)
        for i, d in enumerate(docs):
            if d.fold == fold:
                scores[i] = predict(weights, restrict(d.features, vocab))
    return scores


def claims_figures(docs: list[Document], probs: list[list[float]], floor: float) -> dict:
    """Claims P/R and attribution on the documents with rows under ``floor`` dropped."""
    totals: dict = defaultdict(int)
    for d, p in zip(docs, probs, strict=True):
        kept = [c for c, q in zip(d.extraction.claims, p, strict=True) if q >= floor]
        score_claims(d.gold, d.body, dataclasses.replace(d.extraction, claims=kept), totals, [])
    figures = prf(totals["pred_ok"], totals["n_pred"], totals["found"], totals["n_gold"])
    figures["attribution_accuracy"] = round(totals["attr_ok"] / totals["found"], 4) if totals["found"] else 0.0
    return figures


def choose_floor(docs: list[Document], calibrated: list[list[float]]) -> tuple[float, list[dict]]:
    table = []
    for floor in FLOOR_CANDIDATES:
        figures = claims_figures(docs, calibrated, floor)
        table.append({"floor": floor, **{k: figures[k] for k in ("precision", "recall", "attribution_accuracy")}})
    base_recall = table[0]["recall"]
    affordable = [row["floor"] for row in table if row["recall"] >= base_recall - FLOOR_RECALL_COST]
    return max(affordable), table


def train(gold_path: Path, reports: Path, log=print, words_only: bool = False) -> dict:
    t0 = time.perf_counter()
    docs = load_documents(gold_path, reports, words_only)
    rows, labels = labelled(docs)
    vocab = vocabulary(rows)
    log(f"{len(docs)} fit documents, {len(rows)} labelled rows ({sum(labels)} right), {len(vocab)} features "
        f"({time.perf_counter() - t0:.0f}s)")
    best = None
    for l2 in L2_GRID:
        scores = out_of_fold(docs, vocab, l2)
        flat = [q for d, s in zip(docs, scores, strict=True) for q, y in zip(s, d.labels, strict=True) if y is not None]
        loss = log_loss(flat, labels)
        log(f"  l2 {l2:g}: out-of-fold log loss {loss:.4f} ({time.perf_counter() - t0:.0f}s)")
        if best is None or loss < best[1]:
            best = (l2, loss, scores)
    l2, loss, scores = best
    flat = [q for d, s in zip(docs, scores, strict=True) for q, y in zip(s, d.labels, strict=True) if y is not None]
    curve_x, curve_y = isotonic_curve(flat, labels)
    calibrated = [[interpolate(tuple(curve_x), tuple(curve_y), q) for q in s] for s in scores]
    floor, floor_table = choose_floor(docs, calibrated)
    for row in floor_table:
        log(f"  floor {row['floor']:.2f}: fit P {row['precision']:.3f} R {row['recall']:.3f} "
            f"attribution {row['attribution_accuracy']:.3f}")
    oof_calibration = calibration_summary(
        [q for d, s in zip(docs, calibrated, strict=True) for q, y in zip(s, d.labels, strict=True) if y is not None], labels)
    weights = train_logistic(restrict(rows, vocab), labels, l2=l2, seed=SEED)
    weights = {n: round(w, 5) for n, w in sorted(weights.items()) if abs(w) >= 1e-5}
    curve = {"x": [round(x, 6) for x in curve_x], "y": [round(y, 6) for y in curve_y]}
    digest = hashlib.sha1(json.dumps([weights, curve, floor]).encode()).hexdigest()[:10]
    log(f"l2 {l2:g}, floor {floor:.2f}, out-of-fold ECE {oof_calibration['ece']:.4f}, "
        f"precision at >= 0.8 {oof_calibration['precision_at_0.8']} ({time.perf_counter() - t0:.0f}s)")
    return {
        "format": MODEL_FORMAT,
        "version": digest,
        "about": "Claim re-ranker: logistic regression over db/extract/claim_features.py, isotonic "
                 "calibration; trained by bench/train_claim_confidence.py on PolNeAR train (fit part).",
        "training": {
            "documents": len(docs), "rows": len(rows), "right": sum(labels), "features": len(weights),
            "l2": l2, "out_of_fold_log_loss": round(loss, 4), "seed": SEED, "folds": FOLDS,
            "out_of_fold_ece": oof_calibration["ece"],
            "out_of_fold_precision_at_0.8": oof_calibration["precision_at_0.8"],
            "floor_table": floor_table,
        },
        "floor": floor,
        "calibration": curve,
        "weights": weights,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--reports", type=Path, default=DEFAULT_REPORTS)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--words-only", action="store_true",
                    help="label speakers as the diagnostic attribution figure compares them (punctuation dropped)")
    a = ap.parse_args(argv)
    model = train(a.gold, a.reports, log=lambda line: print(line, file=sys.stderr, flush=True),
                  words_only=a.words_only)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(model, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {a.out} (version {model['version']}, {model['training']['features']} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
