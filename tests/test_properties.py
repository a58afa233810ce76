"""Properties (hypothesis) of import, extraction, storage and the query parser, on arbitrary and
hostile-biased text: nothing raises but the documented error, every stored span indexes the stored
text exactly, re-importing is idempotent."""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from db.extract import extract
from db.importer import import_paths
from db.ingest import IngestError, parse_bytes
from db.models import ParsedReport
from db.query import QueryError, parse_query
from db.search import search
from db.store import ReportFilter, Store, fts_phrase_query

from . import hostile

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "0")) or None
COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PIECES = ([text for text, _ in hostile.TERMINAL_PAYLOADS.values()] + hostile.MARKUP + hostile.UNICODE_TRAPS + [
    "The minister said ", " said the source.", "\u201c", "\u201d", '"', "According to ", "Ismail Haniyeh ",
    "Hamas ", "Baghdad", "Shafaq News", ", officials said.", "[1]", "\n[1] Telegram, June 11, 2024.\n", "\n", "\n\n",
    "June 13, 2024\n", "---\n", "title: x\n", "# ", "<p>", "</p>", "<html>", "{", "}", "[", "]", ":", "'", "\r\n", "\r",
    "\x00", "\ufeff", "\ud800", "NEAR", "*", "AND", "OR", "NOT", "(", ")", "-", "^", "status:", "grade:", "source:\"",
])
hostile_text = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(PIECES)), max_size=40).map("".join)
NAMES = st.sampled_from(["x.txt", "x.md", "x.html", "x.json", "x.jsonl", "x.rss", "x.atom", "x.xml", "x", "<stdin>",
                         "x.TXT", "x.htm", "x.ndjson"])


def _valid(text: str | None) -> None:
    if text is not None:
        assert isinstance(text, str)
        text.encode("utf-8")  # no lone surrogates: SQLite and the terminal both need valid text


def _check_parsed(reports: list[ParsedReport]) -> None:
    assert reports
    for report in reports:
        for value in (report.title, report.body, report.url, report.published, report.publisher, report.author,
                      report.language, report.original_name, *report.tags):
            _valid(value)
        assert report.body.strip()
        assert "\r" not in report.body
        if report.published:  # the precision the source gave: a year, a month or a day (test_date_precision)
            assert re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", report.published), report.published


@settings(max_examples=EXAMPLES or 300, **COMMON)
@given(data=st.binary(max_size=3000), name=NAMES)
@example(data=b"\xff\xfe" + "x".encode("utf-16-le"), name="x.txt")
@example(data=b'{"body": "\\ud800"}', name="x.json")
@example(data=b"---\npublished: 2024-13-45\n---\nbody\n", name="x.md")
def test_parse_bytes_raises_only_ingest_error_on_any_bytes(data, name):
    try:
        reports = parse_bytes(data, name)
    except IngestError as error:
        assert error.reason and "\n" not in error.reason
        assert not error.reason.startswith("could not parse"), f"a parser bug surfaced: {error.reason}"
        return
    _check_parsed(reports)


@settings(max_examples=EXAMPLES or 300, **COMMON)
@given(text=hostile_text, name=NAMES)
def test_parse_bytes_on_hostile_text(text, name):
    data = text.encode("utf-8", "surrogatepass")
    try:
        reports = parse_bytes(data, name)
    except IngestError as error:
        assert error.reason and not error.reason.startswith("could not parse"), error.reason
        return
    _check_parsed(reports)


def _check_extraction(body: str, extraction) -> None:
    for claim in extraction.claims:
        assert 0 <= claim.start <= claim.end <= len(body)
        assert body[claim.start:claim.end] == claim.text, (claim.start, claim.end, claim.text)
    for entity in extraction.entities:
        for start, end in entity.mentions:
            assert 0 <= start < end <= len(body)
    for cited in extraction.cited_sources:
        assert 0 <= cited.start <= cited.end <= len(body)
        for start, end in cited.markers:
            assert 0 <= start <= end <= len(body)


