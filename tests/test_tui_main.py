"""Pilot tests of the triage screen: every binding, triage, grading, undo, bulk actions."""

from __future__ import annotations


from db.store import ReportFilter
from tui.screens.main import MainScreen
from tui.widgets.claims import ClaimsList
from tui.widgets.queue import ReportQueue
from tests.factories import palette_offers, wait_until

WIDE = (160, 48)
NARROW = (80, 24)


def main_screen(app) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


def status_of(store, report_id: int) -> str:
    return store.get_report(report_id).status


async def test_start_shows_queue_newest_first_and_reader(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        queue = screen.query_one(ReportQueue)
        assert queue.total == 3
        assert [queue.row(i).id for i in range(3)] == [sample_store.ids[k] for k in ("wire", "shafaq", "akhbar")]
        assert screen.loaded_id == sample_store.ids["wire"]
        assert "3 new" in str(screen.query_one("#topbar").render())
        assert app.focused is queue


async def test_jk_g_G_move_and_enter_opens_and_marks_read(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        queue = screen.query_one(ReportQueue)
        await pilot.press("j")
        assert queue.cursor == 1 and screen.loaded_id == ids["shafaq"]
        await pilot.press("G")
        assert queue.cursor == 2 and screen.loaded_id == ids["akhbar"]
        await pilot.press("k")
        assert queue.cursor == 1
        await pilot.press("g")
        assert queue.cursor == 0
        await pilot.press("down")  # arrows move the cursor too (they once scrolled the view instead)
        assert queue.cursor == 1 and screen.loaded_id == ids["shafaq"]
        await pilot.press("end")
        assert queue.cursor == 2
        await pilot.press("up")
        assert queue.cursor == 1
        await pilot.press("home")
        assert queue.cursor == 0
        await pilot.press("enter")
        assert status_of(sample_store, ids["wire"]) == "read"
        assert screen.pane == "reader"
        await pilot.press("q")
        assert screen.pane == "queue"


async def test_tab_cycles_panes_and_q_quits_at_queue(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(screen.pane)
        assert seen == ["reader", "claims", "entities", "queue"]
        await pilot.press("shift+tab")
        assert screen.pane == "entities"
        await pilot.press("escape")
        assert screen.pane == "queue"
        await pilot.press("escape")  # escape never quits
        assert app.is_running
        await pilot.press("q")
    assert app.return_code == 0


async def test_narrow_terminal_shows_one_pane_at_a_time(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=NARROW) as pilot:
        screen = main_screen(app)
        assert screen.has_class("-narrow")
        assert screen.query_one("#queue-pane").display and not screen.query_one("#reader").region.height
        await pilot.press("enter")
        await pilot.pause()
        assert screen.pane == "reader"
        assert screen.query_one("#reader").region.height > 10
        assert screen.query_one("#queue-pane").region.height == 0


async def test_triage_keys_read_flag_dismiss_next_new(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        queue = screen.query_one(ReportQueue)
        await pilot.press("m")
        assert status_of(sample_store, ids["wire"]) == "read"
        await pilot.press("m")
        assert status_of(sample_store, ids["wire"]) == "new"
        await pilot.press("f")  # the flag is beside the status: still new, now flagged
        assert status_of(sample_store, ids["wire"]) == "new" and sample_store.get_report(ids["wire"]).flagged
        await pilot.press("f")
        assert status_of(sample_store, ids["wire"]) == "new" and not sample_store.get_report(ids["wire"]).flagged
        await pilot.press("d")
        assert status_of(sample_store, ids["wire"]) == "dismissed"
        assert queue.cursor == 1  # dismissing moves on to the next report
        await pilot.press("g", "full_stop")
        assert screen.loaded_id == ids["shafaq"]  # the next *new* report after the top
        await pilot.press("m", "full_stop")
        assert screen.loaded_id == ids["akhbar"]


async def test_filter_cycles_status_views(sample_store, make_tui_app):
    sample_store.set_status([sample_store.ids["wire"]], "flagged")
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        queue = main_screen(app).query_one(ReportQueue)
        await pilot.press("v")
        assert queue.filter.statuses == ("new",) and queue.total == 3  # flagged and still new
        await pilot.press("v")
        assert queue.filter.statuses == ("flagged",) and queue.total == 1
        for _ in range(3):  # read, dismissed, then all again
            await pilot.press("v")
        assert queue.filter == ReportFilter() and queue.total == 3


async def test_bulk_selection_then_flag_then_undo(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("space", "t")  # select wire and shafaq
        assert screen.query_one(ReportQueue).selected == {ids["wire"], ids["shafaq"]}
        await pilot.press("f")
        assert [sample_store.get_report(ids[k]).flagged for k in ("wire", "shafaq", "akhbar")] == [True, True, False]
        await pilot.press("r", "c")  # both sources graded C in one batch
        assert sample_store.get_report(ids["wire"]).reliability == "C"
        assert sample_store.get_report(ids["shafaq"]).reliability == "C"
        await pilot.press("u")
        assert sample_store.get_report(ids["wire"]).reliability == "B"
        assert sample_store.get_report(ids["shafaq"]).reliability == "F"
        await pilot.press("u")
        assert [sample_store.get_report(ids[k]).flagged for k in ("wire", "shafaq")] == [False, False]
        assert [status_of(sample_store, ids[k]) for k in ("wire", "shafaq")] == ["new", "new"]
        await pilot.press("escape")
        assert not screen.query_one(ReportQueue).selected


async def test_grading_two_keystrokes_each_saved_and_undone(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("j", "r", "b")  # shafaq's source -> B
        assert sample_store.get_report(ids["shafaq"]).reliability == "B"
        assert screen.query_one(ReportQueue).current().reliability == "B"
        await pilot.press("c", "2")  # the report's credibility
        assert sample_store.get_report(ids["shafaq"]).credibility == 2
        await pilot.press("tab", "tab")  # to the claims pane
        assert screen.pane == "claims"
        claims = screen.query_one(ClaimsList)
        first = claims.current()
        await pilot.press("c", "3")
        assert sample_store.get_claim(first.id).credibility == 3
        await pilot.press("s", "r")
        assert sample_store.get_claim(first.id).stance == "refutes"
        assert claims.current().stance == "refutes"
        await pilot.press("j", "s", "s")
        second = claims.current()
        assert second.id != first.id and sample_store.get_claim(second.id).stance == "supports"
        await pilot.press("s", "x")
        assert sample_store.get_claim(second.id).stance is None
        actions = [e.field for e in sample_store.history(limit=20)]
        assert any(f.startswith("stance:") for f in actions) and "reliability" in actions
        for _ in range(6):
            await pilot.press("u")
        assert sample_store.get_claim(first.id).credibility == 6
        assert sample_store.get_claim(first.id).stance is None
        assert sample_store.get_report(ids["shafaq"]).reliability == "F"
        assert sample_store.get_report(ids["shafaq"]).credibility == 6


async def test_a_grade_shows_in_the_queue_row_and_a_grade_filter_still_drops_the_report(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        queue = screen.query_one(ReportQueue)
        await pilot.press("j")
        assert queue.current().id == ids["shafaq"]
        await pilot.press("c", "2")
        assert queue.current().credibility == 2, "the row is read again after a grade"
        row = queue.render_line(queue.cursor - round(queue.scroll_offset.y)).text
        assert " F2 " in row
        total = queue.total
        queue.set_filter(ReportFilter(credibility=(2,)))
        await pilot.pause()
        assert queue.total == 1 and queue.current().id == ids["shafaq"]
        await pilot.press("c", "5")
        assert sample_store.get_report(ids["shafaq"]).credibility == 5
        assert queue.total == 0, "under a credibility filter a grade can move the report out"
        queue.set_filter(ReportFilter())
        await pilot.pause()
        assert queue.total == total


async def test_grading_a_claim_redraws_its_prompt_and_keeps_selection_and_entities(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("j", "tab", "tab")
        claims = screen.query_one(ClaimsList)
        entity_list = screen.query_one("#entity-list")
        entity_options_before = [entity_list.get_option_at_index(i) for i in range(entity_list.option_count)]
        first, second = claims.claims[0], claims.claims[1]
        await pilot.press("space")  # select the first claim; the cursor moves to the second
        reader_lines = screen.reader._lines
        await pilot.press("c", "2")  # grades the selection
        assert screen.reader._lines is reader_lines, "a claim's grade changes nothing the reader shows"
        assert sample_store.get_claim(first.id).credibility == 2
        assert sample_store.get_claim(second.id).credibility != 2
        prompt = str(claims.get_option_at_index(0).prompt)
        assert prompt.startswith("▌2 "), prompt  # still selected, new grade shown
        assert claims.claims[0].credibility == 2
        assert [entity_list.get_option_at_index(i) for i in range(entity_list.option_count)] == entity_options_before
        await pilot.press("escape")  # clears the selection
        assert not claims.selected
        assert str(claims.get_option_at_index(0).prompt).startswith(" 2 ")


async def test_chooser_shows_admiralty_wording_and_escape_cancels(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        reliability = sample_store.get_report(sample_store.ids["wire"]).reliability
        await pilot.press("r")
        chooser = screen.chooser
        assert chooser.is_open and chooser.display and app.screen is screen, "a box over the panes, not a dialog"
        assert "Usually reliable" in chooser.text and "Minor doubt" in chooser.text
        cursor = screen.queue.cursor
        await pilot.press("j")  # behind an open chooser the screen's keys wait
        assert screen.queue.cursor == cursor and chooser.is_open
        await pilot.press("escape")
        await pilot.pause()
        assert not chooser.is_open and not chooser.display
        assert sample_store.get_report(sample_store.ids["wire"]).reliability == reliability, "nothing graded"
        await pilot.press("c")
        assert "Confirmed by other independent sources" in chooser.text
        await pilot.press("up", "enter")  # arrows and Enter work too: from 6 up to 5
        assert sample_store.get_report(sample_store.ids["wire"]).credibility == 5
        await pilot.pause()
        assert not chooser.display
        await pilot.press("j")  # the screen's keys act again
        assert screen.queue.cursor == cursor + 1


async def test_chooser_keys_win_over_the_focused_list_and_a_moved_cursor_cancels(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("tab", "tab")  # the claims pane: its list has its own arrows and Enter
        claims = screen.claims
        first = claims.current().id
        await pilot.press("c", "down", "enter")  # down in the chooser (6 wraps to 1), not in the list
        assert claims.current().id == first
        assert {c.id: c.credibility for c in sample_store.claims_for_report(ids["wire"])}[first] == 1
        await pilot.pause()
        await pilot.press("c")
        claims.action_cursor_down()  # a click in the list while choosing
        await pilot.pause()
        assert not screen.chooser.is_open
        await pilot.press("3")
        assert {c.credibility for c in sample_store.claims_for_report(ids["wire"])} <= {1, 6}


async def test_keys_typed_in_one_burst_grade_the_row_they_reach(sample_store, make_tui_app):
    from textual import events

    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        for key in "jc":  # one burst: the cursor's move is announced after c has opened the chooser
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert screen.chooser.is_open and screen.queue.cursor == 1
        await pilot.press("2")
        assert sample_store.get_report(sample_store.ids["shafaq"]).credibility == 2
        await pilot.pause()
        for key in "jc3":  # the grade's key too: it must wait for c, not arrive before the chooser
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert screen.queue.cursor == 2 and not screen.chooser.is_open
        assert sample_store.get_report(sample_store.ids["akhbar"]).credibility == 3
        assert sample_store.get_report(sample_store.ids["shafaq"]).credibility == 2


async def test_arrows_and_enter_typed_with_the_key_that_opens_the_chooser_go_to_the_chooser(sample_store, make_tui_app):
    """In "c Down Enter" typed as one burst, Down and Enter were already on their way to the
    focused pane when c opened the chooser: the pane steps aside and they choose."""
    from textual import events

    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        cursor = screen.queue.cursor
        graded = screen.queue.current().id
        for key, character in (("c", "c"), ("down", None), ("enter", None)):  # the queue focused
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert screen.queue.cursor == cursor and not screen.chooser.is_open
        assert sample_store.get_report(graded).credibility == 1  # 6, down, wraps to 1
        await pilot.press("tab", "tab")  # the claims pane: an option list with its own arrows and Enter
        claims = screen.claims
        first = claims.current().id
        for key, character in (("c", "c"), ("down", None), ("down", None), ("enter", None)):
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert claims.current().id == first and not screen.chooser.is_open
        assert {c.id: c.credibility for c in sample_store.claims_for_report(ids["wire"])}[first] == 2


async def test_grade_repaints_only_what_shows_it(sample_store, make_tui_app):
    """A grade rewrites the queue row and the reader's header; the body stays as it was wrapped."""
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        body_lines = screen.reader._lines[len(screen.reader._header_lines):]
        await pilot.press("c", "2")
        await pilot.pause()
        assert screen.queue.current().credibility == 2
        assert "grade B2" in screen.reader.text
        after = screen.reader._lines[len(screen.reader._header_lines):]
        assert len(after) == len(body_lines) and all(a is b for a, b in zip(after, body_lines, strict=True)), "body not wrapped again"
        await pilot.press("r", "c")
        await pilot.pause()
        assert "grade C2" in screen.reader.text and "reliability C (Fairly reliable)" in screen.reader.text
        assert screen.queue.current().reliability == "C"


async def test_bulk_claims_selection(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("tab", "tab", "space", "space")
        claims = screen.query_one(ClaimsList)
        assert len(claims.selected) == 2
        await pilot.press("c", "4")
        assert {c.credibility for c in sample_store.claims_for_report(sample_store.ids["wire"])} == {4}
        await pilot.press("s", "n")
        assert {c.stance for c in sample_store.claims_for_report(sample_store.ids["wire"])} == {"neutral"}


async def test_tags_notes_affiliation(sample_store, make_tui_app):
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("plus")
        await pilot.press(*"priority", "enter")
        assert sample_store.get_report(ids["wire"]).tags == ["priority"]
        await pilot.press("e")
        await pilot.press(*"check it", "ctrl+s")  # a note has lines: Enter starts the next one
        assert sample_store.get_report(ids["wire"]).note == "check it"
        await pilot.press("a")
        await pilot.press("ctrl+a" if False else "end", *" state", "enter")
        assert sample_store.get_report(ids["wire"]).source.affiliation == "state"
        await pilot.press("minus")
        await pilot.press(*"priority", "enter")
        assert sample_store.get_report(ids["wire"]).tags == []
        await pilot.press("tab", "tab", "plus")
        await pilot.press(*"key claim", "enter")
        claim_id = main_screen(app).query_one(ClaimsList).current().id
        assert sample_store.get_claim(claim_id).tags == ["key claim"]
        await pilot.press("e", *"verify", "ctrl+s")
        assert sample_store.get_claim(claim_id).note == "verify"


async def test_entities_pane_lists_other_reports(sample_store, make_tui_app):
    from tui.widgets.entities import EntitiesPane

    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("shift+tab")
        assert screen.pane == "entities"
        pane = screen.query_one(EntitiesPane)
        assert {e.name for e in pane.entities} == {"Hamas", "Baghdad"}
        while pane.current_entity().name != "Baghdad":
            await pilot.press("j")
        await pilot.press("enter")
        assert {r.id for r in pane.related} == {ids["shafaq"], ids["akhbar"]}
        first_related = pane.related[0].id
        await pilot.press("enter")  # opens the first related report
        assert screen.loaded_id == first_related


async def test_keymap_from_config_remaps_and_help_shows_it(sample_store, make_tui_app):
    from tui.screens.help import HelpScreen

    app = make_tui_app(sample_store, keymap={"triage.flag": "x"})
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("f")
        assert status_of(sample_store, sample_store.ids["wire"]) == "new"
        await pilot.press("x")
        assert sample_store.get_report(sample_store.ids["wire"]).flagged
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-body").render())
        assert "x" in text and "Flag" in text and "Source reliability" not in text or "Reliable" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_lists_every_command(sample_store, make_tui_app):
    from tui.commands import COMMANDS

    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("question_mark")
        text = app.screen.query_one("#help-body").render().plain
        flowing = " ".join(text.split())  # long explanations wrap with a hanging indent
        for command in COMMANDS:
            assert command.help in flowing
        assert "A Reliable" in text and "1 Confirmed" in text


async def test_palette_creates_renames_switches_hypotheses(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"new hypo")
        await wait_until(pilot, lambda: palette_offers(app, "new hypothesis"), what="the palette offering it")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Hamas stays in Doha", "enter")
        assert sample_store.active_hypothesis().title == "Hamas stays in Doha"
        await pilot.press("ctrl+p", *"rename hypo")
        await wait_until(pilot, lambda: palette_offers(app, "rename hypothesis"), what="the palette offering it")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("end", *" for now", "enter")
        assert sample_store.active_hypothesis().title == "Hamas stays in Doha for now"
        await pilot.press("H", "1")
        assert sample_store.active_hypothesis().title.startswith("Hamas is moving")


async def test_theme_choice_saved(sample_store, make_tui_app, config_file):
    import json

    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await main_screen(app).run_action("set_theme('textual-light')")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert json.loads(config_file.read_text())["theme"] == "textual-light"


async def test_import_from_palette_runs_in_worker(sample_store, make_tui_app, tmp_path):
    report = tmp_path / "new.md"
    report.write_text("# Fresh report on Baghdad\n\nA source said Hamas opened an office in Baghdad.\n")
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.press("i")
        await pilot.press(*str(report), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(ReportQueue).total == 4
        assert not screen.import_running
    assert sample_store.count_reports() == 4


async def test_outside_change_is_picked_up(sample_store, make_tui_app):
    from db.store import Store

    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        with Store.open(sample_store.path) as other:  # as a CLI in another process would
            other.set_status([sample_store.ids["wire"]], "dismissed")
        screen.poll_database()
        await pilot.pause()
        assert screen.query_one(ReportQueue).row(0).status == "dismissed"
        assert "1 new" not in str(screen.query_one("#topbar").render())


async def test_store_error_is_a_message_not_a_crash(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        sample_store.read_only = True  # every write now raises StoreError
        await pilot.press("m", "r", "a")
        assert app.is_running
        assert status_of(sample_store, sample_store.ids["wire"]) == "new"
        assert any("read-only" in n.message for n in app._notifications)


async def test_review_merges_from_the_palette(sample_store, make_tui_app):
    from tests.factories import add_extracted_report, entity

    body_a = "Ali Baqeri Kani met officials in Baghdad."
    body_b = "Ali Bagheri Kani arrived in Baghdad on Monday."
    add_extracted_report(sample_store, title="Baqeri", body=body_a, publisher=None, published="2024-06-01",
               entities=[entity(body_a, "Ali Baqeri Kani", "PERSON")])
    add_extracted_report(sample_store, title="Bagheri", body=body_b, publisher=None, published="2024-06-02",
               entities=[entity(body_b, "Ali Bagheri Kani", "PERSON")])
    sample_store.propose_merges()
    (a, b, _), = [p for p in sample_store.merge_proposals() if "Kani" in p[0].name]
    app = make_tui_app(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p", *"review merges")
        await wait_until(pilot, lambda: palette_offers(app, "review"), what="the palette offering it")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")  # the first proposal
        await pilot.pause()
        await pilot.press("m")  # merge into the first name
        await pilot.pause()
        names = {e.name for e in sample_store.list_entities()}
        assert a.name in names and b.name not in names
        assert b.name in sample_store.get_entity(a.id).aliases
        await pilot.press("u")
        await pilot.pause()
        assert b.name in {e.name for e in sample_store.list_entities()}


async def open_claims_of_highlighted_report(app, pilot):
    """Open the report under the queue cursor and go to its claims pane; returns the claim under the cursor."""
    await pilot.press("enter")
    await pilot.pause()
    app.screen.focus_named_pane("claims")
    await pilot.pause()
    return app.screen.query_one(ClaimsList).current()


async def test_w_corrects_who_said_a_claim(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        claim = await open_claims_of_highlighted_report(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("ctrl+u", *"informed Iraqi sources", "enter")
        await pilot.pause()
        assert sample_store.get_claim(claim.id).speaker_resolved == "informed Iraqi sources"


async def test_L_links_claims_across_reports(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        first = await open_claims_of_highlighted_report(app, pilot)
        await pilot.press("L")
        screen = app.screen
        screen.focus_named_pane("queue")
        await pilot.press("j")
        second = await open_claims_of_highlighted_report(app, pilot)
        assert second.report_id != first.report_id
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert sample_store.get_claim(first.id).relations == {"contradicts": 1}
        assert "contradicts" in str(screen.query_one(ClaimsList).get_option_at_index(0).prompt)


async def test_claims_follow_the_cursor_once_it_rests_and_never_lag_behind_an_action(sample_store, make_tui_app):
    """j paints the cursor and the report first; the claims pane follows when the cursor rests.
    A key that acts on claims before then must act on the report in the reader, not the one before."""
    ids = sample_store.ids
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        claims = screen.query_one(ClaimsList)
        await pilot.pause()
        assert claims.report_id == ids["wire"]
        await pilot.press("j")
        assert screen.reader.report.id == ids["shafaq"]
        await wait_until(pilot, lambda: claims.report_id == ids["shafaq"], what="the claims of the new report")
        await pilot.press("j", "tab", "tab")  # straight to the claims pane, no rest in between
        assert screen.pane == "claims"
        assert claims.report_id == ids["akhbar"]
        assert {c.id for c in claims.claims} == {c.id for c in sample_store.claims_for_report(ids["akhbar"])}
        first = claims.current()
        await pilot.press("c", "2")
        assert sample_store.get_claim(first.id).credibility == 2


async def test_reader_scrolls_to_the_focused_claim_and_selection_reads_its_text(sample_store, make_tui_app):
    from tests.factories import add_report

    body = "\n\n".join(f"Paragraph {n} says nothing of note about the matter at hand." for n in range(60))
    body += "\n\nThe ministry said the talks had ended."
    report_id = add_report(sample_store, title="Long report", body=body,
                           claims=[("the talks had ended", "The ministry")])
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        screen.jump_to_report(report_id)
        await pilot.pause()
        reader = screen.reader
        assert reader.scroll_offset.y == 0
        await pilot.press("tab", "tab", "enter")  # the claims pane; Enter shows the claim in the text
        await pilot.pause()
        assert reader.scroll_offset.y > 50
        from textual.geometry import Offset
        from textual.selection import Selection

        text, _ = reader.get_selection(Selection(Offset(0, 0), None))
        assert "The ministry said the talks had ended." in text and text.startswith("Long report")


async def test_a_theme_switch_restyles_the_queue_and_reader_lines(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        queue_before = list(screen.queue.render_line(1))[0].style
        reader_before = list(screen.reader.render_line(2))[0].style
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        assert list(screen.queue.render_line(1))[0].style != queue_before
        assert list(screen.reader.render_line(2))[0].style != reader_before
