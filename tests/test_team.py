"""Team mode on one file (issue 22): each analyst's judgement kept apart, the team's view of them,
shared facts written with optimistic concurrency, and undo that never overwrites a colleague."""

from __future__ import annotations

import pytest

from db.analyst import ANALYST_ENV_VAR
from db.errors import InvalidValue, StaleWrite, UndoRefused
from db.store import Store

from .factories import fill_sample, run_cli


pytestmark = pytest.mark.both_backends


@pytest.fixture
def team(store_target):
    """Three analysts, each with a Store of their own on one database holding the sample reports:
    on SQLite named when opening, on PostgreSQL each logged in as their own role."""
    with _open_as(store_target, "alice") as alice:
        ids = fill_sample(alice)
        with _open_as(store_target, "bob") as bob, _open_as(store_target, "carol") as carol:
            yield alice, bob, carol, ids


def _open_as(target, analyst: str) -> Store:
    from db.backends import is_postgresql_url

    from .pg_server import analyst_url

    if is_postgresql_url(target):
        return Store.open(analyst_url(target, analyst))
    return Store.open(target, analyst=analyst)


def test_the_analyst_is_who_opened_the_store_and_the_audit_log_names_them(team):
    alice, bob, _, ids = team
    assert (alice.analyst, bob.analyst) == ("alice", "bob")
    bob.set_status([ids["wire"]], "read")
    assert alice.history(limit=1)[0].who == "bob"


def test_analyst_names_are_one_printable_line(db_path):
    with pytest.raises(InvalidValue):
        Store.open(db_path, analyst="  ")
    with pytest.raises(InvalidValue):
        Store.open(db_path, analyst="eve\x1b[31m")
    with Store.open(db_path, analyst="  Dana   Scully ") as store:
        assert store.analyst == "Dana Scully"


def test_default_analyst_is_the_environment_then_the_login(db_path, monkeypatch):
    import getpass

    monkeypatch.delenv(ANALYST_ENV_VAR, raising=False)
    with Store.open(db_path) as store:
        assert store.analyst == getpass.getuser()
    monkeypatch.setenv(ANALYST_ENV_VAR, "frank")
    with Store.open(db_path) as store:
        assert store.analyst == "frank"
        assert store.reopen().analyst == "frank"


def test_two_analysts_grading_one_claim_both_keep_their_grade(team):
    alice, bob, carol, ids = team
    claim = alice.claim_ids_for_report(ids["shafaq"])[0]
    source = alice.get_report(ids["shafaq"]).source.id
    alice.set_claim_credibility([claim], 2)
    bob.set_claim_credibility([claim], 3)
    carol.set_claim_credibility([claim], 2)
    alice.set_source_reliability([source], "B")
    bob.set_source_reliability([source], "C")
    alice.set_report_credibility([ids["shafaq"]], 1)
    assert alice.get_claim(claim).credibility == 2
    assert bob.get_claim(claim).credibility == 3
    assert bob.get_report(ids["shafaq"]).reliability == "C"
    assert alice.get_report(ids["shafaq"]).reliability == "B"
    assert carol.get_report(ids["shafaq"]).reliability == "F"  # not graded by carol: as imported
    assert (alice.get_report(ids["shafaq"]).credibility, bob.get_report(ids["shafaq"]).credibility) == (1, 6)
    # what each analyst filters on is their own grade too
    from db.store import ReportFilter

    assert ids["shafaq"] in [r.id for r in alice.list_reports(ReportFilter(reliability=("B",)))]
    assert ids["shafaq"] not in [r.id for r in bob.list_reports(ReportFilter(reliability=("B",)))]
    view = carol.team_view("claim", claim)
    credibility = view.judged[0]
    assert credibility.consensus == "2 (2) / 3 (1)" and credibility.disputed
    assert credibility.by_analyst == {"alice": 2, "bob": 3, "carol": 2}
    report_view = carol.team_view("report", ids["shafaq"])
    assert [j.consensus for j in report_view.judged] == ["1 (1)", "B (1) / C (1)"]
    assert carol.disputed_claims(alice.claim_ids_for_report(ids["shafaq"])) == {claim}
    assert carol.report_disputed(ids["shafaq"]) and not carol.report_disputed(ids["wire"])


