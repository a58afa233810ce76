"""The triage screen's keys: hypotheses (new, rename, switch), and entity merges and splits proposed or
asked for.

Mixed into ``MainScreen``, whose panes, ``_apply`` (one store change, then the panes re-read) and
targets they use.
"""

from __future__ import annotations

from db.text_safety import one_line

from ..choices import Choice
from ..screens.pickers import ChoiceScreen, TextPrompt

from ..wording import count_of


class HypothesisActions:
    def action_open_ach(self) -> None:
        from ..screens.ach import AchScreen

        self.app.push_screen(AchScreen(), lambda _: self.refresh_after_change())  # undo there may change stances

    def action_add_to_ach(self) -> None:
        ids = self._claim_targets() or ([self.claims.current().id] if self.claims.current() else [])
        if ids:
            self._apply(lambda: self.store.add_ach_evidence(ids), f"Added {count_of(ids, 'claim')} to the ACH matrix (M)")

    def action_new_hypothesis(self) -> None:
        def chosen(title) -> None:
            if title and title.strip():
                self._apply(lambda: self.store.create_hypothesis(title), f"Active hypothesis: {one_line(title, 60)}")

        self.app.push_screen(TextPrompt("New hypothesis (becomes the active one)",
                                        placeholder="e.g. Hamas is moving its political office to Baghdad"), chosen)

    def action_rename_hypothesis(self) -> None:
        hypothesis = self.store.active_hypothesis()
        if hypothesis is None:
            self.action_new_hypothesis()
            return

        def chosen(title) -> None:
            if title and title.strip():
                self._apply(lambda: self.store.rename_hypothesis(hypothesis.id, title),
                            f"Hypothesis renamed: {one_line(title, 60)}")

        self.app.push_screen(TextPrompt("Rename the active hypothesis", value=hypothesis.title), chosen)

    def action_switch_hypothesis(self) -> None:
        hypotheses = self.store.list_hypotheses()
        if not hypotheses:
            self.action_new_hypothesis()
            return
        keys = "123456789abcdefghilmnoprstuvwxyz"
        choices = [Choice(keys[i], h.id, one_line(h.title, 70)) for i, h in enumerate(hypotheses[:len(keys)])]
        current = next((h.id for h in hypotheses if h.active), None)

        def chosen(hypothesis_id) -> None:
            if hypothesis_id is not None:
                title = next(h.title for h in hypotheses if h.id == hypothesis_id)
                self._apply(lambda: self.store.activate_hypothesis(hypothesis_id),
                            f"Active hypothesis: {one_line(title, 60)}")

        self.app.push_screen(ChoiceScreen("Active hypothesis (claims show stance toward it)", choices,
                                          current=current), chosen)

    def action_review_merges(self) -> None:
        """Close spellings the importer proposed as one entity: the analyst decides, nothing merges silently."""
        proposals = self.store.merge_proposals()
        if not proposals:
            self.notify("No proposed merges: close spellings of names are proposed after each import.", markup=False)
            return
        keys = "123456789abcdefghilmnoprstuvwxyz"
        choices = [Choice(keys[i], (a, b), f"{one_line(a.name, 32)}  ~  {one_line(b.name, 32)}",
                          f"{a.type} · {a.mention_count} and {b.mention_count} mentions · similarity {score:.0f}")
                   for i, (a, b, score) in enumerate(proposals[:len(keys)])]

        def decide(pair) -> None:
            if pair is None:
                return
            a, b = pair
            actions = [Choice("m", ("merge", a, b), f"Merge into {one_line(a.name, 40)}"),
                       Choice("r", ("merge", b, a), f"Merge into {one_line(b.name, 40)}"),
                       Choice("x", ("apart", a, b), "Different entities: keep them apart for good")]

            def act(choice) -> None:
                if choice is None:
                    return
                verb, keep, other = choice
                if verb == "merge":
                    self._apply(lambda: self.store.merge_entities(keep.id, other.id,
                                                                  expected_versions=(keep.version, other.version)),
                                f"Merged {one_line(other.name, 30)} into {one_line(keep.name, 30)} (u undoes)")
                else:
                    self._apply(lambda: self.store.reject_merge(keep.id, other.id),
                                f"{one_line(keep.name, 30)} and {one_line(other.name, 30)} stay apart")

            self.app.push_screen(ChoiceScreen("Same entity?", actions), act)

        self.app.push_screen(ChoiceScreen(f"Proposed merges ({len(proposals)})", choices), decide)

    def action_split_entity(self) -> None:
        """Two people taken for one: a name of the entity under the entities cursor becomes its own entity."""
        from ..choices import name_choices

        entity = self.entities.current_entity()
        if entity is None:
            self.notify("Choose the entity in the entities pane (Tab) first.", severity="warning", markup=False)
            return
        if not entity.aliases:
            self.notify(f"{one_line(entity.name, 40)} has no other name to split off.", markup=False)
            return

        def chosen(name) -> None:
            if name is not None:
                self._apply(lambda: self.store.split_entity(entity.id, name, expected_version=entity.version),
                            f"Split {one_line(name, 30)} off {one_line(entity.name, 30)} (u undoes)")

        self.app.push_screen(ChoiceScreen(f"Split a name off {one_line(entity.name, 40)}", name_choices(entity.aliases),
                                          subtitle="It becomes an entity of its own, with its mentions and claims"),
                             chosen)
