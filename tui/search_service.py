"""Search as you type, answered by one thread for the life of the app.

The thread's ``db.search.Searcher`` keeps recent titles, entity names and the word vocabulary in
memory between openings of the search dialog: only the first opening of a session pays for
reading them (~0.7 s at 100k reports), not every "/" (a Searcher per dialog re-read the recent
titles on its first keystroke, ~100 ms at 100k).

Queries go into a queue; the thread takes the newest one waiting (stale ones are dropped
unsearched) and posts ``SearchAnswered`` to the widget that asked, tagged with the generation
it was asked with, so late answers to an old query never replace newer ones.
"""

from __future__ import annotations

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
        from db.search import Searcher, SearchResults

        worker = get_current_worker()
        store = self.app.store.reopen()  # a connection belongs to the thread that opened it
        try:
            searcher = Searcher(store)
            searcher.warm()
            self.warm.set()
            while not worker.is_cancelled:
                try:
                    item = self._queries.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    continue
                # No fixed debounce: an idle thread searches the first keystroke at once; keystrokes
                # typed while it searched queue up, and only the newest of them is searched next.
                while True:
                    try:
                        item = self._queries.get_nowait()
                    except queue.Empty:
                        break
                reply_to, generation, text = item
                try:
                    results = searcher.search(text, limit=LIMIT)
                except Exception as exc:  # a search must never take the screen down
                    results = SearchResults(query=text, message=f"search failed: {exc}")
                reply_to.post_message(SearchAnswered(generation, results))
        finally:
            self.warm.clear()
            self._started = False  # a thread that died (or a closed app) is started again on the next ask
            store.close()
