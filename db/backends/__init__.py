"""The database engines behind the store: SQLite (db/connection.py, the default) and PostgreSQL
(postgresql.py, loaded only when a ``postgresql://`` URL is opened)."""

from __future__ import annotations

URL_SCHEMES = ("postgresql://", "postgres://")


def is_postgresql_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)
