"""A STIX 2.1 bundle of reports, written with the OASIS ``stix2`` library (``analyst-tui export --format stix``).

What each thing becomes (README, "STIX 2.1", says why):

* a source -> ``identity`` (its reliability as ``x_analyst_tui_reliability``, OpenCTI's ``x_opencti_reliability``
  and the MISP machine tag), the ``created_by_ref`` of its reports;
* a report -> ``report`` with its body as ``description``, its URL and citation as an ``external_reference``,
  its credibility as ``confidence`` (grades.py) and explicitly, its tags as ``labels``;
* a claim -> ``note`` on its report: ``abstract`` is who said it through whom, ``content`` the claim, its
  credibility as ``confidence``; its span, speaker, chain and flags in ``x_analyst_tui_claim``;
* an analyst's note -> ``note`` on what it annotates (``x_analyst_tui_note_of``);
* a stance toward a hypothesis -> ``opinion`` on the claim's note (supports = agree, refutes = disagree);
* corroborates / contradicts / duplicates -> ``relationship`` between two claims' notes.

Ids are UUIDv5 of what the object is (a report's content hash, a claim's span), so exporting again, or
exporting a database that imported the bundle, gives the same ids.
"""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import quote
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import stix2

from db.attribution import attribution_chain, chain_prose
from db.cite import cite_report, parse_partial_date
from db.models import CREDIBILITY_LABELS, RELIABILITY_LABELS, Claim, Hypothesis, Report, Source
from db.text_safety import json_dumps

from .grades import PREFIX, confidence_of, credibility_label, reliability_label

NAMESPACE = uuid.UUID("6f6c3c1e-5d0e-4b8e-9a51-61a1a5e7d1c2")  # analyst-tui's, for UUIDv5 ids
ANALYST_NAME = "Analyst (analyst-tui)"
STANCE_OPINION = {"supports": "agree", "refutes": "disagree", "neutral": "neutral"}
RELATION_TYPE = {"corroborates": "corroborates", "contradicts": "contradicts", "duplicates": "duplicate-of"}
OPENCTI_RELIABILITY = {  # OpenCTI's reliability_ov, as its identities carry it
    "A": "A - Completely reliable", "B": "B - Usually reliable", "C": "C - Fairly reliable",
    "D": "D - Not usually reliable", "E": "E - Unreliable", "F": "F - Reliability cannot be judged",
}
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}$")


def stix_id(kind: str, *key: object) -> str:
    """A deterministic id in UUIDv4 form (STIX 2.1 asks v4 of SDOs): a UUIDv5 of the key, version bits set to 4."""
    digest = uuid.uuid5(NAMESPACE, ":".join(str(k) for k in key)).bytes
    return f"{kind}--{uuid.UUID(bytes=digest, version=4)}"


_URI_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def stix_url(url: str | None) -> str | None:
    """A report's URL as the URI STIX requires (unsafe characters percent-encoded), or None when it is not one
    (no scheme); the URL as stored travels in ``x_analyst_tui_url`` whenever it differs."""
    if not url or not _URI_SCHEME_RE.match(url):
        return None
    return quote(url, safe=":/?#@!$&'()*+,;=%~")


@dataclass
class ReportRecord:
    """One report with what the bundle says about it (read from the store by ``records_from_store``)."""

    report: Report
    claims: list[Claim] = field(default_factory=list)
    stances: list[tuple[int, Hypothesis, str]] = field(default_factory=list)  # (claim id, hypothesis, stance)
    relations: list[tuple[int, str, Claim]] = field(default_factory=list)  # (claim id, kind, other claim)
    source_note: str | None = None


def records_from_store(store, report_ids: Iterable[int]) -> Iterable[ReportRecord]:
    """The records of these reports, one at a time, through the store's read API."""
    hypotheses = store.list_hypotheses()
    for report_id in report_ids:
        report = store.get_report(report_id)
        claims = store.claims_for_report(report_id)
        stances = []
        for hypothesis in hypotheses:
            for claim in store.claims_for_report(report_id, hypothesis_id=hypothesis.id):
                if claim.stance:
                    stances.append((claim.id, hypothesis, claim.stance))
        relations = [(claim.id, kind, other) for claim in claims if claim.relations
                     for kind, other in store.claim_relations(claim.id)]
        source_note = store.note_of("source", report.source.id) if report.source else None
        yield ReportRecord(report, claims, stances, relations, source_note)


class _Ids:
    """The STIX id of each claim written or to be written, across reports (a relation may point ahead)."""

    def __init__(self, store=None):
        self.store = store
        self.claims: dict[int, str] = {}

    def claim(self, claim: Claim, content_hash: str | None = None) -> str:
        if claim.id not in self.claims:
            if content_hash is None:
                content_hash = self.store.get_report(claim.report_id).content_hash if self.store else claim.report_id
            self.claims[claim.id] = stix_id("note", "claim", content_hash, claim.start, claim.end, claim.text)
        return self.claims[claim.id]


