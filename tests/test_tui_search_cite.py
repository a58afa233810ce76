"""Search as you type, n/N, and copying citations (system clipboard and OSC 52)."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input

from db.cite import cite_claim, cite_report
from db.search import SearchHit
from tui.screens.main import MainScreen
from tui.screens.search import SearchScreen
from tui.widgets.claims import ClaimsList
from tui.widgets.hits import HitList
from tests.factories import wait_for_results, wait_until

WIDE = (160, 48)


async def search_for(pilot, app, text: str) -> SearchScreen:
    """Open the search dialog, type ``text`` and wait for its results."""
    await pilot.press("slash", *text)
    search = app.screen
    assert isinstance(search, SearchScreen)
    await wait_for_results(pilot, search)
    return search


def report_of_hit(store, hit) -> int:
    """The report opening ``hit`` shows (an entity: the newest report naming it)."""
    report_id = hit.id if hit.kind == "report" else hit.report_id
    if hit.kind == "entity" and report_id is None:
        report_id = store.reports_mentioning(hit.id, limit=1)[0].id
    return report_id


async def test_search_as_you_type_and_enter_opens_claim(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash")
        search = app.screen
        assert isinstance(search, SearchScreen)
        await pilot.press(*"haniya")
        await wait_for_results(pilot, search)
        assert search.hits, "haniya should find Haniyeh"
        kinds = {h.kind for h in search.hits}
        assert kinds & {"entity", "claim"}
        first = search.hits[0]
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.loaded_id == report_of_hit(sample_store, first)
        if first.kind == "claim":
            assert screen.query_one(ClaimsList).current().id == first.id


async def test_arrows_choose_the_hit_that_enter_opens_and_the_list_shows_it(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        search = await search_for(pilot, app, "hamas")
        assert len(search.hits) >= 3
        hit_list = search.query_one(HitList)
        shown = hit_list.text
        assert search.hits[0].text in shown and search.hits[2].text in shown
        await pilot.press("down", "down", "up", "down")
        assert hit_list.cursor == 2
        await pilot.press("pageup")
        assert hit_list.cursor == 0, "moving stops at the first hit"
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        chosen = search.hits[2]
        assert isinstance(app.screen, MainScreen)
        assert app.screen.search_index == 2
        assert app.screen.loaded_id == report_of_hit(sample_store, chosen)


async def test_a_new_query_puts_the_cursor_back_on_its_first_hit(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        search = await search_for(pilot, app, "hamas")
        await pilot.press("down", "down")
        await pilot.press(*" office")
        await wait_for_results(pilot, search)
        assert search.query_one(Input).value == "hamas office"
        assert search.hits
        assert search.query_one(HitList).cursor == 0


async def test_fast_typing_after_slash_reaches_the_search_field(sample_store, make_tui_app):
    """A terminal delivers "/haniya" as one burst: the letters must become the query, not be lost
    or taken as commands ("a" is affiliation, "i" import on the main screen)."""
    from textual import events

    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        for key, char in [("slash", "/")] + [(c, c) for c in "haniya"]:
            app.post_message(events.Key(key, char))
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen)
                         and app.screen.query_one("#search-input").value == "haniya", what="the typed query")
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert search.query_one("#search-input").value == "haniya"
        await wait_for_results(pilot, search)
        assert search.hits


async def test_search_n_and_N_walk_hits(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash", *"baghdad")
        await wait_for_results(pilot, app.screen)
        hits = list(app.screen.hits)
        assert len(hits) >= 2
        await pilot.press("enter")
        screen = app.screen
        assert screen.search_index == 0
        await pilot.press("n")
        assert screen.search_index == 1
        await pilot.press("N", "N")
        assert screen.search_index == len(hits) - 1
        await pilot.press("slash")  # reopening keeps the query and results
        assert app.screen.query_one("Input").value == "baghdad"


async def test_bad_query_gives_message_not_traceback(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash")
        search = app.screen
        for query in ['"unbalanced', "grade:Z", "NEAR(", "* OR ' ; DROP TABLE reports", "[/]" * 50]:
            search.query_one("Input").value = query
            await wait_for_results(pilot, search)
            assert app.is_running
        search.query_one("Input").value = "grade:Z"
        await wait_for_results(pilot, search)
        status = search.query_one("#search-status").render().plain
        assert status and not search.hits
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_y_copies_chicago_note_to_both_clipboards(sample_store, make_tui_app, system_clipboard):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("y")
        report = sample_store.get_report(sample_store.ids["wire"])
        expected = cite_report(report, "chicago-note")
        assert app.clipboard == expected
        assert system_clipboard == [expected]
        message = app._notifications.last.message if hasattr(app._notifications, "last") else \
            list(app._notifications)[-1].message
        assert "Chicago (note)" in message and "system clipboard and the terminal" in message


async def test_y_on_claim_and_Y_picks_style(sample_store, make_tui_app, no_system_clipboard):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("j", "tab", "tab", "y")
        screen = app.screen
        claim = screen.query_one(ClaimsList).current()
        report = sample_store.get_report(sample_store.ids["shafaq"])
        assert app.clipboard == cite_claim(claim, report, "chicago-note")
        message = list(app._notifications)[-1].message
        assert "OSC 52" in message and "no system clipboard" in message
        await pilot.press("shift+tab", "shift+tab", "Y", "3")  # 3 = APA in the style list
        assert app.clipboard == cite_report(report, "apa")


async def test_default_style_setting_is_used_and_saved(sample_store, make_tui_app, config_file, system_clipboard):
    import json

    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await app.screen.run_action("choose_default_style")
        await pilot.press("5")  # bibtex
        await pilot.press("y")
        assert app.clipboard.startswith("@")
    assert json.loads(config_file.read_text())["citation_style"] == "bibtex"


async def test_copy_selected_reports(sample_store, make_tui_app, system_clipboard):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("space", "space", "y")
        assert len(app.clipboard.splitlines()) == 2


async def test_the_search_thread_outlives_the_dialog_and_answers_the_next_one(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        first = await search_for(pilot, app, "haniya")
        workers = [w for w in app.workers if w.group == "search"]
        assert len(workers) == 1 and app.search_service.warm.is_set()
        await pilot.press("escape")
        second = await search_for(pilot, app, "hamas")
        assert second is not first
        assert second.hits
        assert [w for w in app.workers if w.group == "search"] == workers, "the same thread, caches still warm"


class HitListAlone(App):
    """The hit list on a screen of its own, given hits by hand."""

    def compose(self):
        yield HitList(id="hits")


async def test_new_hits_draw_right_where_lines_are_kept_from_the_last_keystroke():
    """Lines that read as before keep their strips; every line must still show the new hits."""
    def hit(n: int, text: str, detail: str = "B2 · Wire") -> SearchHit:
        return SearchHit("claim", n, n, text, [(0, 3)], detail=detail, score=90.0)

    app = HitListAlone()
    async with app.run_test(size=(60, 12)) as pilot:
        hit_list = app.query_one(HitList)
        before = [hit(1, "Hamas office"), hit(2, "Baghdad talks"), hit(3, "Qatar review", detail="C3")]
        hit_list.show(before)
        await pilot.pause()
        first_drawn = [hit_list.render_line(y).text.rstrip() for y in range(6)]
        after = [hit(1, "Hamas office"), hit(4, "Erbil drone"), hit(3, "Qatar review", detail="C3")]
        hit_list.show(after)
        await pilot.pause()
        drawn = [hit_list.render_line(y).text.rstrip() for y in range(8)]
        assert drawn[:6] == ["C Hamas office", "  B2 · Wire", "C Erbil drone", "  B2 · Wire", "C Qatar review", "  C3"]
        assert drawn[6:] == ["", ""]
        assert drawn[0] == first_drawn[0] and drawn[2] != first_drawn[2]
        hit_list.show(after[:1])  # fewer hits: the lines below are blank again
        await pilot.pause()
        assert [hit_list.render_line(y).text.rstrip() for y in range(4)] == ["C Hamas office", "  B2 · Wire", "", ""]


async def test_hit_list_draws_as_textual_would(sample_store, make_tui_app):
    """HitList hands its lines to the compositor itself, skipping Textual's styles cache (borders,
    padding, tint, opacity): in the real dialog, with its CSS, the lines must be the same up to
    the scrollbar (which covers the blank cells Textual adds under it)."""
    from textual.geometry import Region

    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        search = await search_for(pilot, app, "hamas")
        await pilot.press("down", "down")
        await pilot.pause()
        hit_list = search.query_one(HitList)
        width, height = hit_list.region.size
        assert hit_list.cursor == 2 and 2 * len(search.hits) < height  # hits, the cursor and blank lines
        for crop in (Region(0, 0, width, height), Region(3, 1, width - 10, height - 4)):
            hit_list._styles_cache.clear()
            textual_lines = hit_list._styles_cache.render_widget(hit_list, crop)
            content = hit_list.scrollable_content_region.width - crop.x
            assert [list(strip.crop(0, content)) for strip in hit_list.render_lines(crop)] == \
                [list(strip.crop(0, content)) for strip in textual_lines]


async def test_the_scrollbar_follows_the_number_of_hits_and_long_lines_end_in_an_ellipsis():
    """A new number of hits re-sizes the list's scrollbar without laying the screen out (the
    scrollbar is always there, so it never comes or goes); a line wider than the list is cut
    with an ellipsis."""
    def hits(count: int, text: str = "Drone attack") -> list[SearchHit]:
        return [SearchHit("claim", n, n, f"{text} {n}", [(0, 5)], detail="B2", score=90.0) for n in range(count)]

    app = HitListAlone()
    async with app.run_test(size=(40, 12)) as pilot:
        hit_list = app.query_one(HitList)
        await pilot.pause()
        layouts = []
        lay_out = app.screen._refresh_layout
        app.screen._refresh_layout = lambda *args, **kwargs: (layouts.append(args), lay_out(*args, **kwargs))
        for count in (3, 30, 20, 2, 25, 0):
            hit_list.show(hits(count))
            await pilot.pause()
            assert hit_list.virtual_size.height == 2 * count
            assert hit_list.show_vertical_scrollbar
            assert hit_list.vertical_scrollbar.window_virtual_size == 2 * count
        assert not layouts, "new hits laid the screen out"
        hit_list.show(hits(1, "x" * 100))
        await pilot.pause()
        width = hit_list.scrollable_content_region.width
        line = hit_list.render_line(0).text
        assert len(line) == width and line.endswith("x\u2026")


async def test_an_import_landing_while_the_search_is_open_searches_again(sample_store, make_tui_app):
    """Opened during the demo's first import, the dialog showed "0 hits" for names the import then
    brought, until the analyst typed again."""
    from tests.factories import add_extracted_report
    from tui.messages import ImportFinished

    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        main = app.screen
        search = await search_for(pilot, app, "zanzibar")
        assert not search.hits
        add_extracted_report(sample_store, title="Ferry talks in Zanzibar", body="Officials met in Zanzibar on Monday.",
                   publisher="Coastal Wire", published="2024-06-30")
        main.post_message(ImportFinished("1 imported", []))
        for _ in range(300):
            if search.hits:
                break
            await pilot.pause(0.01)
        assert any("Zanzibar" in hit.text for hit in search.hits)
        assert isinstance(app.screen, SearchScreen)
