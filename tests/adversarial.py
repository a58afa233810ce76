"""Adversarial shapes for regexes and parsers: inputs whose cost grows faster than their size
in a backtracking regex or a naive parser (issue 17). Each shape is a function of a size in
characters, so that a test can feed the same shape at several sizes and check that the cost
per character does not grow.

    SHAPES: name -> (size -> str)
    growth(function, shape, small) -> how much the cost per character grows with the size
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def _repeat(unit: str, prefix: str = "", suffix: str = "") -> Callable[[int], str]:
    def make(size: int) -> str:
        count = max(1, (size - len(prefix) - len(suffix)) // len(unit))
        return prefix + unit * count + suffix

    return make


# Runs of one character, of spaces and punctuation, nested brackets, repeated separators, and the
# near-misses of the patterns in db/ (a heading that never ends, a date that never completes,
# a tag that never closes, a footnote marker that never closes).
SHAPES: dict[str, Callable[[int], str]] = {
    "letters": _repeat("a"),
    "capitals": _repeat("A"),
    "capitalised words": _repeat("Abu "),
    "spaces": _repeat(" ", "a", "b"),
    "tabs and spaces": _repeat(" \t", "x", "y"),
    "newlines": _repeat("\n", "a", "b"),
    "blank lines with spaces": _repeat(" \n"),
    "dots": _repeat("."),
    "dot space": _repeat(". "),
    "hyphens": _repeat("-"),
    "underscores": _repeat("_"),
    "hashes": _repeat("#"),
    "heading then spaces": _repeat(" ", "# a", "b"),
    "heading of spaced hashes": _repeat(" #", "# a", "x"),
    "hash then spaces": _repeat(" ", "#", "a"),
    "commas": _repeat(","),
    "colons": _repeat(":"),
    "quotes": _repeat('"'),
    "curly quotes": _repeat("\u201c"),
    "apostrophes": _repeat("'"),
    "open brackets": _repeat("["),
    "nested brackets": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "nested parentheses": lambda n: "(" * (n // 2) + ")" * (n // 2),
    "open angle": _repeat("<"),
    "unclosed tags": _repeat("<a "),
    "open comments": _repeat("<!--"),
    "open declarations": _repeat("<!x"),
    "open processing instructions": _repeat("<?"),
    "open end tags": _repeat("</a"),
    "open cdata": _repeat("<![CDATA["),
    "open attributes": _repeat('<a b="'),
    "entities": _repeat("&#"),
    "footnote markers": _repeat("[1]"),
    "unclosed footnotes": _repeat("[1"),
    "footnote lines": _repeat("[1] a\n"),
    "digits": _repeat("1"),
    "date prefixes": _repeat("2024-"),
    "slashes": _repeat("/"),
    "month words": _repeat("January "),
    "month day": _repeat("May 1 "),
    "said": _repeat("said "),
    "article hyphens": _repeat("al-"),
    "urls": _repeat("http://"),
    "emails": _repeat("a@"),
    "front matter fences": _repeat("---\n"),
    "key colon": _repeat("a: "),
    "zero width": _repeat("\u200b"),
    "combining marks": _repeat("\u0301", "a"),
    "mixed punctuation": _repeat(".,;:!?"),
    "repeated sentence": _repeat("The minister said on Monday that Ali Hassan met officials in Baghdad. "),
    "name colons": _repeat("Abu Ali: "),  # a speaker before a colon (attribution._COLON_SPEAKER)
    "appositions": _repeat("Jo Roe, a pollster, said "),  # source_span's apposition windows
}


def seconds(function: Callable[[str], object], text: str, repeats: int = 3) -> float:
    """The least of ``repeats`` runs, in this thread's CPU time: wall time counted the minutes other
    processes held the core (the suite failed on a loaded CI machine with no regex at fault), CPU
    time counts the function's own work; the least run is the one least disturbed by caches."""
    best = float("inf")
    collecting = gc.isenabled()
    gc.disable()  # a collection of the test process's heap is no cost of the function's
    try:
        for _ in range(repeats):
            started = time.thread_time()
            function(text)
            best = min(best, time.thread_time() - started)
    finally:
        if collecting:
            gc.enable()
    return best


def growth(function: Callable[[str], object], make: Callable[[int], str], small: int,
           factors: tuple[int, ...] = (4, 16), floor: float = 0.003) -> float:
    """How much more time per character inputs ``factors`` times larger take than a small one,
    the worst of them: ~1 for linear cost, ~factor for quadratic. The small size starts at
    ``small`` and doubles (up to 64 times) until its run takes ``floor`` seconds: timings of
    microseconds are noise, and a fast quadratic function shows itself at the larger sizes."""
    size = small
    while (short := seconds(function, make(size))) < floor and size < small * 64:
        size *= 2
    short = max(short, floor)
    return max(seconds(function, make(size * factor), repeats=1) / (factor * short) for factor in factors)
