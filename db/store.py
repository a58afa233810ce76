"""The store: the one API over the SQLite file that the CLI and the TUI both use.

A :class:`Store` owns one connection and must stay on the thread that opened it; a worker
thread opens its own with :meth:`Store.open` (cheap once the file is migrated).
Reading lives here; analyst changes (grades, tags, notes, undo) in :mod:`db.grading`;
storing imported reports in :mod:`db.writer`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from collections.abc import Iterable, Iterator

from . import connection
from .ach import AchMixin
from .analysis.store_api import AnalysisMixin
from .errors import InvalidValue, NotFound, StoreError
from .corrections import CorrectionsMixin
from .grading import GradingMixin
from .identity.merge_split import MergeAndSplit
from .identity.proposals import MergeProposals
from .little_text import LITTLE_TEXT_TAG
from .models import (
    CREDIBILITY_GRADES,
    RELIABILITY_GRADES,
    REPORT_STATUSES,
    CitedSource,
    Claim,
    Entity,
    Hypothesis,
    Mention,
    Report,
    ReportSummary,
    Source,
)
from .report_conditions import marks, report_conditions
from .schema import migrate
from .search_pg import search_sql
from .team import mine
from .team.consensus import TeamMixin
from .writer import WriterMixin


@dataclass
class ReportFilter:
    """Which reports a queue or a CLI listing shows. Empty fields do not filter."""

    statuses: tuple[str, ...] = ()
    reliability: tuple[str, ...] = ()  # e.g. ("A", "B", "C")
    credibility: tuple[int, ...] = ()
    source: str | None = None  # substring of the source name, case-insensitive
    date_from: str | None = None  # ISO, inclusive, on the sort date (published, else imported)
    date_to: str | None = None
    tag: str | None = None
    text: str | None = None  # full-text query over title and body (FTS5 syntax is escaped)
    ids: tuple[int, ...] = ()

    def validate(self) -> None:
        for status in self.statuses:
            if status not in REPORT_STATUSES:
                raise InvalidValue(f"unknown status {status!r}; use one of {', '.join(REPORT_STATUSES)}")
        for grade in self.reliability:
            if grade not in RELIABILITY_GRADES:
                raise InvalidValue(f"unknown reliability {grade!r}; use A-F")
        for grade in self.credibility:
            if grade not in CREDIBILITY_GRADES:
                raise InvalidValue(f"unknown credibility {grade!r}; use 1-6")


def _check_login_is_analyst(conn, url: str, analyst: str | None) -> None:
    """On PostgreSQL the analyst is the database login (the audit log's ``who`` comes from the
    server, so a name given by the client could not be trusted): another name is refused."""
    if analyst is None:
        return
    from .analyst import clean_analyst
    from .backends import redact

    login = conn.execute("SELECT current_analyst()").fetchone()[0]
    if clean_analyst(analyst) != login:
        raise StoreError(f"on PostgreSQL the analyst is the database login: {redact(url)} logs in as "
                         f"{login!r}, not {analyst!r}; connect as that analyst's role "
                         f"(postgresql://{analyst}@HOST/CORPUS)")


def fts_phrase_query(text: str) -> str:
    """Turn free text into a safe FTS5 query: every word quoted, so no input is parsed as syntax."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    return " ".join('"' + w + '"' for w in words)


