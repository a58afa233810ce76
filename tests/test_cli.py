"""The CLI over the store: sub-commands, JSON output, exit codes, safe printing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main

from .factories import run_cli, seeded_store

pytestmark = pytest.mark.both_backends

SHARED = Path(__file__).resolve().parents[2] / "shared"
ROOT = Path(__file__).resolve().parents[1]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(store_target):
    """The seeded store's file, or its PostgreSQL URL: the CLI takes either as --db."""
    seeded_store(store_target).close()
    return str(store_target)


def test_reports_and_json(db, capsys):
    code, out, _ = run_cli(capsys, "--db", db, "reports")
    assert code == EXIT_OK and "Hamas to open media office in Baghdad" in out
    code, out, _ = run_cli(capsys, "--db", db, "reports", "--json", "--source", "shafaq")
    assert [r["title"] for r in json.loads(out)] == ["Hamas to open media office in Baghdad"]
    code, _, err = run_cli(capsys, "--db", db, "reports", "--grade", "Q")
    assert code == EXIT_USAGE and "reliability" in err


def test_show_text_and_json(db, capsys):
    code, out, _ = run_cli(capsys, "--db", db, "show", "1")
    assert code == EXIT_OK and "Shafaq News" in out and "Cited sources (1)" in out
    code, out, _ = run_cli(capsys, "--db", db, "show", "1", "--json")
    data = json.loads(out)
    assert data["grade"] == "F6" and len(data["claims"]) == 3 and data["cited_sources"][0]["ref"] == "1"
    code, _, err = run_cli(capsys, "--db", db, "show", "999")
    assert code == EXIT_PARTIAL and "no report 999" in err


def test_grade_undo_history(db, capsys):
    code, _, err = run_cli(capsys, "--db", db, "grade", "--report", "1", "--status", "read", "--reliability", "B",
                       "--credibility", "2", "--tag", "baghdad", "--note", "follow up")
    assert code == EXIT_OK and "change(s) saved" in err
    code, out, _ = run_cli(capsys, "--db", db, "show", "1", "--json")
    data = json.loads(out)
    assert data["status"] == "read" and data["grade"] == "B2" and data["tags"] == ["baghdad"]
    code, out, _ = run_cli(capsys, "--db", db, "history", "--json")
    assert {e["field"] for e in json.loads(out)} >= {"status", "reliability", "credibility", "tag:baghdad", "note"}
    code, _, err = run_cli(capsys, "--db", db, "undo")
    assert code == EXIT_OK and "undone" in err
    code, _, err = run_cli(capsys, "--db", db, "grade", "--claim", "1", "--stance", "refutes")
    assert code == EXIT_USAGE and "hypothesis" in err
    run_cli(capsys, "--db", db, "hypothesis", "add", "Hamas", "moves", "to", "Baghdad")
    code, _, _ = run_cli(capsys, "--db", db, "grade", "--claim", "1", "2", "--stance", "refutes", "--credibility", "3")
    assert code == EXIT_OK
    code, out, _ = run_cli(capsys, "--db", db, "hypothesis", "list")
    assert "-2" in out


@pytest.mark.sqlite_only("search on PostgreSQL (tsvector, pg_trgm) is the pg-search branch's, issue 22")
def test_search_and_bad_query(db, capsys):
    code, out, _ = run_cli(capsys, "--db", db, "search", "haniya")
    assert code == EXIT_OK and "Ismail Haniyeh" in out
    code, _, err = run_cli(capsys, "--db", db, "search", "status:bogus")
    assert code == EXIT_USAGE and "not a status" in err


def test_cite_styles(db, capsys):
    code, out, _ = run_cli(capsys, "--db", db, "cite", "1", "--style", "apa")
    assert code == EXIT_OK and "Shafaq News" in out and "2024" in out
    code, out, _ = run_cli(capsys, "--db", db, "cite", "1", "--all")
    assert "@online" in out and "TY  -" in out
    code, out, _ = run_cli(capsys, "--db", db, "cite", "2", "--claim", "--style", "chicago-note")
    assert code == EXIT_OK and "source" in out and "quoted in" in out
    code, _, err = run_cli(capsys, "--db", db, "cite", "1", "--style", "harvard")
    assert code == EXIT_USAGE and "unknown style" in err


@pytest.mark.parametrize("fmt, marker", [("json", '"reports"'), ("csv", "report_id"), ("markdown", "# ")])
def test_export_formats(db, capsys, tmp_path, fmt, marker):
    out_file = tmp_path / f"out.{fmt}"
    code, _, _ = run_cli(capsys, "--db", db, "export", "--format", fmt, "--output", str(out_file))
    text = out_file.read_text(encoding="utf-8")
    assert code == EXIT_OK and marker in text and "Hamas to open media office" in text


