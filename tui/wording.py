"""Small pieces of wording shared by the triage screen's keys and panes."""

from __future__ import annotations


def count_of(items, noun: str) -> str:
    """"claim 12" for one id, else "3 claims"."""
    n = len(items)
    if n == 1 and noun in ("report", "claim") and isinstance(items, list) and isinstance(items[0], int):
        return f"{noun} {items[0]}"
    return f"{n} {noun}{'s' if n != 1 else ''}"


def retitle(widget, title: str) -> None:
    """Setting a border title repaints the whole widget, so only a new title is set."""
    if widget.border_title != title:
        widget.border_title = title
