"""A terminal driver for end-to-end tests: run a program in a real terminal (tmux, on a server of its
own, so it never touches the user's sessions) and drive it as a person would. The tests need
nothing outside the repository but tmux itself (Debian package ``tmux``).

    python -m tests.tui_drive start NAME [-s COLSxROWS] -- COMMAND [ARG...]
    python -m tests.tui_drive keys NAME KEY...      tmux key names: Enter Escape Tab Up Down C-q j k ...
    python -m tests.tui_drive type NAME TEXT        typed literally
    python -m tests.tui_drive screen NAME           what the terminal shows now
    python -m tests.tui_drive wait NAME TEXT [SECS] until TEXT shows (default 10 s); exit 1 and the screen if not
    python -m tests.tui_drive stop NAME
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

SERVER = "analyst-tui-drive"  # tmux -L: a server of the tests' own


def available() -> bool:
    return shutil.which("tmux") is not None


@dataclass
class Terminal:
    """One program in a detached tmux session named ``name``."""

    name: str

    def _tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(["tmux", "-L", SERVER, *args], capture_output=True, text=True, timeout=30)
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {result.stderr.strip()}")
        return result.stdout

    def start(self, command: list[str], size: str = "120x40") -> Terminal:
        columns, rows = size.split("x")
        self.stop()
        self._tmux("new-session", "-d", "-s", self.name, "-x", columns, "-y", rows,
                   "-e", "TERM=xterm-256color", "-e", "COLORTERM=truecolor", *command)
        # keep the pane when the program ends, so its last screen can still be read
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")
        return self

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", "--", text)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def wait(self, text: str, seconds: float = 10.0) -> bool:
        deadline = time.monotonic() + seconds
        while True:
            if text in self.screen():
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)

    def stop(self) -> None:
        self._tmux("kill-session", "-t", self.name, check=False)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("start", "keys", "type", "screen", "wait", "stop"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    command, terminal, rest = argv[0], Terminal(argv[1]), argv[2:]
    if command == "start":
        size = "120x40"
        if rest[:1] == ["-s"]:
            size, rest = rest[1], rest[2:]
        if rest[:1] == ["--"]:
            rest = rest[1:]
        terminal.start(rest, size)
    elif command == "keys":
        terminal.keys(*rest)
    elif command == "type":
        terminal.type(" ".join(rest))
    elif command == "screen":
        print(terminal.screen(), end="")
    elif command == "wait":
        if not terminal.wait(rest[0], float(rest[1]) if len(rest) > 1 else 10.0):
            print(f"tui_drive: {rest[0]!r} did not appear; the screen shows:\n{terminal.screen()}", file=sys.stderr)
            return 1
    else:
        terminal.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
