"""The PostgreSQL backend itself (issue 22): the dialect translation, the connection that looks like
sqlite3's, the schema's counterpart, and migrations run once under an advisory lock."""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.backends.pg_schema import ID_TABLES, PG_MIGRATIONS, TABLE_KEYS, primary_key
from db.backends.translate import translate
from db.errors import NewerSchemaError, StoreError
from db.schema import MIGRATIONS, SCHEMA_VERSION
from db.store import Store

from .factories import seeded_store

REPO = Path(__file__).resolve().parent.parent


def pg(sql: str) -> str:
    return translate(sql, primary_key, ID_TABLES).sql


# --- the translation (no server needed) ---------------------------------------------------------


def test_parameters_become_psycopg_ones_and_literals_are_left_alone():
    assert pg("SELECT id FROM reports WHERE title = ? AND body LIKE '%?%' AND id % 2 = ?") == (
        "SELECT id FROM reports WHERE title = %s AND body ILIKE '%%?%%' AND id %% 2 = %s")
    assert pg("SELECT 'it''s ?' , ?") == "SELECT 'it''s ?' , %s"


def test_insert_or_ignore_and_replace_become_on_conflict():
    assert pg("INSERT OR IGNORE INTO taggings(tag_id, target_kind, target_id) VALUES (?, ?, ?)") == (
        "INSERT INTO taggings(tag_id, target_kind, target_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING")
    assert pg("INSERT OR REPLACE INTO entity_decisions(key_a, key_b, decision, at) VALUES (?, ?, 'merge', ?)") == (
        "INSERT INTO entity_decisions(key_a, key_b, decision, at) VALUES (%s, %s, 'merge', %s) "
        'ON CONFLICT (key_a, key_b) DO UPDATE SET "decision" = EXCLUDED."decision", "at" = EXCLUDED."at"')
    assert pg("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)").endswith(
        'ON CONFLICT (key) DO UPDATE SET "value" = EXCLUDED."value"')


def test_sqlite_functions_and_operators_have_their_counterparts():
    assert pg("SELECT ifnull(a, 0), instr(b, 'x') FROM t") == "SELECT coalesce(a, 0), strpos(b, 'x') FROM t"
    assert pg("SELECT json_extract(chain, '$.speaker.name') FROM claims") == (
        "SELECT ((chain)::jsonb #>> '{speaker,name}') FROM claims")
    assert pg("SELECT name FROM sources ORDER BY name COLLATE NOCASE") == "SELECT name FROM sources ORDER BY lower(name)"
    assert pg("SELECT 1 WHERE a IS NOT ? AND b IS ? AND c IS NOT NULL AND d IS NULL") == (
        "SELECT 1 WHERE a IS DISTINCT FROM %s AND b IS NOT DISTINCT FROM %s AND c IS NOT NULL AND d IS NULL")
    assert pg("INSERT INTO main.reports(a) SELECT a FROM temp.staged") == (
        "INSERT INTO reports(a) SELECT a FROM pg_temp.staged RETURNING id")


def test_an_insert_into_a_table_with_ids_returns_its_id_once():
    translated = translate("INSERT INTO notes(target_kind, target_id, text, updated_at) VALUES (?, ?, ?, ?)",
                           primary_key, ID_TABLES)
    assert not translated.returns_id  # notes has no id
    translated = translate("INSERT INTO tags(name) VALUES (?)", primary_key, ID_TABLES)
    assert translated.returns_id and translated.sql.endswith(" RETURNING id")
    assert translate("INSERT INTO tags(name) VALUES (?)", primary_key, ID_TABLES) is translated  # cached


def test_the_schemas_are_one_for_one():
    assert len(PG_MIGRATIONS) == len(MIGRATIONS) == SCHEMA_VERSION
    assert {"reports", "claims", "entities", "sources", "audit_log", "tags"} <= ID_TABLES
    assert TABLE_KEYS["claim_stances"] == ("claim_id", "hypothesis_id", "analyst")  # V_TEAM rebuilt it


# --- on a server ------------------------------------------------------------------------------------

_FTS = ("_fts", "_trigram", "_vocab", "_data", "_idx", "_content", "_docsize", "_config")


