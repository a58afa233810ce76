"""Mention-level NER scoring, seqeval-style: a predicted entity counts only with the exact span and type."""

from __future__ import annotations

from bench.ner_corpora import TYPES

Spans = list[tuple[int, int, str]]


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "n_pred": n_pred,
            "n_gold": n_gold}


def score_predictions(gold: list[Spans], pred: list[Spans]) -> dict:
    """``gold`` and ``pred``: per sentence, (start, end, type) spans. Returns
    {"entities_typed": {...}, "by_type": {type: {...}}, "confusions": {"gold>pred": n}}."""
    tp = {t: 0 for t in TYPES}
    n_pred = {t: 0 for t in TYPES}
    n_gold = {t: 0 for t in TYPES}
    confusions: dict[str, int] = {}
    for g, p in zip(gold, pred, strict=True):
        gs = set(g)
        gold_type = {(a, b): t for a, b, t in g}
        for _a, _b, t in g:
            n_gold[t] += 1
        for a, b, t in set(p):
            n_pred[t] += 1
            if (a, b, t) in gs:
                tp[t] += 1
            elif (a, b) in gold_type:
                key = f"{gold_type[(a, b)]}>{t}"
                confusions[key] = confusions.get(key, 0) + 1
    overall = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return {"entities_typed": overall, "by_type": {t: _prf(tp[t], n_pred[t], n_gold[t]) for t in TYPES},
            "confusions": dict(sorted(confusions.items(), key=lambda kv: -kv[1]))}
