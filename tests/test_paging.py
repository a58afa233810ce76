"""Paging the queue: offset pages (read through the index) equal keyset pages and one full listing."""

from __future__ import annotations

import pytest

from bench.generate import generate
from db.store import ReportFilter, Store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("paging") / "paging.db"
    generate(path, 60, seed=9, batch=25)
    s = Store.open(path)
    yield s
    s.close()


FILTERS = [None, ReportFilter(statuses=("new",)), ReportFilter(reliability=("A", "B", "C")),
           ReportFilter(statuses=("read", "flagged"), source="a"), ReportFilter(tag="priority")]


@pytest.mark.parametrize("flt", FILTERS)
def test_offset_and_keyset_pages_match_the_full_listing(store, flt):
    everything = [r.id for r in store.list_reports(flt, limit=10_000)]
    assert len(everything) == store.count_reports(flt)
    by_offset, by_keyset, after = [], [], None
    for offset in range(0, len(everything) + 7, 7):
        by_offset += [r.id for r in store.list_reports(flt, limit=7, offset=offset)]
        page = store.list_reports(flt, limit=7, after=after)
        by_keyset += [r.id for r in page]
        if page:
            after = store.report_position_key(page[-1].id)
    assert by_offset == everything
    assert by_keyset == everything
    for index, report_id in enumerate(everything):
        assert store.report_index(flt, report_id) == index


def test_an_offset_past_the_end_is_empty(store):
    assert store.list_reports(limit=10, offset=store.count_reports() + 5) == []