def _timestamp(report: Report) -> str:
    """STIX needs a full timestamp: a partial date is its first day (the date as stored is kept alongside)."""
    d = parse_partial_date(report.published)
    if d is None:
        return report.imported_at
    return f"{d.year:04d}-{d.month or 1:02d}-{d.day or 1:02d}T00:00:00Z"


# The x_ properties are declared in one extension definition (STIX 2.1, 7.3: a toplevel-property
# extension), which each object carrying them names: the validator's {401} warning otherwise.
EXTENSION_ID = "extension-definition--2d8e7a4c-9b1f-4c55-8a3e-6f0b5d2c7e11"
EXTENSION_PROPERTIES = sorted(PREFIX + name for name in (
    "reliability", "reliability_label", "kind", "affiliation", "full_name", "url", "credibility", "grade", "status",
    "published", "undated", "published_from", "author", "container", "language", "format", "original_name",
    "claim", "note_of", "stance", "hypothesis", "hypothesis_active")) + ["x_opencti_reliability"]
_EXTENDED = {"extensions": {EXTENSION_ID: {"extension_type": "toplevel-property-extension"}}}


def _custom(**props: Any) -> dict[str, Any]:
    out = {PREFIX + k: v for k, v in props.items() if v is not None and v != [] and v != ""}
    return {**out, **_EXTENDED} if out else out


def _extension(created: str, analyst_id: str) -> stix2.ExtensionDefinition:
    return stix2.ExtensionDefinition(
        id=EXTENSION_ID, created_by_ref=analyst_id, created=created, modified=created, name="analyst-tui",
        description="What analyst-tui knows of a report, a source and a claim that STIX has no property for: "
                    "the Admiralty grades as given, triage status, the date as precise as the source gave it, "
                    "claims' spans and attribution chains, stances toward named hypotheses.",
        schema="analyst-tui README.md, section 'STIX 2.1'", version="1.0.0",
        extension_types=["toplevel-property-extension"], extension_properties=EXTENSION_PROPERTIES)


def _identity(source: Source, created: str) -> stix2.Identity:
    grade = source.reliability if source.reliability in RELIABILITY_LABELS else "F"
    person = source.kind in ("person", "account")
    return stix2.Identity(
        id=stix_id("identity", "source", " ".join(source.name.casefold().split())),
        created=created, modified=created, name=source.name or "(unnamed source)",
        identity_class="individual" if person else "organization",
        description=source.affiliation or None, labels=[reliability_label(grade)],
        x_opencti_reliability=OPENCTI_RELIABILITY[grade], allow_custom=True,
        **_custom(reliability=grade, reliability_label=RELIABILITY_LABELS[grade][0], kind=source.kind,
                  affiliation=source.affiliation, full_name=source.full_name, url=source.url),
    )


def _analyst(created: str) -> stix2.Identity:
    return stix2.Identity(id=stix_id("identity", "analyst"), created=created, modified=created, name=ANALYST_NAME,
                          identity_class="individual", allow_custom=True)


def _report(record: ReportRecord, refs: list[str], identity_id: str | None) -> stix2.Report:
    r = record.report
    external = {"source_name": (r.source.name if r.source and r.source.name else "analyst-tui"),
                "description": cite_report(r, "chicago-note")}
    url = stix_url(r.url)
    if url:
        external["url"] = url
    credibility = r.credibility if r.credibility in CREDIBILITY_LABELS else 6
    labels = list(dict.fromkeys(t for t in r.tags if t)) + [credibility_label(credibility)]
    if r.source:
        labels.append(reliability_label(r.reliability))
    lang = r.language if r.language and _LANG_RE.match(r.language) else None
    return stix2.Report(
        id=stix_id("report", r.content_hash), created=r.imported_at, modified=r.imported_at,
        name=r.title or "(untitled)", description=r.body or None, published=_timestamp(r),
        report_types=["threat-report"], object_refs=refs, created_by_ref=identity_id,
        confidence=confidence_of(credibility), external_references=[external], labels=labels, lang=lang,
        allow_custom=True,
        **_custom(credibility=credibility, reliability=r.reliability, grade=f"{r.reliability}{credibility}",
                  status=r.status, published=r.published, undated=True if not r.published else None, published_from=r.published_from, author=r.author,
                  container=r.container, language=r.language if lang is None else None, format=r.format,
                  original_name=r.original_name, url=r.url if r.url != url else None),
    )