def test_stances_and_notes_are_each_analysts_own(team):
    alice, bob, _, ids = team
    claim = alice.claim_ids_for_report(ids["wire"])[0]
    alice.set_stance([claim], "refutes")
    bob.set_stance([claim], "supports")
    alice.set_note("claim", claim, "denial from the government")
    bob.set_note("claim", claim, "check who the spokesperson is")
    assert (alice.get_claim(claim).stance, bob.get_claim(claim).stance) == ("refutes", "supports")
    assert alice.get_claim(claim).note == "denial from the government"
    assert bob.note_of("claim", claim) == "check who the spokesperson is"
    hypothesis = alice.active_hypothesis_id()
    assert alice.stance_counts(hypothesis)["refutes"] == 1 and alice.stance_counts(hypothesis)["supports"] == 0
    view = alice.team_view("claim", claim)
    stance = next(j for j in view.judged if j.field.startswith("stance"))
    assert stance.consensus == "refutes (1) / supports (1)" and stance.disputed
    assert view.notes == {"alice": "denial from the government", "bob": "check who the spokesperson is"}
    assert alice.disputed_claims([claim]) == {claim}
    bob.set_note("claim", claim, None)  # bob's removal leaves alice's note
    assert alice.note_of("claim", claim) == "denial from the government" and bob.note_of("claim", claim) is None


def test_undo_reverts_only_the_analysts_own_changes(team):
    alice, bob, _, ids = team
    claim = alice.claim_ids_for_report(ids["shafaq"])[0]
    alice.set_claim_credibility([claim], 2)
    bob.set_claim_credibility([claim], 4)
    assert alice.undo() == f"credibility of claim {claim}"  # alice's, though bob's is later
    assert alice.get_claim(claim).credibility == 6 and bob.get_claim(claim).credibility == 4
    assert alice.undo() == "hypothesis of hypothesis 1"  # the sample's, made as alice; bob's grade is not hers
    assert bob.get_claim(claim).credibility == 4


def test_undo_is_refused_where_someone_changed_the_value_since(team):
    alice, bob, _, ids = team
    alice.set_status([ids["wire"]], "read")
    bob.set_status([ids["wire"]], "dismissed")
    with pytest.raises(UndoRefused, match=r"status of report \d+ was changed since by bob at 20"):
        alice.undo()
    assert alice.get_report(ids["wire"]).status == "dismissed"  # bob's change stands
    bob.undo()  # bob's own undo applies: the value is still the one he set
    assert alice.get_report(ids["wire"]).status == "read"
    assert alice.undo() is not None and alice.get_report(ids["wire"]).status == "new"


def test_undo_is_refused_after_a_tag_removed_by_someone_else(team):
    alice, bob, _, ids = team
    alice.add_tag("report", [ids["wire"]], "urgent")
    bob.remove_tag("report", [ids["wire"]], "urgent")
    with pytest.raises(UndoRefused, match="by bob"):
        alice.undo()


def test_a_stale_report_edit_is_refused_naming_who_and_when(team):
    alice, bob, _, ids = team
    seen_by_alice = alice.get_report(ids["akhbar"]).version
    seen_by_bob = bob.get_report(ids["akhbar"]).version
    assert bob.edit_report(ids["akhbar"], expected_version=seen_by_bob, title="Bagheri Kani met factions") == 1
    with pytest.raises(StaleWrite, match=r"report \d+ was changed by bob at 20\S+ after you opened it"):
        alice.edit_report(ids["akhbar"], expected_version=seen_by_alice, author="A. Writer")
    report = alice.get_report(ids["akhbar"])
    assert report.title == "Bagheri Kani met factions" and report.author is None  # nothing overwritten
    assert alice.edit_report(ids["akhbar"], expected_version=report.version, author="A. Writer") == 1
    assert bob.undo() == f"title of report {ids['akhbar']}"  # still his title: undone
    assert alice.get_report(ids["akhbar"]).title == "Bagheri Kani in Baghdad"
    # an undo makes earlier reads stale too
    assert alice.get_report(ids["akhbar"]).version > report.version


