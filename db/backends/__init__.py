"""The database engines behind the store: SQLite (db/connection.py, the default) and PostgreSQL
(postgresql.py, loaded only when a ``postgresql://`` URL is opened)."""

from __future__ import annotations

URL_SCHEMES = ("postgresql://", "postgres://")


def is_postgresql_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def redact(location: str) -> str:
    """A URL without its password, for messages and ``where``; a path as it is."""
    if not is_postgresql_url(location):
        return location
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(location)
    if parts.password is None:
        return location
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))
