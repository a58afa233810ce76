"""Noticing what other connections commit, so open screens re-read: one number that moves when they do.

SQLite: ``PRAGMA data_version``, which changes whenever another connection commits to the file.

PostgreSQL: every change to a table an analyst sees sends ``NOTIFY analyst_tui_changes`` from a
trigger (db/backends/pg_search_schema.py), delivered when its transaction commits. A connection of
its own LISTENs (the store's connection may be inside a transaction, and notifications are read
off the socket without a query); the number counts the notifications sent by other sessions, not by
the store's own connection, as ``data_version`` ignores the connection's own commits. Reading it
costs no round trip to the server: what has arrived is taken from the socket.
"""

from __future__ import annotations

import threading

from .connection import dialect


class ChangeListener:
    """LISTENs on its own connection to the database at ``url``; ``own_pid`` is the backend of the
    store's connection, whose notifications are its own changes."""

    def __init__(self, url: str, own_pid: int) -> None:
        import psycopg

        from .backends.pg_search_schema import NOTIFY_CHANNEL

        self._url = url
        self._conn = psycopg.connect(url, autocommit=True, application_name="analyst-tui listen")
        self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        self._own_pid = own_pid
        self._count = 0
        self._lock = threading.Lock()  # the screen's timer and a worker may ask at once

    def version(self) -> int:
        import psycopg

        with self._lock:
            try:
                for notice in self._conn.notifies(timeout=0):
                    if notice.pid != self._own_pid:
                        self._count += 1
            except psycopg.Error:
                # The server went away: a reconnect LISTENs again, and anything missed meanwhile
                # counts as a change (the screen re-reads once too many, never once too few).
                self._reconnect()
                self._count += 1
            return self._count

    def _reconnect(self) -> None:
        import psycopg

        from .backends.pg_search_schema import NOTIFY_CHANNEL

        try:
            self._conn.close()
            self._conn = psycopg.connect(self._url, autocommit=True, application_name="analyst-tui listen")
            self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error:
            pass  # tried again at the next poll

    def close(self) -> None:
        self._conn.close()


def data_version(store) -> int:
    """Moves whenever another connection commits a change to the store's database."""
    conn = store.conn
    if dialect(conn) != "postgresql":
        return conn.execute("PRAGMA data_version").fetchone()[0]
    listener = getattr(store, "_change_listener", None)
    if listener is None:
        own_pid = conn.raw.info.backend_pid
        listener = store._change_listener = ChangeListener(conn.url, own_pid)
    return listener.version()


def close(store) -> None:
    listener = getattr(store, "_change_listener", None)
    if listener is not None:
        store._change_listener = None
        listener.close()
