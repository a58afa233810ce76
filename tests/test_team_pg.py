"""Team mode on PostgreSQL (issue 22): the analyst is the database login, the audit log is stamped
by the server (its login and its clock) and stays append-only, V_TEAM's upgrade keeps every value,
and one analyst's grade reaches another's open store through the live notifications."""

from __future__ import annotations

import json
import time

import psycopg
import pytest

from db.backends import pg_schema
from db.errors import StoreError
from db.schema import MIGRATIONS, SCHEMA_VERSION, V_TEAM
from db.store import Store

from . import pg_server
from .factories import fill_sample, run_cli


@pytest.fixture
def desk(pg_database):
    """The sample reports in a PostgreSQL database of the test's own, and alice's and bob's logins."""
    with Store.open(pg_database) as owner:
        ids = fill_sample(owner)
    return pg_database, ids, pg_server.analyst_url(pg_database, "alice"), pg_server.analyst_url(pg_database, "bob")


def test_the_audit_log_names_the_login_and_the_servers_clock_whatever_the_client_sends(desk):
    _, ids, alice_url, _ = desk
    with Store.open(alice_url) as alice:
        assert alice.analyst == "alice"
        alice.set_status([ids["wire"]], "read")
        alice.conn.execute("INSERT INTO audit_log(at, who, batch, action, target_kind, target_id) "
                           "VALUES ('1999-01-01T00:00:00Z', 'mallory', 'x', 'set', 'report', ?)", (ids["wire"],))
        rows = alice.conn.execute("SELECT who, at FROM audit_log ORDER BY id DESC LIMIT 2").fetchall()
        server_now = alice.conn.execute("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')").fetchone()[0]
    assert {row[0] for row in rows} == {"alice"}
    assert all(row[1].startswith(server_now) and row[1].endswith("Z") for row in rows)


