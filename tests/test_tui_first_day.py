"""First-day defects of the triage screen (issue 18, part 2): each test failed before its fix."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key

from tui.screens.main import MainScreen
from tui.widgets.claims import ClaimsList

WIDE = (160, 48)
NARROW = (80, 24)


def main_screen(app) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


async def burst(app, pilot, *keys: str) -> None:
    """Keys as a terminal delivers a fast typist's: all queued before the first is handled."""
    for key in keys:
        character = key if len(key) == 1 else {"plus": "+", "space": " ", "minus": "-", "slash": "/"}.get(key)
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)  # a terminal names "/" "slash": bindings match on the name
        app.post_message(events.Key(key, character))
    await pilot.pause()
    await pilot.pause()


# --- text dialogs keep the keys typed before they are on the screen ------------------------------

async def test_a_tag_typed_at_once_after_plus_is_stored_whole(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await burst(app, pilot, "plus", *"urgent")
        await pilot.press("enter")
        await pilot.pause()
        assert sample_store.get_report(ids["wire"]).tags == ["urgent"]
        assert isinstance(app.screen, MainScreen)


async def test_keys_typed_with_the_tag_key_and_enter_all_in_one_burst(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        await burst(app, pilot, "plus", *"urgent", "enter")
        assert sample_store.get_report(ids["wire"]).tags == ["urgent"]
        assert isinstance(app.screen, MainScreen)
        assert sample_store.get_report(ids["wire"]).reliability == "B"  # the "r" of "urgent" graded nothing


async def test_who_said_it_typed_at_once_after_w(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("tab", "tab")
        claim = main_screen(app).claims.current()
        await burst(app, pilot, "w", "ctrl+u", *"the minister", "enter")
        assert sample_store.get_claim(claim.id).speaker_resolved == "the minister"


# --- notes of several lines, shown where the analyst reads -----------------------------------------

async def test_a_note_of_several_lines_typed_at_once_is_saved_and_shown_in_the_reader(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await burst(app, pilot, "e", *"call the desk", "enter", *"then check Shafaq", "ctrl+s")
        assert isinstance(app.screen, MainScreen)
        assert sample_store.get_report(ids["wire"]).note == "call the desk\nthen check Shafaq"
        reader_lines = main_screen(app).reader.text.splitlines()
        assert "Note call the desk" in reader_lines
        assert "     then check Shafaq" in reader_lines
        await pilot.press("e")  # opens on the note as written, Esc leaves it unchanged
        await pilot.pause()
        from textual.widgets import TextArea
        assert app.screen.query_one(TextArea).text == "call the desk\nthen check Shafaq"
        await pilot.press("escape")
        assert sample_store.get_report(ids["wire"]).note == "call the desk\nthen check Shafaq"


async def test_a_claims_note_shows_in_the_claims_pane_and_whole_in_the_reader(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("tab", "tab")
        screen = main_screen(app)
        claim = screen.claims.current()
        await burst(app, pilot, "e", *"denied twice", "enter", *"ask the ministry", "ctrl+s")
        assert sample_store.get_claim(claim.id).note == "denied twice\nask the ministry"
        prompt = str(screen.claims.get_option_at_index(0).prompt)
        assert "✎ denied twice" in prompt
        text = screen.reader.text
        assert f"Note on claim {claim.id} denied twice" in text and "ask the ministry" in text


# --- an undated report reads "undated" everywhere --------------------------------------------------

async def test_an_undated_report_is_undated_in_the_entities_related_list(sample_store, make_tui_app):
    from tests.factories import add_extracted_report, entity
    from tui.widgets.entities import EntitiesPane

    body = "Baghdad airport reopened, officials said."
    undated = add_extracted_report(sample_store, title="Airport reopened", body=body, publisher="Levant Wire", published=None,
                         entities=[entity(body, "Baghdad", "LOC")])
    imported_on = sample_store.get_report(undated).imported_at[:10]
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        screen.jump_to_report(sample_store.ids["wire"])
        await pilot.press("shift+tab")
        pane = screen.query_one(EntitiesPane)
        while pane.current_entity().name != "Baghdad":
            await pilot.press("j")
        await pilot.press("enter")
        related = screen.query_one("#related-list")
        prompts = [str(related.get_option_at_index(i).prompt) for i in range(related.option_count)]
        line = next(p for p in prompts if "Airport reopened" in p)
        assert "undated" in line and imported_on not in line
        queue_line = screen.queue.render_line(screen.queue.index_of(undated)).text
        assert "undated" in queue_line


# --- the day starts on the newest new report ---------------------------------------------------------

async def test_the_queue_starts_on_the_newest_new_report(sample_store, make_tui_app):
    ids = sample_store.ids
    sample_store.set_status([ids["wire"]], "read")  # the newest is read: the next one down is where to start
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert screen.queue.current().id == ids["shafaq"] and screen.loaded_id == ids["shafaq"]
        assert screen.queue.cursor == 1


async def test_after_the_first_run_import_the_cursor_is_on_the_newest_new_report(store, make_tui_app):
    """Reports that arrive oldest first while the queue is shown (as the demo's can): the cursor
    stayed on the newest of the first ones to arrive, with the newest of all scrolled off."""
    from tests.factories import add_extracted_report
    from tui.messages import ImportFinished, ImportProgress

    app = make_tui_app(store)
    async with app.run_test(size=NARROW) as pilot:
        screen = main_screen(app)
        app.first_run_import = ["inbox"]  # as if the launcher had asked for it (the worker is played below)
        for day in range(1, 31):
            add_extracted_report(store, title=f"Report of day {day}", body=f"The crossing {day} was closed.",
                       publisher="Levant Wire", published=f"2024-06-{day:02d}")
            if day % 10 == 0:
                screen.post_message(ImportProgress(day, 30, f"r{day}.txt", "imported"))
                await pilot.pause()
        screen.post_message(ImportFinished("30 imported", []))
        await pilot.pause()
        queue = screen.queue
        assert queue.total == 30
        assert queue.cursor == 0 and queue.current().title == "Report of day 30"
        assert screen.loaded_id == queue.current().id


# --- the help screen follows the terminal's width ------------------------------------------------------

async def test_help_opened_wide_and_narrowed_takes_the_narrow_layout(sample_store, make_tui_app):
    from tui.screens.help import HelpScreen, help_content

    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body")
        wide = str(body.render())
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        await pilot.pause()
        narrow = str(body.render())
        assert narrow != wide
        assert narrow == str(help_content(app.keymap, 80 - 8))
        assert narrow.splitlines()[1].rstrip() == "  j ↓               Down"  # the explanation on a line of its own


# --- one message at a time, never over the search dialog ------------------------------------------------

def toasts_on(screen) -> list[str]:
    from textual.widgets._toast import Toast

    return [str(toast._notification.message) for toast in screen.query(Toast)]


async def test_messages_replace_each_other_instead_of_stacking(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        for key in "mmmmm":  # five changes, five messages
            await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        assert len(list(app._notifications)) == 1
        assert toasts_on(app.screen) == ["Marked report 3 read"]


async def test_the_import_message_waits_for_the_search_dialog_to_close(sample_store, make_tui_app):
    from tui.messages import ImportFinished
    from tui.screens.search import SearchScreen

    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        screen = main_screen(app)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        screen.post_message(ImportFinished("3 imported", []))
        await pilot.pause()
        await pilot.pause()
        assert toasts_on(app.screen) == []
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert toasts_on(screen) == ["Import: 3 imported"]


async def test_a_warning_is_not_pushed_out_by_the_next_message_but_shares_its_toast(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        app.notify("disk nearly full", severity="warning", markup=False)
        app.notify("first", markup=False)
        app.notify("second", markup=False)
        await pilot.pause()
        await pilot.pause()
        assert toasts_on(app.screen) == ["disk nearly full\nsecond"]


# --- read and flagged are two facts ----------------------------------------------------------------------

async def test_m_on_a_flagged_report_keeps_the_flag(sample_store, make_tui_app):
    wire = sample_store.ids["wire"]
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("f", "m")
        report = sample_store.get_report(wire)
        assert report.status == "read" and report.flagged
        assert screen.queue.render_line(0).text[1] == "⚑"
        assert "read · FLAGGED" in screen.reader.text
        assert "1 read" in str(screen.query_one("#topbar").render())
        await pilot.press("m")
        report = sample_store.get_report(wire)
        assert report.status == "new" and report.flagged
        await pilot.press("f")
        assert not sample_store.get_report(wire).flagged and sample_store.get_report(wire).status == "new"


async def test_a_report_opened_from_the_search_is_read_and_keeps_its_flag(sample_store, make_tui_app):
    akhbar = sample_store.ids["akhbar"]
    sample_store.set_status([akhbar], "flagged")
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("slash", *"Bagheri Kani")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.hits and app.screen.shown_generation == app.screen.generation:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert screen.loaded_id == akhbar
        report = sample_store.get_report(akhbar)
        assert report.status == "read" and report.flagged


# --- the claims pane names its report, and its links can be followed ---------------------------------------

async def test_the_claims_pane_title_names_the_report(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        assert screen.query_one(ClaimsList).border_title == f"Claims of report {sample_store.ids['wire']} (2)"
        await pilot.press("j")
        await pilot.pause(0.2)
        assert screen.query_one(ClaimsList).border_title == f"Claims of report {sample_store.ids['shafaq']} (2)"


async def test_a_contradicts_badge_is_followed_to_its_claim_and_back(sample_store, make_tui_app):
    ids = sample_store.ids
    wire_claim = sample_store.claims_for_report(ids["wire"])[0]
    shafaq_claim = sample_store.claims_for_report(ids["shafaq"])[0]
    sample_store.relate_claims(shafaq_claim.id, wire_claim.id, "contradicts")
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        screen = main_screen(app)
        await pilot.press("tab", "tab")
        assert screen.pane == "claims" and screen.claims.current().id == wire_claim.id
        assert "≠1 contradicts (> follows)" in str(screen.claims.get_option_at_index(0).prompt)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert screen.loaded_id == ids["shafaq"] and screen.pane == "claims"
        assert screen.claims.current().id == shafaq_claim.id
        assert screen.query_one(ClaimsList).border_title.startswith(f"Claims of report {ids['shafaq']}")
        assert sample_store.get_report(ids["shafaq"]).status == "read"  # opened to be read
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert screen.loaded_id == ids["wire"] and screen.claims.current().id == wire_claim.id


async def test_a_claim_with_several_links_asks_which_to_follow(sample_store, make_tui_app):
    from tui.screens.pickers import ChoiceScreen

    ids = sample_store.ids
    wire_claim = sample_store.claims_for_report(ids["wire"])[0]
    shafaq_claim = sample_store.claims_for_report(ids["shafaq"])[0]
    akhbar_claim = sample_store.claims_for_report(ids["akhbar"])[1]
    sample_store.relate_claims(wire_claim.id, shafaq_claim.id, "contradicts")
    sample_store.relate_claims(wire_claim.id, akhbar_claim.id, "corroborates")
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("tab", "tab", "greater_than_sign")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        choice = next(c for c in app.screen.choices if c.value.id == akhbar_claim.id)
        await pilot.press(choice.key)
        await pilot.pause()
        assert screen.loaded_id == ids["akhbar"] and screen.claims.current().id == akhbar_claim.id


async def test_a_path_typed_at_once_after_i_goes_to_the_import_dialog_not_the_search(sample_store, make_tui_app):
    from tui.screens.pickers import TextPrompt

    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        await burst(app, pilot, "i", *"/tmp/inbox")
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one("#prompt-input").value == "/tmp/inbox"
        await pilot.press("escape")
        await burst(app, pilot, "slash", *"haniya")  # and "/" typed with its query still searches
        from tui.screens.search import SearchScreen
        for _ in range(100):  # the search process starts with the dialog
            await pilot.pause(0.05)
            if isinstance(app.screen, SearchScreen) and app.screen.query_one("#search-input").value:
                break
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input").value == "haniya"


async def test_a_message_on_show_when_the_search_opens_waits_for_it_to_close(sample_store, make_tui_app):
    from tui.screens.search import SearchScreen

    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        screen = main_screen(app)
        app.notify("Import: 22 imported", markup=False, timeout=30)
        await pilot.pause()
        assert toasts_on(screen) == ["Import: 22 imported"]
        await pilot.press("slash")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen) and toasts_on(app.screen) == []
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert toasts_on(screen) == ["Import: 22 imported"]


async def test_keys_typed_after_quitting_open_nothing(sample_store, make_tui_app):
    """``q`` at the queue quits; an ``e`` typed right after it once opened the note dialog on the
    closing app, which failed (NoMatches) and ended the app with a traceback and status 1."""
    app = make_tui_app(sample_store)
    from textual import events

    async with app.run_test(size=(80, 24)) as pilot:
        for key, char in [("q", "q"), ("e", "e"), ("plus", "+")]:  # one burst, as a fast typist sends it
            app.post_message(events.Key(key, char))
        await pilot.pause(0.3)
    assert app.return_code == 0
    assert all(not screen.is_modal for screen in app.screen_stack)
