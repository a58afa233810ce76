"""Where analyst-tui keeps its files (platformdirs), and how the user overrides it."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "analyst-tui"
DB_ENV_VAR = "ANALYST_TUI_DB"
CONFIG_ENV_VAR = "ANALYST_TUI_CONFIG"


def default_db_path() -> Path | str:
    """The database used when neither ``--db`` nor ``$ANALYST_TUI_DB`` names one."""
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return _location(env)
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "analyst.db"


def resolve_db_path(options) -> Path | str:
    """The database a command or the screen opens: ``--db``, else ``default_db_path()``. A file path,
    or a ``postgresql://`` URL kept as text (a Path would fold its "//")."""
    db = getattr(options, "db", None)
    return _location(db) if db else default_db_path()


def _location(text: str) -> Path | str:
    from .backends import is_postgresql_url

    return text if is_postgresql_url(text) else Path(text).expanduser()


def describe_location(location: Path | str) -> str:
    """Which backend a location is, in words: for ``analyst-tui where``."""
    from .backends import is_postgresql_url

    if not is_postgresql_url(location):
        state = "exists" if Path(location).exists() else "not created yet"
        return f"SQLite file ({state})"
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(str(location))
    host = parts.hostname or parse_qs(parts.query).get("host", ["the local socket"])[0]
    database = parts.path.lstrip("/") or "(the user's default)"
    user = parts.username or "(the login's name)"
    return f"PostgreSQL database {database} on {host}, as {user}"


def config_path() -> Path:
    env = os.environ.get(CONFIG_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.json"


def demo_corpus_dir() -> Path:
    """The bundled demo reports: inside the installed package, or ``seeds/`` in a source checkout."""
    packaged = Path(__file__).resolve().parent / "demo_seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "seeds"
