"""The trained English entity recogniser (a linear-chain CRF, python-crfsuite) shipped in ``model/``.

``ner_spans(body, sentences)`` gives the PERSON / ORG / LOC spans it finds in a report, each with a
confidence (the smallest marginal probability of its tokens' tags); a name it is sure of somewhere in the
report is carried to its other mentions there (``propagate``). The model is read once per process,
lazily, from the package directory; when it or crfsuite is missing the recogniser finds nothing, so the
rules still work on a broken install.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from . import gazetteer as gz
from . import vetoes
from .ner_features import Featurizer, Gazetteer, document_features, read_case_lexicon, read_word_clusters

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_FILE = "ner.crfsuite"
CONFIG_FILE = "ner.json"
GAZETTEER_FILE = "ofac_name_tokens.tsv"
WORD_LISTS_FILE = "ner_word_lists.tsv"  # the app's word lists as the model was trained with them
CASE_LEXICON_FILE = "case_lexicon.tsv"
CLUSTERS_FILE = "word_clusters.tsv"
PERSON_TOKENS_FILE = "wikidata_person_tokens.txt"

# Tokens as the training corpora cut them (Penn-Treebank-like): a web or mail address whole, initials
# "U.S." and an abbreviation or initial with its full stop ("Mr.", "Corp.", "D."), a domain-like word
# whole ("bbc.co.uk", "Caliber.Az"), a word with inner hyphens or apostrophes whole ("al-Sadr", "Kata'ib"),
# a possessive "'s" alone, any other character alone. It runs on one white-space-free chunk of at most
# _MAX_CHUNK characters at a time, so that an alternative that scans a chunk and fails (an address with no
# "@") costs at most a constant per chunk: linear in the body.
_ABBREVIATIONS = ("Mr|Mrs|Ms|Dr|St|Jr|Sr|Corp|Inc|Ltd|Co|Gen|Col|Lt|Sgt|Capt|Rep|Sen|Gov|Prof|Rev|Mt|Ft"
                  "|Jan|Feb|Aug|Sept|Oct|Nov|Dec")
_TOKEN = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+|[\w.+-]+@\w+(?:[.-]\w+)*"
                    r"|(?:[A-Za-z]\.){2,}|(?:[A-Z]|" + _ABBREVIATIONS + r")\.(?!\w)"
                    r"|\w+(?:[-&]\w+)*(?:['’](?![sS]\b)\w+(?:-\w+)*)*(?:\.[A-Za-z]\w*)*"
                    r"|['’][sS]\b|\S")
_CHUNK = re.compile(r"\S+")
_MAX_CHUNK = 64  # a longer chunk without white space is no name: it stays one token
_LONG_CHUNK = re.compile(rf"\S{{{_MAX_CHUNK + 1}}}")  # (each try stops at the next white space: linear)
_MAX_TOKENS = 120  # a longer "sentence" (a list, a menu) is tagged in pieces: cost stays linear


@dataclass(frozen=True, slots=True)
class NerSpan:
    start: int
    end: int
    type: str
    confidence: float


class NerModel:
    """A CRF model directory: the crfsuite file, its feature config and its word list."""

    def __init__(self, directory: Path) -> None:
        import pycrfsuite  # imported here: only a process that tags pays for them (and numpy's)

        from .crf_scores import Basis, CrfWeights, TokenScores

        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        self.config = config
        self.threshold = float(config.get("threshold", 0.0))
        # the confidence from which a name is carried to its other mentions in a document (None: never)
        self.anchor = config.get("propagate_anchor")
        self.surnames = bool(config.get("propagate_surnames"))
        # a name's acronym defined in brackets after it takes the name's type ("World Health Organisation (WHO)")
        self.acronyms = bool(config.get("propagate_acronyms"))
        person_tokens = directory / PERSON_TOKENS_FILE if config.get("person_tokens") else None
        gazetteer = (Gazetteer(directory / GAZETTEER_FILE, person_tokens, directory / WORD_LISTS_FILE)
                     if config.get("gazetteer") else None)
        lexicon = read_case_lexicon(directory / CASE_LEXICON_FILE) if config.get("case_lexicon") else None
        clusters = read_word_clusters(directory / CLUSTERS_FILE) if config.get("clusters") else None
        self.featurizer = Featurizer(config["features"], gazetteer, lexicon, clusters,
                                     bool(config.get("sentence_case")), bool(config.get("run_features")),
                                     bool(config.get("conj_features")), bool(config.get("doc_features")))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(directory / MODEL_FILE))
        # what the tagger is given: each token's summed scores, as a few weighted attributes (``crf_scores``)
        crf = CrfWeights(directory / MODEL_FILE)
        self._scores = TokenScores(self.featurizer, crf)
        self._basis = Basis(crf)
        self._lock = threading.Lock()  # a crfsuite tagger holds the sequence it was last given

    def tag_tokens(self, tokens: list[str]) -> list[tuple[int, int, str, float]]:
        """(first token, end token, type, confidence) of each entity the model finds, thresholds not applied."""
        return self.tag_document([tokens])[0]

    def tag_document(self, sentences: list[list[str]]) -> list[list[tuple[int, int, str, float]]]:
        """``tag_tokens`` of each sentence of one document; with document features, each sentence's
        features hold what the other mentions of its words in the document say (``document_features``)."""
        extra = document_features(self.featurizer, sentences) if self.featurizer.doc else None
        with self._lock:  # (the caches of ``TokenScores`` are shared too)
            items = self._basis.items(self._scores.document(sentences, extra))
            out = []
            start = 0
            for tokens in sentences:
                out.append(self._tag(items[start:start + len(tokens)]) if tokens else [])
                start += len(tokens)
        return out

    def _tag(self, xseq: list[dict[bytes, float]]) -> list[tuple[int, int, str, float]]:
        self._tagger.set(xseq)
        tags = self._tagger.tag()
        out = []
        start, typ = -1, None
        for i, t in enumerate(tags + ["O"]):
            if typ is not None and (t == "O" or t[0] == "B" or t[2:] != typ):
                conf = min(self._tagger.marginal(tags[k], k) for k in range(start, i))
                out.append((start, i, typ, conf))
                typ = None
            if t != "O" and typ is None:
                start, typ = i, t[2:]
        return out

    def entities(self, tokens: list[str], threshold: float | None = None) -> list[tuple[int, int, str, float]]:
        """``tag_tokens`` through the gate: at or above the confidence threshold (the model's own, chosen on
        the dev set, unless one is given) and no junk by the rules' veto (a stretch of a Title Case
        headline, an all-capitals heading, page furniture, a date: ``vetoes.is_junk``). This is the
        recogniser the harness scores; in the app ``vetoes.check`` does the same and more to every proposal."""
        th = self.threshold if threshold is None else threshold
        return [(a, b, t, c) for a, b, t, c in self.tag_tokens(tokens)
                if c >= th and not vetoes.is_junk(tokens[a:b])]


    def read_document(self, sentences: list[list[str]], anchor: float | None = None) -> list[Tagged]:
        """Every span the model and the document-level steps find in one document, before any threshold:
        names cut inside a listed place completed, tickers' companies, acronyms defined in brackets, and
        sure names carried to their other mentions (the model's own anchor unless one is given)."""
        tagged = define_tickers(sentences, complete_places(sentences, self.tag_document(sentences)))
        if self.acronyms:
            tagged = define_acronyms(sentences, tagged)
        a = self.anchor if anchor is None else anchor
        if a is not None:
            tagged = propagate(sentences, tagged, a, self.surnames)
        return tagged

    def document_entities(self, sentences: list[list[str]], threshold: float | None = None,
                          anchor: float | None = None) -> list[list[tuple[int, int, str, float]]]:
        """``entities`` of each sentence of one document, after ``propagate`` carried its sure names to
        their other mentions (the model's own anchor confidence unless one is given)."""
        tagged = self.read_document(sentences, anchor)
        th = self.threshold if threshold is None else threshold
        return [[(x, y, t, c) for x, y, t, c in sent if c >= th and not vetoes.is_junk(tokens[x:y])]
                for tokens, sent in zip(sentences, tagged, strict=True)]


Tagged = list[tuple[int, int, str, float]]

_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,9}")
_NOT_INITIALS = frozenset(("of", "the", "and", "for", "&", "de", "on", "-", "'s"))


