"""Read and flagged are two facts (issue 18): a flag stays when a report is marked read or new,
flagging does not read a report, and a file flagged before the change keeps its flags."""

from __future__ import annotations

import json

import pytest

from db.cli import EXIT_OK, main
from db.schema import MIGRATIONS, SCHEMA_VERSION, V_READ_AND_FLAGGED
from db.store import ReportFilter, Store

from .factories import seeded_store
from .test_migrations import file_at_version

pytestmark = pytest.mark.both_backends


def test_marking_read_or_new_keeps_the_flag_and_flagging_keeps_the_status(store_target):
    store = seeded_store(store_target)
    first = store.list_reports()[0].id
    store.set_status([first], "flagged")
    report = store.get_report(first)
    assert report.flagged and report.status == "new"
    store.set_status([first], "read")
    assert store.get_report(first).flagged and store.get_report(first).status == "read"
    store.set_status([first], "new")
    assert store.get_report(first).flagged
    assert store.status_counts() == {"new": 3, "read": 0, "flagged": 1, "dismissed": 0}
    assert [r.id for r in store.list_reports(ReportFilter(statuses=("flagged",)))] == [first]
    assert len(store.list_reports(ReportFilter(statuses=("new",)))) == 3
    assert [r.id for r in store.list_reports(ReportFilter(statuses=("read", "flagged")))] == [first]
    store.set_flagged([first], False)
    assert not store.get_report(first).flagged
    assert store.undo() == "flag of report " + str(first)
    assert store.get_report(first).flagged
    store.close()


@pytest.mark.sqlite_only("an SQLite file at an old version; PostgreSQL's upgrade: test_pg_backend.py")
def test_a_file_flagged_before_the_change_keeps_its_flags(tmp_path):
    path = tmp_path / "old.db"
    conn = file_at_version(path, MIGRATIONS.index(V_READ_AND_FLAGGED))
    for n, status in enumerate(("new", "flagged", "read", "dismissed"), start=1):
        conn.execute("INSERT INTO reports (title, imported_at, sort_key, body, format, content_hash, status) "
                     "VALUES (?, 'now', ?, 'Body.', 'text', ?, ?)", (f"R{n}", f"2024-06-0{n}", f"h{n}", status))
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.backup_made is not None and store.backup_made.exists()
        rows = {r.title: (r.status, r.flagged) for r in store.list_reports()}
        assert rows == {"R1": ("new", False), "R2": ("read", True), "R3": ("read", False), "R4": ("dismissed", False)}


def test_the_cli_flags_unflags_and_shows_both(store_target, capsys):
    seeded_store(store_target).close()
    db = str(store_target)
    assert main(["--db", db, "grade", "--report", "1", "--status", "flagged"]) == EXIT_OK
    assert main(["--db", db, "grade", "--report", "1", "--status", "read"]) == EXIT_OK
    capsys.readouterr()
    assert main(["--db", db, "reports", "--status", "flagged", "--json"]) == EXIT_OK
    [row] = json.loads(capsys.readouterr().out)
    assert row["id"] == 1 and row["status"] == "read"
    assert main(["--db", db, "show", "1"]) == EXIT_OK
    assert "Status:      read, flagged" in capsys.readouterr().out
    assert main(["--db", db, "grade", "--report", "1", "--unflag"]) == EXIT_OK
    capsys.readouterr()
    assert main(["--db", db, "reports", "--status", "flagged", "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == []
