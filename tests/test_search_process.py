"""The search process the TUI asks (``db.search_process``): the same answers as a search here,
and a process that dies is started again."""

from __future__ import annotations

import os
import signal

import pytest

from db.search import search
from db.search_process import SearchProcess, SearchProcessError


def hits(results):
    return [(h.kind, h.id, h.report_id, h.text, h.highlights, h.detail, h.score) for h in results.hits]


@pytest.fixture
def process(sample_store):
    searching = SearchProcess(sample_store.path)
    yield searching
    searching.close()


def test_answers_as_a_search_in_this_process(sample_store, process):
    for query in ("haniya", "kataib hezbollah", "status:new office", "in:claims said", "ha", '"refused'):
        assert hits(process.search(query, 50)) == hits(search(sample_store, query, 50)), query


def test_sees_what_this_process_writes(sample_store, process):
    assert process.search("Zubair", 20).hits == []
    from .factories import add_report

    add_report(sample_store, title="Zubair port reopens", body="Zubair port reopens, officials said on Monday.")
    assert any(h.text == "Zubair port reopens" for h in process.search("Zubair", 20).hits)


def test_a_killed_process_is_started_again(process):
    process.start()
    first = process.pid
    os.kill(first, signal.SIGKILL)
    assert process.search("haniya", 20).hits
    assert process.pid != first


def test_close_ends_the_process(process):
    process.start()
    pid = process.pid
    process.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_file_it_cannot_open_is_said(tmp_path):
    searching = SearchProcess(tmp_path / "missing.db")
    with pytest.raises(SearchProcessError, match="search unavailable"):
        searching.search("x", 5)
