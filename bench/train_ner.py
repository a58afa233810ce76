"""Train the shipped English entity recogniser (PERSON / ORG / LOC, a crfsuite CRF) from shared/data/ner.

    python -m bench.train_ner [--data ../shared/data/ner] [--names ../shared/data/names] [--out db/extract/model]
                              [--features rich|plain] [--no-gazetteer] [--no-case-lexicon] [--no-clean]
                              [--corpora NAME ...] [--ewt-copies N] [--c1 X] [--c2 X] [--max-iter N]
                              [--clusters [--cluster-min-count N]] [--places-as-loc] [--person-tokens]
                              [--sentence-case] [--run-features] [--news-copies N] [--strip-titles]
                              [--doc-features] [--conj-features]
                              [--dev ewt|mixed] [--train-on-dev [CHOSEN_DIR]]  # others tried (bench/RESULTS.md)
    python -m bench.train_ner --gate-only                # re-choose the gate of the model in --out on dev

The defaults are the configuration chosen on the dev set (bench/RESULTS.md compares the others); the shipped
model is those settings trained on the dev documents too:

    python -m bench.train_ner --train-on-dev             # the shipped model (two trainings, ~10 min)

The two UNER test files (``uner_en_ewt/en_ewt-ud-test.iob2``, ``uner_en_pud/en_pud-ud-test.iob2``) are the
project's held-out check and are never read here. The dev set (``--dev mixed``) is every other document of
``uner_en_ewt/en_ewt-ud-dev.iob2`` (the same conventions as the held-out files; the rest of that file is
trained on) and news-like documents: GUM news and interviews of its dev and test splits, every sixth
wikigold article, left out of training while they choose (``--dev ewt``: the EWT documents alone, the first
two rounds' dev set). The gate (the confidence threshold, the confidence from which a name is carried to its
other mentions in a document, and whether a bracketed acronym takes its name's type) is chosen on the dev
set. ``--train-on-dev`` then trains the same settings on the dev documents too, keeping that gate.
Reproducible: nothing is shuffled or
sampled (L-BFGS is deterministic), so no seed is needed; files are read and split in a fixed order.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

from bench.ner_corpora import Sentence, read_documents, spans
from db.extract import gazetteer as gz
from db.extract import vetoes
from db.extract.ner import (CASE_LEXICON_FILE, CLUSTERS_FILE, CONFIG_FILE, GAZETTEER_FILE, MODEL_FILE,
                            PERSON_TOKENS_FILE, WORD_LISTS_FILE, NerModel, define_acronyms, propagate)
from db.extract.ner_features import (Featurizer, Gazetteer, document_features, read_case_lexicon,
                                    read_word_clusters)

HELD_OUT = ("uner_en_ewt/en_ewt-ud-test.iob2", "uner_en_pud/en_pud-ud-test.iob2")
DEV_FILE = "uner_en_ewt/en_ewt-ud-dev.iob2"
# Every split of the other corpora: none of them is a held-out check of this project.
CORPORA = {
    "btc": ("btc/btc.train", "btc/btc.dev", "btc/btc.test"),
    "wnut17": ("wnut17/wnut17train.conll", "wnut17/emerging.dev.conll", "wnut17/emerging.test.annotated"),
    "wikigold": ("wikigold/wikigold.conll.txt",),
    "crossner": ("crossner_politics/train.txt", "crossner_politics/dev.txt", "crossner_politics/test.txt"),
    "redocred": ("redocred/dev.iob2", "redocred/test.iob2"),
    "gum": ("gum_ner/gum_train.iob2", "gum_ner/gum_dev.iob2", "gum_ner/gum_test.iob2"),
    "ewt_dev_half": (DEV_FILE,),
}
_DEMONYMS = {d.lower() for d in gz.DEMONYMS} | {d.lower() + "s" for d in gz.DEMONYMS}
_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")


def split_dev(data: Path) -> tuple[list[list[Sentence]], list[list[Sentence]]]:
    """(train half, dev half) of the UNER EWT dev file's documents, alternating."""
    docs = read_documents(data / DEV_FILE)
    return docs[0::2], docs[1::2]


