"""The main screen's cross-report actions (issue 20): a claim's origins, an entity's timeline,
the brief. Mixed into ``MainScreen`` so its own module stays the triage screen."""

from __future__ import annotations

from textual import work

from db.text_safety import one_line

from ..screens.pickers import TextPrompt


class CrossReportActions:
    def action_claim_origins(self) -> None:
        claim = self.claims.current()  # type: ignore[attr-defined]
        if claim is None:
            self.notify("This report has no claim to trace: choose one in the claims pane (Tab).",  # type: ignore[attr-defined]
                        severity="warning", markup=False)
            return
        from ..screens.origins import OriginsScreen

        self.app.push_screen(OriginsScreen(claim.id), lambda _result: self.refresh_after_change())  # type: ignore[attr-defined]

    def action_entity_timeline(self) -> None:
        entity = self.entities.current_entity()  # type: ignore[attr-defined]
        if entity is None:
            self.notify("Choose the entity in the entities pane (Tab) first.", severity="warning", markup=False)  # type: ignore[attr-defined]
            return
        from ..screens.timeline import EntityTimelineScreen

        self.app.push_screen(EntityTimelineScreen(entity.id, entity.name))  # type: ignore[attr-defined]

    def action_export_brief(self) -> None:
        hypothesis = self.store.active_hypothesis()  # type: ignore[attr-defined]

        def chosen(path) -> None:
            if path and path.strip():
                from pathlib import Path

                self._write_brief(str(Path(path.strip()).expanduser()), hypothesis.id if hypothesis else None)

        about = f"Claims with a stance toward: {one_line(hypothesis.title, 60)}" if hypothesis else "One claim per family"
        self.app.push_screen(TextPrompt("Write the brief (Markdown) to", subtitle=about,  # type: ignore[attr-defined]
                                        placeholder="~/brief.md"), chosen)

    @work(thread=True, exclusive=True, group="brief", exit_on_error=False)
    def _write_brief(self, path: str, hypothesis_id: int | None) -> None:
        from db.analysis.brief import render
        from db.output_file import replacing_file
        from db.store import Store

        store = None
        try:
            store = Store.open(self.store.path)  # type: ignore[attr-defined]
            text = render(store, hypothesis_id)
            with replacing_file(path, database=store.path) as handle:
                handle.write(text)
            message, severity = f"Brief written to {path}", "information"
        except Exception as exc:
            message, severity = f"Brief not written: {exc}", "error"
        finally:
            if store is not None:
                store.close()
        self.app.call_from_thread(self.notify, one_line(message, 200), severity=severity, markup=False)  # type: ignore[attr-defined]
