"""How a text writes its capitals, and what that says of a name the model proposes: in edited prose a
word in lower case is no name ("a khaki sweater"), nor is a word capitalised only where sentences open
that the text writes in lower case elsewhere ("Sharks are native ..." beside "a great white shark")."""

from __future__ import annotations

import re
from collections.abc import Callable

Listed = Callable[[str], bool]  # whether a word list is sure of a name (entities._listed)


def well_cased(body: str, sentences: list[tuple[int, int]]) -> bool:
    """Whether the writer capitalises: nearly every sentence opens with a capital letter (edited prose,
    not a chat message or a lower-case post, where names go uncapitalised as well)."""
    opened = cased = 0
    for s, e in sentences:
        first = next((ch for ch in body[s:min(e, s + 8)] if ch.isalnum()), "")
        if first.isalpha():  # not "10:30 p.m. ..."
            opened += 1
            cased += first.isupper()
    return opened >= 3 and cased >= 0.9 * opened


_CAPITALISED_WORD = re.compile(r"(?<![\w'’.-])[A-Z][a-z]+(?![\w'’-])")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])")


def lower_case_words(body: str) -> set[str]:
    """The words of two letters or more the text writes in lower case."""
    return set(_LOWER_WORD.findall(body))


def capitalised_only_at_starts(body: str, cands: list, model_spans: list, at_sentence_start: Callable[[int], bool],
                               listed: Listed) -> set[str]:
    """Words capitalised only where a sentence opens, that the same text writes in lower case elsewhere
    ("Sharks are native to the area" beside "a great white shark"): common nouns, whatever the model says.
    A word a list knows as a name ("Hope", "Bush") is never among them. Read from the capitalised runs
    already found; the text is scanned once more, for its lower-case words, only when a one-word name
    opens a sentence."""
    at_start: set[str] = set()
    inside: set[str] = set()
    for c in cands:
        words = c.name.split()
        if not words:
            continue
        if len(words) == 1 and at_sentence_start(c.start):
            at_start.add(words[0])
        else:
            inside.update(words)
    for sp in model_spans:
        word = body[sp.start:sp.end]
        if " " not in word and at_sentence_start(sp.start):
            at_start.add(word)
    candidates = [w for w in at_start - inside if _CAPITALISED_WORD.fullmatch(w)
                  and not listed(w)]
    if not candidates:
        return set()
    lower = lower_case_words(body)
    out = set()
    for word in candidates:
        low = word.lower()
        if low in lower or low.endswith("s") and low[:-1] in lower or low + "s" in lower:
            out.add(word)
    return out


def uncased_guess(name: str, listed: Listed) -> bool:
    """A model name with no capital letter that no word list knows: in text whose writer capitalises
    names, a common noun the model misread ("a khaki sweater", "the front-runner", "adrenaline")."""
    return not any(ch.isupper() for ch in name) and not listed(name)
