"""Finding a piece of text a person chose (a selection, a typed span) in a report's body."""

from __future__ import annotations

import bisect


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
    # Two searches, one each side of ``near``, never a walk through every occurrence: a body of
    # one repeated letter would make that quadratic.
    pivot = bisect.bisect_left(origin, near)
    after = flat.find(wanted, pivot)
    before = flat.rfind(wanted, 0, pivot + len(wanted) - 1) if pivot > 0 else -1
    found = [at for at in (before, after) if at >= 0]
    if not found:
        return None
    spans = [(origin[at], origin[at + len(wanted) - 1] + 1) for at in found]
    return min(spans, key=lambda span: abs(span[0] - near))
