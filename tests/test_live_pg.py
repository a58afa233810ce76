"""Other analysts' changes reach an open screen on PostgreSQL: two stores on one database, one writing,
the other's ``data_version`` moving (LISTEN/NOTIFY, db/live.py), and the triage screen re-reading.

Skipped, with the reason, where no PostgreSQL server can start (conftest's ``pg_url``)."""

from __future__ import annotations

import time

import pytest

from db.store import Store
from tui.screens.main import MainScreen
from tui.widgets.queue import ReportQueue

from .factories import add_report, fill_sample, wait_until

SECONDS = 2.0  # the bar: another analyst's change shows within this


@pytest.fixture
def two(pg_database):
    """Two analysts' stores on one PostgreSQL database holding the sample reports."""
    mine, theirs = Store.open(pg_database), Store.open(pg_database)
    theirs.ids = fill_sample(theirs)
    yield mine, theirs
    mine.close()
    theirs.close()


def moves_within(store: Store, seconds: float, before: int) -> float | None:
    """How long until ``store.data_version()`` differs from ``before`` (None: not within ``seconds``)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if store.data_version() != before:
            return time.monotonic() - started
        time.sleep(0.01)
    return None


@pytest.mark.parametrize("change", ["grade", "stance", "note", "import", "status", "tag"])
def test_another_stores_change_moves_the_version(two, change):
    mine, theirs = two
    before = mine.data_version()
    report = theirs.ids["shafaq"]
    claim = theirs.claim_ids_for_report(report)[0]
    if change == "grade":
        theirs.set_claim_credibility([claim], 2)
    elif change == "stance":
        theirs.set_stance([claim], "refutes")
    elif change == "note":
        theirs.set_note("claim", claim, "the second source says otherwise")
    elif change == "import":
        add_report(theirs, title="Zubair port reopens", body="Zubair port reopens, officials said on Monday.")
    elif change == "status":
        theirs.set_status([report], "dismissed")
    else:
        theirs.add_tag("report", [report], "urgent")
    assert moves_within(mine, SECONDS, before) is not None, change


def test_own_changes_and_reads_do_not_move_it(two):
    """As SQLite's data_version: a store's own commits are not news to it, and reading changes nothing."""
    mine, theirs = two
    moves_within(mine, 0.3, mine.data_version())  # the sample's import, settled
    before = mine.data_version()
    claim = mine.claim_ids_for_report(theirs.ids["wire"])[0]
    mine.set_claim_credibility([claim], 3)
    theirs.list_reports()
    theirs.get_report(theirs.ids["wire"])
    assert moves_within(mine, 0.5, before) is None


def test_a_rolled_back_change_sends_nothing(two):
    mine, theirs = two
    moves_within(mine, 0.3, mine.data_version())
    before = mine.data_version()
    theirs.conn.execute("BEGIN")
    theirs.conn.execute("UPDATE reports SET status = 'read'")
    theirs.conn.execute("ROLLBACK")
    assert moves_within(mine, 0.5, before) is None


async def test_the_triage_screen_shows_another_analysts_grade(two, make_tui_app):
    mine, theirs = two
    app = make_tui_app(mine)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        queue = screen.query_one(ReportQueue)
        await wait_until(pilot, lambda: queue.total == 3, what="the queue")
        shown = queue.current()
        assert shown.credibility == 6
        theirs.set_report_credibility([shown.id], 2)
        started = time.monotonic()
        await wait_until(pilot, lambda: queue.current().credibility == 2, what="the other analyst's grade",
                         timeout=SECONDS + 1.0)
        assert time.monotonic() - started <= SECONDS
        assert mine.get_report(shown.id).credibility == 2
