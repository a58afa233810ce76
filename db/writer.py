"""Storing imported reports with what the extractor found: sources, claims, entities,
mentions, cited sources, near-duplicate links. Runs inside the caller's transaction so an
import batch commits as a whole (and a killed import leaves no half-stored report).
"""

from __future__ import annotations

import json
import sqlite3

from . import dedup, name_decisions
from .models import (Extraction, ExtractedClaim, ExtractedEntity, ImportOutcome, ParsedReport, RELIABILITY_GRADES,
                     SOURCE_KINDS)
from .names import entity_key, normalise_name
from .timeutil import utc_now


_MAX_ROWID = 2**63 - 1
_CLAIM_COLUMNS = ("id", "report_id", "start", '"end"', "text", "speaker", "speaker_resolved", "speaker_inferred", "cue",
                  "chain", "is_quote", "is_hedged", "is_denial", "rule", "confidence", "parent_id", "speaker_entity_id",
                  "speaker_source_id")
_CLAIM_MARKS = "(" + ", ".join("?" * len(_CLAIM_COLUMNS)) + ")"
_CLAIMS_PER_STATEMENT = 50  # 18 x 50 values: under the 999 bound of SQLite builds before 3.32


_KIND_WORDS = (("account", "account"), ("channel", "channel"), ("platform", "platform"), ("agency", "agency"),
               ("daily", "outlet"), ("newspaper", "outlet"), ("website", "outlet"), ("outlet", "outlet"),
               ("news", "outlet"), ("tv", "outlet"), ("radio", "outlet"), ("times", "outlet"), ("post", "outlet"))


def guess_source_kind(name: str, descriptor: str | None) -> str:
    words = set(normalise_name(f"{descriptor or ''} {name}").split())
    for word, kind in _KIND_WORDS:
        if word in words:
            return kind
    return "unknown"