# The news-like part of the "mixed" dev set, which the held-out files' other half (UNER PUD: news and
# Wikipedia sentences) has no counterpart of in the EWT dev documents: GUM's Wikinews news and interview
# documents of its dev and test splits (287 entities, silver), and every sixth wikigold article (i % 6 == 5:
# 24 articles, 444 entities). None of them is trained on while the dev set chooses.
GUM_DEV_FILES = ("gum_ner/gum_dev.iob2", "gum_ner/gum_test.iob2")
NEWS_GENRES = ("news", "interview")
WIKIGOLD_FILE = "wikigold/wikigold.conll.txt"
WIKIGOLD_DEV_EVERY = 6
DEV_SETS = ("ewt", "mixed")


def gum_documents(path: Path) -> list[tuple[str, list[Sentence]]]:
    """(genre, sentences) of each GUM document, the genre read from its ``# newdoc id = GUM_<genre>_...``."""
    genres = [line.split("=", 1)[1].strip().split("_")[1] for line in path.read_text(encoding="utf-8").splitlines()
              if line.startswith("# newdoc id")]
    docs = read_documents(path)
    assert len(genres) == len(docs), path
    return list(zip(genres, docs, strict=True))


def dev_parts(data: Path, dev_set: str = "ewt") -> dict[str, list[list[Sentence]]]:
    """The dev documents by part: "ewt" (the odd UNER EWT dev documents) and, for the mixed dev set, "news"
    (GUM news and interviews of its dev and test splits) and "wiki" (every sixth wikigold article)."""
    parts = {"ewt": split_dev(data)[1]}
    if dev_set == "mixed":
        parts["news"] = [d for rel in GUM_DEV_FILES for g, d in gum_documents(data / rel) if g in NEWS_GENRES]
        parts["wiki"] = [d for i, d in enumerate(read_documents(data / WIKIGOLD_FILE))
                         if i % WIKIGOLD_DEV_EVERY == WIKIGOLD_DEV_EVERY - 1]
    return parts


# titles that UNER leaves outside a person's name ("President [Obama]", "Mr. [Allawi]"), where BTC, WNUT-17,
# CrossNER and Re-DocRED sometimes include them ("King", "Queen", "Pope", "Saint" are left alone: often part
# of the name)
_TITLES_OUTSIDE = frozenset(("mr", "mrs", "ms", "dr", "prof", "president", "senator", "sen", "rep", "representative",
                             "congressman", "congresswoman", "gov", "governor", "mayor", "minister", "chairman",
                             "secretary", "judge", "general", "gen", "col", "colonel", "captain", "capt", "lt",
                             "sgt", "ambassador", "spokesman", "director", "candidate", "premier", "chancellor"))
STRIP_TITLES = False  # set by --strip-titles


def harmonise(sentence: Sentence, places_as_loc: bool = False) -> Sentence:
    """Bring a corpus to the held-out files' conventions: a span that is only a demonym ("American",
    "Soviet", which Re-DocRED types LOC) is O, and a leading "the" is not part of a name. With
    ``places_as_loc``, a span that is a listed country or place is LOC: UNER types "North Korea has ..." LOC
    (every listed place in the EWT training half is), where GUM and BTC type a country acting as an agent
    ORG."""
    tokens, tags = sentence
    tags = list(tags)
    for s, e, typ in spans(tags):
        if e - s == 1 and tokens[s].lower() in _DEMONYMS:
            tags[s] = "O"
            continue
        if e - s > 1 and tokens[s].lower() == "the":
            tags[s] = "O"
            s += 1
            tags[s] = "B-" + typ
        if STRIP_TITLES and typ == "PERSON" and e - s > 1 and tokens[s].lower().rstrip(".") in _TITLES_OUTSIDE:
            tags[s] = "O"
            s += 1
            tags[s] = "B-" + typ
        if places_as_loc and typ != "LOC" and " ".join(tokens[s:e]).lower() in gz.PLACES_LOWER:
            tags[s:e] = ["B-LOC"] + ["I-LOC"] * (e - s - 1)
    return tokens, tags