def test_the_audit_log_cannot_be_changed_by_an_analyst_nor_by_its_owner(desk):
    owner_url, ids, alice_url, _ = desk
    with Store.open(alice_url) as alice:
        alice.set_status([ids["wire"]], "read")
    with psycopg.connect(alice_url, autocommit=True) as raw:
        for statement in ("UPDATE audit_log SET who = 'bob'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(statement)
    with psycopg.connect(owner_url, autocommit=True) as raw:  # the owner keeps the rights: the trigger refuses
        for statement in ("UPDATE audit_log SET who = 'bob'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                raw.execute(statement)
        assert raw.execute("SELECT count(*) FROM audit_log WHERE who = 'alice'").fetchone()[0] == 1


def test_another_analysts_name_than_the_login_is_refused(desk):
    _, _, alice_url, _ = desk
    with pytest.raises(StoreError, match="on PostgreSQL the analyst is the database login.*'alice', not 'bob'"):
        Store.open(alice_url, analyst="bob")
    with Store.open(alice_url, analyst="alice") as alice:
        assert alice.reopen().analyst == "alice"


def test_the_cli_refuses_another_analysts_name_and_acts_as_the_login(desk, capsys, monkeypatch):
    from db.analyst import ANALYST_ENV_VAR

    _, ids, alice_url, bob_url = desk
    monkeypatch.setenv(ANALYST_ENV_VAR, "")  # unset again after the test: --analyst sets it for the process
    code, out, err = run_cli(capsys, "--db", alice_url, "--analyst", "bob", "whoami")
    assert code == 2 and out == "" and "logs in as 'alice', not 'bob'" in err
    monkeypatch.setenv(ANALYST_ENV_VAR, "")
    assert run_cli(capsys, "--db", bob_url, "whoami")[1] == "bob\n"
    assert run_cli(capsys, "--db", bob_url, "grade", "--report", str(ids["wire"]), "--credibility", "2")[0] == 0
    assert run_cli(capsys, "--db", alice_url, "grade", "--report", str(ids["wire"]), "--credibility", "4")[0] == 0
    code, out, _ = run_cli(capsys, "--db", alice_url, "team", "--report", str(ids["wire"]))
    assert code == 0 and "DISPUTED (you are alice)" in out
    assert [line.split() for line in out.splitlines() if line.startswith("    ")] == [["alice", "4"], ["bob", "2"]]


def test_a_grade_reaches_a_colleagues_open_store_attributed_to_its_analyst(desk):
    _, ids, alice_url, bob_url = desk
    with Store.open(alice_url) as alice, Store.open(bob_url) as bob:
        claim = alice.claim_ids_for_report(ids["shafaq"])[0]
        before = alice.data_version()
        bob.set_claim_credibility([claim], 2)
        deadline = time.monotonic() + 2.0
        while alice.data_version() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alice.data_version() != before
        view = alice.team_view("claim", claim)
        assert view.judged[0].by_analyst == {"bob": 2}
        assert alice.history(limit=1)[0].who == "bob"


def test_the_upgrade_moves_each_value_to_who_set_it_and_keeps_them_all(pg_url):
    url = pg_server.fresh_database(pg_url, "analyst_tui_team_upgrade")
    try:
        with psycopg.connect(url, autocommit=True) as raw:
            before = MIGRATIONS.index(V_TEAM)
            assert pg_schema.migrate(raw, up_to=before) == before
            raw.execute("INSERT INTO sources(id, name, name_key, reliability, created_at) "
                        "VALUES (1, 'Wire', 'wire', 'C', 'now')")
            raw.execute("INSERT INTO reports (id, title, imported_at, sort_key, body, format, content_hash, "
                        "source_id, credibility) VALUES (1, 't1', 'now', '2024-06-01', 'Body text.', 'text', 'h1', 1, 2)")
            raw.execute("INSERT INTO claims (id, report_id, start, \"end\", text, credibility) "
                        "VALUES (1, 1, 0, 4, 'Body', 3)")
            raw.execute("INSERT INTO hypotheses(id, title, active, created_at) VALUES (1, 'H1', 1, 'now')")
            raw.execute("INSERT INTO claim_stances VALUES (1, 1, 'refutes')")
            raw.execute("INSERT INTO notes VALUES ('claim', 1, 'logged note', 'now')")
            raw.execute("INSERT INTO notes VALUES ('report', 1, 'unlogged note', 'now')")
            raw.execute("INSERT INTO ach_cells VALUES (1, 1, 'II')")
            for n, (who, kind, field, old, new) in enumerate((
                    ("alice", "source", "reliability", "F", "B"), ("bob", "source", "reliability", "B", "C"),
                    ("alice", "report", "credibility", 6, 2), ("alice", "claim", "credibility", 6, 3),
                    ("bob", "claim", "stance:1", None, "refutes"), ("alice", "claim", "note", None, "logged note"),
                    ("bob", "claim", "ach:1", None, "II")), start=1):
                raw.execute("INSERT INTO audit_log(id, at, who, batch, action, target_kind, target_id, field, old, new) "
                            "VALUES (%s, %s, %s, %s, 'set', %s, 1, %s, %s, %s)",
                            (n, f"2026-01-0{n}T00:00:00Z", who, f"b{n}", kind, field, json.dumps(old), json.dumps(new)))
        with Store.open(url) as owner:  # the owner's login migrates: an unlogged note becomes theirs
            rows = lambda sql: [tuple(r) for r in owner.conn.execute(sql).fetchall()]  # noqa: E731
            assert rows("SELECT max(version) FROM schema_version") == [(SCHEMA_VERSION,)]
            assert rows("SELECT source_id, analyst, reliability FROM source_grades") == [(1, "bob", "C")]
            assert rows("SELECT report_id, analyst, credibility FROM report_grades") == [(1, "alice", 2)]
            assert rows("SELECT claim_id, analyst, credibility FROM claim_grades") == [(1, "alice", 3)]
            assert rows("SELECT analyst, stance FROM claim_stances") == [("bob", "refutes")]
            assert rows("SELECT target_kind, analyst, text FROM notes ORDER BY target_kind") == [
                ("claim", "alice", "logged note"), ("report", "postgres", "unlogged note")]
            assert rows("SELECT analyst, consistency FROM ach_cells") == [("bob", "II")]
            assert rows("SELECT reliability FROM sources") == [("F",)]
            assert rows("SELECT credibility FROM reports") == [(6,)]
            assert rows("SELECT credibility FROM claims") == [(6,)]
            assert rows("SELECT count(*), min(who), max(who) FROM audit_log") == [(7, "alice", "bob")]  # as written
        with Store.open(pg_server.analyst_url(url, "alice")) as alice:
            assert alice.get_report(1).credibility == 2 and alice.get_claim(1).credibility == 3
            assert alice.get_claim(1).note == "logged note"
    finally:
        pg_server.drop_database(pg_url, "analyst_tui_team_upgrade")
