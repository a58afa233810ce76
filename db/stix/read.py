"""Importing a STIX 2.1 bundle (``analyst-tui import bundle.json``): reports with their descriptions and
external references, notes and opinions, and what analyst-tui's own bundles carry besides (claims, grades,
stances, links), through the store's API.

A bundle is untrusted JSON: it is read as plain data (every field checked for its type, nothing evaluated),
and an object that cannot be placed is counted, not fatal. A report already in the database (same content)
is skipped and keeps the analyst's grades. Claims come from the bundle when it carries analyst-tui's
(``x_analyst_tui_claim``), else from the extractor, as for any imported file.
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from db import dedup
from db.errors import InvalidValue
from db.cite import parse_partial_date
from db.models import (
    CLAIM_RELATIONS,
    REPORT_STATUSES,
    STANCES,
    ExtractedClaim,
    Extraction,
    ImportOutcome,
    ParsedReport,
)

from .grades import (
    CREDIBILITY_TAG,
    PREFIX,
    RELIABILITY_TAG,
    credibility_from,
    credibility_of_confidence,
    machine_tag_value,
    reliability_from,
)

MAX_BUNDLE_BYTES = 256 * 1024 * 1024
BATCH_REPORTS = 50
OPINION_STANCE = {"strongly-agree": "supports", "agree": "supports", "neutral": "neutral",
                  "disagree": "refutes", "strongly-disagree": "refutes"}
RELATION_OF_TYPE = {"corroborates": "corroborates", "contradicts": "contradicts", "duplicate-of": "duplicates"}


class BundleError(ValueError):
    """The file is not a STIX bundle that can be read (with a short reason)."""


@dataclass
class StixImportSummary:
    outcomes: list[ImportOutcome] = field(default_factory=list)
    claims: int = 0
    notes: int = 0
    stances: int = 0
    links: int = 0
    not_placed: int = 0  # notes, opinions or relationships pointing at nothing imported

    @property
    def imported(self) -> int:
        return sum(o.status == "imported" for o in self.outcomes)

    @property
    def skipped(self) -> int:
        return sum(o.status == "skipped" for o in self.outcomes)

    def line(self) -> str:
        text = (f"{self.imported} report(s) imported, {self.skipped} skipped (already there); {self.claims} claims, "
                f"{self.notes} notes, {self.stances} stances, {self.links} links")
        return text + (f"; {self.not_placed} object(s) pointing at nothing imported" if self.not_placed else "")


def looks_like_bundle(path: Path) -> bool:
    """A JSON file whose top-level object says ``"type": "bundle"`` (read from its first bytes only)."""
    try:
        if not path.is_file() or path.suffix.lower() != ".json":
            return False
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    start = head.lstrip("\ufeff \t\r\n")
    return start.startswith("{") and '"bundle"' in head and '"type"' in head


def load_bundle(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleError(f"over {MAX_BUNDLE_BYTES // 1024**2} MB")
        data = json.loads(path.read_bytes().decode("utf-8-sig", "replace"))
    except OSError as exc:
        raise BundleError(f"cannot read: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:
        raise BundleError(f"not JSON: {str(exc)[:80]}") from None
    if not isinstance(data, dict) or data.get("type") != "bundle" or not isinstance(data.get("objects"), list):
        raise BundleError("not a STIX bundle (no \"type\": \"bundle\" with \"objects\")")
    return data


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _x(obj: dict, name: str) -> object:
    return obj.get(PREFIX + name)


def _str(obj: dict, key: str) -> str | None:
    """A field that must be a string (an id, a vocabulary word), else None: a list there is not a key."""
    value = obj.get(key)
    return value if isinstance(value, str) else None


def _refs(obj: dict) -> list[str]:
    refs = obj.get("object_refs")
    return [r for r in refs if isinstance(r, str)] if isinstance(refs, list) else []


class _Bundle:
    def __init__(self, data: dict):
        self.objects = [o for o in data["objects"] if isinstance(o, dict) and isinstance(o.get("id"), str)]
        self.by_id = {o["id"]: o for o in self.objects}
        self.of_type: dict[str, list[dict]] = {}
        for o in self.objects:
            self.of_type.setdefault(str(o.get("type")), []).append(o)
        self.reports_imported: set[str] = set()
        self.claims_of_report: dict[str, list[dict]] = {}
        for note in self.of_type.get("note", []):
            if isinstance(_x(note, "claim"), dict):
                for ref in _refs(note)[:1]:
                    self.claims_of_report.setdefault(ref, []).append(note)


def _published(report: dict) -> str | None:
    """The date as analyst-tui stored it ("2013-08" stays a month), else the day of STIX's ``published``
    (a timestamp STIX requires even of an undated page: analyst-tui marks those ``x_analyst_tui_undated``)."""
    stated = _x(report, "published")
    if isinstance(stated, str) and stated.strip():
        return stated
    if _x(report, "undated") is True:
        return None
    value = report.get("published")
    if isinstance(value, str) and parse_partial_date(value[:10]):
        return value[:10]
    return None


def _url(report: dict) -> str | None:
    stated = _text(_x(report, "url"))
    if stated:
        return stated
    refs = report.get("external_references")
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, dict) and _text(ref.get("url")):
            return ref["url"]
    return None


def _parsed(report: dict, identity: dict | None, name: str) -> ParsedReport:
    labels = report.get("labels") if isinstance(report.get("labels"), list) else []
    tags = [t for t in labels if isinstance(t, str) and not t.startswith((RELIABILITY_TAG, CREDIBILITY_TAG))]
    publisher = reliability = kind = affiliation = None
    source = _source_fields(identity) if identity is not None else None
    if source is not None:
        publisher, reliability, kind, affiliation = (source["name"], source["reliability"], source["kind"],
                                                     source["affiliation"])
    return ParsedReport(
        title=_text(report.get("name")) or "(untitled)", body=report.get("description") if isinstance(
            report.get("description"), str) else "", format="stix",
        original_name=_text(_x(report, "original_name")) or name, url=_url(report), published=_published(report),
        published_from=_text(_x(report, "published_from")) or ("STIX bundle" if _published(report) else None),
        publisher=publisher, author=_text(_x(report, "author")), language=_text(report.get("lang")) or _text(
            _x(report, "language")), tags=tags, reliability=reliability, source_kind=kind, affiliation=affiliation,
        container=_text(_x(report, "container")))


def _claim(note: dict, body: str) -> ExtractedClaim | None:
    data = _x(note, "claim")
    text = data.get("text") if isinstance(data.get("text"), str) else note.get("content")
    if not isinstance(text, str) or not text:
        return None
    start, end = data.get("start"), data.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(body)
            and body[start:end] == text):
        start = body.find(text)
        if start < 0:
            return None
        end = start + len(text)
    chain = data.get("chain") if isinstance(data.get("chain"), list) else []
    confidence = data.get("confidence")

    def flag(name: str) -> bool:
        return data.get(name) is True

    return ExtractedClaim(
        start=start, end=end, text=text, speaker=_text(data.get("speaker")),
        speaker_resolved=_text(data.get("speaker_resolved")), speaker_inferred=flag("speaker_inferred"),
        cue=_text(data.get("cue")), chain=[c for c in chain if isinstance(c, str)], is_quote=flag("is_quote"),
        is_hedged=flag("is_hedged"), is_denial=flag("is_denial"), rule=_text(data.get("rule")) or "stix",
        confidence=float(confidence) if isinstance(confidence, (int, float)) and 0 <= confidence <= 1 else 0.5)


def _credibility(obj: dict) -> int | None:
    """The object's information credibility: stated explicitly, else from its ``confidence`` (None: not said)."""
    stated = credibility_from(_x(obj, "credibility"))
    if stated is not None:
        return stated
    if "confidence" in obj:
        return credibility_of_confidence(obj.get("confidence"))
    return credibility_from(machine_tag_value(obj.get("labels"), CREDIBILITY_TAG))


