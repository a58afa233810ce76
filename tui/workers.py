"""Work done off the UI thread. Each worker opens its own Store (a SQLite connection
belongs to the thread that opened it) and reports back only through messages."""

from __future__ import annotations

from pathlib import Path

from textual.worker import get_current_worker

from .messages import ImportFinished, ImportProgress


def import_into(target, db_path: Path, paths: list[str], *, demo: bool = False) -> None:
    """Run in a thread worker: import files (or the demo corpus) into the database at ``db_path``."""
    from db.store import Store

    worker = get_current_worker()
    store = None
    try:
        store = Store.open(db_path)

        def progress(done, total, outcome) -> None:
            target.post_message(ImportProgress(done, total, outcome.name, outcome.status))

        if demo:
            from db.demo import import_demo

            summary = import_demo(store, progress=progress)
        else:
            from db.importer import import_paths

            summary = import_paths(store, paths, progress=progress, cancelled=lambda: worker.is_cancelled)
        failures = [f"{o.name}: {o.reason}" for o in summary.outcomes if o.status == "failed"] + summary.warnings
        target.post_message(ImportFinished(summary.line(), failures))
    except Exception as exc:  # a broken file or full disk must end as a message, not a dead worker
        target.post_message(ImportFinished("", [], error=str(exc) or type(exc).__name__))
    finally:
        if store is not None:
            store.close()