def test_import_reports_failures_with_exit_status(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text("Office opens in Baghdad\nJune 13, 2024\nThe office opened, officials said.\n")
    (inbox / "bad.json").write_text("{not json")
    (inbox / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    db = str(tmp_path / "import.db")
    code, _, err = run_cli(capsys, "--db", db, "import", str(inbox))
    assert code == EXIT_PARTIAL
    assert "bad.json" in err and "image.png" in err and "1 imported" in err and "2 failed" in err
    code, _, err = run_cli(capsys, "--db", db, "import", str(inbox / "good.txt"))
    assert code == EXIT_OK and "1 skipped" in err
    code, _, err = run_cli(capsys, "--db", db, "import", str(tmp_path / "nowhere"))
    assert code == EXIT_PARTIAL and "no such file" in err


def test_hostile_text_never_reaches_the_terminal_raw(tmp_path, capsys):
    evil = tmp_path / "evil.txt"
    evil.write_text("Title \x1b]0;pwned\x07 [bold]x[/]\nThe minister said \x1b[31mred\x1b[0m and \u202eevil\u202c "
                    "things, officials said.\x1b]52;c;aGVsbG8=\x07\n")
    db = str(tmp_path / "evil.db")
    run_cli(capsys, "--db", db, "import", str(evil))
    for args in (["reports"], ["show", "1"], ["search", "minister"], ["cite", "1"], ["sources"], ["entities"]):
        code, out, err = run_cli(capsys, "--db", db, *args)
        assert "\x1b" not in out + err and "\x07" not in out + err and "\u202e" not in out + err, args


def test_bad_database_paths_exit_2_with_a_line(tmp_path, capsys):
    code, _, err = run_cli(capsys, "--db", str(tmp_path), "reports")
    assert code == EXIT_USAGE and "is a folder" in err
    notdb = tmp_path / "x.db"
    notdb.write_text("hello")
    code, _, err = run_cli(capsys, "--db", str(notdb), "reports")
    assert code == EXIT_USAGE and "not an SQLite database" in err and notdb.read_text() == "hello"


def test_environment_variable_selects_the_database(tmp_path):
    env = {**os.environ, "ANALYST_TUI_DB": str(tmp_path / "env.db")}
    result = subprocess.run([sys.executable, "-m", "tui.entry", "where"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [str(tmp_path / "env.db"), "SQLite file (not created yet)"]


def test_where_names_a_postgresql_database_without_its_password():
    env = {**os.environ, "ANALYST_TUI_DB": "postgresql://alice:secret@db.example/corpus"}
    result = subprocess.run([sys.executable, "-m", "tui.entry", "where"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "secret" not in result.stdout
    assert result.stdout.splitlines() == ["postgresql://alice:***@db.example/corpus",
                                          "PostgreSQL database corpus on db.example, as alice"]


def test_help_teaches(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "import" in out and "ANALYST_TUI_DB" in out and "examples" in out


def test_a_monitoring_digest_shows_what_an_analyst_needs(tmp_path, capsys):
    """The check below on the demo's own monitoring digest (seeds/16, written for this project in
    the shape of the MEMRI report): date, the six footnoted sources with their dates, who said what,
    and no claim made of the subscription furniture."""
    db = str(tmp_path / "demo.db")
    code, _, _ = run_cli(capsys, "--db", db, "import", str(ROOT / "seeds" / "16_northgate-digest-baghdad-office.txt"))
    assert code == EXIT_OK
    code, out, _ = run_cli(capsys, "--db", db, "reports", "--json")
    (digest,) = json.loads(out)
    code, out, _ = run_cli(capsys, "--db", db, "show", str(digest["id"]), "--json")
    data = json.loads(out)
    assert data["published"] == "2024-06-24"
    assert [(c["ref"], c["source"], c["date"]) for c in data["cited_sources"]] == [
        ("1", "Telegram", "2024-06-11"), ("2", "X", "2024-04-24"), ("3", "X", "2024-06-14"),
        ("4", "Shafaq News", "2024-06-13"), ("5", "Iraqi News Wire", "2024-06-14"), ("6", "Al-Akhbar (Lebanon)", "2024-06-15")]
    speakers = " | ".join(f"{c['speaker']} {c['speaker_resolved']} {c['chain']}" for c in data["claims"])
    for who in ("Iraqi Minister", "Shafaq News", "Al-Akhbar", "a government spokesperson"):
        assert who in speakers
    furniture = ("free of charge", "subscription options", "available to subscribers", "Log in or register")
    assert not any(f in c["text"] for c in data["claims"] for f in furniture)


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="needs ../shared/seeds")
def test_memri_seed_shows_what_an_analyst_needs(tmp_path, capsys):
    db = str(tmp_path / "seeds.db")
    code, _, _ = run_cli(capsys, "--db", db, "import", str(SHARED / "seeds"))
    assert code == EXIT_OK
    code, out, _ = run_cli(capsys, "--db", db, "reports", "--json")
    memri = next(r for r in json.loads(out) if r["title"].startswith("Outlet Affiliated"))
    code, out, _ = run_cli(capsys, "--db", db, "show", str(memri["id"]), "--json")
    data = json.loads(out)
    assert data["source"]["name"] == "MEMRI" and data["published"] == "2024-06-24"
    assert [(c["ref"], c["source"], c["date"]) for c in data["cited_sources"]] == [
        ("1", "Telegram", "2024-06-11"), ("2", "X", "2024-04-24"), ("3", "X", "2024-06-14"), ("4", "Shafaq", "2024-06-24")]
    speakers = " | ".join(f"{c['speaker']} {c['speaker_resolved']} {c['chain']}" for c in data["claims"])
    for who in ("Iraqi Minister", "Shafaq News", "Al-Akhbar"):
        assert who in speakers
    furniture = ("complimentary offering", "subscription information", "available to subscribers", "login or register",
                 "monitors, tracks", "Read More")
    assert not any(f in c["text"] for c in data["claims"] for f in furniture)


def test_link_claims_and_show_it(db, capsys):
    code, _, err = run_cli(capsys, "--db", db, "link", "1", "4", "contradicts")
    assert code == EXIT_OK and "link saved" in err
    code, out, _ = run_cli(capsys, "--db", db, "show", "1")
    assert "contradicts claim 4" in out
    code, _, err = run_cli(capsys, "--db", db, "link", "1", "4", "contradicts", "--remove")
    assert code == EXIT_OK and "link removed" in err
    code, _, err = run_cli(capsys, "--db", db, "link", "1", "1", "duplicates")
    assert code == EXIT_USAGE and "itself" in err


def test_split_a_name_off_an_entity_and_undo(db, capsys):
    from db.store import Store

    from .factories import add_report

    body = "Kani\nAli Bagheri Kani met officials in Baghdad. Ali Bagheri said the talks went well.\n"
    with Store.open(db) as store:
        add_report(store, title="Kani", body=body, claims=[("the talks went well", "Ali Bagheri")],
                   entities=[("Ali Bagheri Kani", "PERSON", ["Ali Bagheri Kani", "Ali Bagheri"])])
    code, out, _ = run_cli(capsys, "--db", db, "entities", "--json")
    kani = next(e for e in json.loads(out) if e["name"] == "Ali Bagheri Kani")
    assert kani["aliases"] == ["Ali Bagheri"]
    code, out, err = run_cli(capsys, "--db", db, "split", str(kani["id"]), "Ali", "Bagheri")
    assert code == EXIT_OK and "split 'Ali Bagheri' off entity" in err and "undo" in err
    new_id = int(out)
    code, out, _ = run_cli(capsys, "--db", db, "entities", "--json")
    by_id = {e["id"]: e for e in json.loads(out)}
    assert by_id[kani["id"]]["aliases"] == [] and by_id[new_id]["name"] == "Ali Bagheri"
    with Store.open(db) as store:
        who = store.conn.execute("SELECT speaker_entity_id FROM claims WHERE text = 'the talks went well'").fetchone()[0]
    assert who == new_id
    code, _, err = run_cli(capsys, "--db", db, "split", str(kani["id"]), "Ali Bagheri Kani")
    assert code == EXIT_USAGE and "own name" in err
    code, _, err = run_cli(capsys, "--db", db, "split", "9999", "Ali Bagheri")
    assert code == EXIT_PARTIAL and "no entity 9999" in err
    code, _, err = run_cli(capsys, "--db", db, "undo")
    assert code == EXIT_OK and "undone: entity split" in err
    code, out, _ = run_cli(capsys, "--db", db, "entities", "--json")
    assert [e["aliases"] for e in json.loads(out) if e["id"] == kani["id"]] == [["Ali Bagheri"]]
    assert new_id not in {e["id"] for e in json.loads(out)}


def test_show_carries_each_claims_confidence_and_rule(tmp_path, capsys):
    from db.extract import extract

    body = 'Senate vote\n\n"We will not raise taxes this year," Senator John Smith said on Tuesday.\n'
    report = tmp_path / "senate.txt"
    report.write_text(body, encoding="utf-8")
    path = str(tmp_path / "c.db")
    code, _, _ = run_cli(capsys, "--db", path, "import", str(report), "-q")
    assert code == EXIT_OK
    [expected] = extract(body).claims
    code, out, _ = run_cli(capsys, "--db", path, "show", "1", "--json")
    [claim] = json.loads(out)["claims"]
    assert claim["rule"] == expected.rule == "quote_then_cue"
    assert claim["confidence"] == pytest.approx(expected.confidence) and claim["confidence"] != 0.5
    code, out, _ = run_cli(capsys, "--db", path, "show", "1")
    assert f"confidence {expected.confidence:.2f}" in out
