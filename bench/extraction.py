"""Score ``db.extract.extract`` against an ``analyst-gold/1`` file (see /work/shared/gold/README.md).

    python -m bench.extraction --gold FILE --reports DIR [--split fit|held-out] [--drop-below P] [--verbose] [--json]
    python -m bench.extraction --names DIR      # transliteration-key measurement on OFAC aliases
    python -m bench.extraction --ner FILE...    # the shipped entity recogniser on NER corpus files

Matching follows the gold README:
- names are normalised (NFKC, case-fold, curly quotes to plain, hyphens to spaces, white space collapsed,
  leading "the " dropped); an entity matches by equality with the gold name or an alias, or
  rapidfuzz token_sort_ratio >= 90; each gold entity is matched at most once per document; predictions
  matching an optional entity are ignored.
- a predicted claim matches a gold claim when its normalised text contains the anchor, or when both lie
  in the same sentence (the anchor's sentence(s), from the extractor's own splitter, contain the claim);
  a prediction containing boilerplate is a false positive; predictions matching only optional claims are
  ignored. Claim P/R follow the README literally (a prediction is correct if it matches some gold claim;
  a gold claim is found if some prediction matches it); a stricter one-to-one matching is reported too.
- attribution: for each found gold claim, the matching prediction judged is the most specific one (text
  contains the anchor first, then the shortest). Its speaker is correct when either the speaker as written
  or ``speaker_resolved`` matches one of the gold speakers (normalised equality or token_set_ratio >= 85;
  an empty speaker matches null). Gold lists accept both forms, so both are tried.
No title or publisher hints from the gold file are passed to the extractor (they would be answers).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz

from db.extract import extract, name_key
from db.extract.sentences import split_sentences

from .calibration import calibration_summary
from .split import SPLITS, in_split

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‛": "'",
                         "ʼ": "'", "‐": " ", "-": " ", "‑": " ", "–": " ", "—": " "})


def norm(text: str | None) -> str:
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    t = re.sub(r"\s+", " ", t).strip()
    return re.sub(r"^the ", "", t)


def norm_claim(text: str) -> str:
    """The same normalisation for claim texts and anchors (case is folded on both sides)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)).strip()


def prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp_pred": tp_p, "n_pred": n_pred, "tp_gold": tp_g, "n_gold": n_gold}


def _name_match(pred: str, gold_names: list[str]) -> bool:
    p = norm(pred)
    for g in gold_names:
        gn = norm(g)
        if p == gn or fuzz.token_sort_ratio(p, gn) >= 90:
            return True
    return False


_PUNCT = re.compile(r"[^\w\s']+")


def _words_only(text: str) -> str:
    return re.sub(r"\s+", " ", _PUNCT.sub(" ", text)).strip()


def speaker_ok(speakers: list[str | None], pred_speakers: list[str | None], words_only: bool = False) -> bool:
    """``words_only``: a diagnostic variant that drops punctuation before comparing, so that a gold speaker
    written with its apposition and commas ("Jo Roe, a pollster,") is compared word by word. The official
    figure keeps the README's comparison (words_only=False)."""
    for ps in pred_speakers:
        pn = norm(ps)
        if words_only:
            pn = _words_only(pn)
        for g in speakers:
            if g is None:
                if not pn:
                    return True
                continue
            gn = _words_only(norm(g)) if words_only else norm(g)
            if pn and (pn == gn or fuzz.token_set_ratio(pn, gn) >= 85):
                return True
    return False