def _claim_note(claim: Claim, note_id: str, report_id: str, created: str, analyst_id: str) -> stix2.Note:
    chain = attribution_chain(claim)
    credibility = claim.credibility if claim.credibility in CREDIBILITY_LABELS else 6
    return stix2.Note(
        id=note_id, created=created, modified=created, created_by_ref=analyst_id,
        abstract=f"Claim: {chain_prose(chain)}" if chain else "Claim (unattributed)",
        content=claim.text or "(empty claim)", object_refs=[report_id], confidence=confidence_of(credibility),
        labels=[credibility_label(credibility)] + [t for t in claim.tags if t], allow_custom=True,
        **_custom(credibility=credibility, claim={
            "start": claim.start, "end": claim.end, "text": claim.text, "speaker": claim.speaker,
            "speaker_resolved": claim.speaker_resolved, "speaker_inferred": claim.speaker_inferred,
            "cue": claim.cue, "chain": list(claim.chain or []), "is_quote": claim.is_quote,
            "is_hedged": claim.is_hedged, "is_denial": claim.is_denial, "rule": claim.rule,
            "confidence": claim.confidence, "origin": claim.origin}),
    )


def _analyst_note(kind: str, text: str, target: str, created: str, analyst_id: str) -> stix2.Note:
    return stix2.Note(id=stix_id("note", "analyst", kind, target), created=created, modified=created,
                      created_by_ref=analyst_id, content=text, object_refs=[target], allow_custom=True,
                      **_custom(note_of=kind))


def _opinion(claim_note: str, hypothesis: Hypothesis, stance: str, created: str, analyst_id: str) -> stix2.Opinion:
    return stix2.Opinion(
        id=stix_id("opinion", claim_note, hypothesis.title), created=created, modified=created,
        created_by_ref=analyst_id, opinion=STANCE_OPINION[stance], object_refs=[claim_note],
        explanation=f"{stance.capitalize()} the hypothesis: {hypothesis.title}", allow_custom=True,
        **_custom(stance=stance, hypothesis=hypothesis.title, hypothesis_active=hypothesis.active),
    )


def bundle_objects(records: Iterable[ReportRecord], *, store=None) -> Iterable[stix2.base._STIXBase]:
    """Every object of the bundle, each once: identities before the reports that name them."""
    ids = _Ids(store)
    seen_identities: set[str] = set()
    seen_relations: set[str] = set()
    analyst_id = None
    for record in records:
        r = record.report
        created = r.imported_at
        if analyst_id is None:
            analyst_id = stix_id("identity", "analyst")
            yield _analyst(created)
            yield _extension(created, analyst_id)
        identity_id = None
        if r.source:
            identity = _identity(r.source, created)
            identity_id = identity.id
            if identity_id not in seen_identities:
                seen_identities.add(identity_id)
                yield identity
                if record.source_note:
                    yield _analyst_note("source", record.source_note, identity_id, created, analyst_id)
        report_id = stix_id("report", r.content_hash)
        claim_ids = [ids.claim(c, r.content_hash) for c in record.claims]
        yield _report(record, [identity_id or analyst_id, *claim_ids], identity_id)
        if r.note:
            yield _analyst_note("report", r.note, report_id, created, analyst_id)
        for claim, note_id in zip(record.claims, claim_ids, strict=True):
            yield _claim_note(claim, note_id, report_id, created, analyst_id)
            if claim.note:
                yield _analyst_note("claim", claim.note, note_id, created, analyst_id)
        by_id = {c.id: note_id for c, note_id in zip(record.claims, claim_ids, strict=True)}
        for claim_id, hypothesis, stance in record.stances:
            if claim_id in by_id and stance in STANCE_OPINION:
                yield _opinion(by_id[claim_id], hypothesis, stance, created, analyst_id)
        for claim_id, kind, other in record.relations:
            a, b = sorted((by_id[claim_id], ids.claim(other)))
            relation_id = stix_id("relationship", kind, a, b)
            if kind in RELATION_TYPE and relation_id not in seen_relations:
                seen_relations.add(relation_id)
                yield stix2.Relationship(id=relation_id, created=created, modified=created,
                                         relationship_type=RELATION_TYPE[kind], source_ref=a, target_ref=b,
                                         created_by_ref=analyst_id, allow_custom=True)


def write_stix(records: Iterable[ReportRecord], out, *, store=None) -> int:
    """Stream the bundle to ``out`` (a file or a ``write(str)`` callable); returns the number of reports.
    Written through ``json_dumps``: lossless, yet bidi and C1 controls are escapes, safe to ``cat``."""
    write: Callable[[str], Any] = getattr(out, "write", out)
    counted = _Counting(records)
    write(f'{{\n "type": "bundle",\n "id": "bundle--{uuid.uuid4()}",\n "objects": [')
    first = True
    for obj in bundle_objects(counted, store=store):
        write(("\n  " if first else ",\n  ") + json_dumps(json.loads(obj.serialize())))
        first = False
    write("\n ]\n}\n")
    return counted.count


class _Counting:
    def __init__(self, records: Iterable[ReportRecord]):
        self.records = records
        self.count = 0

    def __iter__(self):
        for record in self.records:
            self.count += 1
            yield record
