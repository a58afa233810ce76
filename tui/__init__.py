"""The Textual application. It reads and writes only through :class:`db.store.Store`."""

import os

# Textual paints a change at the next slot of a fixed frame clock (60 a second by default),
# which adds 0-17 ms to the answer of every keystroke. At 120 the wait is at most 8 ms; frames
# are still painted only when something changed. Read by Textual when it is first imported,
# so it is set here, before any tui module imports it; the environment still wins.
FRAME_RATE_ENV = "TEXTUAL_FPS"
os.environ.setdefault(FRAME_RATE_ENV, "120")
