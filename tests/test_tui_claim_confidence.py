"""The claims pane shows each extracted claim's confidence, dims the doubtful ones, and the analyst
moves the threshold with ``C`` (kept in the settings file)."""

from __future__ import annotations

import json

from tests.factories import add_extracted_report, claim
from tui.widgets.claims import ClaimsList

WIDE = (160, 48)
BODY = ("The minister said the bridge will reopen in May. Officials said the tolls will rise next year. "
        "Some people think the moon is made of cheese.")


def _store(store):
    add_extracted_report(store, title="Bridge", body=BODY, publisher="Daily", published="2024-01-01",
               claims=[claim(BODY, "the bridge will reopen in May", speaker="The minister", confidence=0.95),
                       claim(BODY, "the tolls will rise next year", speaker="Officials", confidence=0.6),
                       claim(BODY, "the moon is made of cheese", speaker="Some people", confidence=0.2)])
    return store


def shown_claims(pane: ClaimsList) -> dict[str, tuple[bool, str]]:
    """For each claim text on screen: whether it is drawn dim, and the badge line above it."""
    lines = []
    for y in range(pane.size.height):
        segments = [s for s in pane.render_line(y) if s.text.strip()]
        text = "".join(s.text for s in segments).strip()
        dim = bool(segments) and all(s.style is not None and s.style.dim for s in segments)
        lines.append((text, dim))
    shown = {}
    for i, (text, dim) in enumerate(lines):
        for c in ("the bridge will reopen in May", "the tolls will rise next year", "the moon is made of cheese"):
            if text == c:
                shown[c] = (dim, lines[i - 2][0])
    return shown


async def test_low_confidence_claims_are_dimmed_and_the_threshold_moves(store, make_tui_app, config_file):
    app = make_tui_app(_store(store))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("tab", "tab")
        await pilot.pause()
        pane = app.screen.query_one(ClaimsList)
        shown = shown_claims(pane)
        assert {c: dim for c, (dim, _) in shown.items()} == {
            "the bridge will reopen in May": False, "the tolls will rise next year": False,
            "the moon is made of cheese": True}
        assert "conf 95%" in shown["the bridge will reopen in May"][1]
        assert "conf 20%" in shown["the moon is made of cheese"][1]

        await pilot.press("C", "4")  # below 80%
        await pilot.pause()
        assert {c: dim for c, (dim, _) in shown_claims(pane).items()} == {
            "the bridge will reopen in May": False, "the tolls will rise next year": True,
            "the moon is made of cheese": True}
        assert app.config.dim_claims_below == 0.8
        assert json.loads(config_file.read_text())["dim_claims_below"] == 0.8

        await pilot.press("C", "0")  # dim nothing
        await pilot.pause()
        assert not any(dim for dim, _ in shown_claims(pane).values())


async def test_threshold_from_the_settings_file_applies_at_start(store, make_tui_app):
    app = make_tui_app(_store(store), dim_claims_below=0.7)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("tab", "tab")
        await pilot.pause()
        shown = shown_claims(app.screen.query_one(ClaimsList))
        assert shown["the tolls will rise next year"][0] and not shown["the bridge will reopen in May"][0]


def test_settings_file_threshold_is_read_only_when_it_is_a_probability(tmp_path):
    from tui.config import DEFAULT_DIM_CLAIMS_BELOW, Config

    path = tmp_path / "config.json"
    for value, expected in ((0.3, 0.3), (1, 1.0), (1.5, DEFAULT_DIM_CLAIMS_BELOW), ("0.3", DEFAULT_DIM_CLAIMS_BELOW),
                            (True, DEFAULT_DIM_CLAIMS_BELOW)):
        path.write_text(json.dumps({"dim_claims_below": value}))
        assert Config.load(path).dim_claims_below == expected
