"""Hostile or mistaken settings files: nothing in them stops the app, and what is ignored is named
once at start. Issue 17, class 10."""

from __future__ import annotations

import json

import pytest

from tui.config import Config
from tui.key_names import is_key_name


def test_a_config_nested_100000_deep_is_ignored_with_a_reason(tmp_path):
    path = tmp_path / "config.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    config = Config.load(path)
    assert config.problem and "nested too deeply" in config.problem
    assert config == Config(path=path)
    path.write_text('{"keymap": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001)
    assert "nested too deeply" in Config.load(path).problem


def test_keymap_entries_naming_no_key_are_named_and_left_out(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"keymap": {"triage.flag": "x", "triage.read": "ctrl+shfit+k",
                                           "app.quit": "q,F13x", "triage.dismiss": "question_mark"}}))
    config = Config.load(path)
    assert config.keymap == {"triage.flag": "x", "triage.dismiss": "question_mark"}
    assert "triage.read: 'ctrl+shfit+k'" in config.problem and "app.quit: 'F13x'" in config.problem


@pytest.mark.parametrize("name", ["x", "X", "ctrl+x", "ctrl+shift+a", "f5", "f12", "enter", "escape", "tab",
                                  "shift+tab", "pageup", "question_mark", "full_stop", "slash", "space", "?", "up"])
def test_real_key_names(name):
    assert is_key_name(name)


@pytest.mark.parametrize("name", ["", "ctrl+", "ctrl+shfit+k", "F13x", "nonsense", "hyper+", "ctl+x", "x y"])
def test_names_of_no_key(name):
    assert not is_key_name(name)


async def test_the_app_warns_once_naming_bad_keys_and_an_unknown_theme(sample_store, config_file):
    from tui.app import AnalystApp

    config_file.write_text(json.dumps({"theme": "no-such-theme", "keymap": {"triage.flag": "ctrl+nope"}}))
    app = AnalystApp(sample_store, config=Config.load(config_file), cursor_blink=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert sum("ctrl+nope" in m for m in messages) == 1
        assert sum("no-such-theme" in m for m in messages) == 1
        assert app.theme != "no-such-theme"
