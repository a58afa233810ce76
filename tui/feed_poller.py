"""Subscriptions polled while the app runs, and the quiet line that says what they brought.

``FeedPoller`` is a one-line status widget at the bottom of the triage screen. A timer asks the
store which subscriptions are due (each has its own interval; failing ones back off); a thread
worker with its own Store polls them (``db.feed_poll``) and only posts messages back. New items
land in the queue as new reports; the line says "3 new from Shafaq" and fades after a while.
"""

from __future__ import annotations

import os
from datetime import datetime

from textual import work
from textual.content import Content
from textual.message import Message
from textual.widgets import Label
from textual.worker import get_current_worker

from db.text_safety import one_line

TICK_SECONDS = 30.0  # how often due subscriptions are looked for (each feed has its own interval)
TICK_ENV = "ANALYST_TUI_FEED_TICK"  # seconds, for trying the poller out without waiting
FIRST_TICK_SECONDS = 2.0  # after start-up: the first screen comes first
SHOWN_SECONDS = 30.0  # how long the line stays after the last poll that brought something


class FeedPolled(Message):
    """One subscription polled: its ``db.feed_poll.PollOutcome``."""

    def __init__(self, outcome) -> None:
        super().__init__()
        self.outcome = outcome


class FeedPollDone(Message):
    def __init__(self, error: str | None = None) -> None:
        super().__init__()
        self.error = error


def tick_seconds() -> float:
    try:
        return max(0.5, float(os.environ[TICK_ENV]))
    except (KeyError, ValueError):
        return TICK_SECONDS


class FeedPoller(Label):
    DEFAULT_CSS = """
    FeedPoller { display: none; height: 1; width: 1fr; padding: 0 1; color: $text-muted; }
    FeedPoller.-shown { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(Content(""), **kwargs)
        self.running = False
        self.outcomes: list = []  # what the current (or last) poll brought, feed by feed
        self.problem: str | None = None  # why the last poll could not run at all
        self._fade = None

    def on_mount(self) -> None:
        self.set_interval(tick_seconds(), self.tick)
        self.set_timer(FIRST_TICK_SECONDS, self.tick)

    def tick(self) -> None:
        """Poll what is due, unless a poll is still running."""
        store = self.app.store
        if self.running or store.path is None or store.read_only:  # a read-only case file takes no new reports
            return
        from db.feed_poll import subscriptions_to_poll

        due, _held = subscriptions_to_poll(self.app.store, due_only=True)
        if due:
            self.start([s.id for s in due])

    def poll_now(self) -> bool:
        """Poll every subscription not backing off, now (the palette's command). False if one is running."""
        if self.running or self.app.store.read_only:
            return False
        from db.feed_poll import subscriptions_to_poll

        chosen, _held = subscriptions_to_poll(self.app.store)
        self.start([s.id for s in chosen])
        return True

    def start(self, subscription_ids: list[int]) -> None:
        if not subscription_ids:
            return
        self.running = True
        self.outcomes, self.problem = [], None
        self._poll(self.app.store.path, subscription_ids)

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def _poll(self, db_path, subscription_ids: list[int]) -> None:
        from db import subscriptions as subs
        from db.feed_poll import poll
        from db.store import Store

        worker = get_current_worker()
        try:
            with Store.open(db_path) as store:
                chosen = [s for s in subs.list_subscriptions(store) if s.id in set(subscription_ids)]
                poll(store, chosen, progress=lambda outcome: self.post_message(FeedPolled(outcome)),
                     cancelled=lambda: worker.is_cancelled)
            self.post_message(FeedPollDone())
        except Exception as exc:  # a locked or damaged database ends the poll with a line, not a dead worker
            self.post_message(FeedPollDone(error=str(exc) or type(exc).__name__))

    def on_feed_polled(self, message: FeedPolled) -> None:
        self.outcomes.append(message.outcome)
        if message.outcome.new:
            self.screen.poll_database()  # the new reports show in the queue now, not at the next check
        self._show()

    def on_feed_poll_done(self, message: FeedPollDone) -> None:
        self.running = False
        self.problem = message.error
        self._show()
        if self._fade is not None:
            self._fade.stop()
        self._fade = self.set_timer(SHOWN_SECONDS, self.clear)

    def _show(self) -> None:
        text = summary(self.outcomes, self.problem)
        if not text:
            return
        self.update(Content.assemble(("Feeds ", "bold"), f"{datetime.now():%H:%M} · ", text))
        self.add_class("-shown")

    def clear(self) -> None:
        self.outcomes, self.problem = [], None
        self.update(Content(""))
        self.remove_class("-shown")


def summary(outcomes: list, problem: str | None = None) -> str:
    """One line, most telling first: "3 new from Shafaq", or "42 new from 4 feeds · 1 failing:
    Broken Wire (HTTP 500, again at 10:40) · Shafaq 3, Monitor 20, ..."; "" when there is
    nothing to say (every feed unchanged)."""
    bringing = sorted((o for o in outcomes if o.new), key=lambda o: -o.new)
    failing = [o for o in outcomes if o.error]
    parts = []
    if problem:
        parts.append(f"not polled: {one_line(problem, 80)}")
    if len(bringing) == 1:
        parts.append(f"{bringing[0].new} new from {one_line(bringing[0].label, 40)}")
    elif bringing:
        parts.append(f"{sum(o.new for o in bringing)} new from {len(bringing)} feeds")
    if failing:
        parts.append(f"{len(failing)} failing: " + ", ".join(
            f"{one_line(o.label, 30)} ({one_line(o.error, 40)}, again at {o.retry_at})" for o in failing))
    if len(bringing) > 1:
        parts.append(", ".join(f"{one_line(o.label, 30)} {o.new}" for o in bringing))
    return " · ".join(parts)