def training_sentences(data: Path, corpora: list[str], clean: bool, ewt_copies: int = 1,
                       places_as_loc: bool = False, dev_set: str = "ewt", train_on_dev: bool = False,
                       news_copies: int = 1) -> list[Sentence]:
    """The training sentences; ``ewt_copies``: how many times the UNER EWT half is repeated, which weighs
    the one corpus written to the held-out files' conventions more (crfsuite has no instance weights);
    ``news_copies``: the same for GUM's news and interview documents. The documents of the dev set
    ``dev_set`` are left out, unless ``train_on_dev`` (the final model, once everything is chosen): then they
    are trained on too, each once (repeated as their corpus is)."""
    return [s for doc in training_documents(data, corpora, clean, ewt_copies, places_as_loc, dev_set, train_on_dev,
                                            news_copies) for s in doc]


def training_documents(data: Path, corpora: list[str], clean: bool, ewt_copies: int = 1,
                       places_as_loc: bool = False, dev_set: str = "ewt", train_on_dev: bool = False,
                       news_copies: int = 1) -> list[list[Sentence]]:
    """``training_sentences`` by document, in the same order; a file without document markers (BTC, WNUT-17,
    CrossNER: tweets, posts, paragraphs) gives one document per sentence."""
    mixed = dev_set == "mixed"
    out: list[list[Sentence]] = []
    for name in corpora:
        if name == "ewt_dev_half":
            train, dev = split_dev(data)
            part = (train + dev if train_on_dev else train) * ewt_copies
        elif name == "gum":
            part = []
            for rel in CORPORA[name]:
                for genre, doc in gum_documents(data / rel):
                    if mixed and not train_on_dev and rel in GUM_DEV_FILES and genre in NEWS_GENRES:
                        continue
                    part.extend([doc] * (news_copies if genre in NEWS_GENRES else 1))
        else:
            part = []
            for rel in CORPORA[name]:
                assert rel not in HELD_OUT
                docs = read_documents(data / rel)
                if len(docs) == 1:
                    docs = [[s] for s in docs[0]]
                for i, doc in enumerate(docs):
                    if (mixed and not train_on_dev and rel == WIKIGOLD_FILE
                            and i % WIKIGOLD_DEV_EVERY == WIKIGOLD_DEV_EVERY - 1):
                        continue
                    part.append(doc)
        out.extend([harmonise(s, places_as_loc) if clean else s for s in doc] for doc in part)
    return out


