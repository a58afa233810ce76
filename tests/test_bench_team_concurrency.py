"""The team concurrency benchmark's check finds a lost update when there is one (it is not a
check that cannot fail), and passes on a clean run."""

from __future__ import annotations

from bench.team_concurrency import analyst_worker, main, prepare, verify


def test_a_clean_run_loses_nothing_and_a_lost_grade_is_found(tmp_path, capsys):
    db = str(tmp_path / "team.db")
    assert main(["--db", db, "--processes", "2", "--changes", "40", "--claims", "20"]) == 0
    out = capsys.readouterr().out
    assert '"lost_in_tables": 0' in out and '"errors": 0' in out
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
    result["confirmed"].append((claims[0], "credibility", "9"))  # confirmed but never logged
    assert verify(db, [result])["lost_in_audit_log"] == 1
