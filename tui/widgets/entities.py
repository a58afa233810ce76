"""Entities named in the current report, and the other reports that mention the chosen one."""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from db.models import Entity, ReportSummary
from db.text_safety import one_line

from .chooser import WaitsBehindChooser
from .reader import SCREEN_TITLE_LETTERS

TYPE_STYLES = {"PERSON": "$text-success", "ORG": "$text-accent", "LOC": "$text-warning", "MEDIA": "$text-secondary"}


def entity_prompt(entity: Entity) -> Content:
    return Content.assemble(
        (f"{entity.type[:6]:<6}", TYPE_STYLES.get(entity.type, "dim")),
        " ",
        (one_line(entity.name), "bold"),
        (f"  ×{entity.mention_count}", "dim"),
    )


def related_prompt(summary: ReportSummary) -> Content:
    # Undated as in the queue: the import date is not when the report was written.
    date = (summary.published or "undated")[:10].ljust(10)
    return Content.assemble(
        (f"{summary.reliability}{summary.credibility}", "bold $text-accent"), " ",
        (date, "dim"), " ",
        (one_line(summary.source_name or "—", 18), "italic"), " ",
        one_line(summary.title, SCREEN_TITLE_LETTERS),
    )


class EntityList(WaitsBehindChooser, OptionList):
    pass


class RelatedReports(WaitsBehindChooser, OptionList):
    pass


class EntitiesPane(Vertical):
    """Entity list on top; Enter on one lists the other reports mentioning it below."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entities: list[Entity] = []
        self.related: list[ReportSummary] = []
        self.related_for: int | None = None
        self.report_id: int | None = None

    def compose(self):
        yield EntityList(id="entity-list")
        yield Label(Content("Enter: other reports naming it"), id="related-title")
        yield RelatedReports(id="related-list")

    def show(self, entities: list[Entity], *, keep_entity: int | None = None, report_id: int | None = None) -> None:
        """``report_id``: the report they belong to; shown again unchanged (after a grade), the
        list and its related reports stay as they are."""
        if report_id is not None and report_id == self.report_id and entities == self.entities and keep_entity is None:
            return
        self.report_id = report_id
        self.entities = entities
        entity_list = self.query_one(EntityList)
        entity_list.clear_options()
        if not entities:
            entity_list.add_option(Option(Content("No entities found in this report."), disabled=True))
        else:
            entity_list.add_options([Option(entity_prompt(e), id=str(e.id)) for e in entities])
            index = next((i for i, e in enumerate(entities) if e.id == keep_entity), 0)
            entity_list.highlighted = index
        if keep_entity is None and (self.related_for is not None or self.related):
            self.show_related(None, [])

    def current_entity(self) -> Entity | None:
        highlighted = self.query_one(EntityList).highlighted
        if highlighted is None or highlighted >= len(self.entities):
            return None
        return self.entities[highlighted]

    def current_related(self) -> ReportSummary | None:
        highlighted = self.query_one(RelatedReports).highlighted
        if highlighted is None or highlighted >= len(self.related):
            return None
        return self.related[highlighted]

    def show_related(self, entity: Entity | None, reports: list[ReportSummary]) -> None:
        self.related = reports
        self.related_for = entity.id if entity else None
        title = self.query_one("#related-title", Label)
        related = self.query_one(RelatedReports)
        related.clear_options()
        if entity is None:
            title.update(Content("Enter: other reports naming it"))
            return
        title.update(Content.assemble(("Also naming ", "dim"), (one_line(entity.name, 40), "bold"),
                                      (f" ({len(reports)})", "dim")))
        if reports:
            related.add_options([Option(related_prompt(r), id=str(r.id)) for r in reports])
            related.highlighted = 0
        else:
            related.add_option(Option(Content("No other report names it."), disabled=True))
