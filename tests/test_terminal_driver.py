"""A closed terminal window must not hang the app's exit (tui/terminal_driver.py)."""

from __future__ import annotations

import threading

import pytest
from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread
from textual.drivers.linux_driver import LinuxDriver

from tui.app import AnalystApp
from tui.terminal_driver import TerminalStream, hangup_safe_driver


class _ClosedTerminal:
    """A terminal after its window closed: every write fails as a hung-up pty's does."""

    def write(self, text: str) -> None:
        raise OSError(5, "Input/output error")

    def flush(self) -> None:
        raise OSError(5, "Input/output error")

    def fileno(self) -> int:
        return 2

    def isatty(self) -> bool:
        return True


def _stops_within(writer: WriterThread, seconds: float = 5.0) -> bool:
    """Write more than the queue holds, as the exit's restoring writes do, then stop the thread."""
    def finish() -> None:
        for _ in range(MAX_QUEUED_WRITES * 2):
            writer.write("\x1b[?1049l")
        writer.stop()

    finishing = threading.Thread(target=finish, daemon=True)
    finishing.start()
    finishing.join(seconds)
    return not finishing.is_alive()


def test_the_writer_thread_outlives_a_closed_terminal_so_the_exit_ends():
    writer = WriterThread(TerminalStream(_ClosedTerminal()))
    writer.start()
    assert _stops_within(writer)
    assert writer._file.gone


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_without_the_guard_the_exit_hangs_on_a_closed_terminal():
    """What the guard is for: Textual's own writer thread dies on the first failed write and the
    exit then waits for room in its queue forever (the thread here is a daemon, left behind)."""
    writer = WriterThread(_ClosedTerminal())
    writer.start()
    assert not _stops_within(writer, seconds=1.0)


def test_the_launched_app_uses_the_guarded_driver_and_tests_keep_textuals():
    guarded = AnalystApp(None, exit_on_signals=True)
    assert issubclass(guarded.driver_class, LinuxDriver) and guarded.driver_class is not LinuxDriver
    assert AnalystApp(None).driver_class is LinuxDriver
    assert hangup_safe_driver(object) is None


def test_a_live_terminal_gets_every_write():
    written = []

    class Live:
        def write(self, text):
            written.append(text)

        def flush(self):
            written.append("<flush>")

    stream = TerminalStream(Live())
    stream.write("a")
    stream.flush()
    assert written == ["a", "<flush>"] and not stream.gone
