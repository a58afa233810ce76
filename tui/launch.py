"""``analyst-tui`` without a sub-command: open the triage screen.

Resolves the database (``--db``, ``$ANALYST_TUI_DB``, or the platform data folder), creating it
empty when it does not exist: a case file never receives the fictional demo reports. ``--demo``
opens the demo corpus in a temporary database (imported once the screen shows, with progress).
Open errors become one line on stderr and exit status 2. Textual is imported only here.
"""

from __future__ import annotations

import sys
from pathlib import Path


def launch(options) -> int:
    from db.paths import resolve_db_path
    from db.demo_folders import new_demo_folder, remove_abandoned_demo_folders
    from db.errors import StoreError
    from db.paths import config_path
    from db.private_files import make_private_folder
    from db.store import Store

    demo = bool(getattr(options, "demo", False))
    temp_dir = None
    try:
        remove_abandoned_demo_folders()  # left by a demo run killed with SIGKILL
        if demo:
            temp_dir = new_demo_folder()
            path = Path(temp_dir.name) / "demo.db"
        else:
            path = resolve_db_path(options)
        if not demo and not getattr(options, "db", None) and isinstance(path, Path) and not path.exists():
            try:
                make_private_folder(path.parent)
            except OSError as exc:
                print(f"analyst-tui: cannot create {path.parent}: {exc.strerror or exc}", file=sys.stderr)
                return 2
        try:
            store = Store.open(path, analyst=getattr(options, "analyst", None) or None)
        except StoreError as exc:
            print(f"analyst-tui: {exc}", file=sys.stderr)
            return 2
        from tui.frame_rate import use_fast_frames

        use_fast_frames()  # before Textual is imported
        from tui.app import AnalystApp
        from tui.config import Config

        config = Config.load(config_path())
        theme = getattr(options, "theme", None)
        if theme:
            config.theme = theme if theme.startswith("textual-") else f"textual-{theme}"
        app = AnalystApp(store, config=config, first_run_import="demo" if demo else None, exit_on_signals=True)
        try:
            app.run()
        finally:
            store.close()
        return app.return_code or 0
    finally:
        if temp_dir is not None:
            temp_dir.cleanup()
