"""The whole entity finder of the app (``db.extract.extract``: rules, model and vetoes) scored on NER corpus
documents, to decide by measurement how the model and the rules combine.

A document's sentences become a body of one line each, tokens joined by single spaces, so gold token spans
map to character spans exactly. A predicted mention counts when its span and type are exactly a gold
entity's; MEDIA counts as ORG (the corpora have no outlet type).
"""

from __future__ import annotations

from bench.ner_corpora import Sentence, spans
from bench.ner_score import score_predictions


def document_body(sentences: list[Sentence]) -> tuple[str, list[tuple[int, int, str]]]:
    """(body, gold (start, end, type) character spans) of a document."""
    parts: list[str] = []
    gold: list[tuple[int, int, str]] = []
    pos = 0
    for tokens, tags in sentences:
        offsets = []
        for t in tokens:
            offsets.append((pos, pos + len(t)))
            pos += len(t) + 1
        parts.append(" ".join(tokens))
        gold.extend((offsets[a][0], offsets[b - 1][1], typ) for a, b, typ in spans(tags))
    return "\n".join(parts), gold


def app_predictions(body: str, use_model: bool = True) -> list[tuple[int, int, str]]:
    from db.extract import entities, sentences
    from db.extract.ner import model, ner_spans

    sents = sentences.split_sentences(body)
    m = model() if use_model else None
    found = entities.find_entities(body, sents, [], None, ner_spans(body, sents, 0.0) if m else None,
                                   m.threshold if m else 0.0)
    return [(s, e, "ORG" if ent.type == "MEDIA" else ent.type) for ent in found for s, e in ent.mentions]


def score_documents(documents: list[list[Sentence]], use_model: bool = True) -> dict:
    gold, pred = [], []
    for doc in documents:
        body, g = document_body(doc)
        gold.append(g)
        pred.append(app_predictions(body, use_model))
    return score_predictions(gold, pred)
