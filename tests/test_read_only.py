"""Databases that can be read but not written, and paths that are no database file. Issue 17,
class 7. Tests run as root, whom permission bits do not stop: a folder the analyst cannot write
is simulated by making ``is_read_only`` say so (what ``os.access`` says for another user)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from db import connection
from db.cli import EXIT_OK, EXIT_USAGE, main
from db.errors import StoreError
from db.store import Store

from .factories import seeded_store


@pytest.fixture
def read_only_db(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "a folder? with #odd% names"
    folder.mkdir()
    path = folder / "case.db"
    seeded_store(path).close()
    import sqlite3

    checkpoint = sqlite3.connect(path)  # as the last writer's close leaves it: the WAL in the file
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.close()
    monkeypatch.setattr(connection, "is_read_only", lambda path: True)
    return path


def test_a_read_only_database_is_read_and_changes_are_refused_in_one_line(read_only_db, capsys):
    for args in (["reports"], ["show", "1"], ["search", "hamas"], ["entities"], ["history"], ["check"],
                 ["export", "--format", "json"]):
        assert main(["--db", str(read_only_db), *args]) == EXIT_OK, args
    capsys.readouterr()
    assert main(["--db", str(read_only_db), "grade", "--report", "1", "--status", "read"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err == "analyst-tui: the database is read-only: changes cannot be saved\n"


def test_a_wal_database_whose_shm_cannot_be_created_is_opened_immutable(read_only_db, monkeypatch):
    """``mode=ro`` on a WAL database needs its -shm file, which SQLite cannot create in a folder
    the analyst cannot write: simulated by failing the first, plain read-only open."""
    import sqlite3

    real_connect = sqlite3.connect
    uris = []

    def connect(target, *args, **kwargs):
        uris.append(target)
        conn = real_connect(target, *args, **kwargs)
        if "immutable=1" not in str(target) and kwargs.get("uri"):
            conn.close()
            return CannotRead()
        return conn

    monkeypatch.setattr(connection, "sqlite3", _sqlite_with(connect))
    with Store.open(read_only_db) as store:
        assert store.read_only and store.count_reports() > 0
    assert any("immutable=1" in str(u) for u in uris)


def test_immutable_is_not_used_when_the_wal_holds_changes(read_only_db, monkeypatch):
    import sqlite3

    writer = sqlite3.connect(read_only_db)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE reports SET status = 'read'")
    writer.commit()
    real_connect = sqlite3.connect

    def connect(target, *args, **kwargs):
        if "immutable=1" not in str(target) and kwargs.get("uri"):
            return CannotRead()
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(connection, "sqlite3", _sqlite_with(connect))
    try:
        with pytest.raises(StoreError, match="writable folder"):
            Store.open(read_only_db)
    finally:
        writer.close()


def _sqlite_with(connect):
    """sqlite3 as db/connection.py sees it, with another connect (the rest of the process keeps its own)."""
    import sqlite3
    import types

    module = types.ModuleType("sqlite3")
    module.__dict__.update(sqlite3.__dict__)
    module.connect = connect
    return module


class CannotRead:
    """A connection whose first read fails as SQLite's does when it cannot create the -shm file."""

    def execute(self, *args):
        import sqlite3

        raise sqlite3.OperationalError("unable to open database file")

    def close(self) -> None:
        pass


@pytest.mark.parametrize("target", ["/dev/null", "fifo"])
def test_a_path_that_is_no_regular_file_is_refused_before_sqlite_touches_it(tmp_path, target, capsys):
    if target == "fifo":
        path = tmp_path / "pipe.db"
        os.mkfifo(path)
    else:
        path = Path(target)
    beside = [Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")]
    existed = {p for p in beside if p.exists()}
    result = []
    runner = threading.Thread(target=lambda: result.append(main(["--db", str(path), "reports"])), daemon=True)
    runner.start()
    runner.join(20)
    assert result == [EXIT_USAGE], "refused at once, never blocked on the FIFO"
    assert "not a regular file" in capsys.readouterr().err
    assert {p for p in beside if p.exists()} == existed


def test_the_screen_says_read_only(read_only_db, make_tui_app):
    import asyncio

    async def run():
        store = Store.open(read_only_db)
        app = make_tui_app(store)
        async with app.run_test() as pilot:
            await pilot.pause()
            assert app.sub_title == "read-only"
            assert any("read-only" in str(n.message) for n in app._notifications)
        store.close()

    asyncio.run(run())


def test_store_open_refuses_a_device(tmp_path):
    with pytest.raises(StoreError, match="not a regular file"):
        Store.open("/dev/null")
