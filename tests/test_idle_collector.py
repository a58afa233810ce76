"""The garbage collector runs when the analyst pauses; while they type, objects are frozen."""

from __future__ import annotations

import gc
import weakref

from tui import idle_collector
from tui.idle_collector import COLLECT_EVERY_SECONDS, IDLE_SECONDS, IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_freezes_while_active_and_collects_once_per_pause(monkeypatch):
    calls: list[str] = []
    for name in ("collect", "freeze", "unfreeze"):
        monkeypatch.setattr(idle_collector.gc, name, lambda *args, _name=name: calls.append(_name))
    clock = Clock()
    collector = IdleCollector(clock)
    clock.now += COLLECT_EVERY_SECONDS
    collector.note_input()
    clock.now += IDLE_SECONDS / 2
    collector.tick()
    assert calls == ["freeze"]
    clock.now += IDLE_SECONDS
    collector.tick()
    assert calls == ["freeze", "unfreeze", "collect", "freeze"]
    clock.now += IDLE_SECONDS
    collector.tick()  # still the same pause: nothing new to collect
    assert len(calls) == 4
    collector.note_input()
    clock.now += IDLE_SECONDS
    collector.tick()  # a pause soon after a collection: freezing only
    assert calls[4:] == ["freeze"]
    clock.now += COLLECT_EVERY_SECONDS
    collector.tick()
    assert calls[5:] == ["unfreeze", "collect", "freeze"]


def test_garbage_frozen_while_alive_is_freed_at_the_pause():
    class Node:
        pass

    clock = Clock()
    collector = IdleCollector(clock)
    collector.note_input()
    node = Node()
    node.itself = node  # a cycle: only the collector frees it
    freed = []
    weakref.finalize(node, freed.append, True)
    collector.tick()  # active: frozen with the rest
    del node
    gc.collect()
    assert not freed  # frozen objects are not collected
    clock.now += COLLECT_EVERY_SECONDS
    try:
        collector.tick()
        assert freed == [True]
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual


async def test_the_app_notes_keys_as_input(sample_store, make_tui_app):
    app = make_tui_app(sample_store)
    async with app.run_test() as pilot:
        app.idle_collector._last_input -= 60
        assert app.idle_collector.idle_seconds() >= 60
        await pilot.press("j")
        assert app.idle_collector.idle_seconds() < 5
