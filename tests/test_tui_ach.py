"""Pilot tests of the ACH screen: opened with A, cells rated by keys (what the database holds
and what the screen shows), scores per column, rows added and dropped, undo, 80x24, hostile text."""

from __future__ import annotations

from tui.screens.ach import AchScreen
from tui.screens.main import MainScreen
from tui.widgets.ach_table import HEADER, AchTable

from tests.factories import HOSTILE, add_extracted_report, claim

WIDE = (160, 48)
NARROW = (80, 24)


def prepare(store):
    """Two hypotheses; claim "office" supports H1 and "no_request" refutes it."""
    store.h1 = store.active_hypothesis_id()
    store.h2 = store.create_hypothesis("Hamas is opening only a media office", activate=False)
    store.office = store.claim_ids_for_report(store.ids["shafaq"])[0]
    store.no_request = store.claim_ids_for_report(store.ids["wire"])[0]
    store.set_stance([store.office], "supports", store.h1)
    store.set_stance([store.no_request], "refutes", store.h1)
    return store


async def open_ach(app, pilot) -> AchScreen:
    await pilot.press("M")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AchScreen), screen
    return screen


def header(table: AchTable, hypothesis_id: int) -> str:
    return table.header_label(hypothesis_id)


def cell_text(table: AchTable, claim_id: int, hypothesis_id: int) -> str:
    """The cell as drawn on screen (the row must be in view): cut from the rendered line."""
    row = next(i for i, r in enumerate(table.matrix.rows) if r.claim_id == claim_id)
    column = next(i for i, h in enumerate(table.matrix.hypotheses) if h.id == hypothesis_id)
    line = table.render_line(HEADER + row - int(table.scroll_y)).text
    start = table.fixed_width + column * table.hypothesis_width - int(table.scroll_x)
    drawn = line[start:start + table.hypothesis_width].strip()
    assert drawn == table.cell_label(row, column)
    return drawn