def test_stale_entity_rename_retype_and_merge_are_refused(team):
    alice, bob, _, ids = team
    baghdad, hamas = (next(e for e in alice.entities_for_report(ids["shafaq"]) if e.name == name)
                      for name in ("Baghdad", "Hamas"))
    bob.rename_entity(baghdad.id, "Baghdad (city)", expected_version=baghdad.version)
    with pytest.raises(StaleWrite, match="by bob"):
        alice.retype_entity(baghdad.id, "ORG", expected_version=baghdad.version)
    with pytest.raises(StaleWrite, match="by bob"):
        alice.merge_entities(hamas.id, baghdad.id, expected_versions=(hamas.version, baghdad.version))
    assert alice.get_entity(baghdad.id).type == "LOC" and alice.get_entity(baghdad.id).name == "Baghdad (city)"
    fresh = alice.get_entity(baghdad.id)
    assert alice.retype_entity(baghdad.id, "ORG", expected_version=fresh.version) == 1


def test_cli_acts_as_the_analyst_named_and_shows_the_team(db_path, capsys, monkeypatch):
    monkeypatch.setenv(ANALYST_ENV_VAR, "nobody")  # restored after the test: --analyst sets it for workers
    with Store.open(db_path, analyst="alice") as alice:
        ids = fill_sample(alice)
        claim = alice.claim_ids_for_report(ids["shafaq"])[0]
    db = str(db_path)
    assert run_cli(capsys, "--db", db, "--analyst", "bob", "whoami")[1] == "bob\n"
    for who, grade in (("alice", "B"), ("bob", "B"), ("carol", "C")):
        code, _, err = run_cli(capsys, "--db", db, "--analyst", who, "grade", "--report", str(ids["shafaq"]),
                               "--reliability", grade)
        assert code == 0, err
    run_cli(capsys, "--db", db, "--analyst", "bob", "grade", "--claim", str(claim), "--credibility", "3")
    code, out, _ = run_cli(capsys, "--db", db, "--analyst", "carol", "team", "--report", str(ids["shafaq"]))
    assert code == 0 and "reliability of the source: B (2) / C (1)  DISPUTED" in out
    assert "you are carol" in out
    code, out, _ = run_cli(capsys, "--db", db, "--analyst", "carol", "show", str(ids["shafaq"]))
    assert "Grade" in out and "C6" in out  # carol's own grade where she sees it today
    code, out, _ = run_cli(capsys, "--db", db, "--analyst", "bob", "team", "--claim", str(claim), "--json")
    assert '"by_analyst": {\n    "bob": 3\n   }' in out
    code, _, err = run_cli(capsys, "--db", db, "--analyst", "bob", "edit", str(ids["shafaq"]), "--title", "T2",
                           "--if-version", "0")
    assert code == 0, err
    code, _, err = run_cli(capsys, "--db", db, "--analyst", "alice", "edit", str(ids["shafaq"]), "--title", "T3",
                           "--if-version", "0")
    assert code == 2 and "was changed by bob at" in err
    assert run_cli(capsys, "--db", db, "--analyst", "\x1b[2J", "whoami")[0] == 2


def test_ach_ratings_are_each_analysts_own_and_undo_checks_them(team):
    alice, bob, _, ids = team
    claim = alice.claim_ids_for_report(ids["wire"])[0]
    hypothesis = alice.active_hypothesis_id()
    alice.set_stance([claim], "refutes")
    bob.set_stance([claim], "refutes")
    alice.set_ach_cell([claim], hypothesis, "II")
    cell = lambda store: next(r for r in store.ach_matrix().rows if r.claim_id == claim).cells[hypothesis]  # noqa: E731
    assert (cell(alice).value, cell(alice).origin) == ("II", "analyst")
    assert (cell(bob).value, cell(bob).origin) == ("I", "stance")  # bob has not rated it: his stance's default
    assert alice.undo() == f"ACH rating of claim {claim}"
    assert cell(alice).origin == "stance"


def test_undo_of_a_correction_is_refused_after_a_colleagues_edit(team):
    alice, bob, _, ids = team
    alice.edit_report(ids["akhbar"], title="Alice's title")
    bob.edit_report(ids["akhbar"], title="Bob's title")
    with pytest.raises(UndoRefused, match=r"the title of report \d+ was changed since by bob"):
        alice.undo()
    assert alice.get_report(ids["akhbar"]).title == "Bob's title"