def define_acronyms(sentences: list[list[str]], tagged: list[Tagged]) -> list[Tagged]:
    """An acronym in brackets right after a name whose initials it spells is that name's acronym, with its
    type and confidence: "World Health Organisation ( WHO )", "Kennedy Space Center ( KSC )". Its other
    mentions in the document are then found by ``propagate``."""
    out: list[Tagged] = []
    for tokens, sent in zip(sentences, tagged, strict=True):
        spans = list(sent)
        for a, b, typ, conf in sent:
            if b + 2 >= len(tokens) or tokens[b] != "(" or tokens[b + 2] != ")" or not _ACRONYM.fullmatch(tokens[b + 1]):
                continue
            initials = "".join(w[0].upper() for w in tokens[a:b] if w.lower() not in _NOT_INITIALS)
            if len(initials) < 2 or tokens[b + 1].replace("&", "") != initials:
                continue
            spans = [x for x in spans if not (x[0] == b + 1 and x[1] == b + 2)] + [(b + 1, b + 2, typ, conf)]
        spans.sort()
        out.append(spans)
    return out


# A company's stock ticker in brackets after its name: a Reuters instrument code ("(RELI.NS)", "(GE.N)")
# or an exchange and a symbol ("(NYSE: JPM)", "(NASDAQ: CSCO)"). Nothing else is written that way.
_EXCHANGES = frozenset("NYSE NASDAQ Nasdaq AMEX LSE TSX TSXV NSE BSE ASX HKEX OTC OTCQB OTCQX SIX Euronext".split())
_TICKER_SYMBOL = re.compile(r"[A-Z][A-Z0-9.]{0,6}")
_NAME_JOINS = frozenset(("and", "&", "of", "de", "du", "des", "la", "für"))
TICKER_CONFIDENCE = 0.95
_NAME_WORDS_AT_MOST = 8