def score_entities(doc: dict, ex, out: dict, misses: list) -> None:
    gold = doc["entities"]
    optional = doc.get("optional_entities", [])
    used = set()
    for e in ex.entities:
        hit = None
        for i, g in enumerate(gold):
            if i not in used and _name_match(e.name, [g["name"], *g.get("aliases", [])]):
                hit = i
                break
        if hit is None:
            # an entity whose gold match is already taken, or an optional one, is judged on its aliases too
            if _name_match(e.name, optional) or any(_name_match(a, optional) for a in e.aliases):
                continue
            out["fp"] += 1
            out["fp_typed"] += 1
            misses.append(("spurious entity", f"{e.name} [{e.type}]"))
            continue
        used.add(hit)
        out["tp"] += 1
        if e.type in gold[hit]["types"]:
            out["tp_typed"] += 1
        else:
            out["fp_typed"] += 1
            misses.append(("wrong type", f"{e.name} [{e.type}] gold {gold[hit]['types']}"))
    out["n_gold"] += len(gold)
    for i, g in enumerate(gold):
        if i not in used:
            misses.append(("missed entity", g["name"]))


def _anchor_spans(body: str, anchor: str) -> list[tuple[int, int]]:
    spans, i = [], body.find(anchor)
    while i >= 0:
        spans.append((i, i + len(anchor)))
        i = body.find(anchor, i + 1)
    if not spans:  # tolerate white-space/quote differences
        pat = re.escape(norm_claim(anchor)).replace(r"\ ", r"\s+")
        m = re.search(pat, norm_claim(body))
        if m and len(norm_claim(body)) == len(body):
            spans.append((m.start(), m.end()))
    return spans


def _claim_matches(body: str, sentences, claim, anchor: str, anchor_spans) -> int:
    """2 = text contains the anchor, 1 = same sentence, 0 = no match."""
    if norm_claim(anchor) in norm_claim(claim.text):
        return 2
    for a_s, a_e in anchor_spans:
        covering = [(s, e) for s, e in sentences if s < a_e and a_s < e]
        if covering:
            lo, hi = covering[0][0], covering[-1][1]
            if lo <= claim.start and claim.end <= hi:
                return 1
    return 0


def score_claims(doc: dict, body: str, ex, out: dict, misses: list) -> None:
    sentences = split_sentences(body)
    gold = doc["claims"]
    optional = doc.get("optional_claims", [])
    boiler = [norm_claim(b) for b in doc.get("boilerplate", [])]
    anchors = [_anchor_spans(body, g["anchor"]) for g in gold]
    opt_spans = [_anchor_spans(body, a) for a in optional]
    # candidate edges
    edges: dict[int, list[tuple[int, int]]] = defaultdict(list)  # gold -> [(pred, strength)]
    pred_ok = 0
    n_pred = 0
    counted_preds = []
    for pi, c in enumerate(ex.claims):
        nt = norm_claim(c.text)
        if any(b and b in nt for b in boiler):
            n_pred += 1
            misses.append(("boilerplate claim", c.text[:100]))
            continue
        hits = [(gi, _claim_matches(body, sentences, c, g["anchor"], anchors[gi])) for gi, g in enumerate(gold)]
        hits = [(gi, s) for gi, s in hits if s]
        if not hits:
            if any(_claim_matches(body, sentences, c, a, opt_spans[i]) for i, a in enumerate(optional)):
                continue  # neither rewarded nor punished
            n_pred += 1
            misses.append(("spurious claim", f"[{c.rule}] {c.speaker!r}: {c.text[:100]}"))
            continue
        n_pred += 1
        pred_ok += 1
        counted_preds.append(pi)
        for gi, s in hits:
            edges[gi].append((pi, s))
    found = 0
    attr_ok = 0
    attr_words_ok = 0
    for gi, g in enumerate(gold):
        cand = edges.get(gi)
        if not cand:
            misses.append(("missed claim", g["anchor"]))
            continue
        found += 1
        pi, _ = min(cand, key=lambda t: (-t[1], ex.claims[t[0]].end - ex.claims[t[0]].start))
        c = ex.claims[pi]
        attr_words_ok += int(speaker_ok(g["speakers"], [c.speaker, c.speaker_resolved], words_only=True))
        if speaker_ok(g["speakers"], [c.speaker, c.speaker_resolved]):
            attr_ok += 1
        else:
            misses.append(("wrong speaker", f"{g['anchor'][:60]!r}: got {c.speaker!r}/{c.speaker_resolved!r}, "
                                            f"gold {g['speakers']}"))
    # one-to-one: maximum bipartite matching (augmenting paths; documents are small)
    match_pred: dict[int, int] = {}

    def augment(gi: int, seen: set) -> bool:
        for pi, _ in edges.get(gi, []):
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in match_pred or augment(match_pred[pi], seen):
                match_pred[pi] = gi
                return True
        return False

    one_to_one = sum(1 for gi in range(len(gold)) if augment(gi, set()))
    out["pred_ok"] += pred_ok
    out["n_pred"] += n_pred
    out["found"] += found
    out["n_gold"] += len(gold)
    out["attr_ok"] += attr_ok
    out["attr_words_ok"] += attr_words_ok
    out["one_to_one"] += one_to_one