def screen_text(table: AchTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


def stored(store, claim_id: int, hypothesis_id: int):
    row = store.conn.execute("SELECT consistency FROM ach_cells WHERE claim_id = ? AND hypothesis_id = ?",
                             (claim_id, hypothesis_id)).fetchone()
    return row[0] if row else None


async def test_rate_cells_by_keys_the_database_and_the_scores_follow(sample_store, make_tui_app):
    s = prepare(sample_store)
    app = make_tui_app(s)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_ach(app, pilot)
        table = screen.table
        assert [r.claim_id for r in table.matrix.rows] == [s.office, s.no_request]  # by report date
        assert cell_text(table, s.office, s.h1) == "C°" and cell_text(table, s.no_request, s.h1) == "I°"
        assert (table.cursor_row, table.cursor_column) == (0, 0)  # on the first hypothesis of the first row
        h1_before = header(table, s.h1)
        assert "#2" in h1_before and "#1 0.00" in header(table, s.h2)  # H1 carries the refuting claim
        # l: to H2; I: II (the office claim is very inconsistent with "only a media office")
        await pilot.press("l", "I")
        await pilot.pause()
        assert stored(s, s.office, s.h2) == "II"
        assert cell_text(table, s.office, s.h2) == "II"
        weight = table.matrix.row(s.office).weight
        assert f"{2 * weight:.2f}" in header(table, s.h2)
        # j h c: the refuting claim rated C against H1 after all, replacing its stance's default
        await pilot.press("j", "h", "c")
        await pilot.pause()
        assert stored(s, s.no_request, s.h1) == "C"
        assert cell_text(table, s.no_request, s.h1) == "C"
        assert "#1 0.00" in header(table, s.h1)  # H1 now has no inconsistent evidence
        assert "#1 H1 0.00" in str(screen.query_one("#ach-topbar").render())
        assert "your rating" in str(screen.query_one("#ach-cell").render())
        # x: back to the stance's default
        await pilot.press("x")
        await pilot.pause()
        assert stored(s, s.no_request, s.h1) is None and cell_text(table, s.no_request, s.h1) == "I°"
        # u undoes the last change (the x): the C is back, in the database and on screen
        await pilot.press("u")
        await pilot.pause()
        assert stored(s, s.no_request, s.h1) == "C" and cell_text(table, s.no_request, s.h1) == "C"
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_diagnostic_rows_are_marked_on_screen(sample_store, make_tui_app):
    s = prepare(sample_store)
    s.set_ach_cell([s.office], s.h2, "C")  # the same as its stance's C for H1: not diagnostic
    app = make_tui_app(s)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_ach(app, pilot)
        table = screen.table
        marks = {r.claim_id: table.mark_of(i) for i, r in enumerate(table.matrix.rows)}
        assert marks[s.no_request] == "◆" and marks[s.office] == ""
        assert screen_text(table)[HEADER + 1].startswith("◆")  # the no_request row, drawn
        await pilot.press("l", "C")  # office: CC for H2, C for H1: now diagnostic too, less than the other
        await pilot.pause()
        marks = {r.claim_id: table.mark_of(i) for i, r in enumerate(table.matrix.rows)}
        assert marks[s.office] == "◇" and screen_text(table)[HEADER].startswith("◇")
        assert "2 diagnostic" in str(screen.query_one("#ach-topbar").render())


async def test_at_80x24_the_hypotheses_scroll_sideways_and_h_stops_at_the_first(sample_store, make_tui_app):
    s = prepare(sample_store)
    for title in ("Iran is steering it", "A planted rumour", "They go to Turkey instead"):
        s.create_hypothesis(title, activate=False)
    app = make_tui_app(s)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_ach(app, pilot)
        table = screen.table
        assert len(table.matrix.hypotheses) == 5
        assert table.virtual_size.width > table.size.width  # five hypotheses do not fit in 80 columns
        last_title = table.matrix.hypotheses[-1].title
        assert not any("They go to" in line for line in screen_text(table))  # off screen to the right
        await pilot.press("h", "h")
        assert table.cursor_column == 0  # the claim's columns are not cells to rate
        await pilot.press("l", "l", "l", "l", "l")
        await pilot.pause()
        assert table.cursor_column == 4
        assert table.scroll_x > 0
        assert any(last_title[:5] in line for line in screen_text(table))  # scrolled into view
        assert any("Hamas will open" in line for line in screen_text(table))  # the claim stays
        await pilot.press("n")
        await pilot.pause()
        last = table.matrix.hypotheses[-1].id
        assert stored(s, s.office, last) == "N"
        assert f"H{last}: N neutral" in str(screen.query_one("#ach-cell").render())


async def test_add_and_drop_rows(sample_store, make_tui_app):
    s = prepare(sample_store)
    visit = s.claim_ids_for_report(s.ids["akhbar"])[0]
    app = make_tui_app(s)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_ach(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*str(visit), "enter")
        await pilot.pause()
        assert visit in [r.claim_id for r in screen.table.matrix.rows]
        assert s.ach_matrix().row(visit).added
        assert screen.table.row_count == 3
        await pilot.press("g", "d")  # the visit is the oldest report: the first row
        await pilot.pause()
        assert screen.table.row_count == 2 and s.ach_matrix().row(visit) is None
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("x", "enter")  # not an id: nothing happens but a message
        await pilot.pause()
        assert screen.table.row_count == 2


async def test_palette_command_adds_the_claim_under_the_cursor(sample_store, make_tui_app):
    s = prepare(sample_store)
    app = make_tui_app(s)
    async with app.run_test(size=WIDE) as pilot:
        screen = app.screen
        await pilot.press("tab", "tab")  # the claims pane of the newest report (the wire)
        await pilot.press("j")
        await pilot.pause()
        target = screen.claims.current().id
        await pilot.press("ctrl+p", *"add to ach")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert s.ach_matrix().row(target).added


async def test_empty_matrix_says_what_to_do(store, make_tui_app):
    app = make_tui_app(store)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_ach(app, pilot)
        assert "No hypotheses yet" in str(screen.query_one("#ach-empty").render())
        await pilot.press("c")  # nothing to rate: a message, no crash
        await pilot.pause()
        assert isinstance(app.screen, AchScreen)


async def test_hostile_claim_text_is_shown_as_data(sample_store, make_tui_app):
    s = prepare(sample_store)
    body = f"Intro. {HOSTILE} said the channel."
    report = add_extracted_report(s, title="hostile", body=body, publisher="Evil [/] Channel", published="2024-06-20",
                        claims=[claim(body, HOSTILE, speaker="the channel [bold]")])
    hostile = s.claim_ids_for_report(report)[0]
    s.add_ach_evidence([hostile])
    s.create_hypothesis("[@click=app.quit]quit[/] \x1b]0;title\x07", activate=False)
    app = make_tui_app(s)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_ach(app, pilot)
        table = screen.table
        await pilot.press("G")
        await pilot.pause()
        drawn = "\n".join(screen_text(table))
        assert "[/] [@click=app.quit]" in drawn and "\x1b" not in drawn and "\u202e" not in drawn
        assert "[@click=app.quit]quit[/]" in drawn  # the hostile hypothesis' title, as written
        detail = str(screen.query_one("#ach-claim").render())
        assert "[@click=app.quit]" in detail and "\x1b" not in detail
        await pilot.press("c")
        await pilot.pause()
        assert app.is_running and stored(s, hostile, s.h1) == "C"


async def test_o_orders_rows_most_diagnostic_first_and_the_cursor_keeps_its_claim(sample_store, make_tui_app):
    s = prepare(sample_store)
    s.set_ach_cell([s.office], s.h2, "C")  # office: C / C, not diagnostic; no_request: I / unrated, diagnostic
    app = make_tui_app(s)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_ach(app, pilot)
        table = screen.table
        assert [r.claim_id for r in table.matrix.rows] == [s.office, s.no_request]  # by date
        await pilot.press("o")
        await pilot.pause()
        assert [r.claim_id for r in table.matrix.rows] == [s.no_request, s.office]
        assert "most diagnostic first" in str(screen.query_one("#ach-topbar").render())
        assert screen_text(table)[HEADER].startswith("◆")
        assert table.current()[0].claim_id == s.office  # the cursor stayed on its claim
        await pilot.press("l", "I")  # office: II for H2 makes it the most diagnostic row: it moves up
        await pilot.pause()
        assert [r.claim_id for r in table.matrix.rows] == [s.office, s.no_request]
        assert table.current()[0].claim_id == s.office and table.cursor_row == 0
        await pilot.press("o")
        await pilot.pause()
        assert [r.claim_id for r in table.matrix.rows] == [s.office, s.no_request]  # by date again
        assert "by date" in str(screen.query_one("#ach-topbar").render())


async def test_a_rating_made_by_another_process_shows_up(sample_store, make_tui_app, db_path):
    from db.store import Store

    s = prepare(sample_store)
    app = make_tui_app(s)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_ach(app, pilot)
        with Store.open(db_path) as other:  # as 'analyst-tui ach set' would, from a shell
            other.set_ach_cell([s.office], s.h2, "CC")
        await pilot.pause(2.0)
        assert cell_text(screen.table, s.office, s.h2) == "CC"
