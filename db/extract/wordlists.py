"""Sectioned word lists from ``data/`` (``cue_verbs.txt``, ``claim_words.txt``): ``[name]`` opens a section,
entries are separated by white space, ``#`` starts a comment line. Order within a section is kept."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=8)
def sections(name: str) -> dict[str, tuple[str, ...]]:
    try:
        lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    except OSError:  # a broken install must degrade, not crash the import path
        return {}
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], [])
        elif current is not None:
            current.extend(line.split())
    return {k: tuple(v) for k, v in out.items()}


def words(name: str, section: str) -> tuple[str, ...]:
    return sections(name).get(section, ())


def word_set(name: str, section: str) -> frozenset[str]:
    return frozenset(words(name, section))
