"""Moving a corpus between backends: ``analyst-tui copy --from analyst.db --to postgresql://...`` (and back).

Every table both databases have is copied row by row, in primary-key order, the tables a table
refers to first. Each batch is one transaction in the target, so a copy stopped anywhere (Ctrl+C,
a lost connection, a full disk) leaves whole batches behind, and the next run goes on from the
last row the target holds (a keyset on the primary key) instead of starting again. At the end
every table is verified: the row counts and a checksum of every row's values, read in the same
order on both sides, must be equal.

What is not copied: columns the target computes itself (PostgreSQL's generated ``tsvector``
columns, SQLite's FTS5 indexes: both are filled by the target as the rows arrive), and each
backend's own bookkeeping (SQLite's ``user_version``, PostgreSQL's ``schema_version``): the
target is migrated to the same schema by opening it. Ids are copied as they are, and
PostgreSQL's id sequences are moved past the largest id copied.

Both ends must be at the same schema version (opening them migrates them to this program's). The
source must not change while it is copied: a row added meanwhile is copied by the next run, one
changed is found by the verification.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .connection import dialect, transaction
from .errors import StoreError

BATCH_ROWS = 5000
TEXT_TYPES = ("text", "character varying", "character", "TEXT", "")


@dataclass
class Table:
    name: str
    columns: list[str]  # copied: in both databases, computed by neither
    key: list[str]  # primary key columns
    text_key: set[str] = field(default_factory=set)  # key columns holding text (ordered byte-wise)
    refers_to: set[str] = field(default_factory=set)  # other tables its foreign keys point at
    self_refs: list[str] = field(default_factory=list)  # columns pointing at rows of this table


@dataclass
class TableResult:
    name: str
    rows: int
    copied: int  # in this run
    source_checksum: str = ""
    target_checksum: str = ""
    target_rows: int = 0
    seconds: float = 0.0

    @property
    def verified(self) -> bool:
        return self.rows == self.target_rows and self.source_checksum == self.target_checksum


@dataclass
class CopyResult:
    tables: list[TableResult]
    seconds: float

    @property
    def verified(self) -> bool:
        return all(t.verified for t in self.tables)

    @property
    def copied(self) -> int:
        return sum(t.copied for t in self.tables)


# --- what each database holds (the one place the catalogs differ) -------------------------------------


def _sqlite_tables(conn) -> dict[str, Table]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    tables: dict[str, Table] = {}
    for name, _sql in rows:
        if name in virtual or any(name.startswith(v + "_") for v in virtual):
            continue  # FTS5 indexes and their shadow tables: the target builds its own
        info = conn.execute(f'PRAGMA table_xinfo("{name}")').fetchall()
        columns = [r[1] for r in info if r[6] == 0]  # hidden 0: stored columns
        key = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        text_key = {r[1] for r in info if r[5] and (r[2] or "").upper() in TEXT_TYPES}
        table = Table(name, columns, key, text_key)
        for fk in conn.execute(f'PRAGMA foreign_key_list("{name}")').fetchall():
            if fk[2] == name:
                table.self_refs.append(fk[3])
            else:
                table.refers_to.add(fk[2])
        tables[name] = table
    return tables


_PG_TABLES = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attgenerated <> '',
       coalesce(array_position(i.indkey::int2[], a.attnum) - array_lower(i.indkey::int2[], 1) + 1, 0)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
WHERE c.relkind IN ('r', 'p')
ORDER BY c.relname, a.attnum
"""

_PG_FOREIGN_KEYS = """
SELECT c.relname, r.relname, a.attname
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_class r ON r.oid = k.confrelid
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
WHERE k.contype = 'f'
"""


def _postgresql_tables(conn) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    keys: dict[str, list[tuple[int, str]]] = {}
    for table, column, type_, generated, key_position in conn.execute(_PG_TABLES).fetchall():
        entry = tables.setdefault(table, Table(table, [], []))
        if not generated:
            entry.columns.append(column)
        if key_position:
            keys.setdefault(table, []).append((key_position, column))
            if type_ in ("text",) or type_.startswith(("character", "varchar")):
                entry.text_key.add(column)
    for table, columns in keys.items():
        tables[table].key = [c for _, c in sorted(columns)]
    for table, referenced, column in conn.execute(_PG_FOREIGN_KEYS).fetchall():
        if table in tables:
            if referenced == table:
                tables[table].self_refs.append(column)
            else:
                tables[table].refers_to.add(referenced)
    return tables


