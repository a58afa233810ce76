"""One database role per analyst on PostgreSQL (the analyst is the login: the audit log's ``who``).

What an administrator does by hand (README, "For the administrator"), as a function for the tests and
the benchmarks: a login role with the rights to read and write the corpus's tables, and none to
change or remove what the audit log holds.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urlsplit, urlunsplit

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grant_statements(role: str) -> list[str]:
    if not ROLE_NAME.fullmatch(role):
        raise ValueError(f"{role!r} is not a plain role name (lower-case letters, digits, _)")
    return [f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role}"]


def ensure_analyst_role(owner_url: str, role: str) -> str:
    """Create the login ``role`` if the server has none, give it an analyst's rights on the database
    ``owner_url`` names (connecting as its owner or a superuser), and return the URL as ``role``."""
    import psycopg

    statements = grant_statements(role)
    with psycopg.connect(owner_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            with contextlib.suppress(psycopg.errors.DuplicateObject):  # another process created it meanwhile
                conn.execute(f"CREATE ROLE {role} LOGIN")
        for statement in statements:
            conn.execute(statement)
    return url_as(owner_url, role)


def url_as(url: str, role: str) -> str:
    """The same database URL logging in as ``role`` (no password: libpq's ~/.pgpass or trust)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))