class WriterMixin:
    conn: sqlite3.Connection
    _new_entity_ids: list[int]  # created since the last merge-proposal pass

    # --- sources -------------------------------------------------------------------

    def ensure_source(self, name: str, *, kind: str | None = None, affiliation: str | None = None,
                      reliability: str | None = None, full_name: str | None = None, url: str | None = None) -> int:
        """The id of the source with this name, created with what the file says when new.
        An existing source keeps the analyst's grades: a file cannot overwrite them."""
        key = normalise_name(name)
        row = self.conn.execute("SELECT id, affiliation, kind FROM sources WHERE name_key = ?", (key,)).fetchone()
        if row:
            source_id, old_affiliation, old_kind = row
            if affiliation and not old_affiliation:
                self.conn.execute("UPDATE sources SET affiliation = ? WHERE id = ?", (affiliation, source_id))
            if kind in SOURCE_KINDS and old_kind == "unknown":
                self.conn.execute("UPDATE sources SET kind = ? WHERE id = ?", (kind, source_id))
            return source_id
        grade = (reliability or "F").strip().upper()
        cursor = self.conn.execute(
            "INSERT INTO sources(name, name_key, full_name, kind, affiliation, reliability, url, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (" ".join(name.split()), key, full_name, kind if kind in SOURCE_KINDS else "unknown", affiliation,
             grade if grade in RELIABILITY_GRADES else "F", url, utc_now()),
        )
        return cursor.lastrowid

    # --- reports ---------------------------------------------------------------------

    def find_by_hash(self, content_hash: str) -> int | None:
        row = self.conn.execute("SELECT id FROM reports WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def store_report(self, parsed: ParsedReport, extraction: Extraction | None,
                     fingerprint: dedup.Fingerprint | None = None) -> ImportOutcome:
        """Store one report. Call inside ``with store.write():`` (the importer batches several).
        ``fingerprint`` is ``dedup.fingerprint(parsed.title, parsed.body)`` when the caller has it."""
        name = parsed.original_name or parsed.title[:60]
        fingerprint = fingerprint or dedup.fingerprint(parsed.title, parsed.body)
        digest = fingerprint.content_hash
        existing = self.find_by_hash(digest)
        if existing is not None:
            return ImportOutcome("skipped", name, report_id=existing, reason=f"same content as report {existing}")
        extraction = extraction or Extraction()
        publisher = parsed.publisher or extraction.publisher
        source_id = None
        if publisher and publisher.strip():
            source_id = self.ensure_source(publisher, kind=parsed.source_kind, affiliation=parsed.affiliation,
                                           reliability=parsed.reliability)
        published = parsed.published or extraction.published
        imported_at = utc_now()
        signature = fingerprint.signature
        duplicate_of = self._near_duplicate_of(signature) if signature else None
        cursor = self.conn.execute(
            """INSERT INTO reports(title, source_id, container, author, url, published, imported_at, sort_key, body,
                                   original_name, format, content_hash, language, duplicate_of, extractor_version)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (parsed.title or "(untitled)", source_id, parsed.container or extraction.container, parsed.author,
             parsed.url, published, imported_at, published or imported_at[:10], parsed.body, parsed.original_name,
             parsed.format, digest, parsed.language, duplicate_of, extraction.version or None),
        )
        report_id = cursor.lastrowid
        if signature:
            self.conn.executemany("INSERT OR IGNORE INTO report_fingerprints(band, value, report_id) VALUES (?, ?, ?)",
                                  [(band, value, report_id) for band, value in dedup.band_keys(signature)])
        if parsed.tags:
            for tag in parsed.tags:
                tag = " ".join(str(tag).split())
                if tag:
                    self.conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
                    self.conn.execute(
                        "INSERT OR IGNORE INTO taggings(tag_id, target_kind, target_id) "
                        "SELECT id, 'report', ? FROM tags WHERE name = ?", (report_id, tag))
        self._store_extraction(report_id, parsed.body, extraction)
        return ImportOutcome("imported", name, report_id=report_id, duplicate_of=duplicate_of)

    def _near_duplicate_of(self, signature: list[int]) -> int | None:
        keys = dedup.band_keys(signature)
        if not keys:
            return None
        clauses = " OR ".join("(band = ? AND value = ?)" for _ in keys)
        params = [x for key in keys for x in key]
        candidates = [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT report_id FROM report_fingerprints WHERE {clauses} ORDER BY report_id LIMIT 50", params)]
        for candidate in candidates:
            row = self.conn.execute("SELECT body, duplicate_of FROM reports WHERE id = ?", (candidate,)).fetchone()
            other = dedup.signature(row[0])
            if other and dedup.similarity(signature, other) >= dedup.NEAR_DUPLICATE_THRESHOLD:
                return row[1] or candidate  # link to the first report of the story
        return None

    # --- extraction ------------------------------------------------------------------

    def _store_extraction(self, report_id: int, body: str, extraction: Extraction,
                          keep_spans: list[tuple[int, int]] | None = None) -> None:
        """Insert entities, claims, mentions and cited sources. Claims overlapping ``keep_spans``
        (analyst-reviewed claims kept through re-extraction) are not inserted again."""
        entity_links, entity_by_name = self._link_entities(extraction.entities, body)
        claim_ids = self._insert_claims(report_id, body, extraction.claims, keep_spans or [], entity_by_name)
        spans = sorted((c.start, c.end, cid) for c, cid in zip(extraction.claims, claim_ids) if cid is not None)

        def claim_at(position: int) -> int | None:
            """The innermost claim containing a position (claims per report are few: a scan is fine)."""
            found = None
            for start, end, cid in spans:
                if start > position:
                    break
                if position < end:
                    found = cid
            return found

        self.conn.executemany(
            'INSERT INTO mentions(entity_id, report_id, claim_id, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
            [(split_off.get(normalise_name(body[start:end]), entity_id) if split_off else entity_id,
              report_id, claim_at(start), start, end, body[start:end])
             for entity, (entity_id, split_off) in zip(extraction.entities, entity_links)
             for start, end in entity.mentions if 0 <= start < end <= len(body)],
        )

        for cited in extraction.cited_sources:
            cursor = self.conn.execute(
                'INSERT INTO cited_sources(report_id, ref, source, date, raw, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?)',
                (report_id, cited.ref, cited.source, cited.date, cited.raw, cited.start, cited.end))
            linked = {claim_at(start) for start, _ in cited.markers} | {self._claim_before(spans, start) for start, _ in cited.markers}
            self.conn.executemany("INSERT OR IGNORE INTO cited_source_claims(cited_source_id, claim_id) VALUES (?, ?)",
                                  [(cursor.lastrowid, cid) for cid in linked if cid is not None])

    def _link_entities(self, entities: list[ExtractedEntity],
                       body: str) -> tuple[list[tuple[int, dict[str, int]]], dict[str, int]]:
        """For each extracted entity (in order): its entity id, and the names among its aliases and
        mention texts that an analyst split off that entity (normalised name -> their own entity).
        Then the id by normalised name and alias, for finding who a claim's speaker is."""
        entity_links: list[tuple[int, dict[str, int]]] = []
        entity_by_name: dict[str, int] = {}
        merge_decisions = bool(entities) and bool(self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM entity_decisions WHERE decision = 'merge')").fetchone()[0])
        name_splits = bool(entities) and name_decisions.any_splits(self.conn)
        for entity in entities:
            # The extractor groups spellings by key and aliases: a mention may be a name split off.
            mention_texts = list(dict.fromkeys(body[start:end] for start, end in entity.mentions)) if name_splits else []
            entity_id, split_off = self._link_entity(entity.name, entity.type, entity.aliases, mention_texts=mention_texts,
                                                     merge_decisions=merge_decisions, name_splits=name_splits)
            if entity.type == "MEDIA":
                # Outlets and accounts named in a report become sources the analyst can grade,
                # with the report's own description of them ("anti-Iran Iraqi news website").
                self.ensure_source(entity.name, kind=guess_source_kind(entity.name, entity.descriptor),
                                   affiliation=entity.descriptor)
            for name in [entity.name, *entity.aliases]:
                entity_by_name[normalise_name(name)] = split_off.get(normalise_name(name), entity_id)
            entity_by_name.update(split_off)
            entity_links.append((entity_id, split_off))
        return entity_links, entity_by_name

    def _insert_claims(self, report_id: int, body: str, claims: list[ExtractedClaim],
                       keep_spans: list[tuple[int, int]], entity_by_name: dict[str, int]) -> list[int | None]:
        """Insert the claims with their speaker's entity and source; the id of each (None where a
        kept claim overlaps).

        In one statement: the full-text indexes on claims write their pending words to disk at
        every statement that opens a savepoint, so one INSERT per claim made one small index
        segment per claim (and the merging of them): most of the cost of storing a report. The
        ids given are the ones SQLite would give (claims.id has no AUTOINCREMENT: the largest id
        + 1, and on), so that a nested claim can name its parent in the same statement.
        """
        first_id = (self.conn.execute("SELECT max(id) FROM claims").fetchone()[0] or 0) + 1
        one_by_one = first_id + len(claims) > _MAX_ROWID  # SQLite would pick random free ids: let it
        claim_ids: list[int | None] = []
        rows: list[tuple] = []
        for claim, (entity_id, source_id) in zip(claims, self._speaker_ids(claims, entity_by_name)):
            if any(claim.start < end and start < claim.end for start, end in keep_spans):
                claim_ids.append(None)
                continue
            parent = claim_ids[claim.parent] if claim.parent is not None and 0 <= claim.parent < len(claim_ids) else None
            row = (None if one_by_one else first_id + len(rows), report_id, claim.start, claim.end,
                   body[claim.start:claim.end], claim.speaker, claim.speaker_resolved, int(claim.speaker_inferred),
                   claim.cue, json.dumps(claim.chain, ensure_ascii=False), int(claim.is_quote), int(claim.is_hedged),
                   int(claim.is_denial), claim.rule, float(claim.confidence), parent, entity_id, source_id)
            if one_by_one:
                claim_ids.append(self._insert_claim_rows([row]))
            else:
                claim_ids.append(row[0])
                rows.append(row)
        self._insert_claim_rows(rows)
        return claim_ids

    def _speaker_ids(self, claims: list[ExtractedClaim], entity_by_name: dict[str, int]) -> list[tuple[int | None, int | None]]:
        """(entity id, source id) of each claim's speaker, matched by normalised name."""
        source_by_name: dict[str, int | None] = {}
        ids = []
        for claim in claims:
            who = claim.speaker_resolved or claim.speaker
            if not who:
                ids.append((None, None))
                continue
            key = normalise_name(who)
            if key not in source_by_name:
                row = self.conn.execute("SELECT id FROM sources WHERE name_key = ?", (key,)).fetchone()
                source_by_name[key] = row[0] if row else None
            ids.append((entity_by_name.get(key), source_by_name[key]))
        return ids

    def _insert_claim_rows(self, rows: list[tuple]) -> int | None:
        """Insert rows of ``_CLAIM_COLUMNS``; the id of the last one."""
        last_id = None
        for start in range(0, len(rows), _CLAIMS_PER_STATEMENT):
            chunk = rows[start:start + _CLAIMS_PER_STATEMENT]
            last_id = self.conn.execute(
                f"INSERT INTO claims({', '.join(_CLAIM_COLUMNS)}) VALUES {', '.join([_CLAIM_MARKS] * len(chunk))}",
                [value for row in chunk for value in row]).lastrowid
        return last_id

    @staticmethod
    def _claim_before(spans: list[tuple[int, int, int]], position: int) -> int | None:
        """The claim a footnote marker follows closely ("... said the post.[1]")."""
        best = None
        for start, end, cid in spans:
            if end <= position and position - end <= 40:
                best = cid
        return best

    def _link_entity(self, name: str, type_: str, aliases: list[str], *, mention_texts: list[str] = (),
                     merge_decisions: bool = True, name_splits: bool = True) -> tuple[int, dict[str, int]]:
        """Find the entity this name belongs to (same transliteration key, or an analyst's merge
        decision), else create it. Close-but-unequal names are never merged here. Returns its id
        and, of ``aliases`` and ``mention_texts``, the names an analyst split off it (normalised
        name -> the entity each links to): those are not added back as its aliases.
        ``merge_decisions`` / ``name_splits`` False: the caller knows there are none to look up."""
        key = entity_key(name)
        keys = {key}
        if merge_decisions:
            for a, b in self.conn.execute(
                "SELECT key_a, key_b FROM entity_decisions WHERE decision = 'merge' AND (key_a = ? OR key_b = ?)",
                (key, key)):
                keys.update((a, b))
        apart = name_decisions.apart_from(self.conn, name) if name_splits else set()
        row = self._find_entity(name, type_, keys, apart)
        if row:
            entity_id, canonical = row
        else:
            entity_id = self.conn.execute("INSERT INTO entities(name, type, key, created_at) VALUES (?, ?, ?, ?)",
                                          (name, type_, key, utc_now())).lastrowid
            canonical = name
            self._new_entity_ids.append(entity_id)
        split_off = {}
        if name_splits:
            split_off = self._names_split_off(entity_id, name, type_, [*aliases, *mention_texts],
                                              merge_decisions=merge_decisions)
        new_names = [n for n in [name, *aliases] if n and n != canonical and normalise_name(n) not in split_off]
        if new_names:
            self.conn.executemany("INSERT OR IGNORE INTO entity_aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                                  [(entity_id, n, entity_key(n)) for n in new_names])
        return entity_id, split_off

    def _find_entity(self, name: str, type_: str, keys: set[str], apart: set[str]) -> tuple[int, str] | None:
        """(id, name) of the entity known by one of ``keys``, preferring the extracted type. A name
        split apart from others (``apart``) never goes to an entity known by one of them, and
        prefers the entity known by this very spelling: after a split, two entities may share a key."""
        marks = ",".join("?" * len(keys))
        candidates = f"""SELECT id, name, type FROM (
                    SELECT id, type, name FROM entities WHERE key IN ({marks})
                    UNION SELECT e.id, e.type, e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
                          WHERE a.key IN ({marks}))"""
        if not apart:
            row = self.conn.execute(f"{candidates} ORDER BY type = ? DESC, id LIMIT 1", [*keys, *keys, type_]).fetchone()
            return (row[0], row[1]) if row else None
        wanted = normalise_name(name)
        best = None
        for entity_id, canonical, entity_type in self.conn.execute(candidates, [*keys, *keys]).fetchall():
            known = name_decisions.names_of(self.conn, entity_id)
            if known & apart:
                continue
            rank = (wanted not in known, entity_type != type_, entity_id)
            if best is None or rank < best[0]:
                best = (rank, (entity_id, canonical))
        return best[1] if best else None

    def _names_split_off(self, entity_id: int, name: str, type_: str, names: list[str], *,
                         merge_decisions: bool) -> dict[str, int]:
        """Of ``names`` found with ``name`` in a report, those an analyst split apart from a name of
        the entity it links to: normalised name -> the entity that name links to on its own."""
        known = name_decisions.names_of(self.conn, entity_id) | {normalise_name(name)}
        split_off: dict[str, int] = {}
        for other in names:
            normalised = normalise_name(other or "")
            if not normalised or normalised in known or normalised in split_off:
                continue
            if name_decisions.apart_from(self.conn, other) & known:
                split_off[normalised] = self._link_entity(other, type_, [], merge_decisions=merge_decisions)[0]
        return split_off

    # --- merge proposals ----------------------------------------------------------------

    def propose_merges(self, entity_ids: list[int] | None = None, *, threshold: float = 88.0) -> int:
        """Record close-but-unequal names (by transliteration key) as merge proposals for the
        analyst. Never merges anything, never proposes a subset name ("Ali Bagheri" / "Ali
        Bagheri Kani") or a pair the analyst already kept apart. Without ids: the entities
        created since the last call."""
        from rapidfuzz import fuzz, process

        if entity_ids is None:
            entity_ids, self._new_entity_ids = self._new_entity_ids, []
        if not entity_ids:
            return 0
        rows = self.conn.execute("SELECT id, key, type FROM entities").fetchall()
        keys = [r[1] for r in rows]
        rejected = {(a, b) for a, b in self.conn.execute("SELECT key_a, key_b FROM entity_decisions WHERE decision = 'split'")}
        wanted = set(entity_ids)
        found = 0
        with self.write():  # type: ignore[attr-defined]
            for entity_id, key, type_ in (r for r in rows if r[0] in wanted):
                if not key:
                    continue
                for _, score, index in process.extract(key, keys, scorer=fuzz.ratio, limit=10, score_cutoff=threshold):
                    other_id, other_key, other_type = rows[index]
                    if other_id == entity_id or other_key == key or other_type != type_:
                        continue
                    a_tokens, b_tokens = set(key.split()), set(other_key.split())
                    if len(a_tokens) != len(b_tokens) or a_tokens <= b_tokens or b_tokens <= a_tokens:
                        continue
                    if tuple(sorted((key, other_key))) in rejected:
                        continue
                    a, b = sorted((entity_id, other_id))
                    self.conn.execute("INSERT OR IGNORE INTO merge_proposals(a, b, score) VALUES (?, ?, ?)",
                                      (a, b, round(score, 1)))
                    found += 1
        return found

    def reject_merge(self, a: int, b: int) -> None:
        """Keep two entities apart for good: the proposal goes, and re-extraction remembers it."""
        with self.write():  # type: ignore[attr-defined]
            keys = [r[0] for r in self.conn.execute("SELECT key FROM entities WHERE id IN (?, ?)", (a, b))]
            if len(keys) == 2:
                self.conn.execute("INSERT OR REPLACE INTO entity_decisions(key_a, key_b, decision, at) VALUES (?, ?, 'split', ?)",
                                  (*sorted(keys), utc_now()))
            self.conn.execute("DELETE FROM merge_proposals WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)", (a, b, b, a))

    # --- re-extraction ----------------------------------------------------------------

    def reextract(self, report_id: int) -> int:
        """Run the extractor again on a stored report. Claims an analyst graded, tagged or
        annotated are kept as they are; everything else is replaced. Returns claims stored."""
        from .extract import extract

        row = self.conn.execute(
            "SELECT r.body, r.title, r.published, s.name FROM reports r LEFT JOIN sources s ON s.id = r.source_id "
            "WHERE r.id = ?", (report_id,)).fetchone()
        if row is None:
            from .errors import NotFound

            raise NotFound(f"no report {report_id}")
        body, title, published, publisher = row
        extraction = extract(body, title=title, published=published, publisher=publisher)
        with self.write():  # type: ignore[attr-defined]
            kept = self.conn.execute(
                """SELECT id, start, "end" FROM claims WHERE report_id = ? AND (reviewed = 1 OR origin = 'analyst'
                   OR id IN (SELECT target_id FROM taggings WHERE target_kind = 'claim')
                   OR id IN (SELECT target_id FROM notes WHERE target_kind = 'claim'))""", (report_id,)).fetchall()
            kept_ids = [r[0] for r in kept]
            self.conn.execute(
                f"DELETE FROM claims WHERE report_id = ? AND id NOT IN ({','.join('?' * len(kept_ids)) or 'NULL'})",
                [report_id, *kept_ids])
            self.conn.execute("DELETE FROM mentions WHERE report_id = ?", (report_id,))
            self.conn.execute("DELETE FROM cited_sources WHERE report_id = ?", (report_id,))
            self._store_extraction(report_id, body, extraction, keep_spans=[(r[1], r[2]) for r in kept])
            self.conn.execute("UPDATE reports SET extractor_version = ? WHERE id = ?", (extraction.version or None, report_id))
        return self.conn.execute("SELECT count(*) FROM claims WHERE report_id = ?", (report_id,)).fetchone()[0]
