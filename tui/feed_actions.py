"""The triage screen's feed commands (palette): subscribe, watch a folder, poll now, list and remove.

A mixin of ``MainScreen``: each ``action_*`` is one command of ``tui.commands``. Subscribing
goes through ``db.subscriptions`` (audited; ``u`` undoes it) like every other change.
"""

from __future__ import annotations

from db import subscriptions as subs
from db.text_safety import one_line

from .choices import Choice
from .feed_poller import FeedPoller
from .screens.pickers import ChoiceScreen, TextPrompt

_KEYS = "123456789abcdefghilmnoprstuvwxyz"


class FeedActions:
    """Needs ``store``, ``_apply``, ``notify`` and ``app`` (MainScreen has them)."""

    @property
    def feed_poller(self) -> FeedPoller:
        return self.query_one(FeedPoller)

    def action_add_feed(self) -> None:
        def chosen(url) -> None:
            if url and url.strip() and self._apply(lambda: subs.subscribe_feed(self.store, url.strip()),
                           f"Subscribed to {one_line(url.strip(), 60)}; polling it now"):
                self.feed_poller.poll_now()

        self.app.push_screen(TextPrompt("Subscribe to an RSS or Atom feed",
                                        subtitle="Polled every 15 minutes while the app runs; u undoes",
                                        placeholder="https://example.org/feed.xml"), chosen)

    def action_watch_folder(self) -> None:
        def chosen(path) -> None:
            if path and path.strip() and self._apply(lambda: subs.watch_folder(self.store, path.strip()),
                           f"Watching {one_line(path.strip(), 60)}: files dropped there are imported"):
                self.feed_poller.poll_now()

        self.app.push_screen(TextPrompt("Watch a folder", subtitle="Files dropped there are imported and left there",
                                        placeholder="~/inbox/"), chosen)

    def action_poll_feeds(self) -> None:
        if self.store.read_only:
            self.notify("The database is read-only: feeds are not polled into it.", markup=False)
        elif not subs.list_subscriptions(self.store):
            self.notify("No subscriptions: Ctrl+P, Subscribe to feed.", markup=False)
        elif not self.feed_poller.poll_now():
            self.notify("Feeds are being polled already.", markup=False)

    def action_list_feeds(self) -> None:
        rows = subs.list_subscriptions(self.store)
        if not rows:
            self.notify("No subscriptions: Ctrl+P, Subscribe to feed.", markup=False)
            return
        choices = [Choice(_KEYS[i], s, one_line(s.label, 40), _state(s)) for i, s in enumerate(rows[:len(_KEYS)])]

        def chosen(subscription) -> None:
            if subscription is None:
                return
            confirm = [Choice("x", True, f"Unsubscribe from {one_line(subscription.label, 40)}",
                              "Its reports stay; u undoes")]

            def act(yes) -> None:
                if yes:
                    self._apply(lambda: subs.unsubscribe(self.store, subscription.id),
                                f"Unsubscribed from {one_line(subscription.label, 40)} (u undoes)")

            self.app.push_screen(ChoiceScreen(one_line(subscription.location, 70), confirm), act)

        self.app.push_screen(ChoiceScreen(f"Subscriptions ({len(rows)})", choices,
                                          subtitle="Choose one to unsubscribe"), chosen)


def _state(s: subs.Subscription) -> str:
    where = one_line(s.location, 50)
    if s.failures:
        return f"{where} · failing: {one_line(s.last_error or '', 40)}"
    if s.last_polled_at:
        return f"{where} · {s.last_new} new at {s.last_polled_at[11:16]} UTC"
    return f"{where} · not polled yet"