def _ticker_end(tokens: list[str], i: int) -> int | None:
    """The index after the closing bracket of a ticker opened at ``tokens[i]`` ("("), or None."""
    if tokens[i] != "(":
        return None
    if i + 2 < len(tokens) and tokens[i + 2] == ")" and vetoes.TICKER.fullmatch(tokens[i + 1]):
        return i + 3
    if (i + 4 < len(tokens) and tokens[i + 1] in _EXCHANGES and tokens[i + 2] == ":" and tokens[i + 4] == ")"
            and _TICKER_SYMBOL.fullmatch(tokens[i + 3])):
        return i + 5
    return None


def complete_places(sentences: list[list[str]], tagged: list[Tagged]) -> list[Tagged]:
    """A name cut inside a listed place ("University of New" + "Mexico", "State University of New" + "York")
    runs to the place's end: the model split a place name the gazetteer knows whole."""
    out: list[Tagged] = []
    for tokens, sent in zip(sentences, tagged, strict=True):
        longer: Tagged = []
        for a, b, typ, conf in sent:
            if b >= len(tokens) or b - a < 2 or not tokens[b - 1][:1].isupper() or (longer and a < longer[-1][1]):
                continue
            for extra in (1, 2):
                end = b + extra
                if end > len(tokens) or not tokens[end - 1][:1].isupper():
                    break
                if gz.is_place(" ".join(tokens[b - 1:end])):
                    longer.append((a, end, typ, conf))
                    break
        out.append(_replaced(sent, longer, len(tokens)))
    return out


def define_tickers(sentences: list[list[str]], tagged: list[Tagged]) -> list[Tagged]:
    """The capitalised name right before a ticker is a company ("Larsen and Toubro (LART.NS)", "The Boeing
    Co. (NYSE: BA)"): one ORG span over it (joined over "and", "&", "of"), in place of what the model read
    there; its other mentions are found by ``propagate``."""
    out: list[Tagged] = []
    for tokens, sent in zip(sentences, tagged, strict=True):
        orgs = {(x, y): c for x, y, t, c in sent if t == "ORG"}
        firms: Tagged = []
        for i, token in enumerate(tokens):
            if token != "(" or i == 0 or _ticker_end(tokens, i) is None:
                continue
            a = i
            while a > 0 and i - a < _NAME_WORDS_AT_MOST and (
                    tokens[a - 1][:1].isupper() or tokens[a - 1][:1].isdigit() and a < i
                    or tokens[a - 1] in _NAME_JOINS and a < i):
                a -= 1
            while a < i and (tokens[a] in _NAME_JOINS or tokens[a] in ("The", "the")):
                a += 1  # a name starts with a name's word: "and Oil ...", "The Boeing Co."
            if a == 0 and i - a > 2 and tokens[1] in _NAME_JOINS:
                a = 2  # "Shares of Apple (AAPL.O)": the sentence's first word is no part of the name
            if a >= i or not tokens[a][:1].isupper():
                continue
            firms.append((a, i, "ORG", max(TICKER_CONFIDENCE, orgs.get((a, i), 0.0))))
        out.append(_replaced(sent, firms, len(tokens)))
    return out


def _replaced(spans: Tagged, new: Tagged, length: int) -> Tagged:
    """``spans`` with the non-overlapping ``new`` ones in place of every span they overlap, sorted (one
    pass: a sentence of many firms or places costs no more than its length)."""
    if not new:
        return spans
    taken = bytearray(length)
    for a, b, _, _ in new:
        taken[a:b] = b"\1" * (b - a)
    return sorted([x for x in spans if not any(taken[x[0]:x[1]])] + new)


