"""The origins screen (o): a claim's origin tree, its suggested credibility beside the analyst's
grade, and suggested links accepted or rejected with one key; the brief from the palette."""

from __future__ import annotations

import asyncio

from tests.test_crossreport import _claim, _corpus

WIDE, NARROW = (160, 48), (80, 24)


async def _view(pilot, timeout: float = 10.0, *, replacing=None):
    """The origins screen once it shows its claim (a view other than ``replacing``, after a change)."""
    from tui.screens.origins import OriginsScreen

    for _ in range(int(timeout / 0.05)):
        await pilot.pause(0.05)
        screen = pilot.app.screen
        if isinstance(screen, OriginsScreen) and screen.view is not None and screen.view is not replacing:
            return screen
    raise AssertionError("the origins screen did not show its claim")


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def _open_origins_of_original(pilot, newer: int = 3):
    # queue, newest first: (circle,) denial, independent, relay, original, unrelated
    await pilot.press(*["j"] * newer, "tab", "tab")
    await pilot.pause()
    await pilot.press("o")
    return await _view(pilot)


async def test_o_shows_the_tree_and_the_suggested_credibility_beside_the_analysts(store, make_tui_app):
    ids = _corpus(store, circular=True)
    original = _claim(store, ids["original"])
    store.set_claim_credibility([original], 4)
    app = make_tui_app(store)
    async with app.run_test(size=NARROW) as pilot:
        screen = await _open_origins_of_original(pilot, newer=4)
        assert screen.claim_id == original
        credibility = _text(screen, "#origins-credibility")
        assert "analyst 4 (Doubtfully true)" in credibility and "suggested 3 (Possibly true)" in credibility
        assert "contradicted by 1" in credibility
        tree = _text(screen, "#origins-tree-body")
        assert "● informed Iraqi sources → Daily Courier" in tree and "repeats it: cites Daily Courier" in tree
        assert "circular" in tree
        await pilot.press("t")
        assert "relay" in _text(screen, "#origins-tree-body") and "2024-06-21" in _text(screen, "#origins-tree-body")
        assert store.get_claim(original).credibility == 4  # shown beside, never written


async def test_a_accepts_the_suggested_link_and_u_undoes_it(store, make_tui_app):
    ids = _corpus(store)
    original, independent = _claim(store, ids["original"]), _claim(store, ids["independent"])
    app = make_tui_app(store)
    async with app.run_test(size=WIDE) as pilot:
        screen = await _open_origins_of_original(pilot)
        offered = [(s.other_id, s.type) for s in screen.view.suggestions]
        assert offered[0] == (independent, "corroborates")
        assert store.claim_relations(original) == []
        before = screen.view
        await pilot.press("a")
        screen = await _view(pilot, replacing=before)
        assert [(kind, c.id) for kind, c in store.claim_relations(original)] == [("corroborates", independent)]
        assert (independent, "corroborates") not in [(s.other_id, s.type) for s in screen.view.suggestions]
        before = screen.view
        await pilot.press("u")
        await _view(pilot, replacing=before)
        assert store.claim_relations(original) == []


async def test_x_rejects_and_the_suggestion_is_not_offered_again(store, make_tui_app):
    ids = _corpus(store)
    original, denial = _claim(store, ids["original"]), _claim(store, ids["denial"])
    app = make_tui_app(store)
    async with app.run_test(size=WIDE) as pilot:
        screen = await _open_origins_of_original(pilot)
        index = [(s.other_id, s.type) for s in screen.view.suggestions].index((denial, "contradicts"))
        for _ in range(index):
            await pilot.press("down")
        before = screen.view
        await pilot.press("x")
        screen = await _view(pilot, replacing=before)
        assert (denial, "contradicts") not in [(s.other_id, s.type) for s in screen.view.suggestions]
        assert store.relation_decision(original, denial, "contradicts") == "rejected"
        assert store.claim_relations(original) == []
        await pilot.press("escape")
        await pilot.pause()
        from tui.screens.main import MainScreen

        assert isinstance(app.screen, MainScreen)


async def test_the_brief_is_written_from_the_command_palette(store, make_tui_app, tmp_path):
    _corpus(store)
    target = tmp_path / "brief.md"
    app = make_tui_app(store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"export brief")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press(*str(target), "enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if target.exists():
                break
        await asyncio.sleep(0)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Brief: ") and "## Key judgements" in text and "[^1]:" in text


def test_hostile_report_text_reaches_the_origins_screen_as_visible_text(hostile_store):
    from tui.screens.origins import read_view

    hostile_store.update_families([hostile_store.hostile_id])
    claim_id = hostile_store.claim_ids_for_report(hostile_store.hostile_id)[0]
    view = read_view(hostile_store, claim_id, 100)
    shown = "\n".join([view.heading, view.summary, *view.tree, *view.timeline])
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown and "\x9b" not in shown
    assert "[/]" in shown  # markup characters stay as text; the screen renders them with Content, never markup


async def test_hostile_origins_screen_renders(hostile_store, make_tui_app):
    from tui.screens.origins import OriginsScreen

    hostile_store.update_families([hostile_store.hostile_id])
    claim_id = hostile_store.claim_ids_for_report(hostile_store.hostile_id)[0]
    app = make_tui_app(hostile_store)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        app.push_screen(OriginsScreen(claim_id))
        screen = await _view(pilot)
        assert screen.view.error is None
        assert "[/]" in _text(screen, "#origins-text")
