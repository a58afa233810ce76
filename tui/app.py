"""The Textual application: holds the UI thread's Store and the analyst's settings."""

from __future__ import annotations

import contextlib
import asyncio
import signal
from pathlib import Path

from textual import events
from textual.app import App
from textual.notifications import Notification, Notify

from .config import THEMES, Config
from .idle_collector import TICK_SECONDS, IdleCollector
from .search_service import SearchService
from .terminal_driver import hangup_safe_driver


class AnalystApp(App):
    TITLE = "analyst-tui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, store, *, config: Config | None = None, first_run_import: str | list | None = None,
                 cursor_blink: bool = True, exit_on_signals: bool = False) -> None:
        super().__init__(driver_class=hangup_safe_driver(self.get_driver_class()) if exit_on_signals else None)
        self.exit_on_signals = exit_on_signals  # the launched app (not tests): see on_mount
        self.store = store  # used only on this (the UI) thread; workers open their own
        self.config = config or Config()
        self.first_run_import = first_run_import  # "demo" or paths to import once the screen shows
        self.cursor_blink = cursor_blink
        self.search_service = SearchService(self)  # started by the first search
        self.idle_collector = IdleCollector()
        self._held_notification = None  # see on_notify
        self._standing_warning = None  # the last warning or error shown: see on_notify
        self.quitting = False  # exit() was asked for: input is ignored from then on (see on_event)

    @property
    def keymap(self) -> dict[str, str]:
        return self.config.keymap

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        else:
            self.notify(f"unknown theme {self.config.theme[:60]!r} ignored; themes: "
                        f"{', '.join(sorted(self.available_themes))}", severity="warning", markup=False)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.config.problem:
            self.notify(self.config.problem, severity="warning", markup=False)
        if getattr(self.store, "read_only", False):
            self.sub_title = "read-only"
            self.notify(f"read-only: {self.store.path} can be read but not changed here (no write permission); "
                        "changes will be refused", severity="warning", markup=False, timeout=10)
        from .screens.main import MainScreen

        self.push_screen(MainScreen())
        # What start-up built (widgets, styles, modules) lives as long as the app: frozen once
        # the first screen is up, the collector stops re-walking it; what comes later is frozen
        # or collected in the same way (tui/idle_collector.py): no key waits for a full collection.
        self.call_after_refresh(self.idle_collector.tick)
        self.set_interval(TICK_SECONDS, self.idle_collector.tick)
        if self.exit_on_signals:
            self._exit_on_hangup_and_terminate()

    def _exit_on_hangup_and_terminate(self) -> None:
        """A closed terminal window (SIGHUP) or a ``kill`` (SIGTERM) ends the app as ``q`` does:
        by default Python dies on the spot, and the launcher's clean-up (the --demo database's
        temporary folder, the store's last checkpoint) never ran."""
        loop = asyncio.get_running_loop()
        for name in ("SIGHUP", "SIGTERM"):
            number = getattr(signal, name, None)
            if number is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows; not the main thread
                    loop.add_signal_handler(number, self.exit)

    def exit(self, *args, **kwargs) -> None:
        self.quitting = True
        super().exit(*args, **kwargs)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            if self.quitting:
                # Keys typed after "q" in one burst ("qe") would open a dialog on the closing app,
                # which then failed; nothing a key asks for can happen once the app is quitting.
                return
            self.idle_collector.note_input()
        await super().on_event(event)

    def on_notify(self, event: Notify) -> None:
        """One message at a time: a new one replaces the one shown (five stacked toasts covered the
        panes). A warning or error still in its time is not pushed out by the next message: the two
        share the one toast. While a screen that holds messages is up (the search dialog, whose last
        lines a toast covered at 80x24), the newest waits for it to close."""
        if getattr(self.screen, "HOLDS_NOTIFICATIONS", False):
            self._held_notification = event.notification
            event.prevent_default()  # not shown now: App's own handler would add it
            return
        new = event.notification
        standing = self._standing_warning
        if standing is not None and (standing.has_expired or standing.markup != new.markup):
            standing = None
        if standing is not None:
            event.notification = Notification(
                f"{standing.message}\n{new.message}", new.title or standing.title,
                new.severity if new.severity != "information" else standing.severity,
                max(new.timeout, standing.time_left), markup=new.markup)
        if new.severity != "information":
            self._standing_warning = new  # alone: one toast never holds more than two messages
        self.clear_notifications()

    def hold_shown_notification(self) -> None:
        """A screen that holds messages opens: the one on show waits with the rest."""
        shown = list(self._notifications)
        if shown:
            self._held_notification = self._held_notification or shown[-1]
            self.clear_notifications()

    def show_held_notification(self) -> None:
        """The message that waited for a dialog, shown now for its whole time."""
        held, self._held_notification = self._held_notification, None
        if held is not None:
            self.notify(held.message, title=held.title, severity=held.severity, timeout=held.timeout,
                        markup=held.markup)

    def on_key(self, event: events.Key) -> None:
        from .screens.typed_ahead import hand_on

        hand_on(self, event)  # before the bindings: a key meant for a text dialog that just opened

    def _theme_changed(self, theme) -> None:
        name = getattr(theme, "name", str(theme))
        if name != self.config.theme:
            self.config.theme = name
            self.save_config()

    def save_config(self) -> None:
        problem = self.config.save()
        if problem:
            self.notify(problem, severity="warning", markup=False)


__all__ = ["AnalystApp", "THEMES", "Path"]