def write_name_tokens(names: Path, out: Path) -> int:
    """The name tokens of the OFAC SDN list and its aliases (US public domain), as "P<TAB>token" for
    individuals and "O<TAB>token" for entities, lower-cased; returns how many were written."""
    kinds: dict[str, str] = {}
    tokens: set[tuple[str, str]] = set()
    with open(names / "ofac_sdn.csv", encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 3:
                continue
            kind = row[2].strip()
            if kind in ("vessel", "aircraft"):
                continue
            tag = "P" if kind == "individual" else "O"
            kinds[row[0]] = tag
            tokens.update((tag, t.lower()) for t in _NAME_TOKEN.findall(row[1]))
    with open(names / "ofac_alt.csv", encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) >= 4 and row[0] in kinds:
                tokens.update((kinds[row[0]], t.lower()) for t in _NAME_TOKEN.findall(row[3]))
    out.write_text("".join(f"{k}\t{t}\n" for k, t in sorted(tokens)), encoding="utf-8")
    return len(tokens)


def write_person_tokens(names: Path, out: Path) -> int:
    """The English tokens of people's names in the Wikidata English-Arabic name pairs of NETransliteration
    (CC0, ``wikidata_en_ar_name_tokens_test20.tsv``), lower-cased, one a line; returns how many."""
    words = set()
    with open(names / "wikidata_en_ar_name_tokens_test20.tsv", encoding="utf-8") as f:
        for line in f:
            token = line.split("\t", 1)[0].strip().lower()
            if len(token) >= 3 and token.isalpha():
                words.add(token)
    out.write_text("".join(w + "\n" for w in sorted(words)), encoding="utf-8")
    return len(words)


def write_case_lexicon(sentences: list[Sentence], out: Path, min_count: int = 3) -> int:
    """How each word is written when it does not open a sentence, in the training text: "C" capitalised in
    >= 90% of its uses, "c" in >= 50%, "l" in <= 10%, else "m"; words seen fewer than ``min_count`` times
    are left out. Returns the number of words written."""
    caps: dict[str, list[int]] = {}
    for tokens, _ in sentences:
        for tok in tokens[1:]:
            if not tok[:1].isalpha():
                continue
            c = caps.setdefault(tok.lower(), [0, 0])
            c[0] += tok[0].isupper()
            c[1] += 1
    lines = []
    for word, (up, n) in sorted(caps.items()):
        if n < min_count:
            continue
        r = up / n
        lines.append(f"{word}\t{'C' if r >= 0.9 else 'c' if r >= 0.5 else 'l' if r <= 0.1 else 'm'}\n")
    out.write_text("".join(lines), encoding="utf-8")
    return len(lines)


def dev_documents(data: Path, dev_set: str = "ewt") -> list[list[Sentence]]:
    """The dev set by document: the odd documents of the UNER EWT dev file (as ``split_dev``), and for the
    mixed dev set the news-like documents of ``dev_parts`` after them."""
    return [d for part in dev_parts(data, dev_set).values() for d in part]


# Confidences from which a name is carried to its other mentions in a document (None: not carried)
ANCHORS = (None, 0.6, 0.7, 0.8, 0.9)


def score(model: NerModel, documents: list[list[Sentence]], threshold: float, anchor: float | None) -> dict:
    """Mention-level exact span and type P/R/F1, overall and per type, of the model through its gate."""
    from bench.ner_score import score_predictions

    preds = []
    for doc in documents:
        found = model.document_entities([tokens for tokens, _ in doc], threshold, 2.0 if anchor is None else anchor)
        preds.extend([(a, b, t) for a, b, t, _c in sent] for sent in found)
    return score_predictions([spans(tags) for doc in documents for _, tags in doc], preds)


def choose_gate(model: NerModel, documents: list[list[Sentence]]) -> tuple[dict, dict]:
    """(gate, dev scores): the gate is the confidence threshold, the anchor and surname rule of ``propagate``
    and whether bracketed acronyms take their name's type first (``define_acronyms``), with the best
    dev F1 among those with dev precision >= 0.80 (the issue's bar), else the best dev F1; spans pass the
    rules' junk veto, as they do when the model tags. One threshold for all types: thresholds per type
    chosen on one half of the dev documents did worse on the other half (bench/RESULTS.md)."""
    from bench.ner_score import score_predictions

    texts = [[tokens for tokens, _ in doc] for doc in documents]
    raw = [model.tag_document(doc) for doc in texts]
    gold = [spans(tags) for doc in documents for _, tags in doc]
    flat = [tokens for doc in texts for tokens in doc]
    best = None
    for acronyms in (False, True):
        first = [define_acronyms(doc, tags) if acronyms else tags for doc, tags in zip(texts, raw, strict=True)]
        for anchor, surnames in [(a, sn) for a in ANCHORS for sn in (False, True) if a is not None or not sn]:
            tagged = [t for doc, tags in zip(texts, first, strict=True)
                      for t in (tags if anchor is None else propagate(doc, tags, anchor, surnames))]
            tagged = [[(a, b, t, c) for a, b, t, c in sent if not vetoes.is_junk(tokens[a:b])]
                      for tokens, sent in zip(flat, tagged, strict=True)]
            for step in range(0, 20):
                th = step / 20
                res = score_predictions(gold, [[(a, b, t) for a, b, t, c in sent if c >= th] for sent in tagged])
                key = (res["entities_typed"]["precision"] >= 0.80, res["entities_typed"]["f1"])
                if best is None or key > best[0]:
                    best = (key, {"threshold": th, "propagate_anchor": anchor, "propagate_surnames": surnames,
                                  "propagate_acronyms": acronyms}, res)
    return best[1], best[2]


def record_gate(out: Path, parts: dict[str, list[list[Sentence]]], config: dict,
                fixed: dict | None = None) -> dict:
    """Choose the gate of the model in ``out`` on the dev documents (all ``parts`` together) and write it,
    with the dev figures (overall, per type and per part), into its config; returns the figures. With
    ``fixed`` (the config of a model trained without the dev documents) its gate and dev figures are kept:
    a model trained on the dev documents cannot choose on them."""
    (out / CONFIG_FILE).write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    if fixed is not None:
        keep = ("threshold", "propagate_anchor", "propagate_surnames", "propagate_acronyms", "dev_set",
                "dev_untresholded",
                "dev_at_threshold", "dev_by_type", "dev_by_part")
        config.update({k: fixed[k] for k in keep if k in fixed}, gate_and_dev_figures_from=fixed.get("name"))
        (out / CONFIG_FILE).write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
        return {k: config.get(k) for k in keep}
    documents = [d for part in parts.values() for d in part]
    model = NerModel(out)
    dev_raw = score(model, documents, 0.0, None)
    gate, dev_best = choose_gate(model, documents)
    model.surnames, model.acronyms = gate["propagate_surnames"], gate["propagate_acronyms"]
    by_part = {}
    for name, docs in parts.items():
        res = score(model, docs, gate["threshold"], gate["propagate_anchor"])
        by_part[name] = {**res["entities_typed"], "by_type_f1": {t: v["f1"] for t, v in res["by_type"].items()}}
    config.update(gate, dev_untresholded=dev_raw["entities_typed"], dev_at_threshold=dev_best["entities_typed"],
                  dev_by_type=dev_best["by_type"], dev_by_part=by_part)
    (out / CONFIG_FILE).write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    return {"dev_all": dev_raw["entities_typed"], **gate,
            "dev_at_threshold": dev_best["entities_typed"], "dev_by_type": dev_best["by_type"],
            "dev_by_part": by_part}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ner"))
    ap.add_argument("--names", type=Path, default=Path("../shared/data/names"))
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "db" / "extract" / "model")
    ap.add_argument("--features", choices=("plain", "rich"), default="rich")
    ap.add_argument("--no-gazetteer", action="store_true")
    ap.add_argument("--no-case-lexicon", action="store_true",
                    help="leave out how each word is usually written mid-sentence in the training text")
    ap.add_argument("--person-tokens", action="store_true",
                    help="a word-list feature of Wikidata people's name tokens (shared/data/names, CC0)")
    ap.add_argument("--sentence-case", action="store_true",
                    help="features of how the whole sentence is written (Title Case, capitals, lower case)")
    ap.add_argument("--run-features", action="store_true",
                    help="features of the capitalised run a word is in: its last word and word lists, its first "
                         "word's lists, its length, an inner 'of', the words just outside it")
    ap.add_argument("--strip-titles", action="store_true",
                    help="a leading title ('President', 'Mr.') is not part of a person's name in any corpus")
    ap.add_argument("--conj-features", action="store_true",
                    help="conjunctions of a word's shape with the words and shapes beside it")
    ap.add_argument("--doc-features", action="store_true",
                    help="what the other mentions of a word in its document say (db/extract/ner_features.py "
                         "document_features): case elsewhere, longer names it is part of, cue words around them")
    ap.add_argument("--clusters", action="store_true",
                    help="add word clusters learnt from unlabelled text (bench/word_clusters.py); lowered the dev "
                         "F1 (bench/RESULTS.md), so not shipped")
    ap.add_argument("--cluster-min-count", type=int, default=4,
                    help="cluster only words seen this often in the text (rarer ones get no cluster)")
    ap.add_argument("--corpora", nargs="+", choices=sorted(CORPORA), default=sorted(CORPORA))
    ap.add_argument("--no-clean", action="store_true", help="keep demonym spans and a leading 'the' as given")
    ap.add_argument("--places-as-loc", action="store_true",
                    help="type a span that is a listed country or place LOC, whatever the corpus says")
    ap.add_argument("--ewt-copies", type=int, default=2, help="repeat the UNER EWT training half this often")
    ap.add_argument("--news-copies", type=int, default=2,
                    help="repeat GUM's news and interview documents this often")
    ap.add_argument("--dev", choices=DEV_SETS, default="mixed",
                    help="the dev set that chooses: the odd UNER EWT dev documents alone ('ewt', the first two "
                         "rounds'), or with GUM news / interviews and a wikigold slice ('mixed')")
    ap.add_argument("--train-on-dev", type=Path, metavar="CHOSEN_DIR", nargs="?", const="auto",
                    help="train on the dev documents too, keeping the gate and dev figures of the model in "
                         "CHOSEN_DIR (trained with the same settings without them); without CHOSEN_DIR that model "
                         "is trained first, in a temporary directory")
    ap.add_argument("--c1", type=float, default=0.3)
    ap.add_argument("--c2", type=float, default=0.001)
    ap.add_argument("--max-iter", type=int, default=150)
    ap.add_argument("--min-freq", type=int, default=2, help="drop attributes seen fewer times")
    ap.add_argument("--gate-only", action="store_true",
                    help="train nothing: choose the gate (threshold, anchor) of the model already in --out")
    args = ap.parse_args(argv)
    global STRIP_TITLES
    STRIP_TITLES = args.strip_titles
    if args.gate_only:
        config = json.loads((args.out / CONFIG_FILE).read_text(encoding="utf-8"))
        for key in ("threshold", "propagate_anchor", "propagate_surnames", "propagate_acronyms", "dev_untresholded",
                    "dev_at_threshold", "dev_by_type", "dev_by_part"):
            config.pop(key, None)
        config.pop("dev_by_part", None)
        config["dev_set"] = args.dev
        print(json.dumps(record_gate(args.out, dev_parts(args.data, args.dev), config), indent=1))
        return 0
    if args.train_on_dev is not None and str(args.train_on_dev) == "auto":
        # the gate is chosen on a model trained without the dev documents, then kept for the one trained on them
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            first = argparse.Namespace(**{**vars(args), "out": Path(tmp) / "without_dev", "train_on_dev": None})
            train_model(first)
            return train_model(argparse.Namespace(**{**vars(args), "train_on_dev": first.out}))
    return train_model(args)