def propagate(sentences: list[list[str]], tagged: list[Tagged], anchor: float,
              surnames: bool = False) -> list[Tagged]:
    """One reading of a name per document: a capitalised name the model is sure of somewhere (confidence >=
    ``anchor``) is the same name, with its type and confidence, wherever else the document writes it
    ("Google can even survive" after "Google's IPO"), unless the model found another name overlapping it
    there. A name found with two types takes the one its sure mentions hold most confidently. With
    ``surnames``, a sure person's last name written alone is that person too."""
    sure: dict[tuple[str, ...], dict[str, float]] = {}
    for tokens, sent in zip(sentences, tagged, strict=True):
        for a, b, typ, conf in sent:
            if conf >= anchor and tokens[a][:1].isupper():
                types = sure.setdefault(tuple(tokens[a:b]), {})
                types[typ] = max(types.get(typ, 0.0), conf)
    if not sure:
        return tagged
    best = {name: max(types.items(), key=lambda kv: (kv[1], kv[0])) for name, types in sure.items()}
    if surnames:  # "Allawi" after "Iyad Allawi": a person's last name alone is the person
        for name, (typ, conf) in list(best.items()):
            last = name[-1:]
            if typ != "PERSON" or len(name) < 2 or not last[0][:1].isupper():
                continue
            if last not in best:
                best[last] = (typ, conf)
            elif best[last][0] == "LOC" and not gz.is_place(last[0]):
                # "Doherty said", read as a place at every mention after "State Sen. Michael Doherty": a
                # word no list knows as a place is the person's name (a listed "Washington" stays a place)
                best[last] = (typ, max(conf, best[last][1]))
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in sorted(best, key=len, reverse=True):  # the longest name first where names share a start
        by_first.setdefault(name[0], []).append(name)
    out: list[Tagged] = []
    for tokens, sent in zip(sentences, tagged, strict=True):
        taken = bytearray(len(tokens))
        kept: Tagged = []
        for a, b, typ, conf in sent:
            name = tuple(tokens[a:b])
            if name in best:
                typ, conf = best[name][0], max(conf, best[name][1])
            kept.append((a, b, typ, conf))
            taken[a:b] = b"\1" * (b - a)
        for i in [i for i, tok in enumerate(tokens) if tok in by_first]:  # (most tokens start no name)
            for name in by_first[tokens[i]]:
                j = i + len(name)
                if j <= len(tokens) and not any(taken[i:j]) and tuple(tokens[i:j]) == name:
                    kept.append((i, j, best[name][0], best[name][1]))
                    taken[i:j] = b"\1" * (j - i)
                    break
        kept.sort()
        out.append(kept)
    return out


_model: NerModel | None = None
_model_failed = False
_load_lock = threading.Lock()


def model() -> NerModel | None:
    """The shipped model, read on first use; None when it cannot be read."""
    global _model, _model_failed
    if _model is None and not _model_failed:
        with _load_lock:
            if _model is None and not _model_failed:
                try:
                    _model = NerModel(MODEL_DIR)
                except Exception:  # noqa: BLE001 - no model means no model spans, not a broken import
                    _model_failed = True
    return _model


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the tokens of ``text[start:end]``."""
    end = len(text) if end is None else end
    if _LONG_CHUNK.search(text, start, end) is None:
        # No token crosses white space, and white space ends every token as the end of a chunk does:
        # one pass over the stretch gives what the chunk-by-chunk pass below gives, for less work.
        return [m.span() for m in _TOKEN.finditer(text, start, end)]
    out: list[tuple[int, int]] = []
    for chunk in _CHUNK.finditer(text, start, end):
        a, b = chunk.span()
        if b - a == 1 or b - a > _MAX_CHUNK:
            out.append((a, b))
        else:
            out.extend(m.span() for m in _TOKEN.finditer(text, a, b))
    return out


def ner_spans(body: str, sentences: list[tuple[int, int]], min_confidence: float | None = None) -> list[NerSpan]:
    """The model's entities in ``body``, sentence by sentence (and line by line: a line break ends a
    heading or a list item), keeping those at or above ``min_confidence`` (the model's own threshold,
    chosen on the dev set, when None)."""
    m = model()
    if m is None:
        return []
    threshold = m.threshold if min_confidence is None else min_confidence
    chunks: list[list[tuple[int, int]]] = []
    for s, e in sentences or [(0, len(body))]:
        pos = s
        while pos < e:
            nl = body.find("\n", pos, e)
            line_end = e if nl < 0 else nl
            offsets = tokenize(body, pos, line_end)
            chunks.extend(offsets[k:k + _MAX_TOKENS] for k in range(0, len(offsets), _MAX_TOKENS))
            pos = line_end + 1
    texts = [[body[x:y] for x, y in chunk] for chunk in chunks]
    tagged = m.read_document(texts)  # the report is the document: a name sure somewhere counts everywhere in it
    return [NerSpan(chunk[a][0], chunk[b - 1][1], typ, conf)
            for chunk, found in zip(chunks, tagged, strict=True) for a, b, typ, conf in found if conf >= threshold]