def label_claims(doc: dict, body: str, ex, words_only: bool = False) -> list[int | None]:
    """Per predicted claim, by the same matching as ``score_claims``: 1 when it matches a gold claim whose
    speakers accept its speaker, 0 when it is boilerplate, matches nothing, or has the wrong speaker for
    every gold claim it matches; None when it matches only optional claims (neither right nor wrong).
    ``words_only``: speakers compared as the diagnostic attribution figure compares them (see speaker_ok)."""
    sentences = split_sentences(body)
    gold = doc.get("claims", [])
    optional = doc.get("optional_claims", [])
    boiler = [norm_claim(b) for b in doc.get("boilerplate", [])]
    anchors = [_anchor_spans(body, g["anchor"]) for g in gold]
    opt_spans = [_anchor_spans(body, a) for a in optional]
    labels: list[int | None] = []
    for c in ex.claims:
        nt = norm_claim(c.text)
        if any(b and b in nt for b in boiler):
            labels.append(0)
            continue
        matched = [g for gi, g in enumerate(gold) if _claim_matches(body, sentences, c, g["anchor"], anchors[gi])]
        if not matched:
            optional_only = any(_claim_matches(body, sentences, c, a, opt_spans[i]) for i, a in enumerate(optional))
            labels.append(None if optional_only else 0)
            continue
        labels.append(int(any(speaker_ok(g["speakers"], [c.speaker, c.speaker_resolved], words_only) for g in matched)))
    return labels


