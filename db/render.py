"""A report as plain text (``analyst-tui show``) or as a dict (``--json``), built from the store's API.

The text form is made safe for a terminal: every string from the report goes through ``visible``.
"""

from __future__ import annotations

from dataclasses import asdict

from .attribution import attribution_text
from .ingest.dates import precision_of
from .models import CLAIM_FLAGS, CREDIBILITY_LABELS, RELIABILITY_LABELS, Report
from .text_safety import one_line, visible


def published_line(published: str | None, published_from: str | None) -> str:
    """"2013-08 (month only; from the dateline)": the date, how precise its source was, and where it was read."""
    if not published:
        return "undated"
    precision = precision_of(published)
    said = "" if precision == "day" else f"{precision} only"
    origin = f"from the {published_from}" if published_from else ""
    detail = "; ".join(part for part in (said, origin) if part)
    return f"{published} ({one_line(detail)})" if detail else published


def reliability_text(letter: str) -> str:
    """The letter with its wording: "B (usually reliable)"."""
    label = RELIABILITY_LABELS.get(letter, ("", ""))[0]
    return f"{letter} ({label.lower()})" if label else letter


def credibility_text(digit: int) -> str:
    """The digit with its wording: "3 (possibly true)"."""
    label = CREDIBILITY_LABELS.get(digit, ("", ""))[0]
    return f"{digit} ({label.lower()})" if label else str(digit)


def report_metadata(report: Report) -> list[tuple[str, str]]:
    """A report's metadata as (label, value) in the one order that ``show`` and Markdown export lay it
    out. Values are the stored text, unescaped: each format makes them safe its own way."""
    source = report.source
    if source is None:
        source_text = "unknown"
    else:
        source_text = source.name
        if source.full_name and source.full_name != source.name:
            source_text = f"{source.full_name} ({source.name})"
        if source.affiliation:
            source_text += f", {source.affiliation}"
    fields = [("Source", source_text),
              ("Grade", f"{report.grade}: source {reliability_text(report.reliability)}, "
                        f"information {credibility_text(report.credibility)}")]
    if report.container:
        fields.append(("Publication", report.container))
    fields.append(("Published", published_line(report.published, report.published_from)))
    if report.author:
        fields.append(("Author", report.author))
    if report.url:
        fields.append(("URL", report.url))
    fields.append(("Status", report.status + (", flagged" if report.flagged else "")))
    if report.tags:
        fields.append(("Tags", ", ".join(report.tags)))
    if report.note:
        fields.append(("Note", report.note))
    return fields


def report_as_dict(store, report: Report, *, rejected: bool = False) -> dict:
    """``rejected``: with the claims the analyst rejected as not claims (each says ``"rejected": true``)."""
    data = asdict(report)
    data["grade"] = report.grade
    data["claims"] = [asdict(c) for c in store.claims_for_report(report.id, rejected=rejected)]
    data["entities"] = [asdict(e) for e in store.entities_for_report(report.id)]
    data["cited_sources"] = [asdict(c) for c in store.cited_sources_for_report(report.id)]
    data["near_duplicates"] = [r.id for r in store.near_duplicates(report.id)]
    return data


def speaker_line(claim) -> str:
    """Who a claim is attributed to, with the chain of relays: "informed sources → The National → Caliber.Az"
    (``db.attribution``: the panes, citations and exports name the same people)."""
    text = attribution_text(claim, empty="(unattributed)")
    who = claim.speaker_resolved or claim.speaker
    if claim.speaker_inferred and claim.speaker and claim.speaker != who:
        text += f' [inferred from "{claim.speaker}"]'
    return text


def claim_flags(claim) -> list[str]:
    """The flags an analyst weighs a claim by, in reading order: the one wording of them for the CLI,
    the panes and every export."""
    return [name for name, attribute in CLAIM_FLAGS if getattr(claim, attribute)]


def report_as_text(store, report: Report, *, rejected: bool = False) -> str:
    """``rejected``: with the claims the analyst rejected as not claims, marked so."""
    lines = [one_line(report.title), ""]
    for label, value in report_metadata(report):
        lines.append(f"{label + ':':<13}{one_line(value)}")
    lines.append(f"{'Report:':<13}id {report.id}, format {report.format}")
    dups = store.near_duplicates(report.id)
    if dups:
        lines.append("Same story:  " + "; ".join(f"report {d.id} ({one_line(d.source_name or '?', 30)})" for d in dups))
    lines += ["", visible(report.body).rstrip(), ""]
    claims = store.claims_for_report(report.id, rejected=rejected)
    hidden = sum(c.rejected for c in claims)
    lines.append(f"Claims ({len(claims) - hidden}{f', and {hidden} rejected' if hidden else ''}):")
    for c in claims:
        flags = ", ".join((["REJECTED: not a claim"] if c.rejected else []) + claim_flags(c))
        stance = f", stance: {c.stance}" if c.stance else ""
        confidence = f", confidence {c.confidence:.2f}" if c.origin == "extracted" else ""
        lines.append(f"  [{c.id}] {one_line(speaker_line(c), 100)}  (credibility {c.credibility}{stance}"
                     f"{confidence}{', ' + flags if flags else ''})")
        lines.append(f"        \u201c{one_line(c.text, 300)}\u201d")
        for kind, other in store.claim_relations(c.id):
            lines.append(f"        {kind} claim {other.id} (report {other.report_id}): \u201c{one_line(other.text, 80)}\u201d")
    cited = store.cited_sources_for_report(report.id)
    if cited:
        lines += ["", f"Cited sources ({len(cited)}):"]
        for item in cited:
            lines.append(f"  [{one_line(item.ref)}] {one_line(item.source)}, {item.date or 'undated'}")
    entities = store.entities_for_report(report.id)
    if entities:
        lines += ["", f"Entities ({len(entities)}):"]
        for e in entities:
            lines.append(f"  {e.type:<6} {one_line(e.name, 50)} ({e.mention_count})")
    return "\n".join(lines)
