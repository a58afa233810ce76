"""Search as you type, answered by one search process for the life of the app.

The process (``db.search_process``) keeps recent titles, entity names and the word vocabulary
in memory between openings of the search dialog: only the first opening of a session pays for
reading them (~1 s at 100k reports), not every "/". It searches on the other core while this
process draws: in a thread here, the search and the frame echoing the keystroke took turns.

Queries go into a queue; a thread here takes the newest one waiting (stale ones are dropped
unsearched), waits for the process's answer (without holding the interpreter lock) and posts
``SearchAnswered`` to the widget that asked, tagged with the generation it was asked with, so
late answers to an old query never replace newer ones.
"""

from __future__ import annotations

import contextlib
import queue
import threading

from textual.message_pump import MessagePump
from textual.worker import get_current_worker

from .messages import SearchAnswered

LIMIT = 100  # hits per answer
POLL_SECONDS = 0.25  # how often an idle thread checks that the app is not closing


class SearchService:
    def __init__(self, app) -> None:
        self.app = app
        self._queries: queue.Queue[tuple[MessagePump, int, str]] = queue.Queue()
        self._started = False
        self.warm = threading.Event()  # set once the thread's caches are read (benchmarks wait for it)

    def start(self) -> None:
        """Start the thread and warm its caches (idempotent): the dialog calls it as it opens."""
        if not self._started:
            self._started = True
            self.app.run_worker(self._serve, thread=True, group="search", name="search", exit_on_error=False)

    def ask(self, reply_to: MessagePump, generation: int, text: str) -> None:
        self.start()
        self._queries.put((reply_to, generation, text))

    def _serve(self) -> None:
        from db.search import SearchResults
        from db.search_process import SearchProcess, SearchProcessError

        worker = get_current_worker()
        process = SearchProcess(self.app.store.path)
        try:
            with contextlib.suppress(SearchProcessError):
                process.start()  # else asked again with the first query, whose answer then says what failed
            self.warm.set()
            while not worker.is_cancelled:
                try:
                    item = self._queries.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    continue
                # No fixed debounce: an idle process searches the first keystroke at once; keystrokes
                # typed while it searched queue up, and only the newest of them is searched next.
                while True:
                    try:
                        item = self._queries.get_nowait()
                    except queue.Empty:
                        break
                reply_to, generation, text = item
                try:
                    results = process.search(text, LIMIT)
                except SearchProcessError as exc:  # a search must never take the screen down
                    results = SearchResults(query=text, message=str(exc))
                reply_to.post_message(SearchAnswered(generation, results))
        finally:
            self.warm.clear()
            self._started = False  # a thread that died (or a closed app) is started again on the next ask
            process.close()