def run(gold_path: Path, reports: Path, verbose: bool = False, split: str = "all", drop_below: float = 0.0) -> dict:
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    ent = defaultdict(int)
    cl = defaultdict(int)
    meta = defaultdict(int)
    per_file = []
    total_time = 0.0
    total_words = 0
    total_cpu = 0.0
    n_docs = 0
    # the entity recogniser's model is read once per process: that is not a report's cost
    from db.extract.ner import model as ner_model
    c0 = time.thread_time()
    ner_model()
    model_load_cpu = time.thread_time() - c0
    confidences: list[float] = []  # every scored claim's confidence, and whether it was right (1/0)
    correct: list[int] = []
    correct_words_only: list[int] = []  # the same rows, speakers compared with punctuation dropped
    for doc in gold["documents"]:
        if not in_split(doc["file"], split):
            continue
        path = Path(reports) / doc["file"]
        if not path.exists():
            per_file.append({"file": doc["file"], "error": "missing"})
            continue
        body = path.read_text(encoding="utf-8", errors="replace")
        t0, c0 = time.perf_counter(), time.thread_time()
        ex = extract(body, title=None, published=None, publisher=None)
        if drop_below:
            ex = dataclasses.replace(ex, claims=[c for c in ex.claims if c.confidence >= drop_below])
        total_time += time.perf_counter() - t0
        total_cpu += time.thread_time() - c0  # CPU time of this thread: "one core", whatever else runs
        total_words += len(body.split())
        n_docs += 1
        misses: list = []
        fe, fc = defaultdict(int), defaultdict(int)
        if "entities" in doc:
            score_entities(doc, ex, fe, misses)
        if "claims" in doc:
            score_claims(doc, body, ex, fc, misses)
            labels = label_claims(doc, body, ex)
            for claim, label, words_label in zip(ex.claims, labels, label_claims(doc, body, ex, words_only=True), strict=True):
                if label is not None:
                    confidences.append(claim.confidence)
                    correct.append(label)
                    correct_words_only.append(words_label)
        for k, v in fe.items():
            ent[k] += v
        for k, v in fc.items():
            cl[k] += v
        m = doc.get("meta") or {}
        if "published" in m:
            meta["published_n"] += 1
            meta["published_ok"] += int((ex.published or None) == m["published"])
        if "publisher" in m:
            meta["publisher_n"] += 1
            ok = (ex.publisher is None and None in m["publisher"]) or \
                 (ex.publisher is not None and _name_match(ex.publisher, [p for p in m["publisher"] if p]))
            meta["publisher_ok"] += int(ok)
        row = {"file": doc["file"]}
        if "entities" in doc:
            row["entities"] = prf(fe["tp"], fe["tp"] + fe["fp"], fe["tp"], fe["n_gold"])
            row["entities_typed"] = prf(fe["tp_typed"], fe["tp"] + fe["fp"], fe["tp_typed"], fe["n_gold"])
        if "claims" in doc:
            row["claims"] = prf(fc["pred_ok"], fc["n_pred"], fc["found"], fc["n_gold"])
            row["attribution_accuracy"] = round(fc["attr_ok"] / fc["found"], 4) if fc["found"] else 0.0
        if verbose:
            row["misses"] = misses
        per_file.append(row)
    result = {
        "entities": prf(ent["tp"], ent["tp"] + ent["fp"], ent["tp"], ent["n_gold"]),
        "entities_typed": prf(ent["tp_typed"], ent["tp"] + ent["fp"], ent["tp_typed"], ent["n_gold"]),
        "claims": prf(cl["pred_ok"], cl["n_pred"], cl["found"], cl["n_gold"]),
        "claims_one_to_one": prf(cl["one_to_one"], cl["n_pred"], cl["one_to_one"], cl["n_gold"]),
        "attribution_accuracy": round(cl["attr_ok"] / cl["found"], 4) if cl["found"] else 0.0,
        # diagnostic only: speakers compared with punctuation dropped (see speaker_ok)
        "attribution_accuracy_words_only": round(cl["attr_words_ok"] / cl["found"], 4) if cl["found"] else 0.0,
        # a claim is right when it matches a gold claim and its speaker does too
        "calibration": calibration_summary(confidences, correct),
        # diagnostic only, as attribution_accuracy_words_only
        "calibration_words_only": calibration_summary(confidences, correct_words_only),
        "meta": {k: v for k, v in meta.items()},
        "documents": n_docs,
        "seconds": round(total_time, 3),
        "reports_per_second": round(n_docs / total_time, 1) if total_time else 0.0,
        "words_per_report": round(total_words / n_docs, 1) if n_docs else 0.0,
        "reports_per_second_at_600_words": round(total_words / 600 / total_time, 1) if total_time else 0.0,
        "cpu_reports_per_second_at_600_words": round(total_words / 600 / total_cpu, 1) if total_cpu else 0.0,
        "model_load_cpu_seconds": round(model_load_cpu, 3),
        "per_file": per_file,
    }
    return result


# --- transliteration key on OFAC aliases -----------------------------------------------------------


