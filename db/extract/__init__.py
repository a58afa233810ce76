"""Claim, entity, footnote and furniture extraction from report text (standard library + rapidfuzz).

``extract(body)`` is pure and deterministic and never raises; every span indexes ``body`` exactly.
"""

from __future__ import annotations

import bisect

import re

from db.models import Extraction

from .attribution import finalize, find_claims, to_extracted
from .claim_confidence import apply_confidence, load_model
from .claim_features import claim_features
from .coref import resolve
from .dates import find_dateline, relative_dates
from .entities import find_entities
from .footnotes import find_cited_sources
from .furniture import find_furniture
from .names import name_key, propose_merges
from .ner import model as ner_model
from .ner import ner_spans
from .place_datelines import place_dateline
from .quotes import find_quotes
from .sentences import split_sentences
from .source_span import widen_sources
from .wordlists import word_set
from . import gazetteer as gz

EXTRACTOR_VERSION = "rules-2.9+ner-3+conf-9"
__all__ = ["extract", "extract_candidates", "name_key", "propose_merges", "relative_dates", "EXTRACTOR_VERSION"]

# "... a complimentary offering from MEMRI's ...", "This article was published by X", "courtesy of X"
# "... from MEMRI's Jihad and Terrorism Threat Monitor (JTTM)": a possessive names the publication (container)
# within the publisher.
_PUBLISHER = re.compile(
    r"\b(?:offering|courtesy|brought to you|republished|published|provided|produced)\s+(?:of|from|by)\s+"
    r"(?P<name>(?:the\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,5})"
    r"(?:(?:'s|’s)\s+(?P<container>(?:the\s+)?[A-Z][\w&-]*(?:\.[\w&-]+)*"
    r"(?:\s+(?:of|and|for|on|the|&|[A-Z][\w&-]*(?:\.[\w&-]+)*)){0,8}))?")
_TRAILING_CONNECTOR = re.compile(r"(?:\s+(?:of|and|for|on|the|&))+$")
_LINE = re.compile(r"[^\n]+")
# A headline that attributes itself: "Media: ...", "Report: ...", "Anti-Iran Outlet: ...".
_HEADLINE_ATTRIBUTION = re.compile(r"^\s*(?P<sp>[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,4}):\s+\S")


def _masthead(body: str, entities) -> str | None:
    """An outlet's name alone on a line under the headline ("Global Elections Monitor" between
    the title and the dateline of a plain-text report): its publisher. Only a line that is
    exactly a name the entity finder typed MEDIA counts."""
    lines = [m for m in _LINE.finditer(body[:2000]) if m.group().strip()][1:3]
    outlets = {span for entity in entities if entity.type == "MEDIA" for span in entity.mentions}
    for line in lines:
        text = line.group()
        start = line.start() + len(text) - len(text.lstrip())
        end = line.start() + len(text.rstrip())
        if (start, end) in outlets:
            return body[start:end]
    return None


_RUBRICS = word_set("claim_words.txt", "rubrics")


def _headline_lede(body: str, sentences, claims_raw) -> None:
    """When the first line is "X: ..." and the next sentence carries no attribution, X says it."""
    lines = [m for m in _LINE.finditer(body[:3000]) if m.group().strip()]
    if len(lines) < 2:
        return
    m = _HEADLINE_ATTRIBUTION.match(lines[0].group())
    if not m or lines[0].group().rstrip().endswith(".") or place_dateline(body, lines[0].start()):
        return
    lede_start = lines[1].start()
    lede = next(((s, e) for s, e in sentences if s >= lede_start), None)
    if lede is None or any(c.start < lede[1] and lede[0] < c.end for c in claims_raw):
        return
    from .attribution import RawClaim, plausible_speaker
    speaker = plausible_speaker(m.group("sp"))
    if speaker and (speaker.lower().split()[-1] in _RUBRICS or speaker.isupper() and gz.is_place(speaker.title())):
        # (an all-capitals place, "WASHINGTON:", is a dateline; "NATO:" still speaks)
        return  # "The Latest: ...", "Live: ...", "Analysis: ...": a section of the paper, nobody speaking
    s, e = lede
    text = body[s:e].rstrip(" .")
    if not speaker or len(text.split()) < 4:
        return
    claims_raw.append(RawClaim(s, s + len(text), speaker, "headline", "headline_lede", 0.5,
                               [speaker], speaker_pos=lines[0].start()))
    claims_raw.sort(key=lambda c: (c.start, -c.end))


_ISSUER_VOICE = frozenset({"we", "us", "our"})
_WRITER_VOICE = frozenset({"i", "we"})


