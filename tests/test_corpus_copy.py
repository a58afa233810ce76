"""``analyst-tui copy``: a corpus moved from SQLite to PostgreSQL and back holds the same rows, a copy
stopped half-way goes on where it stopped, and the verification catches a difference.

Skipped, with the reason, where no PostgreSQL server can start (conftest's ``pg_url``)."""

from __future__ import annotations

import pytest

import db.corpus_copy as corpus_copy
from bench.generate import generate
from db.cli import main
from db.corpus_copy import copy_corpus, tables_of
from db.store import Store

from .factories import fill_hostile, fill_sample


# Grades, stances and notes are each analyst's: the corpus's are made by ANALYST, and the copies are
# read as ANALYST on both backends (on PostgreSQL, logged in as that role), so each shows them.
ANALYST = "desk"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated corpus (60 reports) plus the sample store's grades, notes, stances and links."""
    import os

    from db.analyst import ANALYST_ENV_VAR

    path = tmp_path_factory.mktemp("copy") / "source.db"
    before = os.environ.get(ANALYST_ENV_VAR)
    os.environ[ANALYST_ENV_VAR] = ANALYST  # the generator's grades too
    try:
        generate(path, 60, seed=3, batch=30)
        with Store.open(path) as store:
            fill_sample(store)
            store.set_note("report", 1, "checked against the wire copy")
            store.set_report_credibility([2], 2)
            store.set_stance(store.claim_ids_for_report(1)[:2], "supports")
    finally:
        if before is None:
            del os.environ[ANALYST_ENV_VAR]
        else:
            os.environ[ANALYST_ENV_VAR] = before
    return path


def table_rows(store: Store) -> dict[str, int]:
    return {name: store.conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables_of(store.conn)}


def test_sqlite_to_postgresql_and_back(corpus, tmp_path, pg_database, capsys):
    assert main(["copy", "--from", str(corpus), "--to", pg_database]) == 0
    out = capsys.readouterr()
    assert "verified: " in out.out and "MISMATCH" not in out.out
    assert "reports: " in out.err  # progress, on standard error
    back = tmp_path / "back.db"
    assert main(["copy", "--from", pg_database, "--to", str(back)]) == 0
    from .pg_server import analyst_url

    with Store.open(corpus, analyst=ANALYST) as source, Store.open(analyst_url(pg_database, ANALYST)) as middle, \
            Store.open(back, analyst=ANALYST) as target:
        counts = table_rows(source)
        assert counts["reports"] == 63 and counts["claims"] > 300 and counts["audit_log"] > 0
        assert table_rows(middle) == counts and table_rows(target) == counts
        for store in (middle, target):  # what the analyst sees, read through the store
            assert store.get_report(1).title == source.get_report(1).title
            assert store.history(limit=5) == source.history(limit=5)
            assert store.list_reports(limit=500) == source.list_reports(limit=500)
            assert store.get_report(2).credibility == 2  # the analyst's own grade came along
        # The copied rows are searchable in both targets (their indexes were filled as rows arrived)
        from db.search import search

        for store in (middle, target):
            assert [h.id for h in search(store, "Haniyeh").hits] == [h.id for h in search(source, "Haniyeh").hits]


def test_new_ids_continue_after_the_copied_ones(corpus, pg_database):
    with Store.open(corpus) as source, Store.open(pg_database) as target:
        copy_corpus(source, target)
        newest = source.conn.execute("SELECT max(id) FROM reports").fetchone()[0]
        from .factories import add_report

        assert add_report(target, title="After the move", body="After the move, officials said.") == newest + 1


def test_a_stopped_copy_goes_on_where_it_stopped(corpus, pg_database, monkeypatch):
    calls = {"n": 0}
    write = corpus_copy._write

    def failing_write(conn, table, columns, rows):
        calls["n"] += table.name == "claims"
        if calls["n"] > 3:
            raise KeyboardInterrupt  # as Ctrl+C half-way through the claims
        write(conn, table, columns, rows)

    monkeypatch.setattr(corpus_copy, "_write", failing_write)
    with Store.open(corpus) as source, Store.open(pg_database) as target:
        with pytest.raises(KeyboardInterrupt):
            copy_corpus(source, target, batch=50)
        partial = target.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        total = source.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert 0 < partial < total and partial % 50 == 0  # whole batches only
        monkeypatch.setattr(corpus_copy, "_write", write)
        result = copy_corpus(source, target, batch=50)
        assert result.verified
        copied = {t.name: t.copied for t in result.tables}
        assert copied["claims"] == total - partial and copied["reports"] == 0  # nothing copied twice
        # the search indexes dropped while the claims were filled are back
        indexes = {row[0] for row in target.conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'claims'")}
        assert {"claims_words", "claims_key_trigrams"} <= indexes
        assert "claims_text_trigrams" not in indexes  # retired by schema V12: not built again


def test_a_difference_is_caught(corpus, tmp_path, pg_database, capsys):
    assert main(["copy", "-q", "--from", str(corpus), "--to", pg_database]) == 0
    with Store.open(pg_database) as target:
        target.conn.execute("UPDATE claims SET text = text || ' (edited)' WHERE id = 5")
    assert main(["copy", "-q", "--from", str(corpus), "--to", pg_database]) == 1
    out = capsys.readouterr().out
    assert "claims" in out and "MISMATCH" in out and "NOT verified" in out


def test_a_target_holding_other_data_is_refused(corpus, tmp_path, capsys):
    other = tmp_path / "other.db"
    with Store.open(other) as store:
        fill_sample(store)
        fill_hostile(store)
        for _ in range(70):
            store.create_hypothesis(f"hypothesis {_}")
    assert main(["copy", "--from", str(corpus), "--to", str(other)]) == 2
    assert "not a copy of this source" in capsys.readouterr().err


def test_the_same_database_twice_is_refused(corpus, capsys):
    assert main(["copy", "--from", str(corpus), "--to", str(corpus)]) == 2
    assert "same database" in capsys.readouterr().err


def test_sqlite_to_sqlite(corpus, tmp_path):
    target = tmp_path / "copy.db"
    with Store.open(corpus) as source, Store.open(target) as copy:
        assert copy_corpus(source, copy).verified
        assert table_rows(copy) == table_rows(source)


def test_a_nul_in_sqlite_text_arrives_as_the_nul_symbol(tmp_path, pg_database):
    """PostgreSQL text cannot hold NUL: it is stored as U+2400 there, as the store's own writes do, and the
    verification counts the two as the same."""
    from .factories import add_report

    source = tmp_path / "nul.db"
    with Store.open(source) as store:
        add_report(store, title="Odd\x00title", body="Odd\x00title\nA line with a NUL\x00 in it, officials said.")
    with Store.open(source) as src, Store.open(pg_database) as dst:
        assert copy_corpus(src, dst).verified
        assert dst.get_report(1).title == "Odd\u2400title"
