"""Search on PostgreSQL gives SQLite's hits: the same store built on both, the same queries typed letter by
letter, hit for hit (kind, id, text, highlights, detail, score). Where the engines differ, the difference
is named in a test of its own below.

Skipped, with the reason, where no PostgreSQL server can start (conftest's ``pg_url``)."""

from __future__ import annotations

import os

import pytest

from bench.generate import generate
import db.search
import db.search_pg
from db.corpus_copy import copy_corpus
from db.search import Searcher, search
from db.store import Store, ReportFilter

from .factories import add_report, seeded_store

QUERIES = ["drone attack Erbil", "refused to move", "Kataib Hezbollah", "Ismial Hanyieh", "al-Soudani",
           "the office in Baghdad", "officials said", "said that", "militia", "status:new haniyeh",
           "in:claims office", "grade:A-C attack", "k", "ha", '"refused to', "Kata'ib", "5.56", "zzqx"]


def hits(results):
    assert results.message is None or not results.message.startswith("search failed"), results.message
    return [(h.kind, h.id, h.report_id, h.text, h.highlights, h.detail, h.score) for h in results.hits]


def typed(query: str) -> list[str]:
    return [query[:i] for i in range(1, len(query) + 1)]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, pg_url):
    """A generated corpus of 150 reports in SQLite, and its copy on PostgreSQL (``analyst-tui copy``)."""
    from . import pg_server

    path = tmp_path_factory.mktemp("parity") / "corpus.db"
    generate(path, 150, seed=7, batch=50)
    name = f"analyst_tui_search_parity_{os.getpid()}"  # two sessions may share one server
    url = pg_server.fresh_database(pg_url, name)
    sqlite_store = Store.open(path)
    with Store.open(url) as owner:  # the copy disables the app's triggers: the owner's right
        assert copy_corpus(sqlite_store, owner).verified
    # grades are each analyst's: read the copy as the analyst who made the generator's grades
    pg_store = Store.open(pg_server.analyst_url(url, sqlite_store.analyst))
    yield sqlite_store, pg_store
    sqlite_store.close()
    pg_store.close()
    pg_server.drop_database(pg_url, name)


def test_the_schema_has_the_search_indexes(corpora):
    _, pg = corpora
    indexes = {row[0] for row in pg.conn.execute("SELECT indexname FROM pg_indexes WHERE tablename IN "
                                                 "('claims', 'reports')")}
    assert {"claims_words", "claims_key_trigrams", "reports_words", "reports_title_trigrams"} <= indexes
    assert "claims_text_trigrams" not in indexes  # schema V12: the key's index replaced it


def test_the_claims_search_key_needs_no_escape(corpora):
    """The trigram reads put a key between two ``%`` as it is (db/search_pg.py): LIKE's own marks must
    be letters in it, and the punctuation pg_trgm drops letters it keeps (so "al-" is a trigram)."""
    _, pg = corpora
    key = pg.conn.execute("SELECT analyst_search_key(?)", ("Al-Sa'id 100%_\\ ’x",)).fetchone()[0]
    assert key[:2] == "al" and not set("%_\\-'’") & set(key) and len(key) == len("Al-Sa'id 100%_\\ ’x")
    trigrams = pg.conn.execute("SELECT show_trgm(analyst_search_key('al-so'))").fetchone()[0]
    assert len([t for t in trigrams if not t.startswith(" ")]) >= 3, trigrams  # al-, l-s, -so: not dropped


@pytest.mark.parametrize("candidates, reads", [(2000, "as chosen"), (40, "as chosen"), (40, "walked"),
                                               (40, "from the index")])
def test_typed_queries_get_sqlites_hits(corpora, monkeypatch, candidates, reads):
    # Few candidates: the reads stop early and go on below the last id read (db.search_pg._NewestFirst)
    monkeypatch.setattr(db.search, "CANDIDATES", candidates)
    if candidates < 2000:  # and word candidates always taken as common (the second read of word_ids)
        monkeypatch.setattr(db.search_pg.PostgresSearchSql, "RARE", 0)
    if reads != "as chosen":  # windows of a few ids, then walking on always, or the index after the first
        monkeypatch.setattr(db.search_pg._NewestFirst, "PROBE", 3)
        monkeypatch.setattr(db.search_pg._NewestFirst, "RECHECK", 10**9 if reads == "walked" else 0)
    sqlite_store, pg_store = corpora
    on_sqlite, on_pg = Searcher(sqlite_store, background=False), Searcher(pg_store, background=False)
    compared = 0
    for query in QUERIES:
        for text in typed(query):
            assert hits(on_pg.search(text, limit=50)) == hits(on_sqlite.search(text, limit=50)), text
            compared += 1
    assert compared > 150


