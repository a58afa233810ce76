"""Claim families, origin trees, independent corroboration, suggested links and credibility,
timelines and the brief, on small hand-made reports (issue 20)."""

from __future__ import annotations

import json

import pytest

from db.cli import main as cli_main
from tests.factories import add_extracted_report, claim

pytestmark = pytest.mark.both_backends

ORIGINAL = ("Hamas is preparing to move its political leadership from Qatar to Iraq, informed Iraqi sources told "
            "the Daily Courier. The Iraqi government approved the relocation of the leadership last month.")
RELAY = ("According to the Daily Courier, Hamas plans to relocate its political leadership from Qatar to Iraq. "
         "The government in Baghdad approved the relocation last month, the Courier said.")
COPY = ("According to the Daily Courier, Hamas plans to relocate its political leadership from Qatar to Iraq. "
        "The government in Baghdad approved the relocation last month, the Courier said. More follows.")
INDEPENDENT = ("Hamas leaders are preparing to move the political leadership from Qatar to Iraq, a senior "
               "lawmaker told the Tigris Post.")
DENIAL = ("A Hamas official said there is no plan to move the political leadership from Qatar to Iraq. "
          "The reports are baseless, he said.")
UNRELATED = "Shipping insurers raised premiums for the southern Red Sea on Tuesday, brokers said."
CIRCLE = ("The plan was confirmed by regional media: the Valley Herald reported that Hamas plans to relocate "
          "its political leadership from Qatar to Iraq.")


def _corpus(store, *, circular: bool = False) -> dict[str, int]:
    ids = {}
    ids["original"] = add_extracted_report(
        store, title="Hamas to move leadership to Iraq", body=ORIGINAL, publisher="Daily Courier",
        published="2024-06-20", reliability="C",
        claims=[claim(ORIGINAL, "Hamas is preparing to move its political leadership from Qatar to Iraq",
                      speaker="informed Iraqi sources", chain=["informed Iraqi sources", "Daily Courier"])])
    ids["relay"] = add_extracted_report(
        store, title="Report: Hamas leaders to relocate", body=RELAY, publisher="Valley Herald", published="2024-06-21",
        reliability="D",
        claims=[claim(RELAY, "Hamas plans to relocate its political leadership from Qatar to Iraq",
                      speaker="the Daily Courier", chain=["Daily Courier"])])
    ids["independent"] = add_extracted_report(
        store, title="Lawmaker on Hamas move", body=INDEPENDENT, publisher="Tigris Post", published="2024-06-22",
        reliability="B",
        claims=[claim(INDEPENDENT, "Hamas leaders are preparing to move the political leadership from Qatar to Iraq",
                      speaker="a senior lawmaker", chain=["a senior lawmaker"])])
    ids["denial"] = add_extracted_report(
        store, title="Hamas official: reports baseless", body=DENIAL, publisher="Levant Wire", published="2024-06-23",
        reliability="B",
        claims=[claim(DENIAL, "there is no plan to move the political leadership from Qatar to Iraq",
                      speaker="A Hamas official", chain=["A Hamas official"], is_denial=True)])
    ids["unrelated"] = add_extracted_report(
        store, title="Red Sea premiums", body=UNRELATED, publisher="Gulf Shipping", published="2024-06-19",
        claims=[claim(UNRELATED, "Shipping insurers raised premiums for the southern Red Sea on Tuesday",
                      speaker="brokers")])
    if circular:
        ids["circle"] = add_extracted_report(
            store, title="Regional media confirm", body=CIRCLE, publisher="Daily Courier", published="2024-06-24",
            claims=[claim(CIRCLE, "Hamas plans to relocate its political leadership from Qatar to Iraq",
                          speaker="the Valley Herald", chain=["the Valley Herald"])])
    store.update_families(ids.values())
    return ids


def _claim(store, report_id: int) -> int:
    return store.claim_ids_for_report(report_id)[0]


def _sources(originators) -> set[str]:
    return {o.source_name for o in originators}


