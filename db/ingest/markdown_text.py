"""Markdown rendered as the text a reader sees: structure kept, markup gone.

Bodies were stored as written, so the reader showed ``**Claim 1: ...**`` and the extractor read
the asterisks too: "**Claim 1" became a speaker, "Hamas**" an entity. The body stored is now this
rendering; extraction runs on it, so every span indexes the stored text as before.

What becomes what: ``# Heading`` -> "Heading"; ``**bold**``, ``*em*``, ``__b__``, ``_em_`` -> the
words; ```code``` -> the code; ``[text](url)`` -> "text (url)" (the body is the only copy kept,
so a link's address stays), ``![alt](src)`` -> "alt"; ``<https://x>`` -> "https://x"; ``- item``
-> "• item"; ``> quote`` -> the quoted words; code fences and setext underlines are dropped;
``\\*`` -> "*". Reference links, footnote marks (``[1]``, ``[^1]``), tables and HTML stay as
written.

Linear in the text, hostile or not (the budgets of ``tests/test_regex_budgets.py``): one pass per
line with anchored patterns, code spans closed by a forward-only pointer per backtick-run length,
emphasis matched with a stack of openers per character (a closer pops what it closes), a link's
address scanned only up to the next bracket or parenthesis.
"""

from __future__ import annotations

import re
import unicodedata

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"([ \t]*)[-*+][ \t]+(?=\S)")
_SPECIAL = re.compile(r"[\\`*_\[\]!<]")
_BACKTICKS = re.compile(r"`+")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ADDRESS_STOPS = frozenset("()[]<> \t")


def render_markdown(text: str) -> str:
    """The text of a Markdown document, line for line (minus fences and setext underlines)."""
    lines_out: list[str] = []
    fence: str | None = None
    previous_blank = True
    for line in text.split("\n"):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            else:
                lines_out.append(line)
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            continue
        if not previous_blank and _is_setext_underline(line):
            continue
        lines_out.append(_render_line(line))
        previous_blank = not line.strip()
    return "\n".join(lines_out)


def render_inline(text: str) -> str:
    """A heading or a title: the words without emphasis, code or link markup."""
    return _inline(text)


