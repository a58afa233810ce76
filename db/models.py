"""Plain dataclasses passed across the store's API.

Nothing here touches SQLite or the UI: the ingest parsers and the extractor produce
``Parsed*`` / ``Extracted*`` values, the store turns them into rows and hands back the
read-side records (``Report``, ``Claim``, ...). The CLI and the TUI only ever see these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- vocabularies -----------------------------------------------------------------

REPORT_STATUSES = ("new", "read", "flagged", "dismissed")
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
CREDIBILITY_GRADES = (1, 2, 3, 4, 5, 6)
ENTITY_TYPES = ("PERSON", "ORG", "LOC", "MEDIA")
STANCES = ("supports", "refutes", "neutral")
CLAIM_RELATIONS = ("corroborates", "contradicts", "duplicates")
# (what the analyst reads, the claim's attribute), in reading order: one wording everywhere a claim is shown.
CLAIM_FLAGS = (("quote", "is_quote"), ("hedge", "is_hedged"), ("denial", "is_denial"),
               ("inferred speaker", "speaker_inferred"))
# The flags an analyst sets by hand (the speaker is inferred or not by who said it, ``w``): name -> attribute.
EDITABLE_CLAIM_FLAGS = dict(CLAIM_FLAGS[:3])
SOURCE_KINDS = ("outlet", "channel", "account", "platform", "agency", "person", "unknown")
TARGET_KINDS = ("report", "claim", "source", "entity")

# Admiralty code wording (FM 2-22.3, appendix B). Shown to the analyst while grading.
RELIABILITY_LABELS = {
    "A": ("Reliable", "No doubt of authenticity, trustworthiness, or competency; has a history of complete reliability"),
    "B": ("Usually reliable", "Minor doubt about authenticity, trustworthiness, or competency; history of valid information most of the time"),
    "C": ("Fairly reliable", "Doubt of authenticity, trustworthiness, or competency but has provided valid information in the past"),
    "D": ("Not usually reliable", "Significant doubt about authenticity, trustworthiness, or competency but has provided valid information in the past"),
    "E": ("Unreliable", "Lacking in authenticity, trustworthiness, and competency; history of invalid information"),
    "F": ("Cannot be judged", "No basis exists for evaluating the reliability of the source"),
}
CREDIBILITY_LABELS = {
    1: ("Confirmed", "Confirmed by other independent sources; logical in itself; consistent with other information on the subject"),
    2: ("Probably true", "Not confirmed; logical in itself; consistent with other information on the subject"),
    3: ("Possibly true", "Not confirmed; reasonably logical in itself; agrees with some other information on the subject"),
    4: ("Doubtfully true", "Not confirmed; possible but not logical; no other information on the subject"),
    5: ("Improbable", "Not confirmed; not logical in itself; contradicted by other information on the subject"),
    6: ("Cannot be judged", "No basis exists for evaluating the validity of the information"),
}


# --- what the parsers produce ----------------------------------------------------------


@dataclass
class ParsedReport:
    """One report as read from a file, before extraction. Dates are ISO ``YYYY-MM-DD``, or ``YYYY-MM`` /
    ``YYYY`` when that is all the source says, or None."""

    title: str
    body: str
    format: str  # "text", "markdown", "html", "json", "jsonl", "rss", "atom", "rdf"
    original_name: str | None = None
    url: str | None = None
    published: str | None = None
    published_from: str | None = None  # where the date was read: "page metadata", "dateline", "feed", ...
    publisher: str | None = None
    author: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    reliability: str | None = None  # A-F when the file states it (front matter)
    source_kind: str | None = None
    affiliation: str | None = None
    container: str | None = None  # the publication within the publisher (front matter "publication")


# --- what the extractor produces --------------------------------------------------------


@dataclass
class ExtractedClaim:
    """An attributed assertion: ``body[start:end] == text``."""

    start: int
    end: int
    text: str
    speaker: str | None = None  # as written in the text ("the sources", "Shafaq News")
    speaker_resolved: str | None = None  # who "the account" turned out to be
    speaker_inferred: bool = False
    cue: str | None = None  # "said", "according to", "quotes ... as saying"
    chain: list[str] = field(default_factory=list)  # originator first, then each relay
    is_quote: bool = False
    is_hedged: bool = False
    is_denial: bool = False
    rule: str = ""
    confidence: float = 0.5
    parent: int | None = None  # index of the enclosing claim (nested attribution)


@dataclass
class ExtractedEntity:
    name: str
    type: str  # one of ENTITY_TYPES
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)  # spans in the body
    rule: str = ""
    confidence: float = 0.5
    descriptor: str | None = None  # apposition: "anti-Iran Iraqi news website"


@dataclass
class ExtractedCitedSource:
    ref: str  # "1"
    source: str  # "Telegram"
    date: str | None  # ISO
    raw: str  # "[1] Telegram, June 11, 2024."
    start: int
    end: int
    markers: list[tuple[int, int]] = field(default_factory=list)  # where "[1]" is cited in the text


@dataclass
class Extraction:
    claims: list[ExtractedClaim] = field(default_factory=list)
    entities: list[ExtractedEntity] = field(default_factory=list)
    cited_sources: list[ExtractedCitedSource] = field(default_factory=list)
    furniture: list[tuple[int, int]] = field(default_factory=list)  # spans of site furniture
    publisher: str | None = None  # guessed from the text when the file did not say
    published: str | None = None  # dateline found in the text
    container: str | None = None  # "MEMRI's Jihad and Terrorism Threat Monitor" -> the monitor's name
    version: str = ""


# --- what the store returns -------------------------------------------------------------


@dataclass
class Source:
    id: int
    name: str
    kind: str = "unknown"
    affiliation: str | None = None
    reliability: str = "F"
    full_name: str | None = None
    url: str | None = None


@dataclass
class ReportSummary:
    """One row of the report queue: only what the list shows."""

    id: int
    title: str
    status: str
    published: str | None
    imported_at: str
    source_name: str | None
    reliability: str
    credibility: int
    duplicate_of: int | None = None
    flagged: bool = False  # beside the status: a flagged report is also new or read
    little_text: bool = False  # tagged LITTLE_TEXT_TAG at import: a page of a few lines, worth a look
    disputed: bool = False  # analysts differ on its credibility or its source's reliability (team mode)


@dataclass
class Report:
    id: int
    title: str
    body: str
    status: str
    format: str
    imported_at: str
    content_hash: str
    credibility: int = 6
    source: Source | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None  # ISO day, or "2013-08" / "2015" when that is all the source said
    published_from: str | None = None  # where the date was read: "page metadata", "dateline", ...
    original_name: str | None = None
    language: str | None = None
    duplicate_of: int | None = None
    container: str | None = None  # the publication within the publisher: "Jihad and Terrorism Threat Monitor"
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    flagged: bool = False  # beside the status: a flagged report is also new or read
    version: int = 0  # its metadata's version: an edit states the one it read (team mode)
    disputed: bool = False  # analysts differ on its credibility or its source's reliability (team mode)

    @property
    def reliability(self) -> str:
        return self.source.reliability if self.source else "F"

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"


@dataclass
class Claim:
    """A stored claim. Its flags are named by :data:`CLAIM_FLAGS` wherever they are shown."""

    id: int
    report_id: int
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_resolved: str | None
    speaker_inferred: bool
    cue: str | None
    chain: list[str]
    is_quote: bool
    is_hedged: bool
    is_denial: bool
    credibility: int
    rule: str
    confidence: float
    origin: str = "extracted"  # or "analyst"
    rejected: bool = False  # the analyst said "not a claim"
    stance: str | None = None  # toward the active hypothesis, when one is asked for
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    relations: dict[str, int] = field(default_factory=dict)  # "corroborates"/"contradicts"/"duplicates" -> count
    disputed: bool = False  # analysts differ on its credibility or a stance (team mode; ``analyst-tui team``)


@dataclass
class Entity:
    id: int
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mention_count: int = 0
    report_count: int = 0
    version: int = 0  # an edit states the version it read (team mode)


@dataclass
class Mention:
    id: int
    entity_id: int
    report_id: int
    start: int
    end: int
    text: str
    claim_id: int | None = None


@dataclass
class CitedSource:
    id: int
    report_id: int
    ref: str
    source: str
    date: str | None
    raw: str
    start: int
    end: int
    claim_ids: list[int] = field(default_factory=list)


@dataclass
class Hypothesis:
    id: int
    title: str
    active: bool = False


@dataclass
class AuditEntry:
    id: int
    at: str
    who: str
    action: str
    target_kind: str
    target_id: int | None
    field: str | None
    old: object
    new: object
    batch: str


@dataclass
class ImportOutcome:
    """The result of importing one parsed report."""

    status: str  # "imported", "skipped" (same content), "failed"
    name: str
    report_id: int | None = None
    reason: str | None = None
    duplicate_of: int | None = None  # near-duplicate of an earlier report
    warning: str | None = None  # imported, but worth a look (a page with little article text)
