"""Textual's frame clock, set by the entry points before Textual is imported.

Textual paints a change at the next slot of a fixed frame clock (60 a second by default), which
adds up to one slot to the answer of every keystroke; at 240 the wait is at most ~4 ms (figures in
bench/RESULTS.md, "Frame rate"). Frames are still painted only when something changed. Textual
reads the variable when it is first imported, so this runs before that; the environment still wins.
"""

import os

FRAME_RATE_ENV = "TEXTUAL_FPS"
FRAMES_PER_SECOND = "240"


def use_fast_frames() -> None:
    os.environ.setdefault(FRAME_RATE_ENV, FRAMES_PER_SECOND)
