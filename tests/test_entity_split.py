"""Splitting a name off an entity: what moves, what re-extraction and later imports do with the
decision, undo, and how splits and merges replace each other."""

from __future__ import annotations

import pytest

from db.errors import InvalidValue, NotFound
from db.models import ExtractedClaim, ExtractedEntity, Extraction, ParsedReport
from db.store import Store
from tests.factories import palette_offers, wait_until

pytestmark = pytest.mark.both_backends

# Two people the extractor takes for one: the shorter name is an alias of the longer.
BAGHERI_BODY = ("Ali Bagheri Kani met officials in Baghdad, aides said. "
                "Ali Bagheri said the talks went well. Ali Bagheri Kani said the visit was short.")
# Two people whose names fold to one transliteration key ("ali muhamid").
ALI_BODY = "Mohamed Ali spoke first. Mohammed Ali answered that the port was closed."


def spans(body: str, text: str) -> list[tuple[int, int]]:
    """Every occurrence of ``text`` as a whole name (not inside a longer one)."""
    found, start = [], body.find(text)
    while start >= 0:
        end = start + len(text)
        if not body[end:end + 1].isalpha() and body[end:end + 5] != " Kani":
            found.append((start, end))
        start = body.find(text, end)
    return found


def person(body: str, name: str, *aliases: str) -> ExtractedEntity:
    return ExtractedEntity(name, "PERSON", aliases=list(aliases),
                           mentions=sorted(s for n in (name, *aliases) for s in spans(body, n)))


def said(body: str, text: str, speaker: str) -> ExtractedClaim:
    start = body.index(text)
    return ExtractedClaim(start, start + len(text), text, speaker=speaker, cue="said", chain=[speaker])


def bagheri_extraction(body: str = BAGHERI_BODY) -> Extraction:
    """What an extractor that joins the two names finds."""
    return Extraction(entities=[person(body, "Ali Bagheri Kani", "Ali Bagheri")],
                      claims=[said(body, "the talks went well", "Ali Bagheri"),
                              said(body, "the visit was short", "Ali Bagheri Kani")])


def ali_extraction(body: str = ALI_BODY) -> Extraction:
    return Extraction(entities=[person(body, "Mohamed Ali", "Mohammed Ali")],
                      claims=[said(body, "the port was closed", "Mohammed Ali")])


def store_report(store: Store, title: str, body: str, extraction: Extraction) -> int:
    with store.write():
        return store.store_report(ParsedReport(title=title, body=body, format="text"), extraction).report_id


def entity_named(store: Store, name: str) -> int:
    rows = store.conn.execute("SELECT id FROM entities WHERE name = ?", (name,)).fetchall()
    assert len(rows) == 1, (name, rows)
    return rows[0][0]


def mentions_by_entity(store: Store, report_id: int) -> dict[str, set[str]]:
    """Entity name -> the texts of its mentions in one report."""
    out: dict[str, set[str]] = {}
    for name, text in store.conn.execute(
            "SELECT e.name, m.text FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.report_id = ?",
            (report_id,)):
        out.setdefault(name, set()).add(text)
    return out


def speakers(store: Store, report_id: int) -> dict[str, str | None]:
    """Claim text -> the name of its speaker's entity."""
    return dict(store.conn.execute(
        "SELECT c.text, e.name FROM claims c LEFT JOIN entities e ON e.id = c.speaker_entity_id WHERE c.report_id = ?",
        (report_id,)))


def aliases(store: Store, entity_id: int) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?", (entity_id,))}


def decisions(store: Store) -> tuple[set[tuple], set[tuple]]:
    """(key decisions, name decisions) without their times."""
    return ({r for r in store.conn.execute("SELECT key_a, key_b, decision FROM entity_decisions")},
            {r for r in store.conn.execute("SELECT name_a, name_b, decision FROM entity_name_decisions")})


def dump(store: Store) -> dict[str, list[tuple]]:
    """Everything a split touches, row for row."""
    queries = {
        "entities": "SELECT id, name, type, key, created_at FROM entities ORDER BY id",
        "aliases": "SELECT entity_id, alias, key FROM entity_aliases ORDER BY entity_id, alias",
        "mentions": 'SELECT id, entity_id, report_id, claim_id, start, "end", text FROM mentions ORDER BY id',
        "claims": "SELECT id, speaker_entity_id FROM claims ORDER BY id",
        "key_decisions": "SELECT * FROM entity_decisions ORDER BY key_a, key_b",
        "name_decisions": "SELECT * FROM entity_name_decisions ORDER BY name_a, name_b",
    }
    return {name: store.conn.execute(sql).fetchall() for name, sql in queries.items()}