def import_bundle(store, data: dict, *, name: str = "bundle.json", extract: bool = True) -> StixImportSummary:
    """Import a loaded bundle into ``store``; returns what was imported and placed."""
    bundle = _Bundle(data)
    summary = StixImportSummary()
    report_of: dict[str, int] = {}  # STIX report id -> new report id (imported ones only)
    claim_notes: dict[str, tuple[str, ExtractedClaim]] = {}  # claim note id -> (report id, claim)
    pending: list[tuple[dict, ParsedReport, Extraction, list[tuple[str, ExtractedClaim]]]] = []

    def flush() -> None:
        with store.import_batch():
            for report, parsed, extraction, claims in pending:
                outcome = store.store_report(parsed, extraction, dedup.fingerprint(parsed.title, parsed.body))
                summary.outcomes.append(outcome)
                if outcome.status == "imported":
                    report_of[report["id"]] = outcome.report_id
                    for note_id, claim in claims:
                        claim_notes[note_id] = (report["id"], claim)
        pending.clear()

    new_sources = _create_sources(store, bundle)
    for report in bundle.of_type.get("report", []):
        identity = bundle.by_id.get(_str(report, "created_by_ref"))
        parsed = _parsed(report, identity if identity and identity.get("type") == "identity" else None, name)
        claims = [(note["id"], c) for note in bundle.claims_of_report.get(report["id"], [])
                  if (c := _claim(note, parsed.body)) is not None]
        extraction = _extraction(parsed, extract)
        if claims:
            extraction.claims = [c for _, c in claims]
        pending.append((report, parsed, extraction, claims))
        if len(pending) >= BATCH_REPORTS:
            flush()
    flush()
    _keep_source_kinds(store, new_sources)
    claim_of = _claim_ids(store, report_of, claim_notes)
    bundle.reports_imported = set(report_of)
    summary.claims = sum(len(store.claim_ids_for_report(rid)) for rid in report_of.values())
    _apply_grades(store, bundle, report_of, claim_of)
    _apply_notes(store, bundle, report_of, claim_of, summary)
    _apply_opinions(store, bundle, claim_of, summary)
    _apply_links(store, bundle, claim_of, summary)
    store.propose_merges()
    return summary


