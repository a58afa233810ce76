"""Pilot tests of the correction keys (issue 18): E (report metadata), x / X (not a claim, show
rejected), A (add a claim from the reader's selection), S (span), F (flags), D / T / R (entity
delete, retype, rename), each undone with u. Each asserts what the screen and the database show."""

from __future__ import annotations

from textual.geometry import Offset
from textual.selection import Selection

from tui.screens.form import FormScreen
from tui.screens.main import MainScreen
from tui.screens.pickers import TextPrompt
from tui.widgets.claims import ClaimsList
from tui.widgets.entities import EntitiesPane
from tui.widgets.reader import Reader

from tests.factories import add_extracted_report, claim, entity

NARROW = (80, 24)
WIDE = (160, 48)
RELAY_BODY = ("Hamas is planning to relocate from Qatar to Iraq, Caliber.Az reports, citing The National. "
              "A senior Iraqi lawmaker vouched for those talks, the report said. "
              "Read More")


def add_relay(store) -> int:
    """A newer report with no source, one junk claim and one junk entity: the queue opens on it."""
    return add_extracted_report(
        store, title="Media: Hamas leadership reportedly relocating to Iraq", body=RELAY_BODY, publisher=None,
        published="2024-06-20",
        claims=[claim(RELAY_BODY, "Read More", speaker=None),
                claim(RELAY_BODY, "Hamas is planning to relocate from Qatar to Iraq", speaker="Caliber.Az",
                      chain=["The National", "Caliber.Az"])],
        entities=[entity(RELAY_BODY, "Read More", "PERSON"), entity(RELAY_BODY, "Qatar", "LOC")])


def selection_of(reader: Reader, text: str) -> Selection:
    """The reader's selection of ``text`` as a mouse would make it, across wrapped lines."""
    lines = [line.plain for line in reader._lines]
    joined = "\n".join(lines)
    flat = joined.replace("\n", " ")
    start = flat.index(text)
    end = start + len(text)

    def offset(at: int) -> Offset:
        y = joined.count("\n", 0, at)
        return Offset(at - (joined.rfind("\n", 0, at) + 1), y)

    return Selection(offset(start), offset(end))


def main_screen(app) -> MainScreen:
    assert isinstance(app.screen, MainScreen), app.screen
    return app.screen


def claim_rows(screen: MainScreen) -> list[str]:
    claims = screen.query_one(ClaimsList)
    return [str(claims.get_option_at_index(i).prompt) for i in range(claims.option_count)]


async def test_E_sets_the_source_then_r_grades_it(sample_store, make_tui_app):
    relay = add_relay(sample_store)
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        screen = main_screen(app)
        assert screen.loaded_id == relay
        assert "Source unknown" in screen.query_one(Reader).text
        await pilot.press("E")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert app.focused.id == "field-source"  # the first empty field: what is missing
        await pilot.press(*"Caliber.Az", "tab", "tab", *"June 2024", "enter")
        await pilot.pause()
        report = sample_store.get_report(relay)
        assert report.source.name == "Caliber.Az" and report.published == "2024-06"
        assert "Caliber.Az" in screen.query_one(Reader).text
        await pilot.press("r", "b")
        await pilot.pause()
        assert sample_store.get_report(relay).source.reliability == "B"
        await pilot.press("u", "u")
        await pilot.pause()
        assert sample_store.get_report(relay).source is None
        assert "Source unknown" in screen.query_one(Reader).text


async def test_x_rejects_a_claim_X_shows_it_struck_u_restores(sample_store, make_tui_app):
    relay = add_relay(sample_store)
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        screen = main_screen(app)
        await pilot.press("tab", "tab", "G")
        assert screen.pane == "claims"
        junk = screen.query_one(ClaimsList).current()
        assert junk.text == "Read More"
        await pilot.press("x")
        await pilot.pause()
        assert sample_store.get_claim(junk.id).rejected
        assert [c.id for c in screen.query_one(ClaimsList).claims] == \
            [c.id for c in sample_store.claims_for_report(relay)] and junk.id not in \
            [c.id for c in screen.query_one(ClaimsList).claims]
        await pilot.press("X")
        await pilot.pause()
        rows = claim_rows(screen)
        assert any("not a claim" in row and "Read More" in row for row in rows)
        await pilot.press("u")
        await pilot.pause()
        assert not sample_store.get_claim(junk.id).rejected
        assert not any("not a claim" in row for row in claim_rows(screen))


