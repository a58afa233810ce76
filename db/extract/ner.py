"""The trained English entity recogniser (a linear-chain CRF, python-crfsuite) shipped in ``model/``.

``ner_spans(body, sentences)`` gives the PERSON / ORG / LOC spans it finds in a report, each with a
confidence (the smallest marginal probability of its tokens' tags). The model is read once per process,
lazily, from the package directory; when it or crfsuite is missing the recogniser finds nothing, so the
rules still work on a broken install.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from . import vetoes
from .ner_features import Featurizer, Gazetteer, read_case_lexicon, read_word_clusters

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_FILE = "ner.crfsuite"
CONFIG_FILE = "ner.json"
GAZETTEER_FILE = "ofac_name_tokens.tsv"
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
        import pycrfsuite  # imported here: only a process that tags pays for it

        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        self.config = config
        self.threshold = float(config.get("threshold", 0.0))
        person_tokens = directory / PERSON_TOKENS_FILE if config.get("person_tokens") else None
        gazetteer = Gazetteer(directory / GAZETTEER_FILE, person_tokens) if config.get("gazetteer") else None
        lexicon = read_case_lexicon(directory / CASE_LEXICON_FILE) if config.get("case_lexicon") else None
        clusters = read_word_clusters(directory / CLUSTERS_FILE) if config.get("clusters") else None
        self.featurizer = Featurizer(config["features"], gazetteer, lexicon, clusters,
                                     bool(config.get("sentence_case")))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(directory / MODEL_FILE))
        self._lock = threading.Lock()  # a crfsuite tagger holds the sequence it was last given

    def tag_tokens(self, tokens: list[str]) -> list[tuple[int, int, str, float]]:
        """(first token, end token, type, confidence) of each entity the model finds, thresholds not applied."""
        if not tokens:
            return []
        xseq = self.featurizer.sentence(tokens)
        with self._lock:
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
    out: list[tuple[int, int]] = []
    for chunk in _CHUNK.finditer(text, start, len(text) if end is None else end):
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
    out: list[NerSpan] = []
    for s, e in sentences or [(0, len(body))]:
        pos = s
        while pos < e:
            nl = body.find("\n", pos, e)
            line_end = e if nl < 0 else nl
            offsets = tokenize(body, pos, line_end)
            for k in range(0, len(offsets), _MAX_TOKENS):
                chunk = offsets[k:k + _MAX_TOKENS]
                for a, b, typ, conf in m.tag_tokens([body[x:y] for x, y in chunk]):
                    if conf >= threshold:
                        out.append(NerSpan(chunk[a][0], chunk[b - 1][1], typ, conf))
            pos = line_end + 1
    return out
