"""The analyst's brief as Markdown: key judgements, the claims that carry them with their grades
and footnoted citations, the sources with their reliability, and what is uncorroborated or echoed.

Each section is one function of (store, BriefData) -> Markdown, and ``SECTIONS`` orders them: a
section is added by adding its function to that list (the ACH table goes after the key
judgements). Report text is escaped (``db.cite.md_escape``), so it reads as text, never as
Markdown; the result converts cleanly with pandoc (footnotes are pandoc's ``[^n]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..cite import cite_claim, md_escape
from ..models import CREDIBILITY_LABELS, RELIABILITY_LABELS
from .corroboration import Corroboration

MAX_CLAIMS = 40


@dataclass
class BriefClaim:
    claim_id: int
    text: str
    stance: str | None
    credibility: int  # the analyst's
    reliability: str  # the report's source's
    source: str
    published: str | None
    corroboration: Corroboration
    footnote: int = 0


@dataclass
class BriefData:
    title: str
    hypothesis_id: int | None
    claims: list[BriefClaim] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)  # footnote n is citations[n - 1]


def _chosen_claims(store, hypothesis_id: int | None) -> list[tuple[int, str | None]]:
    """The hypothesis' claims (given a stance toward it, or rated against it in the ACH matrix);
    without any, one claim per family
    spanning several reports: what the cross-report analysis has to say something about."""
    if hypothesis_id is not None:
        # A claim rated in the ACH matrix against the hypothesis carries it as much as one given a
        # stance; the rating says how (a stance, where both exist, is what the analyst said first).
        rows = store.conn.execute(
            """SELECT claim_id, stance FROM claim_stances WHERE hypothesis_id = ? AND analyst = current_analyst()
               UNION ALL SELECT claim_id, CASE WHEN consistency IN ('CC', 'C') THEN 'supports'
                                               WHEN consistency IN ('I', 'II') THEN 'refutes' ELSE 'neutral' END
               FROM ach_cells WHERE hypothesis_id = ? AND analyst = current_analyst()
               AND claim_id NOT IN (SELECT claim_id FROM claim_stances WHERE hypothesis_id = ?
                                    AND analyst = current_analyst())
               ORDER BY claim_id LIMIT ?""", (hypothesis_id, hypothesis_id, hypothesis_id, MAX_CLAIMS)).fetchall()
        if rows:
            return [(r[0], r[1]) for r in rows]
    chosen = []
    for family_id, _claims, _reports in store.families(min_reports=2, limit=MAX_CLAIMS):
        tree = store.origin_tree(family_id)
        first = next((c for c in tree.originators if c.claim_ids), None) or next(
            (c for c in tree.carriers.values() if c.claim_ids), None)
        if first:
            chosen.append((first.claim_ids[0], None))
    return chosen


def collect(store, hypothesis_id: int | None = None) -> BriefData:
    hypothesis = None
    if hypothesis_id is not None:
        hypothesis = next((h for h in store.list_hypotheses() if h.id == hypothesis_id), None)
        if hypothesis is None:
            from ..errors import NotFound

            raise NotFound(f"no hypothesis {hypothesis_id}")
    data = BriefData(title=f"Brief: {hypothesis.title}" if hypothesis else "Brief: claims across reports",
                     hypothesis_id=hypothesis_id)
    for claim_id, stance in _chosen_claims(store, hypothesis_id):
        claim = store.get_claim(claim_id)
        report = store.get_report(claim.report_id)
        item = BriefClaim(claim_id, claim.text, stance, claim.credibility,
                          report.source.reliability if report.source else "F",
                          report.source.name if report.source else f"report {report.id}", report.published,
                          store.corroboration(claim_id))
        data.citations.append(cite_claim(claim, report, "chicago-note", container=report.container))
        item.footnote = len(data.citations)
        data.claims.append(item)
    data.claims.sort(key=lambda c: (c.corroboration.suggested_credibility, -c.corroboration.independent_support, c.claim_id))
    return data


def _quote(text: str) -> str:
    return "“" + md_escape(" ".join(text.split())) + "”"


def key_judgements(store, data: BriefData) -> str:
    lines = ["## Key judgements", ""]
    if not data.claims:
        return "\n".join(lines + ["No claims to judge yet: give claims a stance toward the hypothesis.", ""])
    for item in data.claims[:10]:
        c = item.corroboration
        label = CREDIBILITY_LABELS[c.suggested_credibility][0]
        stance = f" ({item.stance} the hypothesis)" if item.stance else ""
        lines.append(f"- **{label}**{stance}: {_quote(item.text)}[^{item.footnote}] — {md_escape(c.reason)}.")
    return "\n".join(lines + [""])


def claims_section(store, data: BriefData) -> str:
    lines = ["## The claims and their grades", ""]
    for item in data.claims:
        c = item.corroboration
        lines.append(f"### Claim {item.claim_id}: {md_escape(item.source)}, {item.published or 'undated'}")
        lines.append("")
        lines.append(f"{_quote(item.text)}[^{item.footnote}]")
        lines.append("")
        lines.append(f"- Analyst's grade: {item.reliability}{item.credibility} "
                     f"({RELIABILITY_LABELS[item.reliability][0].lower()} source; "
                     f"{CREDIBILITY_LABELS[item.credibility][0].lower()})")
        lines.append(f"- Suggested credibility: {c.suggested_credibility} "
                     f"({CREDIBILITY_LABELS[c.suggested_credibility][0].lower()}): {md_escape(c.reason)}")
        lines.append("- Originators: " + "; ".join(md_escape(o.label) for o in c.own_originators + c.supporting))
        if c.contradicting:
            lines.append("- Contradicted by: " + "; ".join(md_escape(o.label) for o in c.contradicting))
        if c.relays:
            lines.append("- Repeated, not counted: " + "; ".join(md_escape(r.label) for r in c.relays))
        lines.append("")
    return "\n".join(lines)


def sources_section(store, data: BriefData) -> str:
    seen: dict[str, str] = {}
    for item in data.claims:
        c = item.corroboration
        for o in c.own_originators + c.supporting + c.contradicting:
            seen.setdefault(o.source_name or f"report {o.report_id}", o.reliability)
        for r in c.relays:
            seen.setdefault(r.name, r.reliability)
    lines = ["## Sources", "", "| Source | Reliability |", "|---|---|"]
    for name, grade in sorted(seen.items(), key=lambda kv: ("ABCDEF".index(kv[1]), kv[0].casefold())):
        lines.append(f"| {md_escape(name).replace('|', '/')} | {grade} ({RELIABILITY_LABELS[grade][0].lower()}) |")
    return "\n".join(lines + [""])


def echoes_section(store, data: BriefData) -> str:
    lines = ["## Uncorroborated or echoed", ""]
    for item in data.claims:
        c = item.corroboration
        if c.independent_support < 2:
            relays = f", repeated by {len(c.relays)} report(s) that add no confirmation" if c.relays else ""
            lines.append(f"- Uncorroborated: {_quote(item.text)}[^{item.footnote}] rests on one originator "
                         f"({md_escape(c.own_originators[0].label) if c.own_originators else 'unknown'}){relays}.")
        for circular in c.circular:
            lines.append(f"- Circular reporting: {md_escape(circular)}.")
    if len(lines) == 2:
        lines.append("Every claim above has two independent originators or more.")
    return "\n".join(lines + [""])


def notes_section(store, data: BriefData) -> str:
    return "\n".join(f"[^{n}]: {md_escape(text)}" for n, text in enumerate(data.citations, 1)) + "\n"


def ach_section(store, data: BriefData) -> str:
    """The ACH matrix over every hypothesis (Heuer: the hypothesis with the least inconsistent evidence
    survives), as ``analyst-tui ach --markdown`` prints it."""
    from ..ach_render import matrix_as_markdown

    return "\n".join(["## Competing hypotheses (ACH)", "", matrix_as_markdown(store.ach_matrix())])


SECTIONS = [key_judgements, ach_section, claims_section, sources_section, echoes_section, notes_section]


def render(store, hypothesis_id: int | None = None, *, today: date | None = None) -> str:
    data = collect(store, hypothesis_id)
    head = f"# {md_escape(data.title)}\n\n*Written {(today or date.today()).isoformat()} from {store.count_reports()} reports.*\n"
    return "\n".join([head] + [section(store, data) for section in SECTIONS])
