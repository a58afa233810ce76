"""Finding the sources the store knows (publishers of imported reports) named in a text.

A chain element ("The Lebanese newspaper Al-Akhbar"), a footnote ("Al-Akhbar (Lebanon)") or a
report's body ("Reposted from the channel of the Islamic Movement in Iraq") names a source when a
run of its words, capitalised as a name is, spells the source's name. Word runs are looked up in a
dictionary, so the cost is linear in the text whatever the number of sources.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from ..identity.keys import normalise_name

_TOKEN = re.compile(r"[\w'’.-]+", re.UNICODE)
MAX_WORDS = 6
MIN_NAME_CHARS = 4  # "X", "AP": too short to find in running text without false hits


@dataclass(frozen=True)
class NamedSource:
    source_id: int
    name: str
    start: int  # where the name was found


class SourceNames:
    """Every source's name and its short form (without a trailing "(Telegram)"), by normalised spelling."""

    def __init__(self, rows: list[tuple[int, str]]):
        self.by_key: dict[str, list[tuple[int, str]]] = {}
        for source_id, name in rows:
            for form in {name, _without_parenthesis(name)}:
                key = normalise_name(form)
                if len(key) >= MIN_NAME_CHARS:
                    self.by_key.setdefault(key, []).append((source_id, name))
        # A name can only start at one of these words: the others are skipped at once.
        self.first_words = {key.split()[0] for key in self.by_key} | {"the"}

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> SourceNames:
        return cls(conn.execute("SELECT id, name FROM sources").fetchall())

    def named_in(self, text: str, *, capitalised: bool = True) -> list[NamedSource]:
        """Sources named in ``text``, longest name first where names overlap. ``capitalised``: a
        match must start with a capital and not run on into a longer capitalised name ("The
        National" is not found in "the national team" nor in "The National Guard")."""
        words = [(_word(m.group(0)), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        found: list[NamedSource] = []
        i = 0
        while i < len(words):
            hit = None
            if words[i][0].casefold().split("-", 1)[0] not in self.first_words:
                i += 1
                continue
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                run = words[i:i + n]
                if capitalised and not _starts_capital(run):
                    continue
                key = normalise_name(" ".join(w for w, _, _ in run))
                if key in self.by_key:
                    if capitalised and _runs_on(text, run[-1][2], words[i + n] if i + n < len(words) else None):
                        continue
                    hit = (n, key)
                    break
            if hit:
                for source_id, name in self.by_key[hit[1]]:
                    found.append(NamedSource(source_id, name, words[i][1]))
                i += hit[0]
            else:
                i += 1
        return found


def _word(token: str) -> str:
    """A token as names are looked up: without a possessive "'s" ("The National's sources" names The
    National) and trailing full stops and apostrophes. String methods, not a regex substitution per
    word: every word of a report's opening comes here."""
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    return token.rstrip(".'’")


def _without_parenthesis(name: str) -> str:
    """"Islamic Movement in Iraq (Telegram)" -> "Islamic Movement in Iraq" (string methods: a name
    is untrusted text, and a regex anchored at the end would rescan long runs of spaces)."""
    stripped = name.rstrip()
    if stripped.endswith(")"):
        opening = stripped.rfind("(")
        if opening > 0 and ")" not in stripped[opening:-1] and len(stripped) - opening <= 62:
            return stripped[:opening].rstrip()
    return name


def _runs_on(text: str, end: int, following: tuple[str, int, int] | None) -> bool:
    """The name goes on: the next word is capitalised and only a space separates them."""
    return following is not None and following[0][:1].isupper() and not text[end:following[1]].strip()


def _starts_capital(run: list[tuple[str, int, int]]) -> bool:
    first = run[0][0]
    if first.casefold() == "the" and len(run) > 1:
        first = run[1][0]
    return first[:1].isupper()