@pytest.fixture
def joined(store):
    """One report where "Ali Bagheri" was taken for "Ali Bagheri Kani"; ``store.report``."""
    store.report = store_report(store, "Bagheri", BAGHERI_BODY, bagheri_extraction())
    return store


def test_split_moves_that_names_mentions_and_claims(joined):
    kani = entity_named(joined, "Ali Bagheri Kani")
    assert aliases(joined, kani) == {"Ali Bagheri"}
    new_id = joined.split_entity(kani, "Ali Bagheri")
    assert new_id != kani
    new = joined.get_entity(new_id)
    assert (new.name, new.type, new.aliases, new.mention_count) == ("Ali Bagheri", "PERSON", [], 1)
    assert aliases(joined, kani) == set()
    assert mentions_by_entity(joined, joined.report) == {"Ali Bagheri Kani": {"Ali Bagheri Kani"},
                                                         "Ali Bagheri": {"Ali Bagheri"}}
    assert speakers(joined, joined.report) == {"the talks went well": "Ali Bagheri",
                                               "the visit was short": "Ali Bagheri Kani"}
    keys, names = decisions(joined)
    assert keys == {("ali baghiri", "ali baghiri kani", "split")}
    assert names == {("ali bagheri", "ali bagheri kani", "split")}


def test_split_is_refused_for_the_own_name_and_unknown_names(joined):
    kani = entity_named(joined, "Ali Bagheri Kani")
    before = dump(joined)
    with pytest.raises(InvalidValue, match="own name.*Ali Bagheri"):
        joined.split_entity(kani, "ali bagheri KANI")
    with pytest.raises(InvalidValue, match="not a name of entity"):
        joined.split_entity(kani, "Hamas")
    with pytest.raises(InvalidValue):
        joined.split_entity(kani, "  ")
    with pytest.raises(NotFound):
        joined.split_entity(9999, "Ali Bagheri")
    assert dump(joined) == before
    assert joined.undo() is None  # nothing was logged


def test_reextraction_keeps_the_split(joined, monkeypatch):
    kani = entity_named(joined, "Ali Bagheri Kani")
    new_id = joined.split_entity(kani, "Ali Bagheri")
    monkeypatch.setattr("db.extract.extract", lambda body, **kwargs: bagheri_extraction(body))
    joined.reextract(joined.report)
    assert mentions_by_entity(joined, joined.report) == {"Ali Bagheri Kani": {"Ali Bagheri Kani"},
                                                         "Ali Bagheri": {"Ali Bagheri"}}
    assert speakers(joined, joined.report)["the talks went well"] == "Ali Bagheri"
    assert aliases(joined, kani) == set()  # not added back
    assert entity_named(joined, "Ali Bagheri") == new_id  # linked to the split-off entity, not a third one


def test_a_new_report_naming_both_keeps_them_apart(joined):
    kani = entity_named(joined, "Ali Bagheri Kani")
    new_id = joined.split_entity(kani, "Ali Bagheri")
    body = "Ali Bagheri Kani arrived in Beirut. Ali Bagheri said the talks went well. Ali Bagheri Kani said the visit was short."
    second = store_report(joined, "Beirut", body, bagheri_extraction(body))
    assert mentions_by_entity(joined, second) == {"Ali Bagheri Kani": {"Ali Bagheri Kani"},
                                                  "Ali Bagheri": {"Ali Bagheri"}}
    assert speakers(joined, second)["the talks went well"] == "Ali Bagheri"
    assert joined.get_entity(new_id).report_count == 2
    # A report that names only the split-off name, as its own entity, links to it too.
    alone = "Ali Bagheri spoke to reporters, who said little."
    third = store_report(joined, "Alone", alone, Extraction(entities=[person(alone, "Ali Bagheri")]))
    assert mentions_by_entity(joined, third) == {"Ali Bagheri": {"Ali Bagheri"}}
    assert aliases(joined, kani) == set()


