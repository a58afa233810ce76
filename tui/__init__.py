"""The Textual application. It reads and writes only through :class:`db.store.Store`."""

import os

# Textual paints a change at the next slot of a fixed frame clock (60 a second by default),
# which adds 0-17 ms to the answer of every keystroke. At 240 the wait is at most 4 ms (search
# screen at 100k, three interleaved pairs of runs: 34.9/34.7/34.5 ms at 120, 32.9/32.9/29.3 at
# 240); frames are still painted only when something changed, and a frame that takes longer
# than a slot skips the slots it overran. Read by Textual when it is first imported, so it is
# set here, before any tui module imports it; the environment still wins.
FRAME_RATE_ENV = "TEXTUAL_FPS"
os.environ.setdefault(FRAME_RATE_ENV, "240")
