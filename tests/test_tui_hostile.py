"""Hostile text in every pane, dialog and notification: shown literally, never markup, no
escape sequence from the data reaches the terminal."""

from __future__ import annotations

from tui.screens.main import MainScreen
from tui.widgets.queue import ReportQueue

WIDE = (160, 48)
NARROW = (80, 24)


def assert_clean(app) -> str:
    svg = app.export_screenshot()
    assert "\x1b" not in svg and "\x07" not in svg and "\x9b" not in svg and "\u202e" not in svg
    return svg


async def test_hostile_report_in_every_pane(hostile_store, make_tui_app, system_clipboard):
    app = make_tui_app(hostile_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        queue = screen.query_one(ReportQueue)
        queue.move_to(queue.index_of(hostile_store.hostile_id))
        await pilot.pause()
        assert screen.loaded_id == hostile_store.hostile_id
        svg = assert_clean(app)
        assert "[@click=app.quit]quit[/]" in svg.replace("&#160;", " ")
        assert "␛" in svg and "⟨RLO⟩" in svg and "&lt;9B&gt;" in svg
        for keys in (("tab",), ("tab",), ("tab",), ("enter",)):  # reader, claims, entities, related list
            await pilot.press(*keys)
            await pilot.pause()
            assert app.is_running
            assert_clean(app)
        await pilot.press("escape", "escape")
        # dialogs that show the source name, and notifications that quote it
        await pilot.press("r")
        assert_clean(app)
        await pilot.press("a")
        await pilot.press("a")  # type into the affiliation prompt
        await pilot.press("enter")
        await pilot.press("y")
        await pilot.pause()
        assert app.is_running
        assert_clean(app)
        assert "\x1b" not in app.clipboard
        await pilot.press("s", "s")  # stance on the hostile claim (from the queue: the current claim)
        assert hostile_store.claims_for_report(hostile_store.hostile_id)[0].stance == "supports"
        assert_clean(app)


async def test_hostile_report_narrow_and_search(hostile_store, make_tui_app):
    from tests.factories import wait_for_results

    app = make_tui_app(hostile_store)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("slash", *"hostile")
        await wait_for_results(pilot, app.screen)
        assert_clean(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.loaded_id == hostile_store.hostile_id
        for _ in range(4):
            await pilot.press("tab")
            assert_clean(app)
        await pilot.press("question_mark")
        assert_clean(app)


async def test_hostile_hypothesis_and_tag(hostile_store, make_tui_app):
    from tests.factories import HOSTILE

    hostile_store.create_hypothesis("H " + HOSTILE)
    app = make_tui_app(hostile_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("plus")
        await pilot.press(*"[/]x", "enter")
        assert "[/]x" in hostile_store.get_report(hostile_store.hostile_id).tags
        await pilot.press("H")
        assert app.is_running
        assert_clean(app)
        await pilot.press("escape", "tab", "tab", "s")
        assert_clean(app)
