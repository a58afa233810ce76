"""The benchmark corpus generator: seeded, realistic in shape, written through the store (no timings here)."""

from __future__ import annotations

import random

import pytest

from bench.generate import Corpus, generate, make_report, write_text_files
from db.store import Store

N = 30


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("gen") / "tiny.db"
    result = generate(path, N, seed=3, batch=7)
    store = Store.open(path)
    yield result, store
    store.close()


def test_counts(built):
    result, store = built
    assert result["reports"] == N == store.count_reports()
    claims = store.count_claims()
    assert result["claims"] == claims
    assert 5 * N <= claims <= 20 * N  # about ten attributed claims a report
    assert result["entities"] > 20 and result["sources"] > 5
    assert store.integrity_check() == "ok"


def test_reports_look_like_news(built):
    _, store = built
    for summary in store.list_reports(limit=N):
        report = store.get_report(summary.id)
        words = len(report.body.split())
        assert 250 <= words <= 1700
        assert report.source is not None and report.source.reliability in "ABCDEF"
        assert report.published and report.published[:2] == "20"


def test_claims_are_spans_of_the_body_with_speakers(built):
    _, store = built
    report = store.get_report(store.list_reports(limit=1)[0].id)
    claims = store.claims_for_report(report.id)
    assert claims
    for claim in claims:
        assert report.body[claim.start:claim.end] == claim.text
        assert claim.speaker and claim.cue
    assert any(c.is_quote for r in store.list_reports(limit=N) for c in store.claims_for_report(r.id))


def test_statuses_grades_and_tags_are_set(built):
    _, store = built
    counts = store.status_counts()
    assert counts["new"] > 0 and counts["read"] > 0
    from db.team.mine import claim_credibility

    grades = {r[0] for r in store.conn.execute(f"SELECT DISTINCT {claim_credibility()} FROM claims c")}  # as graded
    assert 6 in grades and len(grades) > 2
    assert store.all_tags()


def test_entities_carry_transliteration_variants():
    corpus = Corpus(1, 2000)
    rng = random.Random(1)
    names = set()
    for i in range(150):
        _, extraction = make_report(corpus, rng, i)
        for entity in extraction.entities:
            names.add(entity.name)
            names.update(entity.aliases)
    text = " ".join(names)
    for variants in (("Haniyeh", "Haniyya", "Hanieh"), ("Kata'ib Hizbullah", "Kataib Hezbollah"),
                     ("al-Sudani", "al-Soudani")):
        assert sum(v in text for v in variants) >= 2, variants
    people = [n for n in corpus.people if len(n.variants) > 1]
    assert len(people) > len(corpus.people) // 2


def test_same_seed_same_corpus_other_seed_other_corpus():
    def bodies(seed):
        corpus = Corpus(seed, 500)
        rng = random.Random(seed)
        return [make_report(corpus, rng, i)[0].body for i in range(5)]

    assert bodies(1) == bodies(1)
    assert bodies(1) != bodies(2)


def test_generated_databases_are_identical_for_a_seed(tmp_path):
    def content(path):
        store = Store.open(path)
        rows = store.conn.execute("SELECT title, body, status FROM reports ORDER BY id").fetchall()
        claims = store.conn.execute('SELECT report_id, start, "end", speaker, credibility FROM claims ORDER BY id').fetchall()
        store.close()
        return rows, claims

    generate(tmp_path / "a.db", 8, seed=5, batch=3)
    generate(tmp_path / "b.db", 8, seed=5, batch=8)
    assert content(tmp_path / "a.db") == content(tmp_path / "b.db")


def test_text_files_for_the_import_benchmark(tmp_path):
    paths = write_text_files(tmp_path, 4, words=600)
    assert len(paths) == 4
    for path in paths:
        words = len(path.read_text(encoding="utf-8").split())
        assert 550 <= words <= 700
