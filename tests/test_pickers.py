"""The two pickers (a dialog, and the chooser drawn over the main screen) answer the same keys."""

from __future__ import annotations

from tui.choices import CHOICE_KEYS, PICKER_KEYS, name_choices
from tui.screens.main import MainScreen
from tui.screens.pickers import ChoiceScreen
from tui.widgets.chooser import CHOOSER_BINDINGS

WIDE = (160, 48)


def _keys(bindings) -> set[str]:
    return {key for binding in bindings for key in binding.key.split(",")}


def test_both_pickers_take_the_same_choice_keys_and_keep_the_same_ones():
    assert not set(CHOICE_KEYS) & set(PICKER_KEYS)
    dialog, chooser = _keys(ChoiceScreen.BINDINGS), _keys(CHOOSER_BINDINGS)
    for keys in (dialog, chooser):
        assert set(CHOICE_KEYS) | set(PICKER_KEYS) <= keys
    assert all(choice.key in CHOICE_KEYS for choice in name_choices([f"name {i}" for i in 40 * "x"]))


async def test_j_and_k_move_in_the_chooser_as_in_the_dialog(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("c")  # credibility: the chooser opens on the current grade (6)
        await pilot.pause()
        assert screen.chooser.is_open
        start = screen.chooser.highlighted
        await pilot.press("k", "k")
        assert screen.chooser.highlighted == (start - 2) % 6
        await pilot.press("j")
        assert screen.chooser.highlighted == (start - 1) % 6
        report_id = screen.queue.target_ids()[0]
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.chooser.is_open
        assert sample_store.get_report(report_id).credibility == start  # index start - 1 is grade start
