"""Odd command-line arguments: ids past SQLite's 64-bit integers, ids that are not numbers,
limits past any count, Unicode digits. Each is one line and exit 1 or 2, never a traceback, and
never "the database is damaged" when it is not. Issue 17, class 9 (and the grade of 11)."""

from __future__ import annotations

import pytest

from db.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main
from db.errors import InvalidValue
from db.query import QueryError, parse_query

from .factories import seeded_store

HUGE = [str(2**63), str(2**64 + 1), "9" * 20, "9" * 400]
NOT_IDS = ["abc", "-1", "0", "1.5", "１", "３", "²", "1e3", "0x10", " 7", ""]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("args") / "cli.db"
    seeded_store(path).close()
    return str(path)


def _run(capsys, db, *args) -> tuple[int, str]:
    try:
        code = main(["--db", db, *args])
    except SystemExit as exc:  # argparse: usage and one error line
        code = exc.code
    _, err = capsys.readouterr()
    return code, err


def _commands_with_an_id(value: str) -> list[list[str]]:
    return [["show", value], ["cite", value], ["cite", value, "--claim"],
            ["grade", "--report", value, "--status", "read"], ["grade", "--claim", value, "--credibility", "2"],
            ["grade", "--source", value, "--reliability", "B"], ["link", "1", value, "corroborates"],
            ["link", value, "1", "duplicates"], ["merge", "1", value], ["merge", value, "1", "--apart"],
            ["split", value, "someone"], ["hypothesis", "use", value], ["hypothesis", "rename", value, "x"]]


@pytest.mark.parametrize("value", HUGE + NOT_IDS, ids=lambda v: repr(v[:12]))
def test_an_odd_id_is_one_line_never_a_traceback(capsys, db, value):
    for args in _commands_with_an_id(value):
        code, err = _run(capsys, db, *args)
        assert code in (EXIT_PARTIAL, EXIT_USAGE), (args, err)
        assert "Traceback" not in err and "damaged" not in err, (args, err)
        assert err.strip().splitlines()[-1].startswith(("analyst-tui", "usage")), (args, err)


@pytest.mark.parametrize("command", ["reports", "entities", "history", "search x"])
def test_a_limit_past_any_count_means_all_rows(capsys, db, command):
    for limit in HUGE:
        code, err = _run(capsys, db, *command.split(), "--limit", limit)
        assert code == EXIT_OK and "damaged" not in err, (command, limit, err)


@pytest.mark.parametrize("command", ["reports", "entities", "history", "search x"])
def test_a_limit_that_is_not_a_count_is_refused(capsys, db, command):
    for limit in ("abc", "-1", "１０", "1.5"):
        code, err = _run(capsys, db, *command.split(), "--limit", limit)
        assert code == EXIT_USAGE and "Traceback" not in err and "damaged" not in err, (command, limit, err)


def test_only_a_damaged_file_is_called_damaged(capsys, tmp_path, monkeypatch):
    """A DatabaseError that is not about the file (a value SQLite rejects) is named as it is."""
    import sqlite3

    from db import store as store_module

    path = tmp_path / "fine.db"
    seeded_store(path).close()

    def mismatch(self, **kwargs):
        raise sqlite3.IntegrityError("datatype mismatch")

    monkeypatch.setattr(store_module.Store, "list_entities", mismatch)
    code, err = _run(capsys, str(path), "entities")
    assert code == EXIT_USAGE and "damaged" not in err and "datatype mismatch" in err


@pytest.mark.parametrize("grade", ["３", "٣", "²", "3\u0301", "三"])
def test_a_unicode_digit_is_not_a_credibility_grade(capsys, db, grade):
    code, err = _run(capsys, db, "grade", "--report", "1", "--credibility", grade)
    assert code == EXIT_USAGE and "credibility" in err
    code, err = _run(capsys, db, "reports", "--cred", grade)
    assert code == EXIT_USAGE


def test_a_unicode_digit_date_is_not_a_date_filter():
    with pytest.raises(QueryError):
        parse_query("from:２０２４-０６-０１ haniya")


def test_the_store_refuses_a_unicode_digit_grade(sample_store):
    claim_id = sample_store.claims_for_report(sample_store.ids["wire"])[0].id
    with pytest.raises(InvalidValue):
        sample_store.set_claim_credibility([claim_id], "３")
