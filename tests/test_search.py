"""The query language and the search shared by the CLI and the UI (correctness only: speed lives in bench/)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.query import QueryError, parse_query
from db.search import Searcher, highlight, search

from .factories import add_report, seeded_store
import contextlib


@pytest.fixture
def store():
    s = seeded_store()
    add_report(s, title="Kata'ib Al-Imam Ali delegation attends opening", publisher="Telegram", published="2024-06-11",
               body="Kata'ib Al-Imam Ali delegation attends opening\nA delegation of Kata'ib Al-Imam Ali attended the "
                    "opening of the office, the channel said.\n",
               claims=[("A delegation of Kata'ib Al-Imam Ali attended the opening of the office", "the channel")],
               entities=[("Kata'ib Al-Imam Ali", "ORG", ["Kata'ib Al-Imam Ali"])])
    s.set_status([3], "read")
    yield s
    s.close()


def test_parse_filters():
    q = parse_query('haniya status:new grade:A-C cred:1-3 type:person source:"Shafaq News" from:2024-06-01 '
                    'to:2024-06-30 tag:baghdad stance:refutes')
    assert q.text == "haniya"
    assert q.statuses == ("new",) and q.reliability == ("A", "B", "C") and q.credibility == (1, 2, 3)
    assert q.types == ("PERSON",) and q.source == "Shafaq News" and q.tag == "baghdad" and q.stance == "refutes"
    assert (q.date_from, q.date_to) == ("2024-06-01", "2024-06-30")


@pytest.mark.parametrize("bad, message", [
    ("status:archived", "not a status"), ("grade:Z", "reliability"), ("cred:9", "credibility"),
    ("from:yesterday", "not a date"), ("type:ship", "entity type"), ("stance:maybe", "not a stance"),
    ("x" * 600, "under 500"), ("status:", "needs a value"),
])
def test_bad_queries_explain_themselves(bad, message):
    with pytest.raises(QueryError, match=message):
        parse_query(bad)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_parser_never_raises_anything_else(text):
    with contextlib.suppress(QueryError):
        parse_query(text)


def test_transliteration_and_typos_find_names(store):
    hits = search(store, "haniya").hits
    assert hits and hits[0].kind == "entity" and hits[0].text == "Ismail Haniyeh"
    assert any(h.kind == "entity" and h.text.startswith("Kata'ib") for h in search(store, "kataib").hits)
    assert any(h.kind == "claim" and "Haniyeh" in h.text for h in search(store, "hanyeh refused").hits)


def test_words_in_bodies_and_claims(store):
    kinds = {(h.kind, h.report_id) for h in search(store, "public relations").hits}
    assert ("claim", 1) in kinds and ("report", 1) in kinds
    assert all(h.report_id != 3 for h in search(store, "public relations").hits)


def test_filters_restrict_results(store):
    hits = search(store, "baghdad status:read").hits
    assert hits == []
    assert {h.report_id for h in search(store, "baghdad status:new").hits} <= {1, 2}
    assert all(h.kind == "entity" for h in search(store, "baghdad type:loc").hits)
    assert {h.report_id for h in search(store, 'source:"Iraqi Minister"').hits} == {2}
    only_claims = search(store, "office in:claims").hits
    assert only_claims and all(h.kind == "claim" for h in only_claims)


def test_stance_filter_follows_active_hypothesis(store):
    store.create_hypothesis("Hamas moves to Baghdad")
    claim = store.claim_ids_for_report(1)[2]
    store.set_stance([claim], "refutes")
    hits = search(store, "stance:refutes").hits
    assert [(h.kind, h.id) for h in hits] == [("claim", claim)]


def test_short_queries_use_cheap_paths(store):
    results = search(store, "ha")
    assert all(h.kind in ("entity", "report") for h in results.hits)


@pytest.mark.parametrize("hostile", ['"unbalanced', "NEAR(a b", "*", "a OR", "'; DROP TABLE reports; --", "[/]",
                                     "\x1b]52;c;aGk=\x07", "\u202eevil", "AND AND", '"" ""', "x" * 499, "-", "^"])
def test_hostile_queries_give_results_or_a_message(store, hostile):
    results = search(store, hostile)
    assert isinstance(results.hits, list)
    assert store.count_reports() == 4  # nothing was dropped


def test_highlight_marks_matches():
    assert highlight("Ismail Haniyeh refused", ["haniyeh"]) == [(7, 14)]
    spans = highlight("Ismail Haniyeh refused", ["haniya"])
    assert spans and spans[0][0] >= 7


def test_searcher_sees_new_data(store):
    searcher = Searcher(store)
    assert not any(h.kind == "entity" and h.text == "Qatar" for h in searcher.search("qatar").hits)
    add_report(store, title="Qatar", body="Qatar\nQatar reviews its mediation role, officials said.",
               entities=[("Qatar", "LOC", ["Qatar"])])
    searcher.invalidate()
    assert any(h.kind == "entity" and h.text == "Qatar" for h in searcher.search("qatar").hits)


def test_multi_token_terms_never_reach_the_positionless_body_index(store):
    # reports_fts keeps no positions (schema V2): a name like Kata'ib must not become a phrase query there.
    for query in ("kata'ib delegation", "Kata'ib Al-Imam", "al-imam opening"):
        results = search(store, query)
        assert results.message is None, results.message
    assert any(h.kind == "report" for h in search(store, "kata'ib delegation").hits)


def test_names_do_not_crowd_out_claims(store):
    for i in range(40):
        add_report(store, title=f"Note {i}", body=f"Note {i}\nHaniyeh number {i} spoke, the agency said.\n",
                   entities=[(f"Person{i} Haniyeh", "PERSON", [f"Haniyeh number {i}"])])
    hits = search(store, "haniyeh").hits
    assert any(h.kind == "claim" for h in hits)
    assert sum(h.kind == "entity" for h in hits) <= 12
    assert len([h for h in search(store, "haniyeh in:entities").hits]) > 12


def test_file_searcher_reads_its_caches_in_the_background(tmp_path):
    path = tmp_path / "bg.db"
    seeded = seeded_store(path)
    seeded.close()
    from db.store import Store

    with Store.open(path) as store:
        searcher = Searcher(store)
        # before the vocabulary is read, typos in names are still found through the entity names
        assert any(h.kind == "claim" and "Haniyeh" in h.text for h in searcher.search("hanyeh refused").hits)
        searcher.wait_for_vocabulary()
        assert any(h.kind == "claim" and "public relations" in h.text for h in searcher.search("publik relations").hits)
        same = Searcher(store)  # a second searcher on the same file reuses what the first read
        assert [h.id for h in same.search("haniya").hits] == [h.id for h in searcher.search("haniya").hits]


def test_an_alias_hit_says_whose_alias_it_is(store):
    """The store knows Hamas already: the new report's long name joins it as an alias."""
    add_report(store, title="Movement", body="The Islamic Resistance Movement (Hamas) said on Monday it would stay.",
               entities=[("Islamic Resistance Movement", "ORG", ["Hamas"])])
    hits = [h for h in search(store, "type:org islamic resistance").hits if h.kind == "entity"]
    alias_hits = [h for h in hits if h.text == "Islamic Resistance Movement"]
    assert alias_hits and alias_hits[0].detail == "ORG · alias of Hamas"


