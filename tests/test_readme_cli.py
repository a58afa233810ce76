"""The README's CLI block names every option each command takes (issue 18: `reports` said
"--limit to see more" and the README did not know `--limit`)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from db.cli import build_parser

README = Path(__file__).resolve().parents[1] / "README.md"


def _cli_block() -> dict[str, str]:
    """Each command's lines in the README's CLI block (a command's continuation lines included)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## The CLI", 1)[1].split("```", 2)[1]
    lines: dict[str, str] = {}
    command = None
    for line in block.splitlines():
        if match := re.match(r"analyst-tui (\S+)", line):
            command = match.group(1)
        if command is not None:
            lines[command] = lines.get(command, "") + " " + line
    return lines


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_option_of_every_command_is_in_the_readme():
    documented = _cli_block()
    missing = []
    for name, command in _commands().items():
        line = documented.get(name, "")
        for action in command._actions:
            spellings = [o for o in action.option_strings if o not in ("-h", "--help")]
            if spellings and not any(re.search(re.escape(o) + r"(?![\w-])", line) for o in spellings):
                missing.append(f"{name} {spellings[-1]}")
    assert missing == []