def _is_setext_underline(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= 2 and set(stripped) == {"="}


def _is_rule(line: str) -> bool:
    first = line.lstrip(" \t")[:1]
    if not first or first not in "-*_":
        return False
    marks = line.replace(" ", "").replace("\t", "")
    return len(marks) >= 3 and len(set(marks)) == 1 and marks[0] in "-*_"


def _render_line(line: str) -> str:
    line = _unquote(line)
    if _is_rule(line):
        return line.strip()
    heading = _ATX.match(line)
    if heading:
        return _inline(line[heading.end():].rstrip(" \t#") or "")
    bullet = _BULLET.match(line)
    if bullet:
        return bullet.group(1) + "• " + _inline(line[bullet.end():])
    return _inline(line)


def _unquote(line: str) -> str:
    """``> > text`` -> ``text``: blockquote markers, each with up to three spaces before and one after."""
    i, n = 0, len(line)
    while True:
        j = i
        while j < n and j - i < 3 and line[j] == " ":
            j += 1
        if j < n and line[j] == ">":
            j += 1
            if j < n and line[j] == " ":
                j += 1
            i = j
        else:
            return line[i:] if i else line


class _Delimiter:
    __slots__ = ("char", "count", "can_open", "can_close")

    def __init__(self, char: str, count: int, can_open: bool, can_close: bool) -> None:
        self.char, self.count, self.can_open, self.can_close = char, count, can_open, can_close

    def __str__(self) -> str:
        return self.char * self.count


def _inline(text: str) -> str:
    if not _SPECIAL.search(text):
        return text
    pieces: list = []  # str, or _Delimiter for an emphasis run not yet matched
    openers: dict[str, list[_Delimiter]] = {"*": [], "_": []}
    brackets: list[tuple[int, bool, int]] = []  # (piece index, image?, text position) of "[" / "!["
    code_closers = _code_closers(text) if "`" in text else None
    i, n = 0, len(text)
    while i < n:
        found = _SPECIAL.search(text, i)
        if found is None:
            pieces.append(text[i:])
            break
        start = found.start()
        if start > i:
            pieces.append(text[i:start])
        char = text[start]
        if char == "\\":
            if start + 1 < n and text[start + 1] in _ESCAPABLE:
                pieces.append(text[start + 1])
                i = start + 2
            else:
                pieces.append("\\")
                i = start + 1
        elif char == "`":
            run = _BACKTICKS.match(text, start)
            end = run.end()
            close = code_closers.close(end - start, end) if code_closers else None
            if close is None:
                pieces.append(text[start:end])
                i = end
            else:
                code = text[end:close]
                if len(code) >= 2 and code[0] == " " and code[-1] == " " and code.strip():
                    code = code[1:-1]
                pieces.append(code)
                i = close + (end - start)
        elif char in "*_":
            end = start
            while end < n and text[end] == char:
                end += 1
            delimiter = _delimiter(text, start, end)
            _match_emphasis(delimiter, openers)
            pieces.append(delimiter)
            i = end
        elif char == "!" and start + 1 < n and text[start + 1] == "[":
            brackets.append((len(pieces), True, start + 1))
            pieces.append("![")
            i = start + 2
        elif char == "[":
            brackets.append((len(pieces), False, start))
            pieces.append("[")
            i = start + 1
        elif char == "]":
            i = _close_bracket(text, start, pieces, brackets)
        elif char == "<":
            i = _autolink(text, start, pieces)
        else:  # "!" alone
            pieces.append(char)
            i = start + 1
    return "".join(str(piece) for piece in pieces)


def _close_bracket(text: str, start: int, pieces: list, brackets: list) -> int:
    """At "]": a link or an image when "(address)" follows and a "[" is open; else a plain "]"."""
    n = len(text)
    if not brackets or start + 1 >= n or text[start + 1] != "(":
        pieces.append("]")
        return start + 1
    j = start + 2
    while j < n and text[j] not in _ADDRESS_STOPS:
        j += 1
    # an optional title: (url "title") is rare in reports; only the plain address is read
    if j >= n or text[j] != ")":
        pieces.append("]")
        return start + 1
    index, image, opened_at = brackets.pop()
    address = text[start + 2:j]
    if image:
        pieces[index] = ""
    else:
        pieces[index] = ""
        label = text[opened_at + 1:start] if start - opened_at < 300 else None
        if address and not address.startswith("#") and label != address:
            pieces.append(f" ({address})")
    if not image:
        brackets.clear()  # no link inside a link: the "[" before this one are plain text now
    return j + 1


def _autolink(text: str, start: int, pieces: list) -> int:
    """``<https://x>`` -> ``https://x``; any other "<" (HTML, a comparison) stays."""
    n = len(text)
    j = start + 1
    if text.startswith(("http://", "https://", "mailto:"), j):
        while j < n and text[j] not in " \t<>":
            j += 1
        if j < n and text[j] == ">":
            pieces.append(text[start + 1:j])
            return j + 1
    pieces.append("<")
    return start + 1


def _delimiter(text: str, start: int, end: int) -> _Delimiter:
    """A run of * or _, and whether it may open or close emphasis (CommonMark's flanking rules)."""
    char = text[start]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    left = not after.isspace() and (not _is_punctuation(after) or before.isspace() or _is_punctuation(before))
    right = not before.isspace() and (not _is_punctuation(before) or after.isspace() or _is_punctuation(after))
    if char == "_":  # snake_case and the like are words, not emphasis
        return _Delimiter(char, end - start, left and (not right or _is_punctuation(before)),
                          right and (not left or _is_punctuation(after)))
    return _Delimiter(char, end - start, left, right)


def _match_emphasis(closer: _Delimiter, openers: dict[str, list[_Delimiter]]) -> None:
    """Close what this run can close (its markers and the opener's vanish), then open with the rest."""
    stack = openers[closer.char]
    if closer.can_close:
        while closer.count and stack:
            opener = stack[-1]
            used = min(opener.count, closer.count, 2)
            opener.count -= used
            closer.count -= used
            if opener.count == 0:
                stack.pop()
    if closer.count and closer.can_open:
        stack.append(closer)


def _is_punctuation(char: str) -> bool:
    return char in _ESCAPABLE or unicodedata.category(char).startswith("P")


class _CodeClosers:
    """Where each backtick run closes: the next run of the same length. One forward-only pointer
    per length, so a line of unmatched openers costs a pass, not a pass per opener."""

    def __init__(self, runs: dict[int, list[int]]) -> None:
        self.runs = runs
        self.next: dict[int, int] = dict.fromkeys(runs, 0)

    def close(self, length: int, after: int) -> int | None:
        starts = self.runs.get(length)
        if not starts:
            return None
        k = self.next[length]
        while k < len(starts) and starts[k] < after:
            k += 1
        self.next[length] = k
        return starts[k] if k < len(starts) else None


def _code_closers(text: str) -> _CodeClosers:
    runs: dict[int, list[int]] = {}
    for run in _BACKTICKS.finditer(text):
        runs.setdefault(run.end() - run.start(), []).append(run.start())
    return _CodeClosers(runs)