def _sqlite_columns(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = {}
    for table in tables:
        if table.startswith("sqlite_") or any(part in table for part in _FTS):
            continue  # FTS5 and its shadow tables: search on PostgreSQL is its own concern
        found[table] = sorted(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
    conn.close()
    return found


def _pg_columns(store: Store) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table, column in store.conn.execute(
            # Not the generated tsvector columns of search (db/backends/pg_search_schema.py): the
            # counterpart of SQLite's FTS5 tables, computed by the server, never written
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name <> 'schema_version' AND is_generated = 'NEVER'"):
        found.setdefault(table, []).append(column)
    return {table: sorted(columns) for table, columns in found.items()}


def test_both_backends_end_with_the_same_tables_and_columns(tmp_path, pg_database):
    Store.open(tmp_path / "a.db").close()
    with Store.open(pg_database) as store:
        assert _pg_columns(store) == _sqlite_columns(tmp_path / "a.db")


def test_the_connection_reads_like_sqlite3(pg_database):
    store = seeded_store(pg_database)
    try:
        row = store.conn.execute("SELECT id, title FROM reports WHERE id = ?", (1,)).fetchone()
        assert row == (1, "Hamas to open media office in Baghdad") and row["title"] == row[1] and row.keys() == [
            "id", "title"]
        assert [r[0] for r in store.conn.execute("SELECT id FROM reports ORDER BY id")] == [1, 2, 3]
        assert store.conn.execute("SELECT group_concat(id, '|') FROM reports").fetchone()[0] == "1|2|3"
        assert store.conn.execute("SELECT sum(credibility), avg(credibility) FROM reports").fetchone() == (18, 6)
        with store.write() as conn:
            cursor = conn.execute("INSERT INTO tags(name) VALUES (?)", ("Urgent",))
            assert cursor.lastrowid and cursor.fetchone() is None
            # one tag whatever its case, as SQLite's COLLATE NOCASE
            assert conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", ("URGENT",)).rowcount == 0
            assert conn.execute("SELECT id FROM tags WHERE name = ?", ("urgent",)).fetchone()[0] == cursor.lastrowid
        with pytest.raises(sqlite3.IntegrityError), store.conn.write_transaction():
            store.conn.execute("INSERT INTO tags(name) VALUES (?)", ("urgent",))
        assert not store.conn.in_transaction  # rolled back
    finally:
        store.close()


@pytest.mark.both_backends
def test_ids_are_taken_as_sqlite_takes_them(store):
    with store.write() as conn:
        conn.execute("INSERT INTO tags(id, name) VALUES (?, ?)", (41, "a"))
        conn.execute("INSERT INTO tags(id, name) VALUES (?, ?)", (None, "b"))  # a NULL id is the next
        assert conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", ("B",)).rowcount == 0  # takes none
        assert conn.execute("INSERT INTO tags(name) VALUES (?)", ("c",)).lastrowid == 43
        conn.execute("DELETE FROM tags WHERE id = 43")
        assert conn.execute("INSERT INTO tags(name) VALUES (?)", ("d",)).lastrowid == 43  # the largest + 1 again
        conn.execute("INSERT INTO tags(name) SELECT 'e' || n FROM (SELECT 1 AS n UNION ALL SELECT 2) AS two")
        assert [r[0] for r in conn.execute("SELECT id FROM tags ORDER BY id")] == [41, 42, 43, 44, 45]


def test_a_newer_or_foreign_database_is_refused_untouched(pg_url):
    from . import pg_server

    newer = pg_server.fresh_database(pg_url, "analyst_tui_newer")
    foreign = pg_server.fresh_database(pg_url, "analyst_tui_foreign")
    try:
        Store.open(newer).close()
        import psycopg

        with psycopg.connect(newer, autocommit=True) as raw:
            raw.execute("INSERT INTO schema_version(version) VALUES (%s)", (SCHEMA_VERSION + 1,))
        with pytest.raises(NewerSchemaError, match="newer than this analyst-tui understands"):
            Store.open(newer)
        with psycopg.connect(foreign, autocommit=True) as raw:
            raw.execute("CREATE TABLE payroll (id int)")
        with pytest.raises(StoreError, match="not an analyst-tui database"):
            Store.open(foreign)
        with psycopg.connect(foreign, autocommit=True) as raw:
            assert raw.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 1
    finally:
        pg_server.drop_database(pg_url, "analyst_tui_newer")
        pg_server.drop_database(pg_url, "analyst_tui_foreign")


def test_a_server_that_cannot_be_reached_is_one_line():
    with pytest.raises(StoreError, match="cannot connect to postgresql://analyst:\\*\\*\\*@/nowhere"):
        Store.open("postgresql://analyst:hunter2@/nowhere?host=/nonexistent-folder")


def _open_and_report(url: str, started, results) -> None:
    from db.backends import pg_schema, postgresql

    conn = postgresql.connect(url)
    started.set()
    results.put(pg_schema.migrate(conn.raw))
    conn.close()


def test_two_clients_starting_together_migrate_once(pg_url):
    """Both wait on the lock; the first through migrates, the other finds the work done."""
    import psycopg

    from db.backends.pg_schema import MIGRATION_LOCK_KEY

    from . import pg_server

    url = pg_server.fresh_database(pg_url, "analyst_tui_race")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    try:
        with psycopg.connect(url, autocommit=True) as holder:
            holder.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
            events = [context.Event() for _ in range(2)]
            processes = [context.Process(target=_open_and_report, args=(url, e, results)) for e in events]
            for process in processes:
                process.start()
            assert all(e.wait(60) for e in events)
            time.sleep(1.0)
            assert results.empty()  # both are waiting on the lock
            holder.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
        for process in processes:
            process.join(60)
            assert process.exitcode == 0
        assert sorted([results.get(timeout=5), results.get(timeout=5)]) == [0, SCHEMA_VERSION]
        with psycopg.connect(url, autocommit=True) as raw:
            versions = [r[0] for r in raw.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
    finally:
        pg_server.drop_database(pg_url, "analyst_tui_race")


def test_the_sqlite_app_does_not_load_psycopg(tmp_path):
    code = ("import sys; from db.store import Store; Store.open(sys.argv[1]).close(); "
            "import tui.entry; print('psycopg' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "a.db")], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# clocks, random batch ids, and who: the OS login on SQLite, the database login on PostgreSQL (checked below)
VARYING = {"created_at", "imported_at", "sort_key", "at", "updated_at", "batch", "who"}


def _rows_by_table(store: Store, tables: dict[str, list[str]]) -> dict[str, list[tuple]]:
    from db.backends.postgresql import NUL_STORED_AS

    contents = {}
    for table, columns in tables.items():
        kept = [c for c in columns if c not in VARYING]
        quoted = ", ".join(f'"{c}"' for c in kept)
        rows = store.conn.execute(f"SELECT {quoted} FROM {table}").fetchall()
        contents[table] = sorted((tuple(v.replace("\x00", NUL_STORED_AS) if isinstance(v, str) else v for v in row)
                                  for row in rows), key=repr)
    return contents


def test_the_hostile_and_demo_corpora_are_stored_alike_on_both_backends(tmp_path, pg_database):
    """Every table, row for row, after the same imports (the real parsers and extractor, worker
    processes): the one difference is a NUL, which PostgreSQL text cannot hold (stored as U+2400)."""
    from db.backends.postgresql import NUL_STORED_AS
    from db.demo import import_demo
    from db.importer import import_paths

    from . import hostile

    folder = tmp_path / "inbox"
    hostile.write_hostile_files(folder)
    (folder / "one_line.txt").unlink()
    contents, outcomes = [], []
    for target in (tmp_path / "alike.db", pg_database):
        with Store.open(target) as store:
            outcomes.append(len(import_paths(store, [folder]).outcomes))
            import_demo(store)
            # which sources a claim relays depends on the sources known when its import batch was
            # written (batches close on time too): rebuilt from the whole store, it does not
            store.rebuild_families()
            contents.append(_rows_by_table(store, _sqlite_columns(tmp_path / "alike.db")))
            logged_by = {row[0] for row in store.conn.execute("SELECT DISTINCT who FROM audit_log")}
            assert logged_by == {store.analyst}
    on_sqlite, on_postgresql = contents
    assert outcomes[0] == outcomes[1] and len(on_sqlite["reports"]) > 200
    assert any(NUL_STORED_AS in value for row in on_sqlite["reports"] for value in row if isinstance(value, str))
    for table, rows in on_sqlite.items():
        assert on_postgresql[table] == rows, table


def test_an_upgrade_keeps_the_rows_and_moves_old_flags(pg_url):
    """The PostgreSQL counterpart of test_read_and_flagged's old file: rows written at the version
    before V_READ_AND_FLAGGED come through the upgrade, their flags moved to the new column."""
    import psycopg

    from db.backends import pg_schema
    from db.schema import V_READ_AND_FLAGGED

    from . import pg_server

    url = pg_server.fresh_database(pg_url, "analyst_tui_upgrade")
    try:
        with psycopg.connect(url, autocommit=True) as raw:
            assert pg_schema.migrate(raw, up_to=MIGRATIONS.index(V_READ_AND_FLAGGED)) == MIGRATIONS.index(
                V_READ_AND_FLAGGED)
            for n, status in enumerate(("new", "flagged", "read", "dismissed"), start=1):
                raw.execute("INSERT INTO reports (title, imported_at, sort_key, body, format, content_hash, status) "
                            "VALUES (%s, 'now', %s, 'Body.', 'text', %s, %s)", (f"R{n}", f"2024-06-0{n}", f"h{n}", status))
        with Store.open(url) as store:
            rows = {r.title: (r.status, r.flagged) for r in store.list_reports()}
            assert rows == {"R1": ("new", False), "R2": ("read", True), "R3": ("read", False),
                            "R4": ("dismissed", False)}
            assert store.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        pg_server.drop_database(pg_url, "analyst_tui_upgrade")


def test_check_says_what_is_wrong_on_postgresql(pg_database):
    with Store.open(pg_database) as store:
        assert store.integrity_check() == "ok"
        store.conn.raw.execute("ALTER TABLE claims ADD CONSTRAINT claims_short CHECK (length(text) < 5) NOT VALID")
        assert store.integrity_check() == "constraints not validated: claims_short"
