"""Shared fixtures: small stores written through the store's API (with hand-made extractions,
so tests do not depend on the extractor's quality), the demo corpus, hostile text, and a
machine without a system clipboard."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from db.store import Store

from .backends import backends_of
from .factories import fill_hostile, fill_sample


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "analyst.db"


@pytest.fixture(scope="session")
def pg_url():
    """The URL of a PostgreSQL server for the session: ``$ANALYST_TUI_TEST_PG``, else a throw-away
    server started here (tests/pg_server.py). Skips, saying why, where none can start."""
    from . import pg_server

    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg: pip install 'psycopg[binary]'")
    if os.environ.get(pg_server.ENV_VAR):
        yield os.environ[pg_server.ENV_VAR]
        return
    try:
        folder, url = pg_server.start()
    except pg_server.NoServer as exc:
        pytest.skip(f"no PostgreSQL server could be started: {exc}")
    try:
        yield url
    finally:
        pg_server.stop(folder)


@pytest.fixture(scope="session")
def pg_template(pg_url):
    """A database migrated once per session; each test's database is a copy of it (~0.1 s)."""
    from . import pg_server

    name = f"analyst_tui_template_{os.getpid()}"
    url = pg_server.fresh_database(pg_url, name)
    Store.open(url).close()
    yield name
    pg_server.drop_database(pg_url, name)


@pytest.fixture
def pg_database(pg_url, pg_template, request):
    """The URL of an empty, migrated analyst-tui database of the test's own on PostgreSQL."""
    from . import pg_server

    name = f"analyst_tui_{os.getpid()}_{next(_pg_numbers)}"
    url = pg_server.fresh_database(pg_url, name, template=pg_template)
    yield url
    pg_server.drop_database(pg_url, name)


_pg_numbers = itertools.count(1)


def pytest_generate_tests(metafunc):
    """``backend``: both backends, unless the test is marked ``sqlite_only`` (UI tests, and what is
    SQLite's by nature: files, PRAGMAs, FTS5), or lives in a module not yet run on PostgreSQL."""
    if "backend" in metafunc.fixturenames:
        backends = backends_of(metafunc.definition)
        if len(backends) > 1:  # SQLite alone: no parameter, so test ids (and snapshot names) stay as they were
            metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def store_target(backend: str, db_path: Path, request) -> Path | str:
    """Where the test's store lives: a file (so worker threads can open their own connection), or,
    for the ``postgresql`` parameter, the URL of a PostgreSQL database of the test's own."""
    return request.getfixturevalue("pg_database") if backend == "postgresql" else db_path


@pytest.fixture
def store(store_target):
    """An empty store (see ``store_target``)."""
    with Store.open(store_target) as opened:
        yield opened


@pytest.fixture
def sample_store(store: Store):
    """Three small reports with hand-made claims and entities and an active hypothesis.
    ``sample_store.ids`` maps "wire", "shafaq", "akhbar" to report ids."""
    store.ids = fill_sample(store)
    return store


@pytest.fixture
def hostile_store(sample_store: Store):
    """The sample plus one report whose every field is hostile; ``hostile_store.hostile_id``."""
    sample_store.hostile_id = fill_hostile(sample_store)
    return sample_store


@pytest.fixture
def demo_store(store: Store):
    """The real demo corpus (``seeds/``), imported with the real extractor."""
    from db.paths import demo_corpus_dir

    folder = demo_corpus_dir()
    if not folder.is_dir() or not any(folder.iterdir()):
        pytest.skip("no demo corpus in seeds/")
    from db.demo import import_demo

    import_demo(store)
    return store


@pytest.fixture
def no_system_clipboard(monkeypatch):
    """pyperclip behaves as on a machine with no xclip, xsel or wl-copy."""
    import pyperclip

    def fail(_text):
        raise pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism for your system.")

    monkeypatch.setattr(pyperclip, "copy", fail)


@pytest.fixture
def system_clipboard(monkeypatch):
    """pyperclip works; what it was given is in the returned list."""
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    return copied


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch) -> Path:
    """A settings file of its own for the test (also through $ANALYST_TUI_CONFIG)."""
    path = tmp_path / "config.json"
    monkeypatch.setenv("ANALYST_TUI_CONFIG", str(path))
    return path


@pytest.fixture
def make_tui_app(config_file: Path):
    """Build the triage app over a store: ``make_tui_app(store, keymap={...})``."""

    def make(store: Store, **config_fields):
        from tui.app import AnalystApp
        from tui.config import Config

        config = Config.load(config_file)
        for key, value in config_fields.items():
            setattr(config, key, value)
        return AnalystApp(store, config=config, cursor_blink=False)

    return make


@pytest.fixture
def no_proxy(monkeypatch):
    """A proxy from the environment must not see the test server's requests (nor send them elsewhere)."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server(no_proxy):
    """A feed server on 127.0.0.1 for one test (the environment's proxies set aside)."""
    from .feed_server import FeedServer

    with FeedServer() as running:
        yield running
