"""Keys for names the store compares: sources by normalised spelling, entities by transliteration key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-",
                         "\u2013": "-", "\u2014": "-"})


# Both keys are pure functions of a name, and an import computes them for the same few thousand
# names again and again (~25 entity names per report, each several times): remembered.
@lru_cache(maxsize=8192)
def normalise_name(name: str) -> str:
    """NFKC, case-folded, plain quotes, hyphens as spaces, no leading "the", single spaces."""
    text = unicodedata.normalize("NFKC", name).translate(_QUOTES).casefold().replace("-", " ")
    text = _SPACES.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


@lru_cache(maxsize=8192)
def entity_key(name: str) -> str:
    """The key entities are linked by: the transliteration key, else the normalised spelling."""
    from ..extract import name_key  # imported late: the extractor is only needed when writing

    return name_key(name) or normalise_name(name)