BOOKKEEPING = {"schema_version"}  # each backend's own record of its migrations


def tables_of(conn) -> dict[str, Table]:
    found = _postgresql_tables(conn) if dialect(conn) == "postgresql" else _sqlite_tables(conn)
    return {name: table for name, table in found.items() if name not in BOOKKEEPING}


# --- reading in key order, the same order on both sides ------------------------------------------------


def _order(conn, table: Table) -> str:
    """The primary key order, byte-wise for text on both sides (SQLite's BINARY, PostgreSQL's "C")."""
    if dialect(conn) == "postgresql":
        return ", ".join(f'"{c}" COLLATE "C"' if c in table.text_key else f'"{c}"' for c in table.key)
    return ", ".join(f'"{c}"' for c in table.key)


def _after(conn, table: Table) -> str:
    columns = ", ".join(f'"{c}" COLLATE "C"' if (c in table.text_key and dialect(conn) == "postgresql") else f'"{c}"'
                        for c in table.key)
    marks = ", ".join("?" for _ in table.key)
    return f"({columns}) > ({marks})"


def _select(conn, table: Table, columns: list[str]) -> str:
    return "SELECT " + ", ".join(f'"{c}"' for c in columns) + f' FROM "{table.name}"'


def _rows_after(conn, table: Table, columns: list[str], after: tuple | None, limit: int) -> list[tuple]:
    sql = _select(conn, table, columns)
    params: list = []
    if after is not None:
        sql += " WHERE " + _after(conn, table)
        params += list(after)
    sql += f" ORDER BY {_order(conn, table)} LIMIT ?"
    return [tuple(r) for r in conn.execute(sql, params + [limit]).fetchall()]


def _last_key(conn, table: Table) -> tuple | None:
    order = ", ".join(f"{part} DESC" for part in _order(conn, table).split(", "))
    row = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in table.key)} FROM "{table.name}" '
                       f"ORDER BY {order} LIMIT 1").fetchone()
    return tuple(row) if row is not None else None


def _count(conn, name: str) -> int:
    return conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]


# --- writing ---------------------------------------------------------------------------------------------


def _write(conn, table: Table, columns: list[str], rows: list[tuple]) -> None:
    if dialect(conn) == "postgresql":
        raw = _raw(conn)
        names = ", ".join(f'"{c}"' for c in columns)
        import psycopg

        try:
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        except (psycopg.DataError, psycopg.IntegrityError) as exc:
            raise StoreError(f"{table.name}: a row from {rows[0][0]!r} on cannot be stored in PostgreSQL: "
                             f"{str(exc).strip()}") from exc
        return
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)


@contextmanager
def _without_row_triggers(conn, table: Table) -> Iterator[None]:
    """PostgreSQL: the rows are copied as they are, without the triggers written for the app's own
    writes (the rowid trigger moving the id sequence at every row: a third of the time of a copy;
    the change notifications). Foreign keys are constraints, not user triggers: they still hold.
    Inside the batch's transaction, so a copy stopped anywhere leaves them on."""
    if dialect(conn) != "postgresql":
        yield
        return
    conn.execute(f'ALTER TABLE "{table.name}" DISABLE TRIGGER USER')
    yield
    conn.execute(f'ALTER TABLE "{table.name}" ENABLE TRIGGER USER')


def _search_indexes(conn, table: Table) -> list[str]:
    if dialect(conn) != "postgresql":
        return []  # SQLite's FTS5 tables are filled by triggers, row by row
    from .backends.pg_search_schema import KEY_INDEXES, RETIRED_INDEXES, SEARCH_INDEXES

    return [sql for sql in SEARCH_INDEXES.get(table.name, []) + KEY_INDEXES.get(table.name, [])
            if _index_name(sql) not in RETIRED_INDEXES]


