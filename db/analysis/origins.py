"""Where a family's proposition came from: its carriers (the reports stating it), who repeats whom,
its originators, and circular reporting.

A carrier repeats another report when one of its family claims names that report's source in
its chain ("citing The National") or a footnote, when it is a near-duplicate of it, when it says
it repeats unnamed reports ("regional media have confirmed"), or, failing those, when its body
names the source (a relay that names only one or two outlets). Of a named source, the earliest
report stating the proposition is the one repeated: a family claim of it, or else its text (the
extractor may have missed the sentence; then the report is drawn in with the sentence shown).
Carriers that repeat nobody are the originators. A carrier that, through relays, traces back
to its own source (A cites B, which relays A) is circular reporting: it confirms nothing.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field

from ..identity.keys import normalise_name
from ..team import mine
from .families import load_claims
from .propositions import content_tokens
from .source_names import SourceNames

MAX_CARRIERS = 300  # a family larger than this is traced through its first claims only
TEXT_COVERAGE = 0.6  # share of a claim's content words a report's text must hold to state it
PLATFORMS = {"x", "twitter", "telegram", "facebook", "instagram", "tiktok", "youtube"}
GENERIC_ATTRIBUTIONS = re.compile(
    r"^(?:the )?(?:regional |western |local |foreign |international |social )?(?:media|reports?|press|outlets?|"
    r"news reports?|accounts?|x accounts|posts?)$", re.IGNORECASE)
ANONYMOUS = re.compile(r"\b(?:sources?|officials?|people|persons?|someone|analysts?|residents?|witness(?:es)?|"
                       r"diplomats?|observers?|critics|insiders?|members?|he|she|they|it|who|which|one|another)\b")
_SENTENCES = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass
class Carrier:
    report_id: int
    title: str
    published: str | None
    source_id: int | None
    source_name: str | None
    reliability: str
    claim_ids: list[int] = field(default_factory=list)  # empty: drawn in by its text, no claim extracted
    text: str = ""  # the first family claim, or the sentence stating the proposition
    said_by: str | None = None  # the attribution inside the carrier ("informed Iraqi sources")
    parents: list[tuple[int, str]] = field(default_factory=list)  # (report id, how it repeats it)
    notes: list[str] = field(default_factory=list)
    circular: str | None = None
    cites: set[int] = field(default_factory=set)  # sources its family claims name as whom they repeat

    @property
    def name(self) -> str:
        return self.source_name or f"report {self.report_id} (publisher unknown)"

    @property
    def label(self) -> str:
        who = self.name
        said = f"{self.said_by} → " if self.said_by and (self.source_name or "").casefold() not in self.said_by.casefold() else ""
        return f"{said}{who} ({self.published or 'undated'})"


@dataclass
class OriginTree:
    family_id: int
    carriers: dict[int, Carrier]
    truncated: bool = False

    @property
    def originators(self) -> list[Carrier]:
        return sorted((c for c in self.carriers.values() if not c.parents), key=_date_key)

    @property
    def relays(self) -> list[Carrier]:
        return sorted((c for c in self.carriers.values() if c.parents), key=_date_key)

    @property
    def circular(self) -> list[Carrier]:
        return [c for c in self.relays if c.circular]

    def independent_originators(self) -> list[list[Carrier]]:
        """Originators grouped: two reports of one outlet are one originator, and so are two
        outlets reporting one named speaker's statement ("The Iraqi government said ...").
        Anonymous speakers ("informed sources") are not assumed to be the same people."""
        groups: list[list[Carrier]] = []
        for carrier in self.originators:
            for group in groups:
                if any(same_origin(carrier, other) for other in group):
                    group.append(carrier)
                    break
            else:
                groups.append([carrier])
        return groups

    def children(self, report_id: int) -> list[Carrier]:
        return sorted((c for c in self.carriers.values() if any(p == report_id for p, _ in c.parents)), key=_date_key)


_SPEAKER_FILLER = {"the", "a", "an", "s", "senior", "its", "his", "her", "their", "of"}


def _speaker_heads(said_by: str | None) -> set[str]:
    """The nouns naming a speaker: the last word, and the owner in a possessive ("the government's
    spokesperson" -> government, spokesperson; "The Iraqi government" -> government)."""
    text = normalise_name(said_by or "")
    if not text or ANONYMOUS.search(text):
        return set()  # "informed sources" of two outlets are not assumed to be the same people
    words = [w for w in re.findall(r"[\w']+", text) if w not in _SPEAKER_FILLER]
    heads = {words[-1].removesuffix("'s")} if words else set()
    heads |= {w[:-2] for w in words if w.endswith("'s")}
    return heads


def same_speaker(a: str | None, b: str | None) -> bool:
    """One named speaker told two ways ("The government" / "the government's spokesperson")."""
    return bool(_speaker_heads(a) & _speaker_heads(b))


def same_origin(a: Carrier, b: Carrier) -> bool:
    """Two reports of one outlet, one citing the other's outlet, or two outlets reporting one
    named speaker's statement."""
    if a.source_id is not None and (a.source_id == b.source_id or a.source_id in b.cites):
        return True
    if b.source_id is not None and b.source_id in a.cites:
        return True
    return same_speaker(a.said_by, b.said_by)


def _date_key(carrier: Carrier) -> tuple:
    return (carrier.published is None, carrier.published or "", carrier.report_id)


def _not_after(a: str | None, b: str | None) -> bool:
    """Report dated ``a`` can have been repeated by one dated ``b`` (undated: anything goes)."""
    if not a or not b:
        return True
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


class _Tracer:
    def __init__(self, conn: sqlite3.Connection, family_id: int):
        self.conn = conn
        self.family_id = family_id
        self.names: SourceNames | None = None
        self.carriers: dict[int, Carrier] = {}
        self.tokens: dict[int, list[frozenset[str]]] = {}  # report id -> its family claims' words
        self.chains: dict[int, list[list[str]]] = {}

    def report(self, report_id: int) -> Carrier:
        row = self.conn.execute(
            f"""SELECT r.id, r.title, r.published, r.source_id, s.name, {mine.source_reliability()} FROM reports r
               LEFT JOIN sources s ON s.id = r.source_id WHERE r.id = ?""", (report_id,)).fetchone()
        return Carrier(*row)

    def trace(self) -> OriginTree:
        ids = [r[0] for r in self.conn.execute(
            "SELECT claim_id FROM claim_families WHERE family_id = ? ORDER BY claim_id LIMIT ?", (self.family_id, MAX_CARRIERS + 1))]
        truncated = len(ids) > MAX_CARRIERS
        if not ids:
            ids = [self.family_id]  # a claim in no family yet stands alone
        claims = load_claims(self.conn, f"c.id IN ({','.join('?' * len(ids[:MAX_CARRIERS]))})", ids[:MAX_CARRIERS])
        for claim in sorted(claims, key=lambda c: c.id):
            carrier = self.carriers.get(claim.report_id)
            if carrier is None:
                carrier = self.carriers[claim.report_id] = self.report(claim.report_id)
                carrier.text = claim.text
                carrier.said_by = claim.chain[0] if claim.chain else None
            carrier.claim_ids.append(claim.id)
            self.tokens.setdefault(claim.report_id, []).append(claim.tokens)
            self.chains.setdefault(claim.report_id, []).append(claim.chain)
        for report_id in sorted(self.carriers, key=lambda r: _date_key(self.carriers[r])):
            self._find_parents(self.carriers[report_id])
        self._mark_circular()
        return OriginTree(self.family_id, self.carriers, truncated)

    # --- whom a carrier repeats ---------------------------------------------------------------

    def _find_parents(self, carrier: Carrier) -> None:
        for source_id in self._named_by_claims(carrier):
            carrier.cites.add(source_id)
            self._repeat_source(carrier, source_id, "cites")
        for source_id in self._footnoted(carrier):
            carrier.cites.add(source_id)
            self._repeat_source(carrier, source_id, "footnote:")
        self._repeat_footnoted_platforms(carrier)
        duplicate_of = self.conn.execute("SELECT duplicate_of FROM reports WHERE id = ?", (carrier.report_id,)).fetchone()[0]
        if duplicate_of and self._states(duplicate_of, carrier):
            self._add_parent(carrier, duplicate_of, "near-duplicate of")
        if not carrier.parents:
            said = [chain[0] for chain in self.chains.get(carrier.report_id, []) if chain]
            if any(GENERIC_ATTRIBUTIONS.match(s.strip()) for s in said):
                earlier = [c for c in self.carriers.values() if c.report_id != carrier.report_id and c.published
                           and carrier.published and c.published < carrier.published and not self._descends(c, carrier)]
                if earlier:
                    first = min(earlier, key=_date_key)
                    self._add_parent(carrier, first.report_id, f"repeats what “{said[0]}” reported")
        if not carrier.parents and carrier.claim_ids:
            for (source_id,) in self.conn.execute(
                    f"""SELECT DISTINCT source_id FROM claim_relays WHERE how = 'body'
                        AND claim_id IN ({','.join('?' * len(carrier.claim_ids))})""", carrier.claim_ids):
                self._repeat_source(carrier, source_id, "names")
        self._note_unheld_attributions(carrier)

    def _named_by_claims(self, carrier: Carrier) -> list[int]:
        """Sources named in the attribution chains of the carrier's family claims (in chain order)."""
        self.names = self.names or SourceNames.load(self.conn)
        found: list[int] = []
        for chain in self.chains.get(carrier.report_id, []):
            for element in chain:
                found += [n.source_id for n in self.names.named_in(element) if n.source_id not in found]
        return found

    def _footnoted(self, carrier: Carrier) -> list[int]:
        if not carrier.claim_ids:
            return []
        self.names = self.names or SourceNames.load(self.conn)
        found: list[int] = []
        for (source,) in self.conn.execute(
                f"""SELECT s.source FROM cited_sources s JOIN cited_source_claims l ON l.cited_source_id = s.id
                    WHERE s.report_id = ? AND l.claim_id IN ({','.join('?' * len(carrier.claim_ids))}) ORDER BY s.start""",
                [carrier.report_id, *carrier.claim_ids]):
            found += [n.source_id for n in self.names.named_in(source, capitalised=False) if n.source_id not in found]
        return found

    def _repeat_source(self, carrier: Carrier, source_id: int, verb: str) -> None:
        if source_id == carrier.source_id:
            return
        candidates = [c.report_id for c in self.carriers.values() if c.source_id == source_id
                      and c.report_id != carrier.report_id and _not_after(c.published, carrier.published)]
        for (report_id, published) in self.conn.execute(
                "SELECT id, published FROM reports WHERE source_id = ? ORDER BY id DESC LIMIT 30", (source_id,)):
            if report_id not in self.carriers and report_id != carrier.report_id and _not_after(published, carrier.published):
                candidates.append(report_id)
        stating = [r for r in candidates if self._states(r, carrier)]
        stating = [r for r in stating if not self._descends(self.carriers[r], carrier)]
        if stating:
            first = min(stating, key=lambda r: _date_key(self.carriers[r]))
            name = self.carriers[first].source_name or f"report {first}"
            self._add_parent(carrier, first, f"{verb} {name}" if verb != "footnote:" else f"footnote names {name}")

    def _repeat_footnoted_platforms(self, carrier: Carrier) -> None:
        """A digest's footnote "[1] Telegram, June 11, 2024." names a platform, not the channel:
        the channel or account that posted on that date is the one repeated."""
        if not carrier.claim_ids:
            return
        rows = self.conn.execute(
            f"""SELECT DISTINCT s.ref, s.source, s.date FROM cited_sources s JOIN cited_source_claims l ON l.cited_source_id = s.id
                WHERE s.report_id = ? AND l.claim_id IN ({','.join('?' * len(carrier.claim_ids))})""",
            [carrier.report_id, *carrier.claim_ids]).fetchall()
        for ref, source, date in rows:
            word = source.strip().casefold()
            if word not in PLATFORMS or not date:
                continue
            for report_id, source_name, kind in self.conn.execute(
                    """SELECT r.id, s.name, s.kind FROM reports r JOIN sources s ON s.id = r.source_id
                       WHERE r.published = ? AND r.id != ?""", (date, carrier.report_id)):
                if ((word in source_name.casefold() or kind in ("channel", "account")) and self._states(report_id, carrier)
                        and not self._descends(self.carriers[report_id], carrier)):
                        self._add_parent(carrier, report_id, f"footnote [{ref}] {source}, {date}")

    def _note_unheld_attributions(self, carrier: Carrier) -> None:
        self.names = self.names or SourceNames.load(self.conn)
        for chain in self.chains.get(carrier.report_id, []):
            for element in chain:
                words = element.split()
                if (words and len(words) <= 3 and all(w[:1].isupper() for w in words) and not self.names.named_in(element)
                        and not GENERIC_ATTRIBUTIONS.match(element) and element.casefold() != (carrier.source_name or "").casefold()):
                    note = f"attributes it to {element}, of which no report is held"
                    if note not in carrier.notes and carrier.parents:
                        carrier.notes.append(note)

    # --- helpers --------------------------------------------------------------------------------

    def _states(self, report_id: int, relay: Carrier) -> bool:
        """Does report ``report_id`` state what ``relay``'s family claims say? A family member
        does; another report does when its text holds most of a claim's content words."""
        if report_id in self.carriers and self.carriers[report_id].claim_ids:
            return True
        row = self.conn.execute("SELECT title, body FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            return False
        words = content_tokens(row[0] + "\n" + row[1])
        best = 0.0
        for tokens in self.tokens.get(relay.report_id, []):
            if len(tokens) >= 3:
                coverage = len(tokens & words) / len(tokens)
                if coverage > best:
                    best = coverage
        if best < TEXT_COVERAGE:
            return False
        if report_id not in self.carriers:
            carrier = self.carriers[report_id] = self.report(report_id)
            carrier.text = self._best_sentence(row[1], relay)
            carrier.said_by = self._speaker_of_text(report_id, carrier.text)
            self.tokens[report_id] = []
            self.chains[report_id] = []
            self._find_parents(carrier)
        return True

    def _speaker_of_text(self, report_id: int, sentence: str) -> str | None:
        """Who the drawn-in report says said it: the originator of its claim closest to the sentence."""
        wanted = content_tokens(sentence)
        best, speaker = (0, 0), None
        for text, chain in self.conn.execute("SELECT text, chain FROM claims WHERE report_id = ?", (report_id,)):
            chain = json.loads(chain or "[]")
            # a claim inside the sentence is the sentence's own attribution; else the closest claim
            score = (int(text.strip() in sentence), len(content_tokens(text) & wanted))
            if chain and score > best:
                best, speaker = score, chain[0]
        return speaker

    def _best_sentence(self, body: str, relay: Carrier) -> str:
        wanted = set().union(*self.tokens.get(relay.report_id, [frozenset()]))
        best, text = -1, ""
        for match in _SENTENCES.finditer(body):
            sentence = match.group(0).strip()
            score = len(content_tokens(sentence) & wanted)
            if score > best:
                best, text = score, sentence
        return text

    def _add_parent(self, carrier: Carrier, parent: int, how: str) -> None:
        if parent != carrier.report_id and all(p != parent for p, _ in carrier.parents):
            carrier.parents.append((parent, how))

    def _descends(self, maybe_child: Carrier, ancestor: Carrier) -> bool:
        """Is ``maybe_child`` already a relay (at any depth) of ``ancestor``? Linking the other way
        would make a loop of who repeats whom."""
        seen, stack = set(), [maybe_child.report_id]
        while stack:
            current = stack.pop()
            if current == ancestor.report_id:
                return True
            if current in seen or current not in self.carriers:
                continue
            seen.add(current)
            stack.extend(p for p, _ in self.carriers[current].parents)
        return False

    def _mark_circular(self) -> None:
        for carrier in self.carriers.values():
            if carrier.source_id is None or not carrier.parents:
                continue
            path = self._path_to_source(carrier)
            if path:
                steps = ", which repeats ".join(self.carriers[r].name for r in path[1:-1])
                origin = self.carriers[path[-1]]
                carrier.circular = (f"circular: {carrier.name} ({carrier.published or 'undated'}) cites {steps}, which "
                                    f"repeats {origin.name} ({origin.published or 'undated'}): its own earlier report")

    def _path_to_source(self, carrier: Carrier) -> list[int] | None:
        """A path of relays from ``carrier`` up to an earlier report of its own source, through another source."""
        stack = [(p, [carrier.report_id, p]) for p, _ in carrier.parents]
        seen = set()
        while stack:
            current, path = stack.pop()
            if current in seen or current not in self.carriers:
                continue
            seen.add(current)
            node = self.carriers[current]
            if node.source_id == carrier.source_id:
                if len(path) > 2:
                    return path
                continue
            stack.extend((p, path + [p]) for p, _ in node.parents)
        return None


def origin_tree(conn: sqlite3.Connection, family_id: int) -> OriginTree:
    return _Tracer(conn, family_id).trace()


def family_of(conn: sqlite3.Connection, claim_id: int) -> int:
    row = conn.execute("SELECT family_id FROM claim_families WHERE claim_id = ?", (claim_id,)).fetchone()
    return row[0] if row else claim_id
