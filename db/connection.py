"""Opening SQLite the way every analyst-tui process must: WAL, foreign keys, a busy timeout,
explicit transactions that retry instead of surfacing "database is locked".

Each thread opens its own connection (sqlite3 objects must not cross threads).
"""

from __future__ import annotations

import random
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

from .errors import StoreError

BUSY_TIMEOUT_MS = 5_000
# A writer that still finds the file locked after this long gives up with a clear message.
WRITE_RETRY_SECONDS = 60.0
SQLITE_MAGIC = b"SQLite format 3\x00"


def check_path(path: Path) -> None:
    """Refuse paths that cannot hold a database, with a message that names the problem."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file; give a file path with --db")
    if not path.parent.exists():
        raise StoreError(f"the folder {path.parent} does not exist; create it or choose another --db path")
    if not path.parent.is_dir():
        raise StoreError(f"{path.parent} is a file, not a folder; choose another --db path")
    if path.exists() and not path.is_file():
        # /dev/null, a FIFO, a socket: SQLite would create "/dev/null-journal" beside it, or block
        raise StoreError(f"{path} is not a regular file (a device, a FIFO or a socket); give a database file")
    if path.exists():
        if path.stat().st_size == 0:
            return
        try:
            with open(path, "rb") as handle:
                head = handle.read(16)
        except PermissionError as exc:
            raise StoreError(f"cannot read {path}: permission denied") from exc
        if head != SQLITE_MAGIC:
            raise StoreError(f"{path} is not an SQLite database (it starts with {head[:8]!r}); nothing was changed")


def is_read_only(path: Path) -> bool:
    import os

    if path.exists():
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    return not os.access(path.parent, os.W_OK)


def connect(path: Path | str, *, read_only: bool = False, analyst: str | None = None) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are opened explicitly by :func:`transaction`.
    It answers ``current_analyst()`` with ``analyst`` (default: :func:`db.analyst.default_analyst`)."""
    from .analyst import default_analyst, register

    target = str(path)
    try:
        if read_only:
            conn = connect_read_only(Path(target))
        else:
            conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        register(conn, analyst or default_analyst())
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only and target != ":memory:":
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"could not switch {path} to WAL mode (got {mode})")
        # NORMAL is durable in WAL mode except for the last transactions on power loss;
        # an application crash (SIGKILL) loses nothing that was committed.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -32000")  # 32 MB page cache per connection
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection:
    """Read-only, without writing anything beside the file. In a folder the analyst cannot write,
    a WAL database whose -shm file is missing cannot be opened "mode=ro" (SQLite would have to
    create it): it is then opened immutable, which reads the file as it is on disk."""
    from urllib.parse import quote

    uri = "file:" + quote(str(path.resolve()))  # a "?" or "#" in a folder name is not a URI's
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # immutable reads the main file only: the changes still in the WAL would be missed
        raise StoreError(f"{path} cannot be read here: its latest changes are in {wal.name}, which needs a "
                         "writable folder to be read; copy the folder somewhere writable")
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def dialect(conn) -> str:
    """"sqlite" or "postgresql": the few places where the engines must differ branch on it, once per concern."""
    return getattr(conn, "dialect", "sqlite")


# WAL pages after which a bulk writer's commit copies the WAL back into the database file (SQLite's
# default: 1,000 pages, ~4 MB). An import commits twice a second; at the default each checkpoint
# wrote and synced the same index pages over and over: an import of 8,000 reports ran at 98 reports/s
# with it, 103-104 with 10,000 (bench/RESULTS.md). The WAL then grows to ~40 MB before it is copied.
BULK_WAL_PAGES = 10_000


@contextmanager
def bulk_writing(conn: sqlite3.Connection) -> Iterator[None]:
    """Fewer, larger WAL checkpoints while many reports are written (SQLite; nothing on PostgreSQL).
    The connection's own setting is restored after."""
    if dialect(conn) != "sqlite":
        yield
        return
    before = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    conn.execute(f"PRAGMA wal_autocheckpoint = {max(int(before), BULK_WAL_PAGES)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction. ``BEGIN IMMEDIATE`` takes the write lock up front, so two
    processes never deadlock upgrading read locks; a busy file is retried with backoff.
    On PostgreSQL, the connection's own (one advisory lock for writers, see db/backends/postgresql.py)."""
    if dialect(conn) == "postgresql":
        with conn.write_transaction():
            yield conn
        return
    if conn.in_transaction:  # nested use joins the outer transaction
        yield conn
        return
    deadline = time.monotonic() + WRITE_RETRY_SECONDS
    delay = 0.01
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise _friendly(exc) from exc
            time.sleep(delay + random.random() * delay)
            delay = min(delay * 2, 0.5)
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        while True:
            try:
                conn.execute("COMMIT")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise _friendly(exc) from exc
                time.sleep(delay)


def _friendly(exc: sqlite3.OperationalError) -> StoreError:
    text = str(exc)
    if _is_busy(exc):
        return StoreError("another analyst-tui process kept the database busy for over a minute; try again")
    if "readonly" in text.replace(" ", "").lower() or "read-only" in text.lower():
        return StoreError("the database is read-only here: changes cannot be saved")
    if "disk is full" in text.lower() or "full" in text.lower():
        return StoreError("the disk is full: the change was not saved and the database is unchanged")
    return StoreError(f"database error: {text}")