def _index_name(sql: str) -> str:
    return sql.split(" ON ")[0].split()[-1]


def _drop_search_indexes(conn, table: Table) -> None:
    """An empty table is filled without its GIN indexes, built at the end: several times faster than
    updating them row by row. A copy stopped before the end builds them when run again."""
    for sql in _search_indexes(conn, table):
        conn.execute(f'DROP INDEX IF EXISTS "{_index_name(sql)}"')


def _build_search_indexes(conn, table: Table) -> None:
    statements = _search_indexes(conn, table)
    if statements:
        conn.execute("SET maintenance_work_mem = '256MB'")
        for sql in statements:
            conn.execute(sql)


def _raw(conn):
    """The psycopg connection under the store's wrapper (COPY is psycopg's own API)."""
    return getattr(conn, "raw", conn)


def _move_sequences(conn, table: Table) -> None:
    """PostgreSQL: ids copied as they were; the sequence must hand out the next one after them."""
    if dialect(conn) != "postgresql" or table.key != ["id"]:
        return
    sequence = conn.execute("SELECT pg_get_serial_sequence(?, 'id')", (f'"{table.name}"',)).fetchone()[0]
    if sequence is not None:
        conn.execute(f'SELECT setval(?, max(id)) FROM "{table.name}" HAVING max(id) IS NOT NULL', (sequence,))


# --- checksums ---------------------------------------------------------------------------------------------


def _canonical(value) -> bytes:
    """One encoding per value whichever database read it (an integer is an integer on both, a REAL a float)."""
    if value is None:
        return b"\x00N"
    if isinstance(value, bool):
        return b"\x00i" + str(int(value)).encode()
    if isinstance(value, int):
        return b"\x00i" + str(value).encode()
    if isinstance(value, float):
        return b"\x00f" + repr(value).encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return b"\x00b" + bytes(value).hex().encode()
    if hasattr(value, "as_integer_ratio"):  # Decimal
        return b"\x00f" + repr(float(value)).encode()
    # NUL, which PostgreSQL text cannot hold, is stored there as U+2400 (db/backends/postgresql.py)
    return b"\x00s" + str(value).replace("\x00", "\u2400").encode("utf-8", "surrogatepass")


def checksum(conn, table: Table, columns: list[str], batch: int = 20_000, limit: int | None = None) -> tuple[int, str]:
    """(rows, sha256) of ``columns`` of every row (the first ``limit``), in key order."""
    digest = hashlib.sha256()
    count = 0
    after = None
    key_at = [columns.index(c) for c in table.key]
    while True:
        if limit is not None:
            batch = min(batch, limit - count)
            if batch <= 0:
                return count, digest.hexdigest()
        rows = _rows_after(conn, table, columns, after, batch)
        for row in rows:
            digest.update(b"".join(_canonical(v) for v in row) + b"\x01")
        count += len(rows)
        if len(rows) < batch:
            return count, digest.hexdigest()
        after = tuple(rows[-1][i] for i in key_at)


# --- the copy ----------------------------------------------------------------------------------------------


def _in_dependency_order(tables: dict[str, Table]) -> list[Table]:
    ordered: list[Table] = []
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done or name in path or name not in tables:
            return
        for other in sorted(tables[name].refers_to):
            visit(other, path + (name,))
        done.add(name)
        ordered.append(tables[name])

    for name in sorted(tables):
        visit(name, ())
    return ordered


Progress = Callable[[str, int, int], None]  # (table, rows in the target now, rows in the source)


def plan(source, target) -> list[Table]:
    """The tables to copy, the ones referred to first, each with the columns both sides store."""
    ours, theirs = tables_of(source), tables_of(target)
    missing = sorted(set(ours) - set(theirs))
    if missing:
        raise StoreError(f"the target has no table {', '.join(missing)}: are both at the same schema version?")
    tables = {}
    for name, table in ours.items():
        columns = [c for c in table.columns if c in theirs[name].columns]
        if not table.key:
            raise StoreError(f"table {name} has no primary key: it cannot be copied in order")
        tables[name] = Table(name, columns, table.key, table.text_key | theirs[name].text_key,
                             table.refers_to, [c for c in table.self_refs if c in columns])
    return _in_dependency_order(tables)


