"""Who is acting: the analyst every judgement and audit entry is recorded under.

On SQLite it is ``--analyst NAME``, else ``$ANALYST_TUI_ANALYST``, else the OS login. Each
connection answers it in SQL as ``current_analyst()`` (a function registered on the SQLite
connection; on PostgreSQL a function returning ``current_user``, the database login), so the
queries that read "my grade" are written once for both engines.
"""

from __future__ import annotations

import os

from .errors import InvalidValue
from .timeutil import current_user

ANALYST_ENV_VAR = "ANALYST_TUI_ANALYST"
MAX_ANALYST_LENGTH = 64


def default_analyst() -> str:
    """``$ANALYST_TUI_ANALYST``, else the OS login."""
    named = os.environ.get(ANALYST_ENV_VAR, "").strip()
    return clean_analyst(named) if named else current_user()


def clean_analyst(name: str) -> str:
    """An analyst's name as it is stored: one line of printable text, 1-64 characters."""
    text = " ".join(str(name).split())
    if not text:
        raise InvalidValue("an analyst needs a name")
    if len(text) > MAX_ANALYST_LENGTH:
        raise InvalidValue(f"an analyst's name has at most {MAX_ANALYST_LENGTH} characters")
    if any(not ch.isprintable() for ch in text):
        raise InvalidValue("an analyst's name cannot hold control characters")
    return text


def register(conn, analyst: str) -> None:
    """Answer ``current_analyst()`` on this SQLite connection (one analyst per connection)."""
    conn.create_function("current_analyst", 0, lambda: analyst, deterministic=True)