def test_a_relay_joins_the_family_of_what_it_repeats_and_unrelated_claims_do_not(store):
    ids = _corpus(store)
    family = store.family_of(_claim(store, ids["original"]))
    assert store.family_of(_claim(store, ids["relay"])) == family
    assert store.family_of(_claim(store, ids["independent"])) == family
    assert store.family_of(_claim(store, ids["unrelated"])) != family
    assert store.family_of(_claim(store, ids["denial"])) != family  # a denial contradicts, it is no member


def test_a_new_report_joins_its_family_without_touching_the_others(store):
    ids = _corpus(store)
    before = dict(store.conn.execute("SELECT claim_id, family_id FROM claim_families"))
    later = add_extracted_report(store, title="Copy", body=COPY, publisher="Kura Daily", published="2024-06-25",
                       claims=[claim(COPY, "Hamas plans to relocate its political leadership from Qatar to Iraq",
                                     speaker="the Daily Courier", chain=["Daily Courier"])])
    store.update_families([later])
    after = dict(store.conn.execute("SELECT claim_id, family_id FROM claim_families"))
    assert {k: v for k, v in after.items() if k in before} == before
    assert after[_claim(store, later)] == before[_claim(store, ids["original"])]
    # and the incremental result is the one a full recompute gives
    store.rebuild_families()
    assert dict(store.conn.execute("SELECT claim_id, family_id FROM claim_families")) == after


def test_the_origin_tree_names_the_originators_and_the_relays(store):
    ids = _corpus(store)
    tree = store.origin_tree(_claim(store, ids["relay"]))
    assert _sources(tree.originators) == {"Daily Courier", "Tigris Post"}
    relay = tree.carriers[ids["relay"]]
    assert relay.parents == [(ids["original"], "cites Daily Courier")]
    assert [c.report_id for c in tree.relays] == [ids["relay"]]
    assert not tree.circular


def test_a_relay_cited_back_as_confirmation_is_circular(store):
    ids = _corpus(store, circular=True)
    tree = store.origin_tree(_claim(store, ids["original"]))
    circle = tree.carriers[ids["circle"]]
    assert circle.parents and circle.parents[0][0] == ids["relay"]
    assert circle.circular and "Daily Courier" in circle.circular and "Valley Herald" in circle.circular
    assert _sources(tree.originators) == {"Daily Courier", "Tigris Post"}  # the echo adds no originator


def test_relays_are_never_counted_and_the_suggested_grade_leaves_the_analysts_alone(store):
    ids = _corpus(store, circular=True)
    original = _claim(store, ids["original"])
    store.set_claim_credibility([original], 4)
    c = store.corroboration(original)
    assert c.independent_support == 2  # Daily Courier and Tigris Post; Valley Herald and the circle repeat
    assert {r.report_id for r in c.relays} == {ids["relay"], ids["circle"]}
    assert _sources(c.contradicting) == {"Levant Wire"}
    assert c.suggested_credibility == 3
    assert c.reason.startswith("2 independent originators (B, C), contradicted by 1 (B)")
    assert store.get_claim(original).credibility == 4


def test_suggested_credibility_follows_the_admiralty_wording():
    from db.analysis.corroboration import Corroboration, Originator, suggest_credibility

    def originator(grade, n):
        return Originator(f"o{n}", n, f"S{n}", grade, n, n, None)

    def grade(support, against=()):
        c = Corroboration(1, 1, [originator(g, i) for i, g in enumerate(support)], [],
                          [originator(g, 10 + i) for i, g in enumerate(against)], [], [], False)
        return suggest_credibility(c)

    assert grade("BB") == (1, "2 independent originators (B); no contradiction")
    assert grade("FF")[0] == 2
    assert grade("B")[0] == 2 and grade("C")[0] == 3 and grade("F")[0] == 6
    assert grade("F", "B")[0] == 5 and grade("B", "E")[0] == 4
    assert grade("BC", "B")[0] == 3