def test_names_with_one_key_are_told_apart_by_spelling(store, monkeypatch):
    report = store_report(store, "Port", ALI_BODY, ali_extraction())
    mohamed = entity_named(store, "Mohamed Ali")
    new_id = store.split_entity(mohamed, "Mohammed Ali")
    keys, names = decisions(store)
    assert keys == set()  # the key is the same: only the spelling can keep them apart
    assert names == {("mohamed ali", "mohammed ali", "split")}
    assert mentions_by_entity(store, report) == {"Mohamed Ali": {"Mohamed Ali"}, "Mohammed Ali": {"Mohammed Ali"}}
    assert speakers(store, report) == {"the port was closed": "Mohammed Ali"}

    monkeypatch.setattr("db.extract.extract", lambda body, **kwargs: ali_extraction(body))
    store.reextract(report)
    assert mentions_by_entity(store, report) == {"Mohamed Ali": {"Mohamed Ali"}, "Mohammed Ali": {"Mohammed Ali"}}
    assert speakers(store, report) == {"the port was closed": "Mohammed Ali"}
    assert aliases(store, mohamed) == set() and aliases(store, new_id) == set()

    # Each spelling alone, as the extractor's canonical name, goes to its own entity.
    body = "Mohammed Ali left Basra. Mohamed Ali stayed."
    later = store_report(store, "Basra", body, Extraction(entities=[person(body, "Mohammed Ali", "Mohamed Ali")]))
    assert mentions_by_entity(store, later) == {"Mohamed Ali": {"Mohamed Ali"}, "Mohammed Ali": {"Mohammed Ali"}}
    assert {e.name for e in store.list_entities()} == {"Mohamed Ali", "Mohammed Ali"}


def test_the_real_extractor_keeps_a_split_of_one_key(store):
    from db.extract import extract

    body = "Mohamed Ali spoke first in Basra on Monday. Mohammed Ali answered him later the same day."
    report = store_report(store, "Real", body, extract(body, title="Real"))
    mohamed = entity_named(store, "Mohamed Ali")
    assert "Mohammed Ali" in aliases(store, mohamed)  # the extractor joined them by key
    store.split_entity(mohamed, "Mohammed Ali")
    store.reextract(report)
    assert mentions_by_entity(store, report)["Mohammed Ali"] == {"Mohammed Ali"}
    assert mentions_by_entity(store, report)["Mohamed Ali"] == {"Mohamed Ali"}


def test_undo_restores_exactly(joined):
    kani = entity_named(joined, "Ali Bagheri Kani")
    before = dump(joined)
    joined.split_entity(kani, "Ali Bagheri")
    assert dump(joined) != before
    assert joined.undo() == "entity split"
    assert dump(joined) == before
    assert [e.action for e in joined.history(limit=2)] == ["undo", "split"]


def test_undo_after_reextraction_loses_no_mention(joined, monkeypatch):
    kani = entity_named(joined, "Ali Bagheri Kani")
    joined.split_entity(kani, "Ali Bagheri")
    monkeypatch.setattr("db.extract.extract", lambda body, **kwargs: bagheri_extraction(body))
    joined.reextract(joined.report)  # new mention rows point at the split-off entity
    assert joined.undo() == "entity split"
    assert mentions_by_entity(joined, joined.report) == {"Ali Bagheri Kani": {"Ali Bagheri Kani", "Ali Bagheri"}}
    assert speakers(joined, joined.report)["the talks went well"] == "Ali Bagheri Kani"
    assert aliases(joined, kani) == {"Ali Bagheri"}
    assert decisions(joined) == (set(), set())


def test_merge_after_split_clears_the_split_and_undo_puts_it_back(joined, monkeypatch):
    kani = entity_named(joined, "Ali Bagheri Kani")
    new_id = joined.split_entity(kani, "Ali Bagheri")
    split_decisions = decisions(joined)
    joined.merge_entities(kani, new_id)
    assert decisions(joined) == ({("ali baghiri", "ali baghiri kani", "merge")}, set())
    monkeypatch.setattr("db.extract.extract", lambda body, **kwargs: bagheri_extraction(body))
    joined.reextract(joined.report)
    assert mentions_by_entity(joined, joined.report) == {"Ali Bagheri Kani": {"Ali Bagheri Kani", "Ali Bagheri"}}
    assert joined.undo() == "entity merge"
    assert decisions(joined) == split_decisions


