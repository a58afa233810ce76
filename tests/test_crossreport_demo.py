"""The demo corpus's relay families (listed in seeds/README.md): each forms one origin tree with the
right originators, no relay counts as independent corroboration, and the circular case is flagged."""

from __future__ import annotations

import pytest

from db.store import Store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from db.demo import demo_files, import_demo

    if not demo_files():
        pytest.skip("no demo corpus in seeds/")
    with Store.open(tmp_path_factory.mktemp("demo") / "demo.db") as store:
        import_demo(store)
        yield store


def claim_in(store, file_prefix: str, words: str) -> int:
    rows = store.conn.execute(
        """SELECT c.id FROM claims c JOIN reports r ON r.id = c.report_id
           WHERE r.original_name LIKE ? AND c.text LIKE ? ORDER BY c.id""", (file_prefix + "%", f"%{words}%")).fetchall()
    assert rows, f"no claim with {words!r} in {file_prefix}"
    return rows[0][0]


def report_of(store, file_prefix: str, title_words: str = "") -> int:
    return store.conn.execute("SELECT id FROM reports WHERE original_name LIKE ? AND title LIKE ? ORDER BY id",
                              (file_prefix + "%", f"%{title_words}%")).fetchone()[0]


# (file holding the claim, words of the claim, originator's source, relays' files)
RELAY_FAMILIES = [
    ("13_", "Iran would take charge of guarding", "The National", ["13_", "14_", "19_"]),
    ("13_", "keep some representation in Doha", "The National", ["13_", "14_"]),
    ("06_", "already gave the green light", "The National", ["06_"]),
    ("08_", "have discussed opening an official office", "Al-Akhbar", ["08_", "16_"]),
    ("06_", "the opening of Hamas's political office in Iraq", "Islamic Movement in Iraq (Telegram)", ["06_", "16_"]),
    ("05_", "would open within two days with official government approval", "Shafaq News", ["05_", "16_"]),
]


@pytest.mark.parametrize("file, words, originator, relay_files", RELAY_FAMILIES, ids=[f[1][:30] for f in RELAY_FAMILIES])
def test_every_relay_family_traces_back_to_its_originator(demo, file, words, originator, relay_files):
    claim_id = claim_in(demo, file, words)
    tree = demo.origin_tree(claim_id)
    assert [c.source_name for c in tree.originators] == [originator]
    relay_names = sorted(demo.get_report(c.report_id).original_name[:3] for c in tree.relays)
    assert relay_names == sorted(relay_files)
    c = demo.corroboration(claim_id)
    assert c.independent_support == 1, "a relay was counted as independent corroboration"
    assert [o.source_name for o in c.own_originators] == [originator]


def test_the_circular_case_is_flagged(demo):
    tree = demo.origin_tree(claim_in(demo, "19_", "Iran would take charge of guarding"))
    follow_up = tree.carriers[report_of(demo, "19_")]
    assert follow_up.circular and "Kura Valley Herald" in follow_up.circular and "The National" in follow_up.circular
    assert [c.report_id for c in tree.circular] == [follow_up.report_id]


def test_a_misattributed_relay_says_so(demo):
    tree = demo.origin_tree(claim_in(demo, "06_", "already gave the green light"))
    flash = next(c for c in tree.relays if c.source_name == "MidEast Flash (X)")
    assert flash.parents[0][1] == "names The National"
    assert "attributes it to Reuters, of which no report is held" in flash.notes


def test_no_relay_anywhere_in_the_demo_counts_as_an_originator(demo):
    for family_id, _claims, _reports in demo.families(limit=1000):
        tree = demo.origin_tree(family_id)
        relays = {c.report_id for c in tree.relays}
        for claim_id in demo.family_claim_ids(family_id):
            c = demo.corroboration(claim_id)
            counted = {o.report_id for o in c.own_originators + c.supporting}
            assert not counted & relays
