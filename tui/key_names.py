"""Which key names Textual can ever deliver, so that a keymap naming others is caught at start.

A keymap entry naming a key that does not exist ("ctrl+shfit+k", "F13x") was accepted in
silence and the command had no key at all.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@lru_cache(maxsize=1)
def _named_keys() -> frozenset[str]:
    from textual.keys import KEY_ALIASES, KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys

    names = {key.value for key in Keys} | set(KEY_ALIASES) | set(KEY_TO_UNICODE_NAME)
    names |= {alias for aliases in KEY_ALIASES.values() for alias in aliases}
    names |= {name.rsplit("+", 1)[-1] for name in names}
    names |= set(KEY_NAME_REPLACEMENTS) | set(KEY_NAME_REPLACEMENTS.values())
    names |= {"enter", "tab", "space", "backspace"} | {f"f{n}" for n in range(1, 25)}
    return frozenset(names)


def is_key_name(name: str) -> bool:
    """``name`` is a key Textual binds: modifiers and one key ("ctrl+shift+a", "question_mark", "x")."""
    *modifiers, key = name.strip().lower().split("+")
    if not key or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(key) == 1 and key.isprintable():
        return True
    if key in _named_keys():
        return True
    try:  # a character by its Unicode name, as Textual names punctuation: "full_stop", "number_sign"
        return len(unicodedata.lookup(key.replace("_", " "))) == 1
    except KeyError:
        return False


def unknown_keys(keys: str) -> list[str]:
    """The names in a comma-separated list of keys that are no key."""
    return [name for name in (part.strip() for part in keys.split(",")) if not is_key_name(name)]