def names_measurement(folder: Path) -> dict:
    """Alias pairs of one SDN entry that the key links; pairs of different entries it wrongly joins."""
    folder = Path(folder)
    names: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, str] = {}
    with open(folder / "ofac_sdn.csv", encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) >= 3:
                names[row[0]].append(row[1])
                kinds[row[0]] = row[2].strip()
    with open(folder / "ofac_alt.csv", encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) >= 4 and row[2].strip() == "aka" and row[0] in names:
                names[row[0]].append(row[3])

    def measure(keyf) -> dict:
        pairs = linked = 0
        key_owners: dict[str, set] = defaultdict(set)
        for ent, ns in names.items():
            ks = [keyf(n) for n in ns]
            for i in range(len(ks)):
                key_owners[ks[i]].add(ent)
                for j in range(i + 1, len(ks)):
                    pairs += 1
                    linked += int(ks[i] == ks[j])
        wrong_pairs = sum(len(o) * (len(o) - 1) // 2 for o in key_owners.values())
        wrong_keys = sum(1 for o in key_owners.values() if len(o) > 1)
        return {"alias_pairs": pairs, "alias_pairs_linked": linked,
                "alias_link_rate": round(linked / pairs, 4) if pairs else 0.0,
                "distinct_entries_joined_pairs": wrong_pairs, "keys_shared_by_distinct_entries": wrong_keys}

    baseline = lambda n: " ".join(sorted(norm(n).replace(",", " ").split()))  # noqa: E731
    return {"entries": len(names),
            "individuals": sum(1 for k in kinds.values() if k == "individual"),
            "name_key": measure(name_key), "baseline_normalised_sorted_tokens": measure(baseline)}


def ner_measurement(files: list[Path], threshold: float | None = None, model_dir: Path | None = None) -> dict:
    """The app's entity recogniser (``db.extract.ner``, document by document through its gate: the shipped
    confidence threshold unless one is given, names carried to their other mentions, the rules' junk veto)
    on NER corpus files, read and mapped to PERSON / ORG /
    LOC by ``bench.ner_corpora``: mention-level exact span and type P/R/F1, overall and per type, and
    tagging speed. ``model_dir``: a model trained elsewhere (``bench.train_ner --out``) instead of the shipped one."""
    from db.extract.ner import NerModel, model

    from .ner_corpora import read_documents, spans
    from .ner_score import score_predictions

    m = model() if model_dir is None else NerModel(model_dir)
    if m is None:
        raise SystemExit("the entity recogniser's model could not be loaded (db/extract/model/)")
    th = m.threshold if threshold is None else threshold
    documents = [d for f in files for d in read_documents(f)]
    sentences = [s for d in documents for s in d]
    t0 = time.process_time()
    # document by document, as the app reads a report: a name the model is sure of counts for the document
    preds = [[(a, b, t) for a, b, t, _c in sent]
             for d in documents for sent in m.document_entities([tokens for tokens, _ in d], th)]
    cpu = time.process_time() - t0
    res = score_predictions([spans(tags) for _, tags in sentences], preds)
    n_tokens = sum(len(tokens) for tokens, _ in sentences)
    res.update(files=[str(f) for f in files], documents=len(documents), sentences=len(sentences), tokens=n_tokens,
               threshold=th, propagate_anchor=m.anchor, model=str(model_dir or "shipped"),
               tokens_per_cpu_second=round(n_tokens / cpu) if cpu else None)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path)
    ap.add_argument("--reports", type=Path)
    ap.add_argument("--names", type=Path, help="folder with ofac_sdn.csv and ofac_alt.csv")
    ap.add_argument("--split", choices=SPLITS, default="all",
                    help="score only the documents fitted on, or only those held out (bench/split.py)")
    ap.add_argument("--drop-below", type=float, default=0.0, metavar="P",
                    help="score only the claims with confidence >= P (what stands out when the claims pane "
                         "dims those below P)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--ner", type=Path, nargs="+", metavar="FILE",
                    help="score the entity recogniser on NER files (bench/ner_corpora.py reads their layouts)")
    ap.add_argument("--ner-threshold", type=float, help="confidence threshold instead of the model's own")
    ap.add_argument("--ner-model", type=Path, metavar="DIR",
                    help="with --ner: the model in DIR (written by bench.train_ner --out DIR), not the shipped one")
    ap.add_argument("--through-app", action="store_true",
                    help="with --ner: score the app's whole entity finder (rules, model, vetoes; MEDIA counted "
                         "as ORG) on the files' documents instead of the model alone (bench/ner_app.py)")
    a = ap.parse_args(argv)
    if a.ner and a.through_app:
        from .ner_app import score_documents
        from .ner_corpora import read_documents

        res = score_documents([d for f in a.ner for d in read_documents(f)])
        res["files"] = [str(f) for f in a.ner]
        print(json.dumps(res) if a.json else json.dumps(res, indent=1))
        return 0
    if a.ner:
        res = ner_measurement(a.ner, a.ner_threshold, a.ner_model)
        if a.json:
            print(json.dumps(res))
            return 0
        for label, d in [("entities_typed", res["entities_typed"]), *res["by_type"].items()]:
            print(f"{label:<18} P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}  "
                  f"(pred {d['n_pred']}, gold {d['n_gold']})")
        print(f"confusions (gold>pred, same span) {res['confusions']}")
        print(f"{res['documents']} documents, {res['sentences']} sentences, {res['tokens']} tokens, threshold "
              f"{res['threshold']}, names carried from confidence {res['propagate_anchor']}, "
              f"{res['tokens_per_cpu_second']} tokens per CPU-second")
        return 0
    if a.names:
        res = names_measurement(a.names)
        print(json.dumps(res, indent=2))
        return 0
    if not a.gold or not a.reports:
        ap.error("--gold and --reports are required (or --names)")
    res = run(a.gold, a.reports, verbose=a.verbose, split=a.split, drop_below=a.drop_below)
    if a.json:
        print(json.dumps(res if a.verbose else {k: v for k, v in res.items() if k != "per_file"}))
        return 0

    def line(label, d):
        return f"{label:<18} P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}"

    show_files = a.verbose or len(res["per_file"]) <= 20
    if show_files:
        for row in res["per_file"]:
            print(f"== {row['file']}")
            for k in ("entities", "entities_typed", "claims"):
                if k in row:
                    print("  " + line(k, row[k]))
            if "attribution_accuracy" in row:
                print(f"  attribution        {row['attribution_accuracy']:.3f}")
            for kind, what in row.get("misses", []):
                print(f"    - {kind}: {what}")
    print("== overall (micro)")
    for k in ("entities", "entities_typed", "claims", "claims_one_to_one"):
        print("  " + line(k, res[k]))
    print(f"  attribution        {res['attribution_accuracy']:.3f}")
    print(f"  attribution (diagnostic, punctuation dropped) {res['attribution_accuracy_words_only']:.3f}")
    cal = res["calibration"]
    at_08 = "n/a" if cal["precision_at_0.8"] is None else f"{cal['precision_at_0.8']:.3f}"
    print(f"  calibration        ECE {cal['ece']:.3f}  precision at confidence >= 0.8: {at_08} "
          f"({cal['n_at_0.8']} of {cal['n']} claims)")
    cal = res["calibration_words_only"]
    at_08 = "n/a" if cal["precision_at_0.8"] is None else f"{cal['precision_at_0.8']:.3f}"
    print(f"  calibration (diagnostic, punctuation dropped) ECE {cal['ece']:.3f}  precision at >= 0.8: {at_08}")
    print(f"  meta               {res['meta']}")
    print(f"  speed              {res['reports_per_second']} reports/s ({res['words_per_report']} words avg); "
          f"{res['reports_per_second_at_600_words']} reports/s scaled to 600 words (wall clock); "
          f"{res['cpu_reports_per_second_at_600_words']} per CPU-second of one core "
          f"(the NER model's one-off load, not counted: {res['model_load_cpu_seconds']} CPU-s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