@settings(max_examples=EXAMPLES or 300, **COMMON)
@given(body=hostile_text, title=st.one_of(st.none(), hostile_text))
def test_extract_never_raises_and_spans_index_the_body(body, title):
    extraction = extract(body, title=title)
    _check_extraction(body, extraction)


def _valid_body(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


@settings(max_examples=EXAMPLES or 60, **COMMON)
@given(body=hostile_text.map(_valid_body), title=hostile_text.map(_valid_body))
def test_stored_spans_index_the_stored_text(body, title):
    """Through the real extractor and SQLite: what is read back indexes what is read back."""
    assume(body.strip())
    store = Store.open(":memory:")
    try:
        parsed = ParsedReport(title=title or "t", body=body, format="text", publisher="Hostile Wire")
        with store.write():
            outcome = store.store_report(parsed, extract(body, title=title))
        stored = store.get_report(outcome.report_id)
        assert stored.body == body
        for claim in store.claims_for_report(outcome.report_id):
            assert stored.body[claim.start:claim.end] == claim.text
        for mention in store.mentions_for_report(outcome.report_id):
            assert stored.body[mention.start:mention.end] == mention.text
        for cited in store.cited_sources_for_report(outcome.report_id):
            assert 0 <= cited.start <= cited.end <= len(stored.body)
        assert store.integrity_check() == "ok"
    finally:
        store.close()


@settings(max_examples=EXAMPLES or 40, **COMMON)
@given(texts=st.lists(hostile_text, min_size=1, max_size=4), names=st.lists(NAMES, min_size=4, max_size=4))
def test_reimporting_is_idempotent(texts, names):
    with tempfile.TemporaryDirectory() as folder:
        for i, text in enumerate(texts):
            Path(folder, f"{i}_{names[i]}".replace("<", "").replace(">", "")).write_bytes(
                text.encode("utf-8", "surrogatepass"))
        store = Store.open(Path(folder, "db.sqlite"))
        try:
            inbox = [Path(folder, p) for p in sorted(os.listdir(folder)) if not p.startswith("db.sqlite")]
            first = import_paths(store, inbox)
            assert first.imported + first.skipped + first.failed == len(first.outcomes)
            before = store.stats()
            second = import_paths(store, inbox)
            assert second.imported == 0
            assert second.skipped == first.imported + first.skipped
            assert second.failed == first.failed
            assert store.stats() == before
        finally:
            store.close()


@settings(max_examples=EXAMPLES or 500, **COMMON)
@given(raw=st.one_of(hostile_text, st.text(max_size=600)))
def test_query_parser_raises_only_query_error(raw):
    try:
        query = parse_query(raw)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert isinstance(query.text, str)


_SEARCH_STORE: Store | None = None


def _search_store() -> Store:
    global _SEARCH_STORE
    if _SEARCH_STORE is None:
        from .factories import add_report, seeded_store

        _SEARCH_STORE = seeded_store()
        text = hostile.hostile_report_text(11)
        add_report(_SEARCH_STORE, title="Hostile", body=text, claims=[(text.split("\n")[4][:40], "the minister")])
    return _SEARCH_STORE


@settings(max_examples=EXAMPLES or 300, **COMMON)
@given(raw=st.one_of(hostile_text, st.text(max_size=100)))
def test_search_and_filter_never_raise(raw):
    store = _search_store()
    results = search(store, raw)
    message = results.message or ""
    assert not message.startswith("search failed"), message
    flt = ReportFilter(text=raw)
    assert store.count_reports(flt) == len(store.list_reports(flt, limit=10_000))


@settings(max_examples=EXAMPLES or 300, **COMMON)
@given(raw=st.text(max_size=200))
def test_fts_phrase_query_is_always_valid_fts5(raw):
    store = _search_store()
    query = fts_phrase_query(raw)
    if query:
        try:
            store.conn.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH ?", (query,)).fetchone()
        except sqlite3.OperationalError as error:  # pragma: no cover - the property
            raise AssertionError(f"{raw!r} -> {query!r}: {error}") from error
