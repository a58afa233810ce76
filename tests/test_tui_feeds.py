"""The triage screen's feeds: polled in a worker while the analyst works, a quiet status line,
palette commands. Feeds come from a local server on 127.0.0.1 (tests/feed_server.py)."""

from __future__ import annotations


import pytest

from db import subscriptions as subs
from tui.feed_poller import FeedPoller, summary
from tui.screens.main import MainScreen
from tui.widgets.queue import ReportQueue

from tests.factories import wait_until

from .feed_server import Route, fixture, items_for, rss

NARROW = (80, 24)


pytestmark = pytest.mark.usefixtures("no_proxy")


async def _until(pilot, condition, seconds: float = 20.0) -> None:
    await wait_until(pilot, condition, what="the feed poll's effect", timeout=seconds)


def _line(app) -> str:
    return str(app.screen.query_one(FeedPoller).render())


async def test_new_items_arrive_as_new_while_a_slow_and_a_failing_feed_block_nothing(sample_store, make_tui_app,
                                                                                       server):
    subs.subscribe_feed(sample_store, server.serve("shafaq.rss", fixture("shafaq.rss")), name="Shafaq")
    slow = subs.subscribe_feed(sample_store, server.serve("slow.rss", Route(rss("Slow Wire", items_for("slow", 2)),
                                                                            delay=10)))
    subs.subscribe_feed(sample_store, server.serve("broken.rss", Route(status=500)), name="Broken Wire")
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        queue = screen.query_one(ReportQueue)
        poller = screen.query_one(FeedPoller)
        assert not poller.has_class("-shown")  # nothing to say yet: the line takes no room
        await _until(pilot, lambda: queue.total == 6)  # the first tick polls what is due: Shafaq's 3 arrive
        assert poller.running  # ... while the slow feed is still being waited for
        assert "3 new from Shafaq" in _line(app)
        await _until(pilot, lambda: "1 failing: Broken Wire (HTTP 500" in _line(app))
        assert poller.has_class("-shown")
        # the screen answers keys meanwhile
        await pilot.press("G")
        assert queue.cursor == queue.total - 1
        await pilot.press("g", "j")
        assert queue.cursor == 1
        assert sample_store.count_reports() == 6 and poller.running
        assert "new" in {queue.row(i).status for i in range(queue.total)}
        await _until(pilot, lambda: not poller.running, seconds=30)
        assert queue.total == 8
        assert "5 new from 2 feeds" in _line(app) and "Shafaq 3, Slow Wire 2" in _line(app)
    assert subs.get_subscription(sample_store, slow).last_new == 2
    statuses = sample_store.status_counts()
    assert statuses["new"] == 8


async def test_subscribe_from_the_palette_polls_at_once_and_u_undoes_the_subscription(sample_store, make_tui_app,
                                                                                      server):
    url = server.serve("monitor.atom", fixture("monitor.atom"))
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("ctrl+p", *"subscribe to feed")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*url, "enter")
        queue = app.screen.query_one(ReportQueue)
        await _until(pilot, lambda: queue.total == 5)
        await _until(pilot, lambda: "2 new from Regional Monitor" in _line(app))
        [subscription] = subs.list_subscriptions(sample_store)
        assert subscription.location == url and subscription.title == "Regional Monitor"
        assert sample_store.history(limit=1)[0].target_kind == "subscription"
        await pilot.press("u")
        await pilot.pause()
        assert subs.list_subscriptions(sample_store) == []
        assert sample_store.count_reports() == 5  # what it brought stays


async def test_the_palette_lists_subscriptions_and_unsubscribes(sample_store, make_tui_app):
    subs.subscribe_feed(sample_store, "http://127.0.0.1:9/a.rss", name="Alpha")
    subs.subscribe_feed(sample_store, "http://127.0.0.1:9/b.rss", name="Beta")
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        app.screen.query_one(FeedPoller).running = True  # no poll of these dead addresses meanwhile
        await app.screen.run_action("list_feeds")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
    assert [s.name for s in subs.list_subscriptions(sample_store)] == ["Alpha"]


async def test_a_bad_address_from_the_palette_is_a_message(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        await app.screen.run_action("add_feed")
        await pilot.pause()
        await pilot.press(*"file:///etc/passwd", "enter")
        await pilot.pause()
        assert any("not a feed address" in n.message for n in app._notifications)
    assert subs.list_subscriptions(sample_store) == []


def test_the_line_puts_counts_first_and_is_silent_when_nothing_changed():
    from db.feed_poll import PollOutcome

    assert summary([PollOutcome(1, "Shafaq", new=3)]) == "3 new from Shafaq"
    assert summary([PollOutcome(1, "Shafaq", not_modified=True)]) == ""
    line = summary([PollOutcome(1, "Shafaq", new=3), PollOutcome(2, "Monitor", new=20),
                    PollOutcome(3, "Broken", error="HTTP 500", retry_at="10:40")])
    assert line == "23 new from 2 feeds · 1 failing: Broken (HTTP 500, again at 10:40) · Monitor 20, Shafaq 3"
    assert "\x1b" not in summary([PollOutcome(1, "Evil\x1b]0;pwned\x07", new=1)])


async def test_a_read_only_database_is_not_polled_into(sample_store, make_tui_app, server):
    subs.subscribe_feed(sample_store, server.serve("shafaq.rss", fixture("shafaq.rss")), name="Shafaq")
    sample_store.read_only = True  # as a case file opened read-only (another user's) is
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        poller = app.screen.query_one(FeedPoller)
        poller.tick()
        await app.screen.run_action("poll_feeds")
        await pilot.pause(0.5)
        assert not poller.running and server.requests["/shafaq.rss"] == 0
        assert any("read-only" in n.message for n in app._notifications)
    assert sample_store.count_reports() == 3
