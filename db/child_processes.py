"""Starting processes from inside the TUI.

Textual replaces ``sys.stderr`` with a stand-in whose ``fileno()`` is -1, and multiprocessing
hands stderr's file to the resource tracker it starts with the first child process (spawned or
forkserver): from the TUI that start failed with "bad value(s) in fds_to_keep", so an import of
100 files or more (the size at which extraction moves to worker processes) failed there. The
tracker is started here first, with the null device as its stderr: nothing it prints can land
on the TUI's screen either. Once it runs, later processes start without stderr.
"""

from __future__ import annotations

import os
import sys
import threading

_LOCK = threading.Lock()


def start_resource_tracker() -> None:
    """Call before starting a process pool or process, from any thread (cheap once running)."""
    from multiprocessing import resource_tracker

    with _LOCK:
        try:
            usable = sys.stderr is not None and sys.stderr.fileno() >= 0
        except (AttributeError, OSError, ValueError):
            usable = False
        if usable:
            resource_tracker.ensure_running()
            return
        replaced = sys.stderr
        with open(os.devnull, "w") as devnull:
            sys.stderr = devnull
            try:
                resource_tracker.ensure_running()
            finally:
                sys.stderr = replaced
