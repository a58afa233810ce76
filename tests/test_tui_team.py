"""Team mode on the triage screen: a claim the team disagrees on is marked in the claims pane, and
an edit of a report another analyst changed since the form opened is refused in the form."""

from __future__ import annotations

from db.store import Store
from tui.screens.form import FormScreen
from tui.widgets.queue import ReportQueue
from tui.widgets.reader import Reader

from tests.factories import fill_sample
from tests.test_tui_corrections import claim_rows, main_screen

NARROW = (80, 24)


async def retitle(app, pilot, title: str) -> None:
    """Type a new title in the open form and press Enter there."""
    from textual.widgets import Input

    box = app.screen.query_one("#field-title", Input)
    box.focus()
    box.value = ""
    await pilot.pause()
    await pilot.press(*title, "enter")
    await pilot.pause()


async def test_a_claim_the_team_differs_on_is_marked(db_path, make_tui_app):
    with Store.open(db_path, analyst="alice") as alice, Store.open(db_path, analyst="bob") as bob:
        ids = fill_sample(alice)
        first, second = alice.claim_ids_for_report(ids["wire"])
        alice.set_claim_credibility([first], 2)
        bob.set_claim_credibility([first], 4)
        bob.set_claim_credibility([second], 3)  # one analyst's grade: no disagreement
        source = alice.get_report(ids["wire"]).source.id
        alice.set_source_reliability([source], "A")
        bob.set_source_reliability([source], "C")
        app = make_tui_app(alice)
        async with app.run_test(size=NARROW) as pilot:
            screen = main_screen(app)
            assert screen.loaded_id == ids["wire"]
            rows = claim_rows(screen)
            assert rows[0].startswith(" 2 ") and "± team differs" in rows[0]  # alice sees her own 2
            assert "team differs" not in rows[1] and rows[1].startswith(" 6 ")
            assert "grade A6 · ± team differs" in screen.query_one(Reader).text  # alice's A, bob's C
            queue = screen.query_one(ReportQueue)
            row = queue.render_line(queue.cursor - round(queue.scroll_offset.y)).text
            assert " A6± " in row  # in the queue too, at 80 columns: one column beside the grade
            bob.set_source_reliability([source], "A")  # they agree now: the mark goes at the next reading
            await pilot.press("r", "a")  # alice re-grades (no change): the panes are read again
            await pilot.pause()
            assert "team differs" not in screen.query_one(Reader).text
            row = queue.render_line(queue.cursor - round(queue.scroll_offset.y)).text
            assert " A6 " in row and "±" not in row


async def test_a_stale_report_edit_is_shown_in_the_form_and_saves_nothing(db_path, make_tui_app):
    with Store.open(db_path, analyst="alice") as alice, Store.open(db_path, analyst="bob") as bob:
        ids = fill_sample(alice)
        app = make_tui_app(alice)
        async with app.run_test(size=NARROW) as pilot:
            screen = main_screen(app)
            assert screen.loaded_id == ids["wire"]
            await pilot.press("E")
            await pilot.pause()
            assert isinstance(app.screen, FormScreen)
            bob.edit_report(ids["wire"], author="Bob's author")  # while alice's form is open
            await retitle(app, pilot, "Alice's title")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormScreen)  # still open, saying why
            error = str(form.query_one("#form-error").render())
            assert "was changed by bob at" in error and "not saved" in error
            report = alice.get_report(ids["wire"])
            assert report.title == "Government spokesperson: no request received"
            assert report.author == "Bob's author"
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("E")  # reopened: bob's author shows, and alice's edit now saves
            await pilot.pause()
            await retitle(app, pilot, "Alice's title")
            await pilot.pause()
            assert app.screen is screen
            assert alice.get_report(ids["wire"]).title == "Alice's title"
            assert alice.get_report(ids["wire"]).author == "Bob's author"


async def test_u_is_refused_where_a_colleague_changed_the_value_since(db_path, make_tui_app):
    with Store.open(db_path, analyst="alice") as alice, Store.open(db_path, analyst="bob") as bob:
        fill_sample(alice)
        app = make_tui_app(alice)
        async with app.run_test(size=NARROW) as pilot:
            screen = main_screen(app)
            report = screen.loaded_id
            await pilot.press("m")  # alice marks it (read <-> new)
            await pilot.pause()
            alice_status = alice.get_report(report).status
            bob.set_status([report], "dismissed")
            await pilot.press("u")
            await pilot.pause()
            messages = [str(n.message) for n in app._notifications]
            assert any("not undone" in m and "by bob" in m for m in messages), messages
            assert alice.get_report(report).status == "dismissed" != alice_status  # bob's change stands