def test_short_queries_see_a_new_report_but_not_after_a_mere_grade(store):
    searcher = Searcher(store)
    searcher.warm()
    assert not any(h.kind == "report" and h.text == "Zubair port reopens" for h in searcher.search("zu").hits)
    claim = store.claim_ids_for_report(1)[0]
    titles = searcher._titles
    store.set_claim_credibility([claim], 2)
    searcher.invalidate()  # as when another connection writes (one connection does not see its own)
    searcher.search("zu")
    assert searcher._titles is titles, "a grade is no reason to read 5,000 titles again"
    add_report(store, title="Zubair port reopens", body="Zubair port reopens, officials said on Monday.")
    searcher.invalidate()
    assert any(h.kind == "report" and h.text == "Zubair port reopens" for h in searcher.search("zu").hits)


@pytest.mark.parametrize("filters, report_filter", [
    ("status:new", dict(statuses=("new",))),
    ("grade:A-C", dict(reliability=("A", "B", "C"))),
    ("cred:6", dict(credibility=(6,))),
    ('source:"Iraqi"', dict(source="Iraqi")),
    ("from:2024-06-14 to:2024-06-14", dict(date_from="2024-06-14", date_to="2024-06-14")),
])
def test_a_search_filter_and_the_queue_filter_select_the_same_reports(store, filters, report_filter):
    from db.store import ReportFilter

    store.set_source_reliability([store.get_report(1).source.id], "B")
    store.set_report_credibility([2], 3)
    queue = {r.id for r in store.list_reports(ReportFilter(**report_filter))}
    found = {h.report_id for h in search(store, filters + " in:reports", limit=100).hits}
    assert found == queue
    assert queue and len(queue) < store.count_reports(), "the filter must select some reports, not all"