def _source_fields(identity: dict) -> dict | None:
    name = _text(identity.get("name"))
    if name is None:
        return None
    return {"name": name,
            "reliability": (reliability_from(_x(identity, "reliability"))
                            or reliability_from(machine_tag_value(identity.get("labels"), RELIABILITY_TAG))
                            or reliability_from(str(identity.get("x_opencti_reliability") or "")[:1])),
            "kind": _text(_x(identity, "kind")),
            "affiliation": _text(_x(identity, "affiliation")) or _text(identity.get("description")),
            "full_name": _text(_x(identity, "full_name")), "url": _text(_x(identity, "url"))}


def _create_sources(store, bundle: _Bundle) -> dict[int, str]:
    """The sources of the bundle's reports, created before any report: an extracted mention of an outlet
    creates it ungraded, and a source already there keeps the analyst's grades. New ones: id -> kind."""
    authors = {_str(r, "created_by_ref") for r in bundle.of_type.get("report", [])}
    created = {}
    with store.write():
        for identity in bundle.of_type.get("identity", []):
            fields = _source_fields(identity) if identity["id"] in authors else None
            if fields is None or store.find_source(fields["name"]) is not None:
                continue
            source_id = store.ensure_source(fields.pop("name"), **fields)
            created[source_id] = fields["kind"]
    return created


def _keep_source_kinds(store, new_sources: dict[int, str]) -> None:
    """A kind the bundle states is kept (the writer upgrades "unknown" from a name like "... News")."""
    for source_id, kind in new_sources.items():
        if kind and store.get_source(source_id).kind != kind:
            with suppress(InvalidValue):  # a kind this version does not know: the writer's guess stays
                store.set_source_kind(source_id, kind)


def _extraction(parsed: ParsedReport, extract: bool) -> Extraction:
    if not extract:
        return Extraction(version="stix")
    from db.extract import extract as run_extractor

    try:
        return run_extractor(parsed.body, title=parsed.title, published=parsed.published, publisher=parsed.publisher)
    except Exception:  # an extractor bug must not lose the report (as in db/importer.py)
        return Extraction()


def _claim_ids(store, report_of: dict[str, int], claim_notes: dict[str, tuple[str, ExtractedClaim]]) -> dict[str, int]:
    """Claim note id -> the stored claim's id, matched by span within its report."""
    by_span: dict[tuple[int, int, int], int] = {}
    for report_id in report_of.values():
        for claim in store.claims_for_report(report_id):
            by_span[(report_id, claim.start, claim.end)] = claim.id
    out = {}
    for note_id, (stix_report, claim) in claim_notes.items():
        found = by_span.get((report_of[stix_report], claim.start, claim.end))
        if found is not None:
            out[note_id] = found
    return out


def _grouped(pairs) -> dict:
    groups: dict = {}
    for key, value in pairs:
        groups.setdefault(key, []).append(value)
    return groups