def test_a_suggestion_becomes_a_link_only_when_accepted_and_undo_takes_it_back(store):
    ids = _corpus(store)
    original, independent = _claim(store, ids["original"]), _claim(store, ids["independent"])
    offered = store.suggested_links(original)
    assert [(s.other_id, s.type) for s in offered if s.type == "corroborates"] == [(independent, "corroborates")]
    assert store.claim_relations(original) == []  # offered, not made
    assert store.accept_suggestion(original, independent, "corroborates") == 2
    assert [(kind, c.id) for kind, c in store.claim_relations(original)] == [("corroborates", independent)]
    assert store.relation_decision(original, independent, "corroborates") == "accepted"
    assert all(s.other_id != independent for s in store.suggested_links(original))
    assert {e.field.split(":")[0] for e in store.history(limit=2)} == {"suggestion", "relation"}
    store.undo()
    assert store.claim_relations(original) == []
    assert store.relation_decision(original, independent, "corroborates") is None


def test_a_rejected_suggestion_is_remembered_and_never_offered_again(store):
    ids = _corpus(store)
    original, denial = _claim(store, ids["original"]), _claim(store, ids["denial"])
    assert (denial, "contradicts") in [(s.other_id, s.type) for s in store.suggested_links(original)]
    store.reject_suggestion(denial, original, "contradicts")
    assert (denial, "contradicts") not in [(s.other_id, s.type) for s in store.suggested_links(original)]
    store.rebuild_families()  # recomputing the evidence does not bring it back
    assert (denial, "contradicts") not in [(s.other_id, s.type) for s in store.suggested_links(original)]
    assert store.claim_relations(original) == []
    store.undo()
    assert (denial, "contradicts") in [(s.other_id, s.type) for s in store.suggested_links(original)]


def test_a_relay_is_never_suggested_as_corroboration(store):
    ids = _corpus(store)
    relay = _claim(store, ids["relay"])
    assert [s for s in store.suggested_links(relay) if s.type == "corroborates"] == []
    assert all(relay not in s.pair or s.type != "corroborates" for s in store.suggested_links())


def test_the_family_timeline_is_in_date_order_with_roles(store):
    ids = _corpus(store)
    entries = store.family_timeline(_claim(store, ids["relay"]))
    assert [e.published for e in entries] == sorted(e.published for e in entries)
    assert [(e.source, e.role) for e in entries] == [  # the denial, matched to the family, where it happened
        ("Daily Courier", "originator"), ("Valley Herald", "relay"), ("Tigris Post", "originator"),
        ("Levant Wire", "against")]
    assert entries[-1].denial
    from db.analysis.timeline import timeline_lines

    lines = timeline_lines(entries, 80)
    denial = lines.index("2024-06-23  B6  Levant Wire (against)")
    assert all(len(line) <= 80 for line in lines)  # wrapped, not cut: the denial's last words are there
    assert " ".join(lines[denial + 1:]).split() == "DENIES there is no plan to move the political leadership from Qatar to Iraq".split()


def test_the_timeline_shows_a_denial_the_analyst_linked(store):
    ids = _corpus(store)
    original, unrelated = _claim(store, ids["original"]), _claim(store, ids["unrelated"])
    assert "Gulf Shipping" not in {e.source for e in store.family_timeline(original)}
    store.relate_claims(original, unrelated, "contradicts")
    linked = [e for e in store.family_timeline(original) if e.source == "Gulf Shipping"]
    assert [e.role for e in linked] == ["against"]


