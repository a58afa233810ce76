"""A query typed letter by letter is answered from what the previous letters read (claims'
trigram candidates, titles): the hits must be exactly those of the same query asked afresh."""

from __future__ import annotations

import pytest

import db.search
from bench.generate import generate
from db.growing_query import GrowingQueryCache
from db.search import Searcher
from db.store import Store

QUERIES = ["drone attack Erbil", "refused to move", "Kataib Hezbollah", "Ismial Hanyieh", "al-Soudani",
           "the office in Baghdad", "officials said", "said that", "militia", "status:new haniyeh",
           "in:claims office", "grade:A-C attack"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("typing") / "corpus.db"
    generate(path, 120, seed=5, batch=40)
    store = Store.open(path)
    yield store
    store.close()


def typed(query: str) -> list[str]:
    """Every prefix as the query is typed, then every prefix again as it is backspaced away."""
    return [query[:i] for i in range(1, len(query) + 1)] + [query[:i] for i in range(len(query) - 1, 0, -1)]


def hits(results):
    return [(h.kind, h.id, h.report_id, h.text, h.highlights, h.detail, h.score) for h in results.hits]


@pytest.mark.parametrize("candidates, limit", [(2000, 50), (40, 10), (12, 5)])
def test_typed_queries_get_the_hits_of_a_fresh_search(corpus, monkeypatch, candidates, limit):
    # Few candidates make most queries' trigram matches "truncated": the case where answering
    # from memory is allowed only when enough rows hold the whole query.
    monkeypatch.setattr(db.search, "CANDIDATES", candidates)
    typing = Searcher(corpus, background=False)
    fresh = Searcher(corpus, background=False)
    fresh._vocabulary()  # both expand words with the vocabulary (the typing one reads it on its first word)
    typing._vocabulary()
    index_reads: list[str] = []
    for query in QUERIES:
        for text in typed(query):
            fresh.forget_earlier_queries()
            corpus.conn.set_trace_callback(index_reads.append)
            typed_hits = hits(typing.search(text, limit=limit))
            corpus.conn.set_trace_callback(None)
            assert typed_hits == hits(fresh.search(text, limit=limit)), text
    for table in ("claims_trigram", "titles_trigram"):
        reads = [sql for sql in index_reads if f"{table} MATCH" in sql]
        assert len(reads) < sum(len(typed(q)) for q in QUERIES) // 2, (table, len(reads))
        if candidates < 2000:  # truncated sets are read on from where they stopped
            assert any("rowid <" in sql for sql in reads), table


def test_a_write_forgets_what_earlier_letters_read(corpus):
    searcher = Searcher(corpus, background=False)
    searcher.search("attack")
    assert searcher._growing_claims._kept and searcher._growing_titles._kept and searcher._title_rows
    searcher.invalidate()  # as when another connection commits
    searcher.search("zz")
    assert not searcher._growing_claims._kept and not searcher._growing_titles._kept and not searcher._title_rows


def rows(*texts):
    return [(100 - i, text) for i, text in enumerate(texts)]  # newest first


def test_a_complete_set_is_filtered_in_memory():
    cache = GrowingQueryCache()
    cache.remember(frozenset({"dro"}), rows("drone attack", "a drone", "drone strike"), complete=True)
    found = cache.known(frozenset({"dro", "att"}))
    assert found is not None and found.rows == [(100, "drone attack")] and found.complete


def test_a_truncated_set_says_how_far_back_it_reaches():
    cache = GrowingQueryCache()
    cache.remember(frozenset({"dro"}), rows("drone attack", "drone attack on", "a drone"), complete=False)
    found = cache.known(frozenset({"dro", "str"}))
    # No kept row holds "str": what is known is that none of rows 98-100 does; older ones were not read.
    assert found.rows == [] and not found.complete and found.reaches == 98
    assert cache.known(frozenset({"xyz"})) is None  # nothing kept matches these grams


def test_a_complete_set_is_preferred_then_the_one_read_furthest_back():
    cache = GrowingQueryCache()
    cache.remember(frozenset({"dro", "ron"}), rows("drone attack"), complete=False)
    cache.remember(frozenset({"dro"}), rows("drone attack", "drone strike", "a drone"), complete=False)
    assert cache.known(frozenset({"dro", "ron", "att"})).reaches == 98  # {"dro"} was read further back
    cache.remember(frozenset({"dro", "ron"}), rows("drone attack"), complete=True)
    assert cache.known(frozenset({"dro", "ron", "att"})).complete


def test_backspacing_is_answered_by_the_shorter_query_kept():
    cache = GrowingQueryCache()
    short, longer = frozenset({"dro"}), frozenset({"dro", "att"})
    cache.remember(short, rows("drone attack", "a drone"), complete=True)
    cache.remember(longer, rows("drone attack"), complete=True)
    assert cache.known(short).rows == rows("drone attack", "a drone")


def test_letters_that_add_no_trigram_read_nothing_again(corpus, monkeypatch):
    """"refused t" and "refused to" hold the trigrams of "refused" alone: a set read to the limit
    for it is every candidate they could have."""
    monkeypatch.setattr(db.search, "CANDIDATES", 5)
    searcher = Searcher(corpus, background=False)
    searcher.search("refused", limit=50)
    reads: list[str] = []
    corpus.conn.set_trace_callback(reads.append)
    try:
        searcher.search("refused t", limit=50)
        searcher.search("refused to", limit=50)
    finally:
        corpus.conn.set_trace_callback(None)
    assert not [sql for sql in reads if "trigram MATCH" in sql]


def test_a_set_kept_under_a_larger_limit_answers_as_a_fresh_search_would(corpus, monkeypatch):
    searcher = Searcher(corpus, background=False)
    fresh = Searcher(corpus, background=False)
    monkeypatch.setattr(db.search, "CANDIDATES", 40)
    searcher.search("said", limit=50)
    monkeypatch.setattr(db.search, "CANDIDATES", 4)
    for text in ("said t", "said th", "said tha", "said that"):
        fresh.forget_earlier_queries()
        assert hits(searcher.search(text, limit=3)) == hits(fresh.search(text, limit=3)), text
