"""A psycopg 3 connection that looks to the store like the sqlite3 connection it was written for.

``execute(sql, params)`` takes the store's SQLite dialect (translated once per statement text, see
translate.py) and returns a cursor with fetchone/fetchall/iteration/rowcount/lastrowid; rows are
tuples that can also be read by column name, like sqlite3.Row. Errors come out as sqlite3's exception
classes, so the store's handling of them (``IntegrityError`` -> a refused change) holds on both.

Write transactions (``db.connection.transaction``) take one advisory lock, as SQLite's
``BEGIN IMMEDIATE`` takes the file's write lock: writers run one at a time (the store computes the
next ids of a batch inside its transaction), readers never wait.

Imported only when a PostgreSQL URL is opened: psycopg is not loaded by the SQLite app.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from ..errors import StoreError
from . import redact
from .pg_schema import ID_TABLES, WRITE_LOCK_KEY, primary_key
from .translate import translate

NUL_STORED_AS = "\u2400"
_CONTROL = {"BEGIN", "BEGIN IMMEDIATE", "BEGIN DEFERRED", "BEGIN EXCLUSIVE", "COMMIT", "END", "ROLLBACK"}


class _IntFromBool(Dumper):
    """SQLite stores True as 1: the columns are integers on both backends."""

    oid = psycopg.postgres.types["int8"].oid

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"


class _TextWithoutNul(Dumper):
    """PostgreSQL text cannot hold NUL, which SQLite keeps (a hostile file may carry one): it is stored
    as U+2400 (the symbol for NUL), one character for one, so every span still indexes the body."""

    oid = 0  # unknown, as psycopg sends text: the server casts it to the column's type

    def dump(self, obj: str) -> bytes:
        return obj.replace("\x00", NUL_STORED_AS).encode("utf-8")


class _NumberFromNumeric(Loader):
    """sum() and avg() of integers are NUMERIC here: give int or float, as SQLite does."""

    def load(self, data) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)


_ROW_CLASSES: dict[tuple[str, ...], type] = {}


def _row_class(names: tuple[str, ...]) -> type:
    """A tuple type whose items can also be read by column name (``row["title"]``, ``row.keys()``)."""
    cls = _ROW_CLASSES.get(names)
    if cls is None:
        index = {name: i for i, name in enumerate(names)}
        index.update({name.lower(): i for i, name in enumerate(names) if name.lower() not in index})

        def getitem(self, key, _get=tuple.__getitem__, _index=index):
            if isinstance(key, str):
                try:
                    return _get(self, _index[key] if key in _index else _index[key.lower()])
                except KeyError:
                    raise IndexError(f"No item with that key: {key!r}") from None
            return _get(self, key)

        cls = type("Row", (tuple,), {"__slots__": (), "__getitem__": getitem, "keys": lambda self: list(names)})
        _ROW_CLASSES[names] = cls
    return cls


def _rows(cursor):
    if cursor.description is None:
        return tuple
    cls = _row_class(tuple(d.name for d in cursor.description))
    return cls


def _as_sqlite_error(exc: psycopg.Error) -> sqlite3.Error:
    text = str(exc).strip()
    if isinstance(exc, (psycopg.IntegrityError, pg_errors.RaiseException)):
        return sqlite3.IntegrityError(text)
    if isinstance(exc, (pg_errors.LockNotAvailable, pg_errors.DeadlockDetected, pg_errors.SerializationFailure)):
        return sqlite3.OperationalError(f"database is locked: {text}")
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return sqlite3.OperationalError(f"attempt to write a readonly database: {text}")
    if isinstance(exc, pg_errors.DiskFull):
        return sqlite3.OperationalError(f"database or disk is full: {text}")
    if isinstance(exc, psycopg.InterfaceError):
        return sqlite3.ProgrammingError(text)
    return sqlite3.OperationalError(text)


class PgCursor:
    def __init__(self, cursor: psycopg.Cursor, returns_id: bool):
        self._cursor = cursor
        self.lastrowid: int | None = None
        self.rowcount = cursor.rowcount
        if returns_id:  # the RETURNING id the translation added is the insert's lastrowid, not a result
            returned = cursor.fetchall() if cursor.description is not None else []
            self.lastrowid = returned[-1][0] if returned else None
            self._cursor = None

    @property
    def description(self):
        if self._cursor is None or self._cursor.description is None:
            return None
        return tuple((d.name, None, None, None, None, None, None) for d in self._cursor.description)

    def fetchone(self):
        if self._cursor is None or self._cursor.description is None:
            return None
        return self._cursor.fetchone()

    def fetchall(self) -> list:
        if self._cursor is None or self._cursor.description is None:
            return []
        return self._cursor.fetchall()

    def fetchmany(self, size: int = 1) -> list:
        if self._cursor is None or self._cursor.description is None:
            return []
        return self._cursor.fetchmany(size)

    def __iter__(self) -> Iterator:
        return iter(self.fetchall())

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()


class PgConnection:
    """What the store calls on its connection, over one psycopg connection in autocommit mode."""

    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection, url: str):
        self.raw = raw
        self.url = url
        raw.adapters.register_dumper(bool, _IntFromBool)
        raw.adapters.register_dumper(str, _TextWithoutNul)
        raw.adapters.register_loader("numeric", _NumberFromNumeric)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence | dict = ()) -> PgCursor:
        control = " ".join(sql.split()).upper().rstrip(";")
        if control in _CONTROL:
            return self._control(control)
        translated = translate(sql, primary_key, ID_TABLES)
        cursor = self.raw.cursor(row_factory=_rows)
        try:
            cursor.execute(translated.sql, _params(params))
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc
        return PgCursor(cursor, translated.returns_id)

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence]) -> PgCursor:
        translated = translate(sql, primary_key, ID_TABLES)
        rows = [_params(p) for p in seq_of_params]
        cursor = self.raw.cursor()
        if rows:
            try:
                cursor.executemany(translated.sql.removesuffix(" RETURNING id") if translated.returns_id
                                   else translated.sql, rows)
            except psycopg.Error as exc:
                raise _as_sqlite_error(exc) from exc
        return PgCursor(cursor, False)

    def _control(self, control: str) -> PgCursor:
        try:
            if control.startswith("BEGIN"):
                self.raw.execute("BEGIN")
                if control != "BEGIN DEFERRED":  # IMMEDIATE / EXCLUSIVE / plain BEGIN: a writer
                    self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            elif control in ("COMMIT", "END"):
                self.raw.execute("COMMIT")
            else:
                self.raw.execute("ROLLBACK")
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc
        return PgCursor(self.raw.cursor(), False)

    @contextmanager
    def write_transaction(self) -> Iterator[PgConnection]:
        """One write transaction (the body of ``db.connection.transaction`` on PostgreSQL)."""
        if self.in_transaction:  # nested use joins the outer transaction
            yield self
            return
        self._control("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.in_transaction:
                self.raw.execute("ROLLBACK")
            raise
        else:
            self._control("COMMIT")

    def commit(self) -> None:
        if self.in_transaction:
            self._control("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self._control("ROLLBACK")

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _params(params):
    if params is None:
        return ()
    if isinstance(params, dict):
        raise StoreError("named parameters are not used by the store; give a sequence")
    return tuple(params)


def connect(url: str) -> PgConnection:
    """Connect to the PostgreSQL database at ``url`` (``postgresql://user@host/database``)."""
    try:
        raw = psycopg.connect(url, autocommit=True, application_name="analyst-tui")
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to {redact(url)}: {str(exc).strip()}") from exc
    return PgConnection(raw, url)