def train_model(args: argparse.Namespace) -> int:
    """Train one model into ``args.out`` with the settings of ``args`` and choose (or keep) its gate."""
    import pycrfsuite

    t0 = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    gazetteer = not args.no_gazetteer and args.features == "rich"
    if gazetteer:
        n = write_name_tokens(args.names, args.out / GAZETTEER_FILE)
        print(f"OFAC name tokens: {n}", file=sys.stderr)
    else:
        (args.out / GAZETTEER_FILE).unlink(missing_ok=True)
    person_tokens = gazetteer and args.person_tokens
    if person_tokens:
        n = write_person_tokens(args.names, args.out / PERSON_TOKENS_FILE)
        print(f"Wikidata person name tokens: {n}", file=sys.stderr)
    else:
        (args.out / PERSON_TOKENS_FILE).unlink(missing_ok=True)
    train_docs = training_documents(args.data, args.corpora, not args.no_clean, args.ewt_copies,
                                    args.places_as_loc, args.dev, args.train_on_dev is not None, args.news_copies)
    train = [s for doc in train_docs for s in doc]
    case_lexicon = not args.no_case_lexicon and args.features == "rich"
    if case_lexicon:
        n = write_case_lexicon(train, args.out / CASE_LEXICON_FILE)
        print(f"case lexicon: {n} words", file=sys.stderr)
    else:
        (args.out / CASE_LEXICON_FILE).unlink(missing_ok=True)
    clusters = args.clusters and args.features == "rich"
    if clusters:
        from bench import word_clusters

        # the training sentences (not the dev half) and the unlabelled text of shared/data
        text = [tokens for tokens, _ in training_sentences(args.data, args.corpora, False)]
        text.extend(word_clusters.tokenised_lines(word_clusters.unlabelled_lines(args.data.parent)))
        word_clusters.write(word_clusters.build(text, min_count=args.cluster_min_count), args.out / CLUSTERS_FILE)
        print(f"word clusters from {sum(map(len, text))} tokens in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr)
    else:
        (args.out / CLUSTERS_FILE).unlink(missing_ok=True)
    gaz = Gazetteer(args.out / GAZETTEER_FILE, args.out / PERSON_TOKENS_FILE if person_tokens else None)
    if gazetteer:
        gaz.write_lists(args.out / WORD_LISTS_FILE)  # the model is tagged with these lists, whatever the app's become
    else:
        (args.out / WORD_LISTS_FILE).unlink(missing_ok=True)
    featurizer = Featurizer(args.features, gaz if gazetteer else None,
                            read_case_lexicon(args.out / CASE_LEXICON_FILE) if case_lexicon else None,
                            read_word_clusters(args.out / CLUSTERS_FILE) if clusters else None,
                            args.sentence_case and args.features == "rich", args.run_features,
                            args.conj_features, args.doc_features)
    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in train_docs:
        extra = (document_features(featurizer, [tokens for tokens, _ in doc]) if featurizer.doc
                 else [None] * len(doc))
        for (tokens, tags), more in zip(doc, extra, strict=True):
            xseq = featurizer.sentence(tokens)
            if more is not None:
                xseq = [[*x, *m] for x, m in zip(xseq, more, strict=True)]
            trainer.append(xseq, tags)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.max_iter,
                        "feature.minfreq": args.min_freq, "feature.possible_transitions": True})
    t_feat = time.perf_counter()
    print(f"{len(train)} training sentences, {sum(len(t) for t, _ in train)} tokens; features in "
          f"{t_feat - t0:.0f} s", file=sys.stderr)
    trainer.train(str(args.out / MODEL_FILE))
    t_train = time.perf_counter()
    config = {"features": args.features, "gazetteer": gazetteer, "case_lexicon": case_lexicon,
              "person_tokens": person_tokens, "clusters": clusters,
              "cluster_min_count": args.cluster_min_count if clusters else None,
              "sentence_case": args.sentence_case and args.features == "rich", "threshold": 0.0,
              "run_features": args.run_features and args.features == "rich",
              "conj_features": args.conj_features and args.features == "rich",
              "doc_features": args.doc_features and args.features == "rich",
              "corpora": args.corpora, "clean": not args.no_clean, "places_as_loc": args.places_as_loc,
              "ewt_copies": args.ewt_copies, "news_copies": args.news_copies, "dev_set": args.dev,
              "trained_on_dev": args.train_on_dev is not None,
              "c1": args.c1, "c2": args.c2,
              "max_iterations": args.max_iter, "min_freq": args.min_freq}
    config["train_seconds"] = round(t_train - t0)
    fixed = None
    if args.train_on_dev is not None:
        fixed = json.loads((args.train_on_dev / CONFIG_FILE).read_text(encoding="utf-8"))
        fixed["name"] = args.train_on_dev.name
    figures = record_gate(args.out, dev_parts(args.data, args.dev), config, fixed)
    size = (args.out / MODEL_FILE).stat().st_size
    print(json.dumps({**figures, "model_bytes": size, "seconds": round(time.perf_counter() - t0)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
