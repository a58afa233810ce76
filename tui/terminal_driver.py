"""The launched app's terminal driver: closing the terminal window must end the app, never hang it.

Textual writes to the terminal from one thread fed by a queue of 30 writes. Once the window is
closed every write fails (EIO), the first failure kills that thread, and the app's exit, which
writes the escape codes that restore the terminal, then waits forever for room in the dead
thread's queue (seen in CI: the app stayed up and the --demo database was left behind). The
kernel's SIGCONT that comes with the hang-up makes it likelier: Textual answers it by starting
the application mode again, writes included. A terminal that is gone swallows the writes here,
so the thread lives to the end and the exit runs as ``q``'s does.
"""

from __future__ import annotations

from typing import IO


class TerminalStream:
    """The terminal as the writer thread sees it: writes and flushes to a closed terminal are
    dropped (and every later one with them), never raised into the thread."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> None:
        if self.gone:
            return
        try:
            self._stream.write(text)
        except (OSError, ValueError):  # EIO / EPIPE once the window closed; ValueError: stream closed
            self.gone = True

    def flush(self) -> None:
        if self.gone:
            return
        try:
            self._stream.flush()
        except (OSError, ValueError):
            self.gone = True

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return not self.gone and self._stream.isatty()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def hangup_safe_driver(default_driver: type) -> type | None:
    """The driver to run the launched app with, or None for Textual's own choice: only the Linux /
    macOS terminal driver writes from a thread that a closed terminal can kill."""
    try:
        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # Windows
        return None
    if not issubclass(default_driver, LinuxDriver):
        return None

    class HangupSafeDriver(default_driver):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._file = TerminalStream(self._file)

    return HangupSafeDriver
