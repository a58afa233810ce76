"""V_TEAM on a file made at the version before it: every grade, stance and note is kept, each
moved to the analyst the audit log says set it (else the analyst opening the file)."""

from __future__ import annotations

import json

from db.schema import MIGRATIONS, SCHEMA_VERSION, V_TEAM
from db.store import Store

from .test_migrations import file_at_version


def _log(conn, entry_id, who, kind, target, field, old, new):
    conn.execute("INSERT INTO audit_log(id, at, who, batch, action, target_kind, target_id, field, old, new) "
                 "VALUES (?, ?, ?, ?, 'set', ?, ?, ?, ?, ?)",
                 (entry_id, f"2026-01-0{entry_id}T00:00:00Z", who, f"b{entry_id}", kind, target, field,
                  json.dumps(old), json.dumps(new)))


def test_grades_stances_and_notes_move_to_who_made_them_and_nothing_is_lost(tmp_path):
    path = tmp_path / "before-team.db"
    conn = file_at_version(path, MIGRATIONS.index(V_TEAM))
    conn.execute("INSERT INTO sources(id, name, name_key, reliability, created_at) VALUES (1, 'Wire', 'wire', 'C', 'now')")
    conn.execute("INSERT INTO sources(id, name, name_key, reliability, created_at) VALUES (2, 'Feed', 'feed', 'B', 'now')")
    for rid, cred in ((1, 2), (2, 5)):
        conn.execute("INSERT INTO reports (id, title, imported_at, sort_key, body, format, content_hash, source_id, "
                     f"credibility) VALUES ({rid}, 't{rid}', 'now', '2024-06-0{rid}', 'Body text.', 'text', 'h{rid}', "
                     f"{rid}, {cred})")
    conn.execute("INSERT INTO claims (id, report_id, start, \"end\", text, credibility) VALUES (1, 1, 0, 4, 'Body', 3)")
    conn.execute("INSERT INTO hypotheses(id, title, active, created_at) VALUES (1, 'H1', 1, 'now')")
    conn.execute("INSERT INTO claim_stances VALUES (1, 1, 'refutes')")
    conn.execute("INSERT INTO notes VALUES ('claim', 1, 'logged note', 'now')")
    conn.execute("INSERT INTO notes VALUES ('report', 2, 'imported note', 'now')")
    conn.execute("INSERT INTO ach_cells VALUES (1, 1, 'II')")
    _log(conn, 1, "alice", "source", 1, "reliability", "F", "B")
    _log(conn, 2, "bob", "source", 1, "reliability", "B", "C")   # bob's C is the value now
    _log(conn, 3, "alice", "report", 1, "credibility", 6, 2)
    _log(conn, 4, "alice", "claim", 1, "credibility", 6, 3)
    _log(conn, 5, "bob", "claim", 1, "stance:1", None, "refutes")
    _log(conn, 6, "alice", "claim", 1, "note", None, "logged note")
    _log(conn, 7, "bob", "claim", 1, "ach:1", None, "II")
    conn.commit()
    conn.close()
    with Store.open(path, analyst="carol") as carol:
        assert carol.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert carol.backup_made is not None and carol.backup_made.exists()
        rows = lambda sql: carol.conn.execute(sql).fetchall()  # noqa: E731
        assert rows("SELECT source_id, analyst, reliability FROM source_grades") == [(1, "bob", "C")]
        assert rows("SELECT report_id, analyst, credibility FROM report_grades") == [(1, "alice", 2)]
        assert rows("SELECT claim_id, analyst, credibility FROM claim_grades") == [(1, "alice", 3)]
        assert rows("SELECT claim_id, hypothesis_id, analyst, stance FROM claim_stances") == [(1, 1, "bob", "refutes")]
        assert rows("SELECT target_kind, target_id, analyst, text FROM notes ORDER BY target_kind") == [
            ("claim", 1, "alice", "logged note"), ("report", 2, "carol", "imported note")]
        # the columns hold the values the rows came with, before any analyst's change
        assert rows("SELECT id, reliability FROM sources ORDER BY id") == [(1, "F"), (2, "B")]
        assert rows("SELECT id, credibility FROM reports ORDER BY id") == [(1, 6), (2, 5)]
        assert rows("SELECT credibility FROM claims") == [(6,)]
        assert rows("SELECT claim_id, hypothesis_id, analyst, consistency FROM ach_cells") == [(1, 1, "bob", "II")]
        assert rows("SELECT count(*) FROM audit_log") == [(7,)]
        assert carol.get_report(1).reliability == "F" and carol.get_report(2).reliability == "B"
        assert carol.get_report(2).note == "imported note"
    with Store.open(path, analyst="alice") as alice:  # she sees what she saw before the upgrade
        assert alice.get_report(1).credibility == 2 and alice.get_claim(1).credibility == 3
        assert alice.get_claim(1).note == "logged note" and alice.get_claim(1).stance is None
    with Store.open(path, analyst="bob") as bob:
        assert bob.get_report(1).reliability == "C" and bob.get_claim(1).stance == "refutes"
        assert bob.team_view("source", 1).judged[0].consensus == "C (1)"
