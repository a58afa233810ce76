"""Copying text out of the app: the system clipboard (pyperclip) and the terminal (OSC 52).

Both are tried: pyperclip works locally when xclip, xsel or wl-copy exists; OSC 52 works
over SSH in most terminals. Neither failing may crash the app; the result says what worked
so the notification can tell the analyst where the text went.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CopyResult:
    system: bool  # pyperclip put it on the system clipboard
    terminal: bool  # OSC 52 was written to the terminal
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.system or self.terminal

    def how(self) -> str:
        if self.system and self.terminal:
            return "to the system clipboard and the terminal (OSC 52)"
        if self.system:
            return "to the system clipboard"
        if self.terminal:
            return "through the terminal (OSC 52) only: no system clipboard (xclip, xsel or wl-copy) found"
        return "nowhere: " + (self.problem or "no clipboard available")


def system_copy(text: str) -> tuple[bool, str | None]:
    """pyperclip, imported late (it probes for tools on import of some back-ends)."""
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception as exc:  # PyperclipException, missing DISPLAY, OSError: all mean "not here"
        return False, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return True, None


def copy_text(app, text: str) -> CopyResult:
    system, problem = system_copy(text)
    try:
        app.copy_to_clipboard(text)
        terminal = True
    except Exception as exc:  # a closed driver or a broken pipe: report, do not crash
        terminal = False
        problem = problem or str(exc)
    return CopyResult(system=system, terminal=terminal, problem=problem)
