"""Finding a piece of text a person chose (a selection, a typed span) in a report's body."""

from __future__ import annotations


def find_text(body: str, text: str, near: int = 0) -> tuple[int, int] | None:
    """Where ``text`` is in ``body`` with runs of whitespace counted as one (the reader wraps
    lines, and a selection or a typed span may not break where the body does): the occurrence
    nearest ``near``. Linear scans, no pattern over the body."""
    wanted = " ".join(str(text or "").split())
    if not wanted:
        return None
    folded: list[str] = []
    origin: list[int] = []  # folded index -> body index
    in_space = False
    for index, char in enumerate(body):
        if char.isspace():
            if not in_space:
                folded.append(" ")
                origin.append(index)
            in_space = True
        else:
            folded.append(char)
            origin.append(index)
            in_space = False
    flat = "".join(folded)
    best = None
    found = flat.find(wanted)
    while found >= 0:
        start, end = origin[found], origin[found + len(wanted) - 1] + 1
        if best is None or abs(start - near) < abs(best[0] - near):
            best = (start, end)
        found = flat.find(wanted, found + 1)
    return best
