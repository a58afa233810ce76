"""Where the search differs between SQLite and PostgreSQL: the one place that branches on the dialect.

:mod:`db.search` asks an engine of this module for four things, and nothing else of its SQL
depends on the database:

- trigram candidates (rows holding every trigram of the query's words, newest first, bounded):
  SQLite's trigram FTS5 tables; on PostgreSQL ``ILIKE '%gram%'`` for every trigram, so the rows are
  the same, found by walking the newest ids or, where matches are sparse, through a ``pg_trgm`` GIN
  index (:class:`_NewestFirst`); for claims through their search key (schema V12: lowered,
  punctuation as letters, so "al-" is indexable);
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
from collections.abc import Iterator
from contextlib import contextmanager
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
        self._keys_of: dict[str, str] = {}  # trigram -> its search key (lower() is the server's)

    def trigram_rows(self, index: str, grams: list[str], older_than: int | None, limit: int) -> _NewestFirst:
        """As SQLite's: rows holding every trigram, newest first, read as far as asked (:class:`_NewestFirst`)."""
        table, column, columns = self._TRIGRAM[index]
        patterns = ["%" + _LIKE_SPECIAL.sub(r"\\\1", g) + "%" for g in grams]
        top = older_than
        if top is None:
            newest = self.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
            top = (newest or 0) + 1
        if index == "claims":
            # The claims' search key (schema V12: lowered, punctuation made letters) finds the
            # rows, ``LIKE`` on it being cheaper than ``ILIKE`` on the text and its index knowing
            # the punctuation; the ILIKE stays, so the rows are exactly those holding the trigrams.
            # ``~~`` is LIKE: the word LIKE would be made ILIKE (db/backends/translate.py).
            keys = ["%" + k + "%" for k in self._keys(grams)]
            exact = f"{column} ILIKE ALL(?)"
            indexed = f"SELECT {columns} FROM {table} WHERE " + " AND ".join(["search_key ~~ ?"] * len(keys))
            return _NewestFirst(self.conn, f"{indexed} AND {exact}", keys + [patterns],
                                f"SELECT {columns} FROM {table} WHERE search_key ~~ ALL(?) AND {exact}",
                                [keys, patterns], top, limit)
        # Titles: one ILIKE per trigram, which the pg_trgm index answers; or ILIKE ALL, which no index
        # answers, read along the id index.
        indexed = f"SELECT {columns} FROM {table} WHERE " + " AND ".join([f"{column} ILIKE ?"] * len(grams))
        return _NewestFirst(self.conn, indexed, patterns, f"SELECT {columns} FROM {table} WHERE {column} ILIKE ALL(?)",
                            [patterns], top, limit)

    def _keys(self, grams: list[str]) -> list[str]:
        """The search keys of trigrams, as the server makes them (``analyst_search_key``; its marks
        include LIKE's ``%``, ``_`` and ``\\``, so a key needs no escape)."""
        known = self._keys_of
        missing = [g for g in grams if g not in known]
        if missing:
            if len(known) > 100_000:
                known.clear()
            known.update(self.conn.execute("SELECT g, analyst_search_key(g) FROM unnest(?::text[]) AS g",
                                           (missing,)).fetchall())
        return [known[g] for g in grams]

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
        # before the bitmaps: max() reads the id index backwards, which they turn off
        top = self.conn.execute(f"SELECT max(id) FROM {index}").fetchone()[0] or 0
        with _bitmaps_only(self.conn):
            found = [r[0] for r in self.conn.execute(f"SELECT id {condition} LIMIT ?", (query, cap))]
            if len(found) < cap:
                return sorted(found, reverse=True)[:limit]
            # Common: the newest matches through the word's bitmap ANDed with one of the newest ids,
            # which rechecks only the matches among them (24 ms for the 2,000 newest of a word in
            # 2% of 1M claims), where the backward walk of the id index tests every row (94k rows,
            # 120-150 ms). The window holds about twice ``limit`` matches if they are spread as the
            # first read's are (read in table order: about the oldest).
            low = max(int(top - 2 * limit * (max(found) - min(found) + 1) / len(found)), 0)
            ids = [r[0] for r in self.conn.execute(f"SELECT id {condition} AND id >= ? ORDER BY id DESC LIMIT ?",
                                                   (query, low, limit))]
        if len(ids) < limit:  # the rest below the window: the backward walk, the planner's choice
            ids += [r[0] for r in self.conn.execute(f"SELECT id {condition} AND id < ? ORDER BY id DESC LIMIT ?",
                                                    (query, low, limit - len(ids)))]
        return ids

    def vocabulary(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT word FROM ts_stat('SELECT words FROM claims')")]

    def report_text_condition(self, words: list[str]) -> tuple[str, list]:
        return "r.words @@ to_tsquery('analyst_words', ?)", [self.tsquery([[w] for w in words], phrases=False)]


class _NewestFirst:
    """The rows of a trigram query, newest first, up to ``limit``, read as far as the reader asks
    (``fetchmany``: the claims' reader stops once enough rows hold the whole query), each read
    going on below the last id read. The rows are those of the single query
    ``... ORDER BY id DESC LIMIT limit``; how they are read is chosen here, not by the planner.

    The planner cannot: it takes the trigram conditions of one word as independent (an estimate of
    a few rows for the 34,872 claims holding the trigrams of "refused"), so it reads every match
    through the ``pg_trgm`` bitmap and rechecks each in the table (1 s at 1M claims), where the
    newest few hundred lie in the last few thousand ids. So the reads walk the newest ids first,
    a window at a time (``ILIKE ALL``: no index can answer it, the id index bounds it), and measure
    how dense the matches are: dense enough, walking on is cheaper than the bitmap's recheck
    (whose cost grows with the matches); sparse, the trigram index reads the rest (its recheck is
    then small)."""

    PROBE = 2048  # ids walked before the density is judged
    # What rechecking one match of the bitmap costs (a random read of its row) in rows walked
    # (read in order): measured ~10 us against ~1.4 us at 1M claims.
    RECHECK = 8

    def __init__(self, conn, indexed: str, indexed_params: list, walked: str, walked_params: list,
                 top: int, limit: int) -> None:
        self._conn = conn
        self._indexed, self._indexed_params = indexed, indexed_params
        self._walked, self._walked_params = walked, walked_params
        self._top, self._left = top, limit
        self._done = limit <= 0
        self._buffer: list = []
        self._reads = 0
        self._ids_walked = self._found = 0
        self._walking = True

    def _walk(self, wanted: int) -> list:
        """The newest ``wanted`` matches in a window of ids below the last read, sized by the density seen."""
        if self._ids_walked >= self.PROBE:
            # Walk on while the rows to walk for ``wanted`` (wanted / density) cost less than
            # rechecking every match below (density * ids below): the bitmap cannot stop early.
            density = self._found / self._ids_walked
            if wanted >= self.RECHECK * density * density * self._top:
                self._walking = False
                return self._from_index(wanted)
        span = int(wanted * self._ids_walked / self._found * 1.25) + 1 if self._found else self.PROBE
        low = max(self._top - max(span, self.PROBE), 0)
        rows = self._conn.execute(f"{self._walked} AND id < ? AND id >= ? ORDER BY id DESC LIMIT ?",
                                  self._walked_params + [self._top, low, wanted]).fetchall()
        bottom = rows[-1][0] if len(rows) == wanted else low
        self._ids_walked += self._top - bottom
        self._found += len(rows)
        self._top = bottom
        if bottom <= 0:
            self._done = True
        return rows

    def _from_index(self, wanted: int) -> list:
        # All that is left at once: the bitmap rechecks every match below the last id read whatever
        # the LIMIT, so reads of 250, 500, 1000 would recheck them three times.
        wanted = max(wanted, self._left)
        # Bitmaps only: sparse matches are what the index is for; left to itself the planner may
        # walk the id index again (it did for titles: 43k rows for 1,000 matches, 83 ms).
        with _bitmaps_only(self._conn):
            rows = self._conn.execute(f"{self._indexed} AND id < ? ORDER BY id DESC LIMIT ?",
                                      self._indexed_params + [self._top, wanted]).fetchall()
        if rows:
            self._top = rows[-1][0]
        if len(rows) < wanted:
            self._done = True
        return rows

    def fetchmany(self, size: int) -> list:
        if len(self._buffer) < size and not self._done:
            # each read twice the last: a reader that went on once is likely to go on again
            wanted = min(size << min(self._reads, 4), self._left)
            self._reads += 1
            rows: list = []
            while len(rows) < wanted and not self._done:
                read = (self._walk if self._walking else self._from_index)(wanted - len(rows))
                rows += read
                self._left -= len(read)
                if self._left <= 0:
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


@contextmanager
def _bitmaps_only(conn) -> Iterator[None]:
    """The reads inside through index bitmaps (GIN, or ANDed with the id index), not a walk of the id
    index nor a scan of the table: the planner takes a row's ``@@`` or ``ILIKE`` as almost free, and
    walks or scans where reading the matches would be cheaper (a seq scan of the reports for a common
    word's first 600 matches: 9.7k bodies' word lists read, 277 ms). In a read transaction of its
    own, so the settings end with it; inside a caller's transaction they would outlive the reads,
    so the planner chooses there."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN DEFERRED")  # a reader: no write lock (db/backends/postgresql.py)
    try:
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute("SET LOCAL enable_indexscan = off")
        yield
    finally:
        conn.execute("COMMIT")  # after an error, PostgreSQL rolls back


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
