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
    answers: dict[str, list] = {"claims": [], "titles": []}
    for kind in answers:
        cache = getattr(typing, f"_growing_{kind}")
        cache.answer = lambda *args, _answer=cache.answer, _kept=answers[kind]: _kept.append(_answer(*args)) or _kept[-1]
    for query in QUERIES:
        for text in typed(query):
            fresh.forget_earlier_queries()
            assert hits(typing.search(text, limit=limit)) == hits(fresh.search(text, limit=limit)), text
    for kind, kept in answers.items():
        from_memory = sum(a is not None for a in kept)
        assert from_memory > len(kept) // 2, (kind, from_memory, len(kept))


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
    found = cache.answer(frozenset({"dro", "att"}), "drone att", enough=10)
    assert found is not None and found.rows == [(100, "drone attack")] and found.complete


def test_a_truncated_set_answers_only_with_enough_whole_matches():
    cache = GrowingQueryCache()
    cache.remember(frozenset({"dro"}), rows("drone attack", "drone attack on", "a drone"), complete=False)
    assert cache.answer(frozenset({"dro", "att"}), "drone attack", enough=2) is not None
    # Only one row holds "drone strike": an older row beyond the kept ones could rank as high.
    assert cache.answer(frozenset({"dro", "str"}), "drone str", enough=2) is None
    assert cache.answer(frozenset({"xyz"}), "xyz", enough=1) is None  # nothing kept matches these grams


def test_without_enough_only_a_complete_set_answers():
    """Titles are ranked all together: a truncated set can never answer for them."""
    cache = GrowingQueryCache()
    cache.remember(frozenset({"dro"}), rows("drone attack", "drone attack on"), complete=False)
    assert cache.answer(frozenset({"dro", "att"})) is None
    cache.remember(frozenset({"dro"}), rows("drone attack", "drone attack on"), complete=True)
    assert cache.answer(frozenset({"dro", "att"})).rows == rows("drone attack", "drone attack on")


def test_backspacing_is_answered_by_the_shorter_query_kept():
    cache = GrowingQueryCache()
    short, longer = frozenset({"dro"}), frozenset({"dro", "att"})
    cache.remember(short, rows("drone attack", "a drone"), complete=True)
    cache.remember(longer, rows("drone attack"), complete=True)
    assert cache.answer(short, "dro", enough=5).rows == rows("drone attack", "a drone")