def test_the_brief_has_its_sections_footnotes_and_escaped_text(store, tmp_path, monkeypatch, capsys):
    ids = _corpus(store, circular=True)
    from db.analysis.brief import render

    text = render(store)
    for heading in ("## Key judgements", "## The claims and their grades", "## Sources", "## Uncorroborated or echoed"):
        assert heading in text
    assert "[^1]: " in text and "Circular reporting" in text
    assert "| Tigris Post | B (usually reliable) |" in text
    monkeypatch.setenv("ANALYST_TUI_DB", str(store.path))
    out = tmp_path / "brief.md"
    assert cli_main(["brief", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Brief: claims across reports")
    assert ids


def test_report_text_in_the_brief_is_data_not_markdown(store):
    from db.analysis.brief import render

    body = "Hamas will open an office in [Baghdad](javascript:x) soon, **sources** said. # heading"
    first = add_extracted_report(store, title="x", body=body, publisher="One", published="2024-06-01",
                       claims=[claim(body, "Hamas will open an office in [Baghdad](javascript:x) soon", speaker="sources")])
    second = add_extracted_report(store, title="y", body=body + " Again.", publisher="Two", published="2024-06-02",
                        claims=[claim(body + " Again.", "Hamas will open an office in [Baghdad](javascript:x) soon",
                                      speaker="One", chain=["One"])])
    store.update_families([first, second])
    text = render(store)
    assert "[Baghdad](javascript:x)" not in text and r"\[Baghdad\]" in text


def test_the_cli_prints_trees_and_answers_suggestions(store, monkeypatch, capsys):
    ids = _corpus(store, circular=True)
    monkeypatch.setenv("ANALYST_TUI_DB", str(store.path))
    original, independent = _claim(store, ids["original"]), _claim(store, ids["independent"])
    assert cli_main(["origins", str(_claim(store, ids["relay"]))]) == 0
    out = capsys.readouterr().out
    assert "2 independent originator(s)" in out and "cites Daily Courier" in out and "circular" in out
    assert cli_main(["corroboration", str(original), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["suggested_credibility"] == 3 and data["analyst_credibility"] == 6
    assert cli_main(["suggestions", "--accept", str(original), str(independent), "corroborates"]) == 0
    assert cli_main(["families", "--json"]) == 0
    families = json.loads(capsys.readouterr().out)
    assert any(f["circular"] for f in families)
    assert cli_main(["timeline", "--claim", str(original)]) == 0
    assert cli_main(["suggestions", "--reject", str(original), str(original), "contradicts"]) == 2
    assert cli_main(["origins", "999999"]) == 1


@pytest.mark.parametrize("text, negative", [
    ("no approval has been issued", True), ("the office opened on Monday", False),
    ("No date has been set. This month Hamas opened an office", False),
    ("an office will open within two days, and denied claims of a camp", False)])
def test_polarity(text, negative):
    from db.analysis.propositions import is_negative

    assert is_negative(text, False) is negative


def test_the_brief_converts_cleanly_with_pandoc(store, tmp_path):
    import shutil
    import subprocess

    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    from db.analysis.brief import render

    _corpus(store, circular=True)
    source = tmp_path / "brief.md"
    source.write_text(render(store), encoding="utf-8")
    done = subprocess.run(["pandoc", "--fail-if-warnings", "-f", "markdown", "-t", "html", str(source)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert 'class="footnotes' in done.stdout and "<table" in done.stdout


def test_the_brief_carries_the_ach_matrix(store):
    """The brief's ACH section is the matrix as ``ach --markdown`` prints it: hypotheses least
    inconsistent first, the evidence rated against each."""
    from db.analysis.brief import render

    ids = _corpus(store)
    claim_id = store.claim_ids_for_report(ids["original"])[0]
    stays = store.create_hypothesis("Hamas stays in Doha")
    moves = store.create_hypothesis("Hamas moves to Baghdad")
    store.set_ach_cell([claim_id], moves, "CC")
    store.set_ach_cell([claim_id], stays, "II")
    text = render(store)
    section = text.split("## Competing hypotheses (ACH)", 1)[1].split("\n## ", 1)[0]
    assert section.index(f"H{moves} Hamas moves to Baghdad") < section.index(f"H{stays} Hamas stays in Doha")
    row = next(line for line in section.splitlines() if f"(claim {claim_id})" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")][-2:]  # the hypotheses' columns, in rank order
    assert cells == ["CC", "II"]
