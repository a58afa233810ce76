"""The triage screen's keys: help, theme and import (a worker that only posts progress messages).

Mixed into ``MainScreen``, whose panes, ``_apply`` (one store change, then the panes re-read) and
targets they use.
"""

from __future__ import annotations

from textual import work
from textual.content import Content
from textual.widgets import Label

from db.text_safety import one_line

from ..messages import ImportFinished, ImportProgress
from ..screens.pickers import TextPrompt


class AppActions:
    def action_help(self) -> None:
        from ..screens.help import HelpScreen

        path = self.app.config.path
        self.app.push_screen(HelpScreen(self.app.keymap, str(path) if path else None))

    def action_set_theme(self, theme: str) -> None:
        self.app.theme = theme

    def action_import_path(self) -> None:
        if self.import_running:
            self.notify("An import is already running.", markup=False)
            return

        def chosen(path) -> None:
            if path and path.strip():
                from pathlib import Path

                self.start_import([str(Path(path.strip()).expanduser())])

        self.app.push_screen(TextPrompt("Import a file or folder", placeholder="~/inbox/ or report.html"), chosen)

    def start_import(self, paths, *, demo: bool = False) -> None:
        if self.store.path is None:
            self.notify("Import needs a database file (this one is in memory).", severity="error", markup=False)
            return
        self.import_running = True
        self._set_status("Importing the demo corpus…" if demo else "Importing…")
        self._import_worker([] if demo else list(paths), demo)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import_worker(self, paths: list[str], demo: bool) -> None:
        from ..workers import import_into

        import_into(self, self.store.path, paths, demo=demo)

    def on_import_progress(self, message: ImportProgress) -> None:
        total = f"/{message.total}" if message.total else ""
        self._set_status(f"Importing {message.done}{total} · {message.status}: {one_line(message.name, 50)}")
        if message.status == "imported" and message.done % 10 == 0:
            self.queue.reload()
            self.update_topbar()

    def on_import_finished(self, message: ImportFinished) -> None:
        self.import_running = False
        self.queue.arriving = ""
        self._set_status("")
        if message.error:
            self.notify(f"Import failed: {one_line(message.error)}", severity="error", markup=False, timeout=10)
        else:
            text = "Import: " + message.summary_line
            if message.failures:
                text += "\n" + "\n".join(one_line(f, 100) for f in message.failures[:5])
            self.notify(text, severity="warning" if message.failures else "information", markup=False, timeout=8)
        self.refresh_after_change()
        first_run, self.app.first_run_import = getattr(self.app, "first_run_import", None), None
        if self.loaded_id is None or first_run:  # the queue filled under the cursor: the day starts anew
            self.queue.move_to_newest_new()
            current = self.queue.current()
            self.load_report(current.id if current else None)
        from ..screens.search import SearchScreen

        if isinstance(self.app.screen, SearchScreen):
            self.app.screen.search_again()  # its hits were found before the import landed

    def _set_status(self, text: str) -> None:
        status = self.query_one("#statusbar", Label)
        status.update(Content(text))
        status.set_class(bool(text), "-active")