def _apply_grades(store, bundle: _Bundle, report_of: dict[str, int], claim_of: dict[str, int]) -> None:
    reports = [(o, report_of[o["id"]]) for o in bundle.of_type.get("report", []) if o["id"] in report_of]
    for credibility, ids in _grouped((_credibility(o), rid) for o, rid in reports).items():
        if credibility is not None and credibility != 6:
            store.set_report_credibility(ids, credibility)
    for status, ids in _grouped((_str(o, PREFIX + "status"), rid) for o, rid in reports).items():
        if status in REPORT_STATUSES and status != "new":
            store.set_status(ids, status)
    notes = [(bundle.by_id[n], cid) for n, cid in claim_of.items()]
    for credibility, ids in _grouped((_credibility(o), cid) for o, cid in notes).items():
        if credibility is not None and credibility != 6:
            store.set_claim_credibility(ids, credibility)
    for tag, ids in _grouped((t, cid) for o, cid in notes for t in (o.get("labels") if isinstance(o.get("labels"), list) else [])
                             if isinstance(t, str) and not t.startswith(CREDIBILITY_TAG)).items():
        store.add_tag("claim", ids, tag)


def _apply_notes(store, bundle: _Bundle, report_of, claim_of, summary: StixImportSummary) -> None:
    source_of = {}
    for report in bundle.of_type.get("report", []):
        if report["id"] in report_of and _str(report, "created_by_ref"):
            source = store.get_report(report_of[report["id"]]).source
            if source is not None:
                source_of[report["created_by_ref"]] = source.id
    texts: dict[tuple[str, int], list[str]] = {}
    for opinion in bundle.of_type.get("opinion", []):
        # another producer's opinion of a report: no claim to hold a stance, so it joins the report's note
        target = next((r for r in _refs(opinion) if r in report_of), None)
        if target is not None and _x(opinion, "stance") is None and isinstance(opinion.get("opinion"), str):
            explanation = _text(opinion.get("explanation"))
            text = f"Opinion: {opinion['opinion']}" + (f": {explanation}" if explanation else "")
            texts.setdefault(("report", report_of[target]), []).append(text)
    for note in bundle.of_type.get("note", []):
        if isinstance(_x(note, "claim"), dict):
            continue  # a claim, not a note about something
        content = _text(note.get("content"))
        abstract = _text(note.get("abstract"))
        text = "\n\n".join(t for t in (abstract, content) if t) if _x(note, "note_of") is None else content
        target = next(iter(_refs(note)), None)
        place = (("report", report_of[target]) if target in report_of else ("claim", claim_of[target])
                 if target in claim_of else ("source", source_of[target]) if target in source_of else None)
        if place is None or not text:
            summary.not_placed += 1
            continue
        texts.setdefault(place, []).append(text)
    for (kind, target_id), parts in texts.items():
        store.set_note(kind, target_id, "\n\n".join(parts))
        summary.notes += 1


def _apply_opinions(store, bundle: _Bundle, claim_of, summary: StixImportSummary) -> None:
    hypotheses = {h.title: h.id for h in store.list_hypotheses()}
    wanted: dict[tuple[int, str], list[int]] = {}
    activate = None
    for opinion in bundle.of_type.get("opinion", []):
        stance = _str(opinion, PREFIX + "stance")
        stance = stance if stance in STANCES else OPINION_STANCE.get(_str(opinion, "opinion") or "")
        title = _text(_x(opinion, "hypothesis")) or _text(opinion.get("explanation"))
        claims = [claim_of[r] for r in _refs(opinion) if r in claim_of]
        if stance is None or title is None or not claims:
            if not claims and _x(opinion, "stance") is None and any(r in bundle.reports_imported for r in _refs(opinion)):
                continue  # an opinion of a report: in its note (_apply_notes)
            summary.not_placed += 1
            continue
        title = " ".join(title.split())
        if title not in hypotheses:
            hypotheses[title] = store.create_hypothesis(title, activate=False)
        if _x(opinion, "hypothesis_active") is True:
            activate = hypotheses[title]
        wanted.setdefault((hypotheses[title], stance), []).extend(claims)
    for (hypothesis_id, stance), claims in wanted.items():
        store.set_stance(claims, stance, hypothesis_id=hypothesis_id)
        summary.stances += len(set(claims))
    if activate is not None and store.active_hypothesis_id() is None:
        store.activate_hypothesis(activate)


def _apply_links(store, bundle: _Bundle, claim_of, summary: StixImportSummary) -> None:
    for relationship in bundle.of_type.get("relationship", []):
        kind = RELATION_OF_TYPE.get(_str(relationship, "relationship_type") or "")
        a = claim_of.get(_str(relationship, "source_ref") or "")
        b = claim_of.get(_str(relationship, "target_ref") or "")
        if kind not in CLAIM_RELATIONS or a is None or b is None or a == b:
            summary.not_placed += 1
            continue
        summary.links += store.relate_claims(a, b, kind)