def test_split_after_merge_replaces_the_merge_decision(store, monkeypatch):
    alone = "Ali Bagheri spoke to reporters, who said little."
    store_report(store, "Kani", BAGHERI_BODY, Extraction(entities=[person(BAGHERI_BODY, "Ali Bagheri Kani")]))
    second = store_report(store, "Alone", alone, Extraction(entities=[person(alone, "Ali Bagheri")]))
    kani, bagheri = entity_named(store, "Ali Bagheri Kani"), entity_named(store, "Ali Bagheri")
    store.merge_entities(kani, bagheri)
    assert decisions(store) == ({("ali baghiri", "ali baghiri kani", "merge")}, set())
    store.split_entity(kani, "Ali Bagheri")
    assert decisions(store) == ({("ali baghiri", "ali baghiri kani", "split")},
                                {("ali bagheri", "ali bagheri kani", "split")})
    monkeypatch.setattr("db.extract.extract",
                        lambda body, **kwargs: Extraction(entities=[person(body, "Ali Bagheri")]))
    store.reextract(second)
    assert mentions_by_entity(store, second) == {"Ali Bagheri": {"Ali Bagheri"}}
    assert store.undo() == "entity split"
    assert decisions(store) == ({("ali baghiri", "ali baghiri kani", "merge")}, set())


def test_a_split_pair_is_not_proposed_for_merging_again(store):
    body = "Ali Baqeri Kani met officials. Ali Bagheri Kani left."
    store_report(store, "Kani", body, Extraction(entities=[person(body, "Ali Bagheri Kani", "Ali Baqeri Kani")]))
    kani = entity_named(store, "Ali Bagheri Kani")
    baqeri = store.split_entity(kani, "Ali Baqeri Kani")
    assert store.propose_merges([kani, baqeri]) == 0
    assert store.merge_proposals() == []
    with store.write():  # without the decision, the same two close spellings are proposed
        store.conn.execute("DELETE FROM entity_decisions")
    store.propose_merges([kani, baqeri])
    assert [(a.id, b.id) for a, b, _ in store.merge_proposals()] == [(kani, baqeri)]


async def test_split_from_the_palette_on_the_entities_pane(joined, make_tui_app):
    from tui.widgets.entities import EntitiesPane

    kani = entity_named(joined, "Ali Bagheri Kani")
    app = make_tui_app(joined)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        app.screen.focus_named_pane("entities")
        await pilot.pause()
        pane = app.screen.query_one(EntitiesPane)
        assert pane.current_entity().name == "Ali Bagheri Kani"
        await pilot.press("ctrl+p", *"split entity")
        await wait_until(pilot, lambda: palette_offers(app, "split"), what="the palette offering Split")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")  # the first (only) other name: Ali Bagheri
        await pilot.pause()
        new_id = entity_named(joined, "Ali Bagheri")
        assert mentions_by_entity(joined, joined.report) == {"Ali Bagheri Kani": {"Ali Bagheri Kani"},
                                                             "Ali Bagheri": {"Ali Bagheri"}}
        assert speakers(joined, joined.report)["the talks went well"] == "Ali Bagheri"
        assert sorted(e.name for e in pane.entities) == ["Ali Bagheri", "Ali Bagheri Kani"]
        assert any("Split Ali Bagheri off Ali Bagheri Kani" in n.message for n in app._notifications)
        await pilot.press("u")
        await pilot.pause()
        assert [e.name for e in pane.entities] == ["Ali Bagheri Kani"]
        assert aliases(joined, kani) == {"Ali Bagheri"}
        assert joined.conn.execute("SELECT 1 FROM entities WHERE id = ?", (new_id,)).fetchone() is None


async def test_split_tells_why_when_there_is_nothing_to_split(store, make_tui_app):
    body = "Ali Bagheri spoke to reporters, who said little."
    store_report(store, "Alone", body, Extraction(entities=[person(body, "Ali Bagheri")]))
    app = make_tui_app(store)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        app.screen.focus_named_pane("entities")
        await pilot.pause()
        app.screen.action_split_entity()
        await pilot.pause()
        assert any("no other name to split off" in n.message for n in app._notifications)
        assert store.conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 1