def _section_writers_speak(body: str, claims, entities) -> None:
    """In a piece written in parts by several people, each part under its writer's name on a line of its own
    ("Julian Jessop" / "Chief global economist, Capital Economics" / "We expect the price of oil to remain
    low."), "I" and "we" outside any quotation are that writer."""
    heads = sorted(s for e in entities if e.type == "PERSON" for s, t in e.mentions
                   if (s == 0 or body[s - 1] == "\n") and (t == len(body) or body[t] == "\n"))
    if not heads:
        return
    name_at = {s: e.name for e in entities if e.type == "PERSON" for s, _ in e.mentions}
    for c in claims:
        if (c.speaker or "").strip().lower() in _WRITER_VOICE and not c.is_quote and c.parent is None \
                and not c.speaker_resolved and (k := bisect.bisect_right(heads, c.start)):
            writer = name_at[heads[k - 1]]
            c.speaker_resolved, c.speaker_inferred = writer, True
            c.chain = [writer]


def _issuer_speaks(claims, issuer: str | None) -> None:
    """In a statement or press release, "we condemn ..." outside any quotation is the issuer speaking: the
    publisher of the text. Inside a quotation "we" is the person quoted (coref.resolve sees to that)."""
    if not issuer:
        return
    for c in claims:
        if (c.speaker or "").strip().lower() in _ISSUER_VOICE and not c.is_quote and c.parent is None \
                and not c.speaker_resolved:
            c.speaker_resolved, c.speaker_inferred = issuer, True
            c.chain = [issuer]


def extract(body: str, *, title: str | None = None, published: str | None = None,
            publisher: str | None = None) -> Extraction:
    try:
        return _extract(body if isinstance(body, str) else str(body or ""), title, published, publisher)[0]
    except Exception:  # noqa: BLE001 - extraction must never break an import; return what is safe
        return Extraction(version=EXTRACTOR_VERSION)


def extract_candidates(body: str) -> tuple[Extraction, list[list[str]]]:
    """The rules' claims before the re-ranker scores or drops any (their confidences are the rules'),
    with each claim's features: what ``bench.train_claim_confidence`` learns from."""
    return _extract(body, None, None, None, rerank=False)


def _extract(body: str, title, published, publisher, rerank: bool = True) -> tuple[Extraction, list[list[str]]]:
    furniture = find_furniture(body)
    furniture_spans = [(s, e) for s, e, _ in furniture]
    no_entity_spans = [(s, e) for s, e, k in furniture if k in ("nav", "credits")]
    cited = find_cited_sources(body)
    note_spans = [(c.start, c.end) for c in cited]
    sentences = split_sentences(body)
    quotes = find_quotes(body)
    raw = find_claims(body, sentences, quotes, furniture_spans + note_spans)
    _headline_lede(body, sentences, raw)
    claims = to_extracted(body, raw, quotes)
    extra = []
    for c in cited:
        i = body.find(c.source, c.start, c.end)
        if i >= 0 and c.source:
            extra.append((c.source, i, i + len(c.source), "MEDIA"))
    recogniser = ner_model()
    entities = find_entities(body, sentences, no_entity_spans, extra,
                             ner_spans(body, sentences, 0.0) if recogniser else None,
                             recogniser.threshold if recogniser else 0.0)
    resolve(claims, [r.speaker_pos for r in raw], entities, body)
    # finalize drops rows: keep each kept row's speaker position for its features
    speaker_pos_of = {id(c): r.speaker_pos for c, r in zip(claims, raw, strict=True)}
    claims = finalize(claims, body, sentences)
    found_publisher = None
    container = None
    if publisher is None:
        for s, e in furniture_spans:
            m = _PUBLISHER.search(body, s, e)
            if m:
                found_publisher = m.group("name").strip()
                if m.group("container"):
                    container = _TRAILING_CONNECTOR.sub("", m.group("container").strip()) or None
                break
        if found_publisher is None:
            found_publisher = _masthead(body, entities)
    _section_writers_speak(body, claims, entities)
    _issuer_speaks(claims, publisher or found_publisher)
    kept_speaker_pos = [speaker_pos_of.get(id(c), -1) for c in claims]
    widen_sources(claims, body, kept_speaker_pos)
    features = claim_features(body, claims, kept_speaker_pos, sentences, entities)
    if rerank:
        claims = apply_confidence(claims, features, load_model())
    return Extraction(
        claims=claims,
        entities=entities,
        cited_sources=cited,
        furniture=furniture_spans,
        publisher=found_publisher,
        container=container,
        published=find_dateline(body) if published is None else None,
        version=EXTRACTOR_VERSION,
    ), features