async def test_A_adds_a_claim_from_the_reader_selection(sample_store, make_tui_app):
    relay = add_relay(sample_store)
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("tab")
        reader = screen.query_one(Reader)
        wanted = "A senior Iraqi lawmaker vouched for those talks"
        app.screen.selections = {reader: selection_of(reader, wanted)}
        await pilot.press("A")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        # the selection, and its speaker and chain as the extractor's attribution code reads them
        assert form.values() == {"text": wanted, "speaker": "The National", "chain": "The National"}
        await pilot.press("tab", *"a senior Iraqi lawmaker", "enter")
        await pilot.pause()
        added = [c for c in sample_store.claims_for_report(relay) if c.origin == "analyst"]
        assert [(c.text, c.speaker) for c in added] == [(wanted, "a senior Iraqi lawmaker")]
        assert screen.pane == "claims" and screen.query_one(ClaimsList).current().id == added[0].id
        await pilot.press("u")
        await pilot.pause()
        assert not [c for c in sample_store.claims_for_report(relay) if c.origin == "analyst"]


async def test_A_without_a_selection_offers_the_first_sentence_in_view(sample_store, make_tui_app):
    add_relay(sample_store)
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("tab", "A")
        await pilot.pause()
        assert app.screen.values()["text"].startswith("Hamas is planning to relocate")
        # "..., Caliber.Az reports, citing The National.": the extractor's reading of the sentence is offered
        assert app.screen.values()["speaker"] == "The National"
        await pilot.press("escape")


async def test_S_and_F_correct_a_claims_span_and_flags(sample_store, make_tui_app):
    relay = add_relay(sample_store)
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        screen = main_screen(app)
        await pilot.press("tab", "tab")
        target = screen.query_one(ClaimsList).current()
        assert target.text.startswith("Hamas is planning")
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("end", *["backspace"] * len(" to Iraq"), "enter")
        await pilot.pause()
        assert sample_store.get_claim(target.id).text == "Hamas is planning to relocate from Qatar"
        await pilot.press("F", "h")
        await pilot.pause()
        assert sample_store.get_claim(target.id).is_hedged
        assert any("hedge" in row for row in claim_rows(screen))
        await pilot.press("u", "u")
        await pilot.pause()
        restored = sample_store.get_claim(target.id)
        assert restored.text == target.text and not restored.is_hedged
        assert relay == screen.loaded_id


async def test_D_T_R_correct_entities(sample_store, make_tui_app):
    relay = add_relay(sample_store)
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        screen = main_screen(app)
        await pilot.press("tab", "tab", "tab")
        assert screen.pane == "entities"
        pane = screen.query_one(EntitiesPane)
        names = [e.name for e in pane.entities]
        assert names[0] in ("Read More", "Qatar")
        while pane.current_entity().name != "Read More":
            await pilot.press("j")
        junk = pane.current_entity()
        await pilot.press("D", "y")
        await pilot.pause()
        assert "Read More" not in [e.name for e in sample_store.entities_for_report(relay)]
        assert "Read More" not in [e.name for e in pane.entities]
        await pilot.press("u")
        await pilot.pause()
        assert sample_store.get_entity(junk.id).name == "Read More"
        while pane.current_entity().name != "Qatar":
            await pilot.press("j")
        qatar = pane.current_entity()
        await pilot.press("T", "o")
        await pilot.pause()
        assert sample_store.get_entity(qatar.id).type == "ORG"
        assert any(e.name == "Qatar" and e.type == "ORG" for e in pane.entities)
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("end", *" (State)", "enter")
        await pilot.pause()
        assert sample_store.get_entity(qatar.id).name == "Qatar (State)"
        await pilot.press("u", "u")
        await pilot.pause()
        back = sample_store.get_entity(qatar.id)
        assert (back.name, back.type) == ("Qatar", "LOC")


async def test_correction_keys_outside_their_pane_say_where_to_go(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert any("claims pane" in str(n.message) for n in app._notifications)
        assert all(not c.rejected for c in sample_store.claims_for_report(main_screen(app).loaded_id, rejected=True))


async def test_forms_show_hostile_values_visible_and_save_only_what_changed(hostile_store, make_tui_app):
    from textual.widgets import Input

    app = make_tui_app(hostile_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        assert screen.loaded_id == hostile_store.hostile_id
        before = hostile_store.get_report(hostile_store.hostile_id)
        await pilot.press("E")
        await pilot.pause()
        values = [box.value for box in app.screen.query(Input)]
        assert any("Hostile" in v for v in values)
        assert not any(ch in v for v in values for ch in ("\x1b", "\x9b", "\u202e", "\x07"))
        assert app.focused.id == "field-author"  # the first empty field
        await pilot.press(*"Staff", "enter")
        await pilot.pause()
        after = hostile_store.get_report(hostile_store.hostile_id)
        assert (after.title, after.url, after.source.name) == (before.title, before.url, before.source.name)
        assert after.author == "Staff"
