"""The team concurrency benchmark's check finds a lost update when there is one (it is not a
check that cannot fail), and passes on a clean run."""

from __future__ import annotations

import json

from bench.team_concurrency import analyst_worker, main, prepare, verify


def test_a_clean_run_loses_nothing_and_a_lost_grade_is_found(tmp_path, capsys):
    db = str(tmp_path / "team.db")
    assert main(["--db", db, "--processes", "2", "--changes", "40", "--claims", "20"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out)
    assert figures["lost_in_tables"] == 0 and figures["lost_in_audit_log"] == 0 and figures["errors"] == 0
    assert figures["title_saves_confirmed"] > 0 and "after you opened it" in figures["stale_edit_on_purpose"]
    claims = prepare(db, 20)
    result = analyst_worker((db, "solo", claims, 60, 1, None))
    assert result["errors"] == [] and len(result["confirmed"]) > 0
    assert verify(db, [result]) == {"lost_in_audit_log": 0, "lost_in_tables": 0}
    import sqlite3

    conn = sqlite3.connect(db)
    with conn:  # what a lost update looks like: the analyst's confirmed grade gone from the table
        conn.execute("DELETE FROM claim_grades WHERE analyst = 'solo'")
    conn.close()
    assert verify(db, [result])["lost_in_tables"] > 0
    result["confirmed"].append(("claim", claims[0], "credibility", "9"))  # confirmed but never logged
    assert verify(db, [result])["lost_in_audit_log"] == 1


def test_on_postgresql_each_analyst_its_login_and_nothing_lost(pg_database, capsys):
    assert main(["--db", pg_database, "--processes", "3", "--changes", "60", "--claims", "20"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["db"] == "postgresql" and figures["errors"] == 0
    assert figures["lost_in_tables"] == 0 and figures["lost_in_audit_log"] == 0
    assert "was changed by analyst1 at" in figures["stale_edit_on_purpose"]


def test_a_title_saved_over_a_colleagues_unseen_is_found(tmp_path):
    """What a silently overwritten shared fact would look like: the title differs from the last logged."""
    db = str(tmp_path / "team.db")
    claims = prepare(db, 20)
    result = analyst_worker((db, "solo", claims, 40, 1, None))
    assert result["errors"] == [] and any(c[0] == "report" for c in result["confirmed"])
    assert verify(db, [result]) == {"lost_in_audit_log": 0, "lost_in_tables": 0}
    import sqlite3

    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE reports SET title = 'overwritten' WHERE id = (SELECT target_id FROM audit_log "
                     "WHERE field = 'title' LIMIT 1)")
    conn.close()
    assert verify(db, [result])["lost_in_tables"] == 1
