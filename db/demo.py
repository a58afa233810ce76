"""The bundled demo corpus: what `analyst-tui --demo` opens, in a temporary database."""

from __future__ import annotations

from pathlib import Path

from .paths import demo_corpus_dir


def demo_files() -> list[Path]:
    """Every report file of the demo corpus (its README describes the corpus and is not a report)."""
    folder = demo_corpus_dir()
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower() != "readme.md"
                  and not p.name.startswith((".", "_")))


def import_demo(store, progress=None):
    from .importer import import_paths

    summary = import_paths(store, demo_files(), progress=progress)
    if not store.list_hypotheses():
        # A first hypothesis so stance can be set from the first keystroke; the analyst renames it.
        store.create_hypothesis("Hamas is moving its political leadership to Baghdad")
    return summary
