"""Storing imported reports with what the extractor found: sources, claims, entities,
mentions, cited sources, near-duplicate links. Runs inside the caller's transaction so an
import batch commits as a whole (and a killed import leaves no half-stored report).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from collections.abc import Iterator

from . import dedup
from .connection import bulk_writing, dialect
from .models import (Extraction, ExtractedClaim, ExtractedEntity, ImportOutcome, ParsedReport, RELIABILITY_GRADES,
                     SOURCE_KINDS)
from .identity.keys import entity_key, normalise_name
from .identity.linking import EntityLinking
from .timeutil import utc_now


_MAX_ROWID = 2**63 - 1
_CLAIM_COLUMNS = ("id", "report_id", "start", '"end"', "text", "speaker", "speaker_resolved", "speaker_inferred", "cue",
                  "chain", "is_quote", "is_hedged", "is_denial", "rule", "confidence", "parent_id", "speaker_entity_id",
                  "speaker_source_id")
_CLAIM_MARKS = "(" + ", ".join("?" * len(_CLAIM_COLUMNS)) + ")"
_REPORT_COLUMNS = ("id", "title", "source_id", "container", "author", "url", "published", "imported_at", "sort_key",
                   "body", "original_name", "format", "content_hash", "language", "duplicate_of", "extractor_version",
                   "published_from")
_MENTION_COLUMNS = ("entity_id", "report_id", "claim_id", "start", '"end"', "text")
_CITED_SOURCE_COLUMNS = ("id", "report_id", "ref", "source", "date", "raw", "start", '"end"')


_chain_json = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(chain, ensure_ascii=False) gives


_KIND_WORDS = (("account", "account"), ("channel", "channel"), ("platform", "platform"), ("agency", "agency"),
               ("daily", "outlet"), ("newspaper", "outlet"), ("website", "outlet"), ("outlet", "outlet"),
               ("news", "outlet"), ("tv", "outlet"), ("radio", "outlet"), ("times", "outlet"), ("post", "outlet"))


def guess_source_kind(name: str, descriptor: str | None) -> str:
    words = set(normalise_name(f"{descriptor or ''} {name}").split())
    for word, kind in _KIND_WORDS:
        if word in words:
            return kind
    return "unknown"


class _Batch:
    """The rows of reports stored in this transaction, written to their tables together at its end
    (``WriterMixin._write_batch``).

    Why: each full-text index (two on reports, two on claims, filled by triggers) writes the words
    it was given as a new index segment at every statement that opens a savepoint, which every
    INSERT firing triggers does, and merges the small segments again and again. An INSERT per
    report and one per report's claims made four segments per report: about half the CPU time of
    storing it. Written with one statement per table, a batch of reports makes one per index.

    Until then, what the store would read back about these reports is answered from here: their
    content hashes, fingerprint bands and signatures, and the next free ids of each table."""

    def __init__(self) -> None:
        self.reports: list[tuple] = []  # rows of _REPORT_COLUMNS
        self.fingerprints: list[tuple[int, int, int]] = []  # (band, value, report id)
        self.claims: list[tuple] = []  # rows of _CLAIM_COLUMNS
        self.mentions: list[tuple] = []  # rows of _MENTION_COLUMNS
        self.cited_sources: list[tuple] = []  # rows of _CITED_SOURCE_COLUMNS
        self.cited_links: list[tuple[int, int]] = []  # (cited source id, claim id)
        self.by_hash: dict[str, int] = {}  # content hash -> report id
        self.by_band: dict[tuple[int, int], list[int]] = {}  # fingerprint band key -> report ids, ascending
        self.signatures: dict[int, tuple[list[int], int | None]] = {}  # report id -> (signature, duplicate_of)
        self.next_ids: dict[str, int] = {}  # table -> the id SQLite would give its next row
        # Look-ups repeated from report to report, valid while this transaction holds the write
        # lock, and kept up to date by the writer as it adds rows (the only writer meanwhile).
        self.entity_candidates: dict[str, list[tuple[int, str, str]]] = {}  # key -> (id, name, type) known by it
        self.source_ids: dict[str, int | None] = {}  # sources.name_key -> id
        self.decisions: tuple[bool, bool] | None = None  # any merge decision, any name split
        self.rejected_names: set[str] | None = None  # names an analyst deleted as junk entities


class WriterMixin(EntityLinking):
    conn: sqlite3.Connection
    _new_entity_ids: list[int]  # created since the last merge-proposal pass
    _batch: _Batch | None = None  # set while reports are being stored

    # --- batches -------------------------------------------------------------------

    @contextmanager
    def import_batch(self) -> Iterator[None]:
        """A write transaction whose stored reports go to their tables together at its end
        (see ``_Batch``): for storing many reports. Nothing is written if it fails."""
        with self.write(), self._batched():  # type: ignore[attr-defined]
            yield

    @contextmanager
    def bulk_import(self) -> Iterator[None]:
        """Around all the batches of one import: the engine set for many writes (``bulk_writing``)."""
        with bulk_writing(self.conn):
            yield

    @contextmanager
    def _batched(self) -> Iterator[None]:
        """Collect rows into a batch, written when the outermost one ends without an error."""
        if self._batch is not None:
            yield
            return
        self._batch = _Batch()
        try:
            yield
            self._write_batch()
        finally:
            self._batch = None

    def _write_batch(self) -> None:
        """Write the batch's rows, parents before the rows that refer to them (foreign keys are
        checked at each statement's end). The batch is empty after."""
        batch = self._batch
        if batch is None:
            return
        self._insert_at_once("reports", _REPORT_COLUMNS, batch.reports)
        if batch.fingerprints:
            self.conn.executemany("INSERT OR IGNORE INTO report_fingerprints(band, value, report_id) VALUES (?, ?, ?)",
                                  batch.fingerprints)
        self._insert_at_once("claims", _CLAIM_COLUMNS, batch.claims)
        if batch.mentions:
            self.conn.executemany(f"INSERT INTO mentions({', '.join(_MENTION_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                                  batch.mentions)
        if batch.cited_sources:
            self.conn.executemany(f"INSERT INTO cited_sources({', '.join(_CITED_SOURCE_COLUMNS)}) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch.cited_sources)
        if batch.cited_links:
            self.conn.executemany("INSERT OR IGNORE INTO cited_source_claims(cited_source_id, claim_id) VALUES (?, ?)",
                                  batch.cited_links)
        self._batch = _Batch()

    def _insert_at_once(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Insert rows in one statement, so the full-text indexes filled by the table's triggers
        write one segment for all of them: the rows go through a temporary table first (it has no
        triggers, and is this connection's alone)."""
        if not rows:
            return
        names = ", ".join(columns)
        if dialect(self.conn) == "postgresql":  # no FTS5 segments there: the rows go straight in
            self.conn.executemany(f"INSERT INTO {table}({names}) VALUES ({', '.join('?' * len(columns))})", rows)
            return
        self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS staged_{table}({names})")
        self.conn.executemany(f"INSERT INTO temp.staged_{table} VALUES ({', '.join('?' * len(columns))})", rows)
        self.conn.execute(f"INSERT INTO main.{table}({names}) SELECT {names} FROM temp.staged_{table} ORDER BY rowid")
        self.conn.execute(f"DELETE FROM temp.staged_{table}")

    def _add_row(self, table: str, columns: tuple[str, ...], row: tuple) -> int:
        """Add a row of ``table`` (``columns`` less its leading id) to the batch with the id SQLite
        would give it, and return that id. Once ids run out SQLite picks a random free one: then
        the batch is written and the row inserted alone."""
        row_id = self._next_id(table)
        if row_id > _MAX_ROWID:
            self._write_batch()
            row_id = self.conn.execute(
                f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                (None, *row)).lastrowid
            self._took_ids(table, None)
        else:
            getattr(self._batch, table).append((row_id, *row))
            self._took_ids(table, 1)
        return row_id

    def _next_id(self, table: str) -> int:
        """The id SQLite would give the next row of ``table`` (its ids have no AUTOINCREMENT: the
        largest + 1), counting the batch's rows. The caller says how many it took (``_took_ids``)."""
        batch = self._batch
        assert batch is not None
        if table not in batch.next_ids:
            batch.next_ids[table] = (self.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0) + 1
        return batch.next_ids[table]

    def _took_ids(self, table: str, count: int | None) -> None:
        """``count`` ids from ``_next_id`` are used; None: rows were inserted with ids SQLite chose."""
        batch = self._batch
        assert batch is not None
        if count is None:
            batch.next_ids.pop(table, None)
        else:
            batch.next_ids[table] += count

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
        if self._batch is not None:
            self._batch.source_ids[key] = cursor.lastrowid
        return cursor.lastrowid

    # --- reports ---------------------------------------------------------------------

    def find_by_hash(self, content_hash: str) -> int | None:
        if self._batch is not None and content_hash in self._batch.by_hash:
            return self._batch.by_hash[content_hash]
        row = self.conn.execute("SELECT id FROM reports WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def store_report(self, parsed: ParsedReport, extraction: Extraction | None,
                     fingerprint: dedup.Fingerprint | None = None) -> ImportOutcome:
        """Store one report. Call inside ``with store.write():``, or ``store.import_batch()`` for
        many (its rows are written when that ends). ``fingerprint`` is
        ``dedup.fingerprint(parsed.title, parsed.body)`` when the caller has it."""
        with self._batched():
            return self._store_report(parsed, extraction, fingerprint or dedup.fingerprint(parsed.title, parsed.body))

    def _store_report(self, parsed: ParsedReport, extraction: Extraction | None,
                      fingerprint: dedup.Fingerprint) -> ImportOutcome:
        batch = self._batch
        assert batch is not None
        name = parsed.original_name or parsed.title[:60]
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
        published_from = parsed.published_from if parsed.published else ("dateline" if published else None)
        imported_at = utc_now()
        signature = fingerprint.signature
        band_keys = dedup.band_keys(signature) if signature else []
        duplicate_of = self._near_duplicate_of(signature, band_keys) if band_keys else None
        row = (parsed.title or "(untitled)", source_id, parsed.container or extraction.container, parsed.author,
               parsed.url, published, imported_at, published or imported_at[:10], parsed.body, parsed.original_name,
               parsed.format, digest, parsed.language, duplicate_of, extraction.version or None, published_from)
        report_id = self._add_row("reports", _REPORT_COLUMNS, row)
        batch = self._batch  # (a new one if the row had to be written at once)
        batch.by_hash[digest] = report_id
        if signature:
            batch.signatures[report_id] = (signature, duplicate_of)
            for key in band_keys:
                batch.by_band.setdefault(key, []).append(report_id)
                batch.fingerprints.append((*key, report_id))
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

    def _near_duplicate_of(self, signature: list[int], keys: list[tuple[int, int]]) -> int | None:
        """The first report of the story this one retells, if an earlier one shares a band."""
        clauses = " OR ".join("(band = ? AND value = ?)" for _ in keys)
        params = [x for key in keys for x in key]
        candidates = [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT report_id FROM report_fingerprints WHERE {clauses} ORDER BY report_id LIMIT 50", params)]
        batch = self._batch
        staged = sorted({rid for key in keys for rid in batch.by_band.get(key, ())}) if batch else []
        for candidate in (candidates + staged)[:50]:  # the batch's ids follow every stored one
            if batch and candidate in batch.signatures:
                other, first = batch.signatures[candidate]
            else:
                body, first = self.conn.execute("SELECT body, duplicate_of FROM reports WHERE id = ?",
                                                (candidate,)).fetchone()
                other = dedup.signature(body)
            if other and dedup.similarity(signature, other) >= dedup.NEAR_DUPLICATE_THRESHOLD:
                return first or candidate  # link to the first report of the story
        return None

    # --- extraction ------------------------------------------------------------------

    def _store_extraction(self, report_id: int, body: str, extraction: Extraction,
                          keep_spans: list[tuple[int, int]] | None = None) -> None:
        """Insert entities, claims, mentions and cited sources (into the open batch). Claims
        overlapping ``keep_spans`` (analyst-reviewed claims kept through re-extraction) are not
        inserted again. Entities an analyst deleted as junk are not linked again."""
        entities = self._not_rejected(extraction.entities)
        entity_links, entity_by_name = self._link_entities(entities, body)
        claim_ids = self._insert_claims(report_id, body, extraction.claims, keep_spans or [], entity_by_name)
        batch = self._batch  # (after the claims: a new one if they had to be written at once)
        assert batch is not None
        spans = sorted((c.start, c.end, cid) for c, cid in zip(extraction.claims, claim_ids, strict=True) if cid is not None)

        def claim_at(position: int) -> int | None:
            """The innermost claim containing a position (claims per report are few: a scan is fine)."""
            found = None
            for start, end, cid in spans:
                if start > position:
                    break
                if position < end:
                    found = cid
            return found

        batch.mentions.extend(
            (split_off.get(normalise_name(body[start:end]), entity_id) if split_off else entity_id,
             report_id, claim_at(start), start, end, body[start:end])
            for entity, (entity_id, split_off) in zip(entities, entity_links, strict=True)
            for start, end in entity.mentions if 0 <= start < end <= len(body))

        for cited in extraction.cited_sources:
            row = (report_id, cited.ref, cited.source, cited.date, cited.raw, cited.start, cited.end)
            cited_id = self._add_row("cited_sources", _CITED_SOURCE_COLUMNS, row)
            batch = self._batch
            linked = {claim_at(start) for start, _ in cited.markers} | {self._claim_before(spans, start) for start, _ in cited.markers}
            # (a set: the order of these rows is not seen, their table has no row ids)
            batch.cited_links.extend((cited_id, cid) for cid in linked if cid is not None)

    def _not_rejected(self, entities: list[ExtractedEntity]) -> list[ExtractedEntity]:
        """The entities whose name an analyst did not delete as junk (``entity_rejections``: most
        databases have none, and the look-up is made once per batch)."""
        batch = self._batch
        rejected = batch.rejected_names if batch is not None else None
        if rejected is None:
            rejected = {r[0] for r in self.conn.execute("SELECT name FROM entity_rejections")}
            if batch is not None:
                batch.rejected_names = rejected
        if not rejected:
            return entities
        return [e for e in entities if normalise_name(e.name) not in rejected]

    def _link_entities(self, entities: list[ExtractedEntity],
                       body: str) -> tuple[list[tuple[int, dict[str, int]]], dict[str, int]]:
        """For each extracted entity (in order): its entity id, and the names among its aliases and
        mention texts that an analyst split off that entity (normalised name -> their own entity).
        Then the id by normalised name and alias, for finding who a claim's speaker is."""
        entity_links: list[tuple[int, dict[str, int]]] = []
        entity_by_name: dict[str, int] = {}
        if not entities:
            return entity_links, entity_by_name
        merge_decisions, name_splits = self._decisions()
        if not merge_decisions and not name_splits:
            self._entity_candidates({entity_key(entity.name) for entity in entities})
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
        """Add the claims, with their speaker's entity and source, to the batch; the id of each
        (None where a kept claim overlaps). The ids are the ones SQLite would give, so that a
        nested claim can name its parent, and mentions their claim, before any is written."""
        first_id = self._next_id("claims")
        one_by_one = first_id + len(claims) > _MAX_ROWID  # SQLite would pick random free ids: let it
        if one_by_one:
            self._write_batch()  # the report (and anything else) before its claims
        claim_ids: list[int | None] = []
        rows: list[tuple] = []
        for claim, (entity_id, source_id) in zip(claims, self._speaker_ids(claims, entity_by_name), strict=True):
            if any(claim.start < end and start < claim.end for start, end in keep_spans):
                claim_ids.append(None)
                continue
            parent = claim_ids[claim.parent] if claim.parent is not None and 0 <= claim.parent < len(claim_ids) else None
            row = (None if one_by_one else first_id + len(rows), report_id, claim.start, claim.end,
                   body[claim.start:claim.end], claim.speaker, claim.speaker_resolved, int(claim.speaker_inferred),
                   claim.cue, _chain_json(claim.chain), int(claim.is_quote), int(claim.is_hedged),
                   int(claim.is_denial), claim.rule, float(claim.confidence), parent, entity_id, source_id)
            if one_by_one:
                claim_ids.append(self.conn.execute(
                    f"INSERT INTO claims({', '.join(_CLAIM_COLUMNS)}) VALUES {_CLAIM_MARKS}", row).lastrowid)
            else:
                claim_ids.append(row[0])
                rows.append(row)
        if one_by_one:
            self._took_ids("claims", None)
        else:
            self._batch.claims.extend(rows)  # type: ignore[union-attr]
            self._took_ids("claims", len(rows))
        return claim_ids

    def _speaker_ids(self, claims: list[ExtractedClaim], entity_by_name: dict[str, int]) -> list[tuple[int | None, int | None]]:
        """(entity id, source id) of each claim's speaker, matched by normalised name."""
        source_by_name = self._batch.source_ids if self._batch is not None else {}
        keys = [normalise_name(who) if (who := claim.speaker_resolved or claim.speaker) else None for claim in claims]
        wanted = list({key for key in keys if key is not None and key not in source_by_name})
        for start in range(0, len(wanted), 900):  # under the 999 bound of old SQLite builds
            chunk = wanted[start:start + 900]
            source_by_name.update(dict.fromkeys(chunk))
            source_by_name.update(self.conn.execute(
                f"SELECT name_key, id FROM sources WHERE name_key IN ({','.join('?' * len(chunk))})", chunk))
        return [(entity_by_name.get(key), source_by_name[key]) if key is not None else (None, None) for key in keys]

    @staticmethod
    def _claim_before(spans: list[tuple[int, int, int]], position: int) -> int | None:
        """The claim a footnote marker follows closely ("... said the post.[1]")."""
        best = None
        for _start, end, cid in spans:
            if end <= position and position - end <= 40:
                best = cid
        return best

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
            with self._batched():  # after the deletes: the next ids are counted from what is left
                self._store_extraction(report_id, body, extraction, keep_spans=[(r[1], r[2]) for r in kept])
            self.conn.execute("UPDATE reports SET extractor_version = ? WHERE id = ?", (extraction.version or None, report_id))
        return self.conn.execute("SELECT count(*) FROM claims WHERE report_id = ?", (report_id,)).fetchone()[0]
