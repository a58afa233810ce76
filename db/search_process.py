"""A :class:`db.search.Searcher` in a process of its own, for a screen that draws while it searches.

In a thread of the UI's process, the search and the drawing of the keystroke that asked for it
share one interpreter lock: at 100k reports a keystroke's search took 18 ms in the app against
13 ms alone, the difference being the frame that echoes the letter. In a process of its own it
runs beside the drawing, on the other core. The caches (names, vocabulary, titles) live in that
process for the session; a request is a query string, an answer a pickled ``SearchResults``
(~100 hits, well under a millisecond each way).

The process is spawned (not forked: the UI's process has threads) and exits when asked, or when
its pipe closes because the UI's process is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from pathlib import Path

from .child_processes import start_resource_tracker
from .search import Searcher, SearchResults
from .store import Store
import contextlib

START_SECONDS = 120.0  # a first start reads names and titles: seconds at 100k reports on a slow disk


class SearchProcessError(RuntimeError):
    """The search process could not start or died while answering."""


class SearchProcess:
    def __init__(self, path: Path | str):
        self.path = str(path)
        self._process = None
        self._conn: Connection | None = None

    def start(self) -> None:
        """Start the process and wait until its caches are read (idempotent)."""
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return
        self.close()
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, self.path), name="analyst-tui-search", daemon=True)
        start_resource_tracker()
        process.start()
        theirs.close()  # ours alone: when the process dies, reading raises EOFError instead of hanging
        self._process, self._conn = process, ours
        if not ours.poll(START_SECONDS):
            self.close()
            raise SearchProcessError("the search process did not start")
        try:
            status, detail = ours.recv()
        except (EOFError, OSError) as exc:
            self.close()
            raise SearchProcessError("the search process stopped while starting") from exc
        if status != "ready":
            self.close()
            raise SearchProcessError(detail)

    def search(self, text: str, limit: int) -> SearchResults:
        """Ask and wait for the answer; a process that died is started again once."""
        try:
            return self._ask(text, limit)
        except (EOFError, OSError):
            self.close()
        try:
            return self._ask(text, limit)
        except (EOFError, OSError) as exc:
            self.close()
            raise SearchProcessError("the search process stopped while searching") from exc

    def _ask(self, text: str, limit: int) -> SearchResults:
        self.start()
        self._conn.send((text, limit))
        return self._conn.recv()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def close(self) -> None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):
                conn.send(None)
            conn.close()
        if process is not None:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join(timeout=2)


def _serve(conn: Connection, path: str) -> None:
    """The process: answer queries until told to stop or the UI's end of the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C belongs to the UI, which stops us itself
    # The terminal belongs to the UI: nothing of ours may be written over its screen.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        store = Store.open(path, create=False)
        searcher = Searcher(store)
        searcher.warm()
    except Exception as exc:  # said to the UI, which shows it as the search's message
        conn.send(("failed", f"search unavailable: {exc}"))
        return
    conn.send(("ready", None))
    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                break
            if request is None:
                break
            text, limit = request
            try:
                results = searcher.search(text, limit=limit)
            except Exception as exc:  # a search must never take the process down
                results = SearchResults(query=text, message=f"search failed: {exc}")
            conn.send(results)
    finally:
        store.close()