class Store(AnalysisMixin, CorrectionsMixin, GradingMixin, WriterMixin, AchMixin, MergeAndSplit, MergeProposals,
            TeamMixin):
    def __init__(self, conn: sqlite3.Connection, path: Path | str | None, *, read_only: bool = False):
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self.backup_made: Path | None = None
        self._new_entity_ids = []

    @cached_property
    def db(self):
        """The connection as a ``sqlite_utils.Database``, for scripting (``store.db["reports"].rows``).
        Imported when first asked for: sqlite-utils takes ~100 ms to import, a fifteenth of the
        start-up budget, and the app itself goes through the store's methods."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # --- opening ------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, analyst: str | None = None) -> Store:
        """Open (and create or upgrade) the database at ``path`` as ``analyst`` (default: ``--analyst``,
        ``$ANALYST_TUI_ANALYST``, else the OS login), or the PostgreSQL database a ``postgresql://``
        URL names, where the analyst is the database login. Raises StoreError with a clear message."""
        from .backends import is_postgresql_url

        if is_postgresql_url(path):
            return cls._open_postgresql(str(path), analyst)
        if analyst is not None:
            from .analyst import clean_analyst

            analyst = clean_analyst(analyst)
        if str(path) == ":memory:":
            conn = connection.connect(":memory:", analyst=analyst)
            store = cls(conn, None)
            migrate(conn)
            return store
        path = Path(path).expanduser()
        connection.check_path(path)
        if not path.exists() and not create:
            raise StoreError(f"no database at {path}")
        if path.exists() and path.stat().st_size > 0:
            _refuse_foreign_or_newer(path)  # before anything writes to the file (WAL switch included)
        read_only = connection.is_read_only(path)
        if read_only and not path.exists():
            raise StoreError(f"cannot create {path}: the folder is not writable")
        if not read_only:
            from .private_files import create_private_file

            try:
                create_private_file(path)  # 0600 before SQLite creates it (its WAL and SHM follow its mode)
            except OSError as exc:
                raise StoreError(f"cannot create {path}: {exc.strerror or exc}") from None
        conn = connection.connect(path, read_only=read_only, analyst=analyst)
        store = cls(conn, path, read_only=read_only)
        try:
            if read_only:
                from .schema import SCHEMA_VERSION, current_version

                if current_version(conn) != SCHEMA_VERSION:
                    raise StoreError(f"{path} is read-only and needs an upgrade to schema {SCHEMA_VERSION}; "
                                     "copy it somewhere writable first")
            else:
                store.backup_made = migrate(conn, path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{path} cannot be used as a database: {exc}") from exc
        except StoreError:
            conn.close()
            raise
        return store

    @classmethod
    def _open_postgresql(cls, url: str, analyst: str | None = None) -> Store:
        try:
            from .backends import pg_schema, postgresql
        except ImportError as exc:
            raise StoreError(f"opening a PostgreSQL database needs psycopg: pip install 'psycopg[binary]' ({exc})") from None
        conn = postgresql.connect(url)
        try:
            pg_schema.migrate(conn.raw)
            _check_login_is_analyst(conn, url, analyst)
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"{postgresql.redact(url)} cannot be used as a database: {exc}") from exc
        except Exception as exc:
            conn.close()
            from psycopg import Error

            if isinstance(exc, Error):
                raise StoreError(f"{postgresql.redact(url)} cannot be used as a database: {exc}") from exc
            raise
        return cls(conn, url)

    @property
    def dialect(self) -> str:
        return connection.dialect(self.conn)

    def reopen(self) -> Store:
        """A new Store on the same file, for another thread."""
        if self.path is None:
            raise StoreError("an in-memory database cannot be shared between threads")
        return Store.open(self.path, analyst=self.analyst)

    @cached_property
    def analyst(self) -> str:
        """Who is acting: every judgement and audit entry of this store is theirs. On SQLite the name
        given when opening; on PostgreSQL the database login (both answer ``current_analyst()``)."""
        return self.conn.execute("SELECT current_analyst()").fetchone()[0]

    def close(self) -> None:
        from . import live

        live.close(self)
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def data_version(self) -> int:
        """Changes whenever another connection commits: the UI polls it to pick up outside changes
        (SQLite's ``data_version``; on PostgreSQL, notifications from other sessions: db/live.py)."""
        from . import live

        return live.data_version(self)

    def integrity_check(self) -> str:
        if self.dialect == "postgresql":  # the server keeps its own pages: check what it does not check itself
            from .backends.pg_schema import check_database

            return check_database(self.conn.raw)
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]

    # --- reports ------------------------------------------------------------------

    _SUMMARY_COLUMNS = f"""r.id, r.title, r.status, r.published, r.imported_at, s.name, {mine.source_reliability()},
        {mine.report_credibility()}, r.duplicate_of, r.sort_key, r.flagged, EXISTS (SELECT 1 FROM taggings WHERE target_kind = 'report'
        AND target_id = r.id AND tag_id = (SELECT id FROM tags WHERE name = '{LITTLE_TEXT_TAG}'))"""

    def _report_where(self, flt: ReportFilter) -> tuple[str, list]:
        flt.validate()
        clauses, params = report_conditions(flt)
        if flt.text:
            words = "".join(ch if ch.isalnum() else " " for ch in flt.text).split()
            if words:  # every word, in the title or the body (FTS5 or tsvector: db.search_pg)
                clause, word_params = search_sql(self.conn).report_text_condition(words)
                clauses.append(clause)
                params += word_params
        if flt.ids:
            clauses.append(f"r.id IN ({marks(flt.ids)})")
            params += list(flt.ids)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def list_reports(self, flt: ReportFilter | None = None, *, limit: int = 200, offset: int = 0,
                     after: tuple[str, int] | None = None) -> list[ReportSummary]:
        """Newest first. Page with ``after=(sort_key, id)`` of the last row (keyset: fast at any depth)
        or ``offset`` (simple, slower deep into 100k rows)."""
        where, params = self._report_where(flt or ReportFilter())
        if after is not None:
            where += (" AND " if where else " WHERE ") + "(r.sort_key, r.id) < (?, ?)"
            params += [after[0], after[1]]
        if offset > 0:
            # Skip on the (sort_key, id) index alone, then read the page's rows: SQLite otherwise reads
            # every skipped row in full (bench/RESULTS.md, "Figures that were in code comments").
            sql = (f"SELECT {self._SUMMARY_COLUMNS} FROM reports r LEFT JOIN sources s ON s.id = r.source_id "
                   f"WHERE r.id IN (SELECT r.id FROM reports r LEFT JOIN sources s ON s.id = r.source_id{where} "
                   "ORDER BY r.sort_key DESC, r.id DESC LIMIT ? OFFSET ?) ORDER BY r.sort_key DESC, r.id DESC")
        else:
            sql = (f"SELECT {self._SUMMARY_COLUMNS} FROM reports r LEFT JOIN sources s ON s.id = r.source_id{where} "
                   "ORDER BY r.sort_key DESC, r.id DESC LIMIT ? OFFSET ?")
        summaries = [_summary(row) for row in self.conn.execute(sql, params + [limit, offset]).fetchall()]
        disputed = self.disputed_reports([summary.id for summary in summaries])
        for summary in summaries:
            summary.disputed = summary.id in disputed
        return summaries

    def report_position_key(self, report_id: int) -> tuple[str, int]:
        row = self.conn.execute("SELECT sort_key, id FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise NotFound(f"no report {report_id}")
        return row[0], row[1]

    def report_index(self, flt: ReportFilter | None, report_id: int) -> int | None:
        """The report's row number in the filtered queue (0 = newest), or None if the filter hides it:
        the queue jumps to a search hit without loading the rows before it."""
        where, params = self._report_where(flt or ReportFilter())
        try:
            key = self.report_position_key(report_id)
        except NotFound:
            return None
        visible = self.conn.execute(
            f"SELECT 1 FROM reports r LEFT JOIN sources s ON s.id = r.source_id{where}{' AND' if where else ' WHERE'} r.id = ?",
            params + [report_id]).fetchone()
        if not visible:
            return None
        return self.conn.execute(
            f"SELECT count(*) FROM reports r LEFT JOIN sources s ON s.id = r.source_id{where}"
            f"{' AND' if where else ' WHERE'} (r.sort_key, r.id) > (?, ?)", params + [key[0], key[1]]).fetchone()[0]

    def count_reports(self, flt: ReportFilter | None = None) -> int:
        where, params = self._report_where(flt or ReportFilter())
        if not where:
            # The join cannot change a count (at most one source per report, and a LEFT JOIN), but
            # SQLite would still walk it, at start-up, for nothing.
            return self.conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        return self.conn.execute(
            f"SELECT count(*) FROM reports r LEFT JOIN sources s ON s.id = r.source_id{where}", params
        ).fetchone()[0]

    def status_counts(self) -> dict[str, int]:
        counts = {status: 0 for status in REPORT_STATUSES}
        for status, n in self.conn.execute("SELECT status, count(*) FROM reports GROUP BY status"):
            counts[status] = n
        # the flag is beside the status: a flagged report is counted under "new" or "read" as well
        counts["flagged"] = self.conn.execute("SELECT count(*) FROM reports WHERE flagged = 1").fetchone()[0]
        return counts

    def report_ids(self, flt: ReportFilter | None = None) -> list[int]:
        where, params = self._report_where(flt or ReportFilter())
        sql = f"SELECT r.id FROM reports r LEFT JOIN sources s ON s.id = r.source_id{where} ORDER BY r.sort_key DESC, r.id DESC"
        return [row[0] for row in self.conn.execute(sql, params)]

    def next_report(self, report_id: int | None, *, status: str = "new",
                    flt: ReportFilter | None = None) -> int | None:
        """The next report (in queue order, after ``report_id``) with the given status, wrapping around."""
        base = ReportFilter(**{**(flt or ReportFilter()).__dict__, "statuses": (status,)})
        if report_id is not None:
            try:
                rows = self.list_reports(base, limit=1, after=self.report_position_key(report_id))
            except NotFound:
                rows = []
            if rows:
                return rows[0].id
        rows = self.list_reports(base, limit=1)  # wrap around to the top of the queue
        return rows[0].id if rows else None

    def get_report(self, report_id: int) -> Report:
        row = self.conn.execute(
            f"""SELECT id, title, body, status, format, imported_at, content_hash, {mine.report_credibility('reports')},
                      source_id, author, url, published, original_name, language, duplicate_of, container,
                      published_from, flagged, version
               FROM reports WHERE id = ?""",
            (report_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no report {report_id}")
        report = Report(
            id=row[0], title=row[1], body=row[2], status=row[3], format=row[4], imported_at=row[5],
            content_hash=row[6], credibility=row[7], source=self.get_source(row[8]) if row[8] else None,
            author=row[9], url=row[10], published=row[11], original_name=row[12], language=row[13],
            duplicate_of=row[14], container=row[15], published_from=row[16], flagged=bool(row[17]),
            version=row[18],
        )
        report.tags = self.tags_of("report", report_id)
        report.note = self.note_of("report", report_id)
        report.disputed = self.report_disputed(report_id)
        return report

    def near_duplicates(self, report_id: int) -> list[ReportSummary]:
        """Reports linked to this one as the same story relayed elsewhere (either direction)."""
        rows = self.conn.execute(
            f"""SELECT {self._SUMMARY_COLUMNS} FROM reports r LEFT JOIN sources s ON s.id = r.source_id
                WHERE r.duplicate_of = ? OR r.id = (SELECT duplicate_of FROM reports WHERE id = ?)
                ORDER BY r.sort_key DESC, r.id DESC""",
            (report_id, report_id),
        ).fetchall()
        return [_summary(row) for row in rows]

    # --- sources ------------------------------------------------------------------

    def get_source(self, source_id: int) -> Source:
        row = self.conn.execute(
            f"SELECT id, name, kind, affiliation, {mine.source_reliability('sources')}, full_name, url FROM sources WHERE id = ?",
            (source_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no source {source_id}")
        return Source(*row)

    def list_sources(self) -> list[Source]:
        rows = self.conn.execute(
            f"SELECT id, name, kind, affiliation, {mine.source_reliability('sources')}, full_name, url FROM sources "
            "ORDER BY name COLLATE NOCASE"
        )
        return [Source(*row) for row in rows]

    def find_source(self, name: str) -> Source | None:
        from .identity.keys import normalise_name

        row = self.conn.execute("SELECT id FROM sources WHERE name_key = ?", (normalise_name(name),)).fetchone()
        return self.get_source(row[0]) if row else None

    # --- claims -------------------------------------------------------------------

    _CLAIM_COLUMNS = f"""c.id, c.report_id, c.start, c."end", c.text, c.speaker, c.speaker_resolved, c.speaker_inferred,
        c.cue, c.chain, c.is_quote, c.is_hedged, c.is_denial, {mine.claim_credibility()}, c.rule, c.confidence, c.origin, c.rejected"""

    def claims_for_report(self, report_id: int, *, hypothesis_id: int | None = None,
                          rejected: bool = False) -> list[Claim]:
        """The report's claims in text order; ``rejected``: with those the analyst rejected as not claims."""
        hypothesis_id = hypothesis_id if hypothesis_id is not None else self.active_hypothesis_id()
        rows = self.conn.execute(
            f"""SELECT {self._CLAIM_COLUMNS}, st.stance FROM claims c
                LEFT JOIN claim_stances st ON st.claim_id = c.id AND st.hypothesis_id = ? AND {mine.MY_STANCE}
                WHERE c.report_id = ?{'' if rejected else ' AND c.rejected = 0'} ORDER BY c.start, c.id""",
            (hypothesis_id, report_id),
        ).fetchall()
        claims = [_claim(row) for row in rows]
        self._attach_tags_and_notes("claim", claims)
        self._attach_relation_counts(claims)
        disputed = self.disputed_claims([c.id for c in claims])
        for claim in claims:
            claim.disputed = claim.id in disputed
        return claims

    def _attach_relation_counts(self, claims: list[Claim]) -> None:
        by_id = {c.id: c for c in claims}
        for chunk in _chunks(list(by_id), 400):
            marks = ",".join("?" * len(chunk))
            for a, b, kind in self.conn.execute(
                f"SELECT a, b, type FROM claim_relations WHERE a IN ({marks}) OR b IN ({marks})", chunk + chunk):
                for end in (a, b):
                    if end in by_id:
                        by_id[end].relations[kind] = by_id[end].relations.get(kind, 0) + 1

    def get_claim(self, claim_id: int) -> Claim:
        rows = self.conn.execute(
            f"""SELECT {self._CLAIM_COLUMNS}, st.stance FROM claims c
                LEFT JOIN claim_stances st ON st.claim_id = c.id AND st.hypothesis_id = ? AND {mine.MY_STANCE}
                WHERE c.id = ?""",
            (self.active_hypothesis_id(), claim_id),
        ).fetchall()
        if not rows:
            raise NotFound(f"no claim {claim_id}")
        claim = _claim(rows[0])
        self._attach_tags_and_notes("claim", [claim])
        self._attach_relation_counts([claim])
        return claim

    def claims_by_ids(self, claim_ids: Iterable[int]) -> list[Claim]:
        ids = list(claim_ids)
        if not ids:
            return []
        out: list[Claim] = []
        hypothesis_id = self.active_hypothesis_id()
        for chunk in _chunks(ids, 500):
            rows = self.conn.execute(
                f"""SELECT {self._CLAIM_COLUMNS}, st.stance FROM claims c
                    LEFT JOIN claim_stances st ON st.claim_id = c.id AND st.hypothesis_id = ? AND {mine.MY_STANCE}
                    WHERE c.id IN ({','.join('?' * len(chunk))})""",
                [hypothesis_id, *chunk],
            ).fetchall()
            out += [_claim(row) for row in rows]
        order = {cid: i for i, cid in enumerate(ids)}
        out.sort(key=lambda c: order[c.id])
        return out

    def claim_ids_for_report(self, report_id: int) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM claims WHERE report_id = ? ORDER BY start", (report_id,))]

    def count_claims(self) -> int:
        return self.conn.execute("SELECT count(*) FROM claims").fetchone()[0]

    def claim_relations(self, claim_id: int) -> list[tuple[str, Claim]]:
        rows = self.conn.execute(
            "SELECT type, b FROM claim_relations WHERE a = ? UNION SELECT type, a FROM claim_relations WHERE b = ?",
            (claim_id, claim_id),
        ).fetchall()
        claims = {c.id: c for c in self.claims_by_ids([r[1] for r in rows])}
        return [(kind, claims[other]) for kind, other in rows if other in claims]

    # --- entities -----------------------------------------------------------------

    def entities_for_report(self, report_id: int) -> list[Entity]:
        rows = self.conn.execute(
            """SELECT e.id, e.name, e.type, count(m.id), e.version FROM mentions m JOIN entities e ON e.id = m.entity_id
               WHERE m.report_id = ? GROUP BY e.id ORDER BY count(m.id) DESC, e.name""",
            (report_id,),
        ).fetchall()
        entities = [Entity(id=r[0], name=r[1], type=r[2], mention_count=r[3], version=r[4]) for r in rows]
        self._attach_aliases(entities)
        return entities

    def get_entity(self, entity_id: int) -> Entity:
        row = self.conn.execute(
            """SELECT e.id, e.name, e.type, (SELECT count(*) FROM mentions WHERE entity_id = e.id),
                      (SELECT count(DISTINCT report_id) FROM mentions WHERE entity_id = e.id), e.version
               FROM entities e WHERE e.id = ?""",
            (entity_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no entity {entity_id}")
        entity = Entity(id=row[0], name=row[1], type=row[2], mention_count=row[3], report_count=row[4], version=row[5])
        self._attach_aliases([entity])
        return entity

    def list_entities(self, *, limit: int | None = None) -> list[Entity]:
        sql = """SELECT e.id, e.name, e.type, count(m.id), count(DISTINCT m.report_id), e.version FROM entities e
                 LEFT JOIN mentions m ON m.entity_id = e.id GROUP BY e.id ORDER BY count(m.id) DESC, e.name"""
        if limit:
            sql += f" LIMIT {int(limit)}"
        entities = [Entity(id=r[0], name=r[1], type=r[2], mention_count=r[3], report_count=r[4], version=r[5])
                    for r in self.conn.execute(sql)]
        self._attach_aliases(entities)
        return entities

    def reports_mentioning(self, entity_id: int, *, exclude_report: int | None = None,
                           limit: int = 200) -> list[ReportSummary]:
        rows = self.conn.execute(
            f"""SELECT {self._SUMMARY_COLUMNS} FROM reports r LEFT JOIN sources s ON s.id = r.source_id
                WHERE r.id IN (SELECT report_id FROM mentions WHERE entity_id = ?) AND r.id IS NOT ?
                ORDER BY r.sort_key DESC, r.id DESC LIMIT ?""",
            (entity_id, exclude_report, limit),
        ).fetchall()
        return [_summary(row) for row in rows]

    def mentions_for_report(self, report_id: int) -> list[Mention]:
        rows = self.conn.execute(
            'SELECT id, entity_id, report_id, start, "end", text, claim_id FROM mentions WHERE report_id = ? ORDER BY start',
            (report_id,),
        )
        return [Mention(*row) for row in rows]

    def _attach_aliases(self, entities: list[Entity]) -> None:
        if not entities:
            return
        by_id = {e.id: e for e in entities}
        for chunk in _chunks(list(by_id), 500):
            for entity_id, alias in self.conn.execute(
                f"SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({','.join('?' * len(chunk))}) ORDER BY alias",
                chunk,
            ):
                by_id[entity_id].aliases.append(alias)

    # --- cited sources -------------------------------------------------------------

    def cited_sources_for_report(self, report_id: int) -> list[CitedSource]:
        rows = self.conn.execute(
            'SELECT id, report_id, ref, source, date, raw, start, "end" FROM cited_sources WHERE report_id = ? ORDER BY start',
            (report_id,),
        ).fetchall()
        cited = [CitedSource(*row) for row in rows]
        for item in cited:
            item.claim_ids = [r[0] for r in self.conn.execute(
                "SELECT claim_id FROM cited_source_claims WHERE cited_source_id = ? ORDER BY claim_id", (item.id,))]
        return cited

    # --- hypotheses ---------------------------------------------------------------

    def list_hypotheses(self) -> list[Hypothesis]:
        return [Hypothesis(id=r[0], title=r[1], active=bool(r[2]))
                for r in self.conn.execute("SELECT id, title, active FROM hypotheses ORDER BY id")]

    def active_hypothesis_id(self) -> int | None:
        row = self.conn.execute("SELECT id FROM hypotheses WHERE active = 1 ORDER BY id LIMIT 1").fetchone()
        return row[0] if row else None

    def active_hypothesis(self) -> Hypothesis | None:
        row = self.conn.execute("SELECT id, title FROM hypotheses WHERE active = 1 ORDER BY id LIMIT 1").fetchone()
        return Hypothesis(id=row[0], title=row[1], active=True) if row else None

    def stance_counts(self, hypothesis_id: int) -> dict[str, int]:
        counts = {"supports": 0, "refutes": 0, "neutral": 0}
        for stance, n in self.conn.execute(
            "SELECT stance, count(*) FROM claim_stances WHERE hypothesis_id = ? AND analyst = current_analyst() "
            "GROUP BY stance", (hypothesis_id,)
        ):
            counts[stance] = n
        return counts

    # --- tags and notes -------------------------------------------------------------

    def tags_of(self, kind: str, target_id: int) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT t.name FROM taggings g JOIN tags t ON t.id = g.tag_id WHERE g.target_kind = ? AND g.target_id = ? "
            "ORDER BY t.name COLLATE NOCASE", (kind, target_id))]

    def note_of(self, kind: str, target_id: int) -> str | None:
        row = self.conn.execute(f"SELECT text FROM notes WHERE target_kind = ? AND target_id = ? AND {mine.MY_NOTE}",
                                (kind, target_id)).fetchone()
        return row[0] if row else None

    def all_tags(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT t.name, count(g.tag_id) FROM tags t LEFT JOIN taggings g ON g.tag_id = t.id GROUP BY t.id "
            "ORDER BY t.name COLLATE NOCASE")]

    def _attach_tags_and_notes(self, kind: str, items: list) -> None:
        if not items:
            return
        by_id = {item.id: item for item in items}
        for chunk in _chunks(list(by_id), 500):
            marks = ",".join("?" * len(chunk))
            for target_id, name in self.conn.execute(
                f"SELECT g.target_id, t.name FROM taggings g JOIN tags t ON t.id = g.tag_id "
                f"WHERE g.target_kind = ? AND g.target_id IN ({marks}) ORDER BY t.name COLLATE NOCASE", [kind, *chunk]):
                by_id[target_id].tags.append(name)
            for target_id, text in self.conn.execute(
                f"SELECT target_id, text FROM notes WHERE target_kind = ? AND {mine.MY_NOTE} AND target_id IN ({marks})",
                [kind, *chunk]):
                by_id[target_id].note = text

    # --- settings -----------------------------------------------------------------

    def get_setting(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value) -> None:
        with self.write():
            self.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                              (key, json.dumps(value)))

    # --- statistics -----------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        tables = ("reports", "claims", "entities", "mentions", "sources", "cited_sources", "hypotheses", "audit_log")
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def _refuse_foreign_or_newer(path: Path) -> None:
    from .schema import check_version

    try:
        probe = connection.connect_read_only(path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    try:
        check_version(probe)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be used as a database: {exc}") from exc
    finally:
        probe.close()


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _summary(row) -> ReportSummary:
    return ReportSummary(id=row[0], title=row[1], status=row[2], published=row[3], imported_at=row[4],
                         source_name=row[5], reliability=row[6], credibility=row[7], duplicate_of=row[8],
                         flagged=bool(row[10]), little_text=bool(row[11]))


def _claim(row) -> Claim:
    return Claim(
        id=row[0], report_id=row[1], start=row[2], end=row[3], text=row[4], speaker=row[5], speaker_resolved=row[6],
        speaker_inferred=bool(row[7]), cue=row[8], chain=json.loads(row[9] or "[]"), is_quote=bool(row[10]),
        is_hedged=bool(row[11]), is_denial=bool(row[12]), credibility=row[13], rule=row[14], confidence=row[15],
        origin=row[16], rejected=bool(row[17]), stance=row[18],
    )
