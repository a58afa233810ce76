"""Opening files: every earlier schema version upgrades without loss; bad files are refused untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from db.errors import NewerSchemaError, StoreError
from db.schema import SCHEMA_VERSION
from db.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.db")))
def test_earlier_versions_open_with_everything_kept(tmp_path, fixture):
    path = tmp_path / "old.db"
    shutil.copy(fixture, path)
    version = int(fixture.stem.split("_v")[1])
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        if version < SCHEMA_VERSION:
            assert store.backup_made is not None and store.backup_made.exists()
        assert store.integrity_check() == "ok"
        assert store.count_reports() == 3
        report = store.get_report(1)
        assert report.reliability == "B" and report.status == "read" and report.tags == ["baghdad"]
        claims = store.claims_for_report(1)
        assert [c.credibility for c in claims[:2]] == [3, 3]
        assert claims[0].stance == "supports"
        assert claims[1].note == "PR only, per the source"
        assert len(store.history(limit=1000)) >= 6
        assert store.undo() is not None  # the audit log still drives undo after the upgrade


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE something(x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NewerSchemaError, match="newer"):
        Store.open(path)
    assert digest(path) == before


def test_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    before = digest(path)
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store.open(path)
    assert digest(path) == before


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine(x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an analyst-tui database"):
        Store.open(path)


def test_folder_and_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "missing" / "a.db")


def test_read_only_database_opens_for_reading(tmp_path, monkeypatch):
    from db import connection

    path = tmp_path / "ro.db"
    seeded = Store.open(path)
    seeded.close()
    before = digest(path)
    # root may write anything, so the test says "not writable" the way the OS would for a user
    monkeypatch.setattr(connection, "is_read_only", lambda p: True)
    with Store.open(path) as store:
        assert store.read_only and store.count_reports() == 0
        with pytest.raises(StoreError, match="read-only"):
            store.set_setting("x", 1)
    assert digest(path) == before


def test_full_disk_is_a_clear_error_and_nothing_is_half_written(tmp_path):
    from tests.factories import add_report

    store = Store.open(tmp_path / "full.db")
    add_report(store, title="first", body="first\nA first report body with a claim, officials said.")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
    with pytest.raises(StoreError, match="full"):
        add_report(store, title="second", body="second\n" + "A long body that needs new pages. " * 3000)
    assert store.count_reports() == 1
    assert store.integrity_check() == "ok"
    store.close()


def test_read_only_flag_refuses_writes_even_for_root(tmp_path):
    path = tmp_path / "ro.db"
    Store.open(path).close()
    store = Store.open(path)
    store.read_only = True
    with pytest.raises(StoreError, match="read-only"):
        store.set_status([1], "read")
    store.close()


def file_at_version(path: Path, version: int) -> sqlite3.Connection:
    """A new database file as schema ``version`` made it, open for the test to fill."""
    from db.schema import MIGRATIONS, _statements

    conn = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:version], start=1):
        for statement in _statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    return conn


def test_version_2_gains_split_names_and_keeps_every_decision(tmp_path):
    path = tmp_path / "v2.db"
    conn = file_at_version(path, 2)
    conn.execute("INSERT INTO entity_decisions VALUES ('hania', 'hania ismail', 'merge', '2024-06-01T00:00:00Z')")
    conn.execute("INSERT INTO entity_decisions VALUES ('ali baghiri', 'ali baghiri kani', 'split', '2024-06-02T00:00:00Z')")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
        assert store.backup_made is not None and store.backup_made.exists()
        assert store.conn.execute("SELECT * FROM entity_decisions ORDER BY key_a").fetchall() == [
            ("ali baghiri", "ali baghiri kani", "split", "2024-06-02T00:00:00Z"),
            ("hania", "hania ismail", "merge", "2024-06-01T00:00:00Z")]
        assert store.conn.execute("SELECT count(*) FROM entity_name_decisions").fetchone()[0] == 0
        with store.write():
            store.conn.execute("INSERT INTO entity_name_decisions VALUES ('a', 'b', 'split', 'now')")
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute("INSERT INTO entity_name_decisions VALUES ('a', 'c', 'maybe', 'now')")


def test_version_3_gains_the_title_index_that_search_reads_titles_from(tmp_path):
    from db.search_pg import SqliteSearchSql

    TITLES_BY_ID = SqliteSearchSql.TITLES_BY_ID

    path = tmp_path / "v3.db"
    conn = file_at_version(path, 3)
    conn.execute("INSERT INTO reports (title, imported_at, sort_key, body, format, content_hash) "
                 "VALUES ('Hamas office in Baghdad', 'now', '2024-06-01', 'Body.', 'text', 'h1')")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
        assert store.conn.execute(TITLES_BY_ID.format("?"), [1]).fetchall() == [(1, "2024-06-01", "Hamas office in Baghdad")]
        plan = " ".join(row[-1] for row in store.conn.execute("EXPLAIN QUERY PLAN " + TITLES_BY_ID.format("?, ?"), [1, 2]))
        assert "COVERING INDEX reports_titles" in plan
