"""Python's cyclic garbage collector, kept out of keystrokes.

The app holds ~60k container objects made after start-up (cached strips of every pane, each
with a handful of caches of its own; styles; widgets). A full collection walked them all:
40-80 ms, landing on one keystroke in about ten (7 in the search benchmark's 76 keys, frames of
50-90 ms). Frozen objects are never walked, and freezing is a constant-time list splice, so:

- while the analyst is active, everything is frozen once a second: the collections Python
  starts by itself walk at most the last second's objects;
- once no key or mouse event has come for ``IDLE_SECONDS``, everything is unfrozen and
  collected once (garbage that was frozen while alive, such as a closed dialog's widgets, is
  freed then), and frozen again.
"""

from __future__ import annotations

import gc
import time
from typing import Callable

IDLE_SECONDS = 2.0
TICK_SECONDS = 1.0


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self._collected_since_input = False

    def note_input(self) -> None:
        self._last_input = self._clock()
        self._collected_since_input = False

    def idle_seconds(self) -> float:
        return self._clock() - self._last_input

    def tick(self) -> None:
        """Called every ``TICK_SECONDS``: collect if the analyst has paused, else freeze."""
        if self._collected_since_input:
            return
        if self.idle_seconds() >= IDLE_SECONDS:
            self._collected_since_input = True
            gc.unfreeze()
            gc.collect()
        gc.freeze()