def copy_corpus(source_store, target_store, *, batch: int = BATCH_ROWS, progress: Progress | None = None,
                verify: bool = True) -> CopyResult:
    """Copy every row of ``source_store`` that ``target_store`` lacks, then verify both hold the same."""
    started = time.perf_counter()
    source, target = source_store.conn, target_store.conn
    _check_versions(source_store, target_store)
    results: list[TableResult] = []
    for table in plan(source, target):
        table_started = time.perf_counter()
        total = _count(source, table.name)
        have = _count(target, table.name)
        if have > total or (0 < have < total and checksum(source, table, table.columns, limit=have)
                            != checksum(target, table, table.columns)):
            raise StoreError(f"the target's {table.name} holds {have:,} rows that are not the first of the "
                             f"source's {total:,}: it is not a copy of this source (copy into an empty database)")
        copied = 0
        if have < total:
            if have == 0:
                _drop_search_indexes(target, table)
            copied = _copy_rows(source, target, table, total, have, batch, progress)
        _build_search_indexes(target, table)
        _restore_self_references(source, target, table)
        _move_sequences(target, table)
        result = TableResult(table.name, total, copied)
        if verify:
            result.rows, result.source_checksum = checksum(source, table, table.columns)
            result.target_rows, result.target_checksum = checksum(target, table, table.columns)
        else:
            result.target_rows = _count(target, table.name)
        result.seconds = time.perf_counter() - table_started
        results.append(result)
    return CopyResult(results, time.perf_counter() - started)


def schema_version(conn) -> int:
    if dialect(conn) == "postgresql":
        from .backends.pg_schema import current_version

        return current_version(conn.raw)
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _check_versions(source_store, target_store) -> None:
    ours, theirs = schema_version(source_store.conn), schema_version(target_store.conn)
    if ours != theirs:
        raise StoreError(f"the source is at schema version {ours}, the target at {theirs}; open both with "
                         "this analyst-tui first")


def _copy_rows(source, target, table: Table, total: int, have: int, batch: int,
               progress: Progress | None) -> int:
    after = _last_key(target, table)
    key_at = [table.columns.index(c) for c in table.key]
    self_at = [table.columns.index(c) for c in table.self_refs]
    copied = 0
    while True:
        rows = _rows_after(source, table, table.columns, after, batch)
        if not rows:
            break
        if self_at:  # a row may point at a later one: written without, restored once all are in
            rows = [tuple(None if i in self_at else v for i, v in enumerate(row)) for row in rows]
        with transaction(target), _without_row_triggers(target, table):
            _write(target, table, table.columns, rows)
        copied += len(rows)
        after = tuple(rows[-1][i] for i in key_at)
        if progress is not None:
            progress(table.name, have + copied, total)
        if len(rows) < batch:
            break
    return copied


def _restore_self_references(source, target, table: Table) -> None:
    for column in table.self_refs:
        key = table.key
        wanted = source.execute(
            f'SELECT {", ".join(chr(34) + c + chr(34) for c in key)}, "{column}" FROM "{table.name}" '
            f'WHERE "{column}" IS NOT NULL').fetchall()
        if not wanted:
            continue
        where = " AND ".join(f'"{c}" = ?' for c in key)
        with transaction(target):
            target.executemany(
                f'UPDATE "{table.name}" SET "{column}" = ? WHERE {where} AND ("{column}" IS NULL OR "{column}" <> ?)',
                [(row[-1], *row[:-1], row[-1]) for row in wanted])


def describe(result: CopyResult) -> Iterable[str]:
    """The summary lines the CLI prints."""
    for t in result.tables:
        state = "ok" if t.verified else "MISMATCH"
        yield (f"{t.name:28} {t.rows:>10,} rows  {t.copied:>10,} copied now  {t.seconds:7.1f} s  "
               f"{state}" + ("" if t.verified else f" (target {t.target_rows:,} rows, checksums "
                                                   f"{t.source_checksum[:12]} / {t.target_checksum[:12]})"))
