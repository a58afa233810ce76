"""Screens that show the store pick up what other processes commit (the CLI, a second window, a feed
poll): SQLite's ``data_version`` changes with every commit made by another connection, and reading it
costs nothing, so it is polled rather than signalled."""

from __future__ import annotations

from db.errors import StoreError
from db.text_safety import one_line

POLL_SECONDS = 1.5  # changes committed elsewhere show within this


class WatchesDatabase:
    """Mixed into a screen with ``store``; the screen says what to re-read in ``reread_changed``."""

    _data_version: int | None = None

    def watch_database(self) -> None:
        """Call from ``on_mount``."""
        self._data_version = self.store.data_version()
        self.set_interval(POLL_SECONDS, self.poll_database)

    def poll_database(self) -> None:
        try:
            version = self.store.data_version()
        except StoreError:
            return
        if version != self._data_version:
            self._data_version = version
            self.reread_changed()

    def reread_changed(self) -> None:
        raise NotImplementedError


def undo_last(screen) -> bool:
    """``u`` on any screen: undo the last audited change and say what it was. False: nothing was undone."""
    try:
        what = screen.store.undo()
    except StoreError as exc:
        screen.notify(one_line(str(exc)), severity="error", markup=False)
        return False
    screen.notify(f"Undone: {what}" if what else "Nothing to undo.", markup=False)
    return bool(what)
