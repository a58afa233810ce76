"""Where the search differs between SQLite and PostgreSQL: the one place that branches on the dialect.

:mod:`db.search` asks an engine of this module for four things, and nothing else of its SQL
depends on the database:

- trigram candidates (rows holding every trigram of the query's words, newest first, bounded):
  SQLite's trigram FTS5 tables; on PostgreSQL one ``ILIKE '%gram%'`` per trigram, answered by a
  ``pg_trgm`` GIN index and rechecked exactly, so the rows are the same;
- word candidates (each word widened to close terms, OR-ed; the words AND-ed): FTS5 ``MATCH`` on
  SQLite; on PostgreSQL a ``tsvector`` column generated from the text with GIN, queried with
  ``to_tsquery``. The words are the same: runs of letters and digits (``unicode61``'s tokens),
  folded to lower case without diacritics (the ``analyst_words`` configuration: ``unaccent``,
  then ``simple``);
- the claims vocabulary, for typo and transliteration expansion: ``claims_vocab`` (fts5vocab) on
  SQLite, ``ts_stat`` over the claims' words on PostgreSQL (both a full read of the index, done in
  the background);
- reports' titles by id, the store's report text filter, and a connection for a background thread.

Differences PostgreSQL keeps: ``unaccent`` also folds letters that are not a letter plus a
diacritic (``ß`` -> ``ss``, ``Æ`` -> ``AE``), which ``unicode61`` keeps (named in
``tests/test_search_pg.py``); ``ILIKE`` folds case with ``lower()``, the trigram tokenizer with
Unicode simple case folding (they may differ on a handful of letters such as ``ẞ``; not tested).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from .backends import is_postgresql_url
from .connection import dialect

_FTS_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # what the unicode61 tokenizer keeps of a word (no "_")
_LIKE_SPECIAL = re.compile(r"([\\%_])")


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteSearchSql:
    """FTS5: the word indexes ``claims_fts`` and ``reports_fts``, the trigram indexes ``claims_trigram``
    and ``titles_trigram``."""

    name = "sqlite"
    _TRIGRAM_TABLES = {"claims": ("claims_trigram", "rowid, text"), "titles": ("titles_trigram", "rowid")}
    _WORD_TABLES = {"claims": "claims_fts", "reports": "reports_fts"}
    # From the index reports_titles (schema V4), not the reports' rows: a planner without statistics
    # (a new file) would pick the rows.
    TITLES_BY_ID = "SELECT id, sort_key, title FROM reports INDEXED BY reports_titles WHERE id IN ({})"

    def __init__(self, conn) -> None:
        self.conn = conn

    def trigram_rows(self, index: str, grams: list[str], older_than: int | None, limit: int):
        """A cursor over (id, text) for "claims", (id,) for "titles": rows holding every trigram, newest first."""
        table, columns = self._TRIGRAM_TABLES[index]
        match = " AND ".join(_quote(g) for g in grams)
        below, params = ("", (match, limit)) if older_than is None else (" AND rowid < ?", (match, older_than, limit))
        return self.conn.execute(
            f"SELECT {columns} FROM {table} WHERE {table} MATCH ?{below} ORDER BY rowid DESC LIMIT ?", params)

    def word_ids(self, index: str, groups: list[list[str]], limit: int) -> list[int]:
        """Ids of "claims" or "reports" holding, for every group, one of its terms; newest first."""
        table = self._WORD_TABLES[index]
        clauses = []
        for terms in groups:
            if index == "reports":  # no positions in this index (detail=column): no phrases either
                quoted = ["(" + " AND ".join(_quote(p) for p in parts) + ")" if len(parts) > 1 else _quote(parts[0])
                          for parts in (_FTS_TOKEN.findall(t) for t in terms) if parts]
            else:
                quoted = [_quote(t) for t in terms]
            if quoted:
                clauses.append("(" + " OR ".join(quoted) + ")")
        if not clauses:
            return []
        return [r[0] for r in self.conn.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
            (" AND ".join(clauses), limit))]

    def vocabulary(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT term FROM claims_vocab")]

    def report_text_condition(self, words: list[str]) -> tuple[str, list]:
        """A condition on ``r.id`` for reports whose title or body holds every word."""
        return ("r.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)",
                [" ".join(_quote(w) for w in words)])


class PostgresSearchSql:
    """``pg_trgm`` GIN indexes on ``claims.text`` and ``reports.title``; ``tsvector`` columns ``claims.words``
    and ``reports.words`` (title and body, without positions) with GIN (schema: db/backends/pg_schema.py)."""

    name = "postgresql"
    TITLES_BY_ID = "SELECT id, sort_key, title FROM reports WHERE id IN ({})"
    _TRIGRAM = {"claims": ("claims", "text", "id, text"), "titles": ("reports", "title", "id")}

    def __init__(self, conn) -> None:
        self.conn = conn

    def trigram_rows(self, index: str, grams: list[str], older_than: int | None, limit: int) -> _NewestFirst:
        """As SQLite's: rows holding every trigram, newest first, read as far as asked (:class:`_NewestFirst`)."""
        table, column, columns = self._TRIGRAM[index]
        conditions = " AND ".join([f"{column} ILIKE ?"] * len(grams))
        patterns = ["%" + _LIKE_SPECIAL.sub(r"\\\1", g) + "%" for g in grams]
        top = older_than
        if top is None:
            newest = self.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
            top = (newest or 0) + 1
        return _NewestFirst(self.conn, f"SELECT {columns} FROM {table} WHERE {conditions}", patterns, top, limit)

    @staticmethod
    def tsquery(groups: list[list[str]], *, phrases: bool) -> str:
        """``to_tsquery`` text: terms of a group OR-ed, groups AND-ed. A term of several tokens
        ("kata'ib") is a phrase in the claims (as FTS5 reads a quoted term), all its tokens in the
        reports (whose SQLite index keeps no positions). Tokens are letters and digits only, so
        quoting them needs no escape."""
        joiner = " <-> " if phrases else " & "
        clauses = []
        for terms in groups:
            alternatives = []
            for term in terms:
                parts = _FTS_TOKEN.findall(term.casefold())
                if parts:
                    quoted = joiner.join(f"'{p}'" for p in parts)
                    alternatives.append(f"({quoted})" if len(parts) > 1 else quoted)
            if alternatives:
                clauses.append("(" + " | ".join(alternatives) + ")")
        return " & ".join(clauses)

    RARE = 500  # fewer matches than this: all read at once from the GIN index, then the newest kept

    def word_ids(self, index: str, groups: list[list[str]], limit: int) -> list[int]:
        """Two reads, because the planner cannot tell a rare word from a common one (a word it has no
        statistics for is assumed in 0.5% of the rows): ``ORDER BY id DESC LIMIT`` alone walks the id
        index backwards through every row for a word that is nowhere (1.5 s at 100k reports). First
        the matches in any order, at most ``RARE`` + ``limit`` (a bitmap for a rare word, the first
        rows of a scan for a common one); all of them: the newest are the answer; else the word is
        common and the backward walk finds its newest rows at once."""
        query = self.tsquery(groups, phrases=index == "claims")
        if not query:
            return []
        condition = f"FROM {index} WHERE words @@ to_tsquery('analyst_words', ?)"
        cap = self.RARE + limit
        found = [r[0] for r in self.conn.execute(f"SELECT id {condition} LIMIT ?", (query, cap))]
        if len(found) < cap:
            return sorted(found, reverse=True)[:limit]
        return [r[0] for r in self.conn.execute(f"SELECT id {condition} ORDER BY id DESC LIMIT ?", (query, limit))]

    def vocabulary(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT word FROM ts_stat('SELECT words FROM claims')")]

    def report_text_condition(self, words: list[str]) -> tuple[str, list]:
        return "r.words @@ to_tsquery('analyst_words', ?)", [self.tsquery([[w] for w in words], phrases=False)]


class _NewestFirst:
    """The rows of a trigram query, newest first, up to ``limit``, read as far as the reader asks
    (``fetchmany``: the claims' reader stops once enough rows hold the whole query), each read
    going on below the last id read.

    One ``ORDER BY id DESC LIMIT 2000`` over a ``pg_trgm`` condition makes PostgreSQL read every
    matching row (a bitmap of the matches, each rechecked with ``ILIKE``, then sorted): for a common
    trigram most of the table, where FTS5 reads the newest matches and stops. Asked for a few
    hundred rows at a time, the planner walks the id index backwards for a common pattern and
    stops early, and takes the bitmap for a rare one. The rows are those of the single query."""

    def __init__(self, conn, select: str, params: list, top: int, limit: int) -> None:
        self._conn, self._select, self._params = conn, select, params
        self._top, self._left = top, limit
        self._done = limit <= 0
        self._buffer: list = []
        self._reads = 0

    def fetchmany(self, size: int) -> list:
        if len(self._buffer) < size and not self._done:
            # each read twice the last: a reader that went on once is likely to go on again
            wanted = min(size << min(self._reads, 4), self._left)
            self._reads += 1
            rows = self._conn.execute(f"{self._select} AND id < ? ORDER BY id DESC LIMIT ?",
                                      self._params + [self._top, wanted]).fetchall()
            self._left -= len(rows)
            if rows:
                self._top = rows[-1][0]
            if len(rows) < wanted or self._left <= 0:
                self._done = True
            self._buffer += rows
        taken, self._buffer = self._buffer[:size], self._buffer[size:]
        return taken

    def __iter__(self):
        while True:
            chunk = self.fetchmany(500)
            if not chunk:
                return
            yield from chunk

    def close(self) -> None:
        self._done, self._buffer = True, []


def search_sql(conn) -> SqliteSearchSql | PostgresSearchSql:
    """The engine for this connection."""
    return PostgresSearchSql(conn) if dialect(conn) == "postgresql" else SqliteSearchSql(conn)


def open_reader(location: str | Path):
    """A connection for a background thread (names, vocabulary): read-only on SQLite, whose file
    must not be locked for writing by a reader; a new session on PostgreSQL."""
    if is_postgresql_url(str(location)):
        from .backends.postgresql import connect

        return connect(str(location))
    return sqlite3.connect(Path(location).resolve().as_uri() + "?mode=ro", uri=True)
