"""Python's cyclic garbage collector, kept out of keystrokes.

The app holds ~60k container objects made after start-up (cached strips of every pane, each
with a handful of caches of its own; styles; widgets). A full collection walked them all:
40-80 ms, landing on one keystroke in about ten (7 in the search benchmark's 76 keys, frames of
50-90 ms). Frozen objects are never walked, and freezing is a constant-time list splice, so:

- while the analyst is active, everything is frozen once a second: the collections Python
  starts by itself walk at most the last second's objects;
- once no key or mouse event has come for ``IDLE_SECONDS``, everything is unfrozen and
  collected once (garbage that was frozen while alive, such as a closed dialog's widgets, is
  freed then), and frozen again. That walks every object, start-up's too (~200 ms at 100k
  reports): a key pressed meanwhile waits for it, so it happens at most once per
  ``COLLECT_EVERY_SECONDS``, which also bounds what frozen garbage can pile up.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_SECONDS = 3.0
TICK_SECONDS = 1.0
COLLECT_EVERY_SECONDS = 30.0


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = self._last_collection = clock()
        self._collected_since_input = False

    def note_input(self) -> None:
        self._last_input = self._clock()
        self._collected_since_input = False

    def idle_seconds(self) -> float:
        return self._clock() - self._last_input

    def tick(self) -> None:
        """Called every ``TICK_SECONDS``: collect if the analyst has paused (and the last
        collection is old enough), else freeze what is new."""
        if self._collected_since_input:
            return
        now = self._clock()
        if now - self._last_input >= IDLE_SECONDS and now - self._last_collection >= COLLECT_EVERY_SECONDS:
            self._collected_since_input = True
            self._last_collection = now
            gc.unfreeze()
            gc.collect()
        gc.freeze()