def test_a_fresh_search_per_keystroke_gets_sqlites_hits(corpora):
    sqlite_store, pg_store = corpora
    for query in QUERIES:
        for text in typed(query)[2::3]:
            assert hits(search(pg_store, text, 30)) == hits(search(sqlite_store, text, 30)), text


def test_the_vocabulary_is_sqlites(corpora):
    sqlite_store, pg_store = corpora
    sqlite_terms = set(Searcher(sqlite_store, background=False)._vocabulary())
    pg_terms = set(Searcher(pg_store, background=False)._vocabulary())
    assert sqlite_terms and pg_terms == sqlite_terms


def test_the_report_text_filter_is_sqlites(corpora):
    sqlite_store, pg_store = corpora
    for text in ("drone attack", "Erbil", "kata'ib", "militia said", "zzqx"):
        flt = ReportFilter(text=text)
        assert ([r.id for r in pg_store.list_reports(flt, limit=500)]
                == [r.id for r in sqlite_store.list_reports(flt, limit=500)]), text


@pytest.fixture
def both(tmp_path, pg_database):
    sqlite_store, pg_store = seeded_store(tmp_path / "seeded.db"), seeded_store(pg_database)
    yield sqlite_store, pg_store
    sqlite_store.close()
    pg_store.close()


def add_to_both(both, **report):
    return [add_report(store, **report) for store in both]


@pytest.mark.parametrize("query", ["haniya", "kataib", "hanyeh refused", "public relations", "baghdad status:new",
                                   'source:"Iraqi Minister"', "office in:claims", "ha", "cargo", "explosion hull",
                                   '"unbalanced', "NEAR(a b", "*", "'; DROP TABLE reports; --", "\u202eevil", "-",
                                   "100%", "a_b", "back\\slash"])
def test_the_seeded_store_answers_alike(both, query):
    sqlite_store, pg_store = both
    assert hits(search(pg_store, query)) == hits(search(sqlite_store, query)), query


def test_a_searcher_sees_what_another_store_writes(both, pg_database):
    _, pg_store = both
    searcher = Searcher(pg_store, background=False)
    assert not any(h.text == "Zubair port reopens" for h in searcher.search("Zubair").hits)
    other = Store.open(pg_database)
    try:
        add_report(other, title="Zubair port reopens", body="Zubair port reopens, officials said on Monday.")
    finally:
        other.close()
    import time

    deadline = time.monotonic() + 5
    while not any(h.text == "Zubair port reopens" for h in searcher.search("Zubair").hits):
        assert time.monotonic() < deadline, "the other store's report was never found"
        time.sleep(0.05)


# --- differences, named --------------------------------------------------------------------------------


def test_difference_unaccent_folds_letters_unicode61_keeps(both):
    """``unaccent`` turns ``ß`` into ``ss``; ``unicode61 remove_diacritics 2`` keeps ``ß`` (it is no letter
    with a diacritic): "strasse" finds "Straße" as a word on PostgreSQL only. Both find it typed as written,
    and both drop the accents of ``é``."""
    add_to_both(both, title="Lage an der Hauptstraße", body="Lage an der Hauptstraße\nDie Hauptstraße in Erbil ist "
                "gesperrt, sagte die Polizei. Le café est fermé.\n",
                claims=[("Die Hauptstraße in Erbil ist gesperrt", "die Polizei")])
    sqlite_store, pg_store = both
    for store in both:
        assert any(h.kind == "claim" for h in search(store, "hauptstraße").hits)
        assert ReportFilter and [r.title for r in store.list_reports(ReportFilter(text="cafe"))] == \
            ["Lage an der Hauptstraße"]
    assert [r.title for r in pg_store.list_reports(ReportFilter(text="hauptstrasse"))] == ["Lage an der Hauptstraße"]
    assert [r.title for r in sqlite_store.list_reports(ReportFilter(text="hauptstrasse"))] == []
