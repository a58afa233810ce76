"""Where analyst-tui keeps its files (platformdirs), and how the user overrides it."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "analyst-tui"
DB_ENV_VAR = "ANALYST_TUI_DB"
CONFIG_ENV_VAR = "ANALYST_TUI_CONFIG"


def default_db_path() -> Path:
    """The database used when neither ``--db`` nor ``$ANALYST_TUI_DB`` names one."""
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "analyst.db"


def resolve_db_path(options) -> Path:
    """The database a command or the screen opens: ``--db``, else ``default_db_path()``."""
    db = getattr(options, "db", None)
    return Path(db).expanduser() if db else default_db_path()


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
