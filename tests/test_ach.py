"""The ACH matrix in the store and the CLI: cells, defaults from stances, weights, scores,
diagnosticity, evidence rows, audit and undo."""

from __future__ import annotations

import json
import sqlite3

import pytest

from db.ach import CREDIBILITY_WEIGHT, RELIABILITY_WEIGHT, consistency_code, row_weight
from db.ach_render import matrix_as_markdown, matrix_as_text
from db.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main
from db.errors import InvalidValue, NotFound
from db.store import Store

from tests.factories import HOSTILE, add_extracted_report, claim, fill_sample, run_cli

pytestmark = pytest.mark.both_backends


@pytest.fixture
def ach_store(sample_store):
    """The sample with two hypotheses. ``ach_store.h1`` (active), ``h2``; ``claims``: the claims by name."""
    store = sample_store
    store.h1 = store.active_hypothesis_id()
    store.h2 = store.create_hypothesis("Hamas is opening only a media office", activate=False)
    shafaq = store.claim_ids_for_report(store.ids["shafaq"])
    wire = store.claim_ids_for_report(store.ids["wire"])
    akhbar = store.claim_ids_for_report(store.ids["akhbar"])
    store.claims = {"office": shafaq[0], "haniyeh": shafaq[1], "no_request": wire[0], "not_approached": wire[1],
                    "visit": akhbar[0], "concern": akhbar[1]}
    return store


def cell(matrix, claim_id, hypothesis_id):
    return matrix.row(claim_id).cells[hypothesis_id]


def test_stances_fill_the_cells_of_their_hypothesis_as_a_default(ach_store):
    s, c = ach_store, ach_store.claims
    s.set_stance([c["office"]], "supports", s.h1)
    s.set_stance([c["no_request"]], "refutes", s.h1)
    s.set_stance([c["visit"]], "neutral", s.h2)
    matrix = s.ach_matrix()
    assert [h.id for h in matrix.hypotheses] == [s.h1, s.h2]
    assert {r.claim_id for r in matrix.rows} == {c["office"], c["no_request"], c["visit"]}
    assert (cell(matrix, c["office"], s.h1).value, cell(matrix, c["office"], s.h1).origin) == ("C", "stance")
    assert cell(matrix, c["no_request"], s.h1).value == "I"
    assert cell(matrix, c["visit"], s.h2).value == "N"
    # only the hypothesis the stance was given against
    assert (cell(matrix, c["office"], s.h2).value, cell(matrix, c["office"], s.h2).origin) == (None, "none")


def test_the_analyst_changes_a_default_and_dash_goes_back_to_it(ach_store):
    s, c = ach_store, ach_store.claims
    s.set_stance([c["office"]], "supports", s.h1)
    assert s.set_ach_cell([c["office"]], s.h1, "ii") == 1
    got = cell(s.ach_matrix(), c["office"], s.h1)
    assert (got.value, got.origin) == ("II", "analyst")
    assert s.conn.execute("SELECT consistency FROM ach_cells WHERE claim_id = ? AND hypothesis_id = ?",
                          (c["office"], s.h1)).fetchone() == ("II",)
    assert s.set_ach_cell([c["office"]], s.h1, "-") == 1
    got = cell(s.ach_matrix(), c["office"], s.h1)
    assert (got.value, got.origin) == ("C", "stance")
    assert s.set_ach_cell([c["office"]], s.h1, None) == 0  # nothing left to remove


def test_bad_ratings_and_missing_ids_are_refused(ach_store):
    s, c = ach_store, ach_store.claims
    for bad in ("X", "CCC", "consistent", "+", "Ｃ"):
        with pytest.raises(InvalidValue):
            s.set_ach_cell([c["office"]], s.h1, bad)
    with pytest.raises(NotFound):
        s.set_ach_cell([c["office"]], 999, "C")
    with pytest.raises(NotFound):
        s.set_ach_cell([999], s.h1, "C")
    with pytest.raises(NotFound):
        s.add_ach_evidence([999])
    with pytest.raises(NotFound):
        s.ach_matrix([s.h1, 999])
    with pytest.raises(sqlite3.IntegrityError):  # the schema refuses what the API would
        s.conn.execute("INSERT INTO ach_cells VALUES (?, ?, 'me', 'X')", (c["office"], s.h1))
    assert consistency_code(" cc ") == "CC" and consistency_code("-") is None


def test_scores_are_weighted_inconsistency_least_inconsistent_first(ach_store):
    s, c = ach_store, ach_store.claims
    # weights: credibility x reliability. Iraqi News Wire is B; the others F (not graded).
    s.set_claim_credibility([c["no_request"]], 2)
    s.set_claim_credibility([c["office"]], 3)
    s.set_ach_cell([c["no_request"]], s.h1, "II")
    s.set_ach_cell([c["no_request"]], s.h2, "C")
    s.set_ach_cell([c["office"]], s.h1, "CC")
    s.set_ach_cell([c["office"]], s.h2, "I")
    s.set_ach_cell([c["visit"]], s.h2, "I")  # credibility 6 and reliability F
    matrix = s.ach_matrix()
    w_request = CREDIBILITY_WEIGHT[2] * RELIABILITY_WEIGHT["B"]
    w_office = CREDIBILITY_WEIGHT[3] * RELIABILITY_WEIGHT["F"]
    w_visit = CREDIBILITY_WEIGHT[6] * RELIABILITY_WEIGHT["F"]
    assert matrix.row(c["no_request"]).weight == pytest.approx(w_request)
    h1, h2 = matrix.hypotheses
    assert h1.inconsistency == pytest.approx(2 * w_request)
    assert h2.inconsistency == pytest.approx(w_office + w_visit)
    assert h1.consistency == pytest.approx(2 * w_office)
    assert h2.consistency == pytest.approx(w_request)
    assert (h1.inconsistent_rows, h2.inconsistent_rows) == (1, 2)
    assert [h.id for h in matrix.ranking] == [s.h2, s.h1]  # 0.78 < 1.445: H2 survives
    assert (h2.rank, h1.rank) == (1, 2)
    # a better graded source makes its inconsistent evidence count more
    s.set_source_reliability([s.get_report(s.ids["shafaq"]).source.id], "A")
    assert s.ach_matrix().hypotheses[1].inconsistency == pytest.approx(CREDIBILITY_WEIGHT[3] * 1.0 + w_visit)


def test_report_credibility_counts_when_the_claim_is_not_graded(ach_store):
    s, c = ach_store, ach_store.claims
    s.add_ach_evidence([c["visit"]])
    assert s.ach_matrix().row(c["visit"]).weight == pytest.approx(row_weight(6, "F"))
    s.set_report_credibility([s.ids["akhbar"]], 1)
    assert s.ach_matrix().row(c["visit"]).credibility == 1
    s.set_claim_credibility([c["visit"]], 5)  # the claim's own grade wins
    assert s.ach_matrix().row(c["visit"]).weight == pytest.approx(row_weight(5, "F"))


def test_diagnosticity_marks_rows_rated_differently_across_hypotheses(ach_store):
    s, c = ach_store, ach_store.claims
    s.set_ach_cell([c["office"]], s.h1, "C")
    s.set_ach_cell([c["office"]], s.h2, "C")  # same for both: no diagnostic value
    s.set_ach_cell([c["no_request"]], s.h1, "II")
    s.set_ach_cell([c["no_request"]], s.h2, "CC")  # the widest spread
    s.set_ach_cell([c["visit"]], s.h1, "I")
    s.set_ach_cell([c["visit"]], s.h2, "N")
    matrix = s.ach_matrix()
    office, request, visit = (matrix.row(c[k]) for k in ("office", "no_request", "visit"))
    assert office.diagnosticity == 0 and not office.diagnostic and not office.most_diagnostic
    assert request.diagnosticity == pytest.approx(4 * request.weight) and request.most_diagnostic
    assert visit.diagnostic and not visit.most_diagnostic
    text = matrix_as_text(matrix)
    request_line = next(line for line in text.splitlines() if "no request had been received" in line)
    office_line = next(line for line in text.splitlines() if "media and relations office" in line)
    assert request_line.startswith("◆") and not office_line.startswith(("◆", "◇"))
    assert text.index("no request had been received") < text.index("media and relations office")
    # with one hypothesis shown, nothing tells hypotheses apart
    assert not any(r.diagnostic for r in s.ach_matrix([s.h1]).rows)


def test_evidence_rows_added_and_removed(ach_store):
    s, c = ach_store, ach_store.claims
    assert s.ach_matrix().rows == []
    assert s.add_ach_evidence([c["concern"], c["haniyeh"]]) == 2
    matrix = s.ach_matrix()
    assert [r.claim_id for r in matrix.rows] == [c["concern"], c["haniyeh"]]  # by report date
    assert all(r.added for r in matrix.rows)
    assert all(cl.value is None for r in matrix.rows for cl in r.cells.values())
    s.set_stance([c["office"]], "supports", s.h1)
    assert s.remove_ach_evidence([c["office"], c["concern"]]) == 2  # a stance does not keep it in
    assert [r.claim_id for r in s.ach_matrix().rows] == [c["haniyeh"]]
    assert s.get_claim(c["office"]).stance == "supports"  # the stance itself stays
    assert s.add_ach_evidence([c["office"]]) == 1
    assert {r.claim_id for r in s.ach_matrix().rows} == {c["haniyeh"], c["office"]}


def test_every_change_is_audited_and_undone(ach_store):
    s, c = ach_store, ach_store.claims
    s.set_stance([c["office"]], "refutes", s.h1)
    s.add_ach_evidence([c["visit"]])
    s.set_ach_cell([c["office"], c["visit"]], s.h1, "CC")
    entries = s.history(limit=2)
    assert {(e.target_id, e.field, e.old, e.new) for e in entries} == {
        (c["office"], f"ach:{s.h1}", None, "CC"), (c["visit"], f"ach:{s.h1}", None, "CC")}
    assert s.undo() == "ACH rating of 2 claims"
    matrix = s.ach_matrix()
    assert cell(matrix, c["office"], s.h1).value == "I"  # back to the stance's default
    assert cell(matrix, c["visit"], s.h1).value is None
    assert s.undo() == "ACH evidence of claim " + str(c["visit"])
    assert s.ach_matrix().row(c["visit"]) is None
    s.remove_ach_evidence([c["office"]])
    assert s.ach_matrix().rows == []
    s.undo()
    assert s.ach_matrix().row(c["office"]) is not None


def test_deleted_hypothesis_takes_its_cells_with_it(ach_store):
    s, c = ach_store, ach_store.claims
    s.set_ach_cell([c["office"]], s.h2, "I")
    with s.write():
        s.conn.execute("DELETE FROM hypotheses WHERE id = ?", (s.h2,))
    assert s.conn.execute("SELECT count(*) FROM ach_cells").fetchone()[0] == 0
    assert [h.id for h in s.ach_matrix().hypotheses] == [s.h1]


def test_markdown_table_escapes_untrusted_text_and_orders_columns(ach_store):
    s, c = ach_store, ach_store.claims
    body = f"Intro. {HOSTILE} | pipes | said the channel."
    report = add_extracted_report(s, title="hostile", body=body, publisher="Evil | Channel", published="2024-06-20",
                        claims=[claim(body, f"{HOSTILE} | pipes |", speaker="the channel")])
    hostile = s.claim_ids_for_report(report)[0]
    s.set_ach_cell([hostile], s.h1, "II")
    s.set_ach_cell([hostile], s.h2, "C")
    s.set_stance([c["office"]], "supports", s.h1)
    text = matrix_as_markdown(s.ach_matrix())
    table = [line for line in text.splitlines() if line.startswith("|")]
    widths = {line.replace("\\|", "").count("|") for line in table}
    assert len(widths) == 1  # every row has as many cells as the header: no pipe escaped the cell
    assert "\x1b" not in text and "\u202e" not in text
    header = table[0]
    assert header.index(f"H{s.h2} ") < header.index(f"H{s.h1} ")  # least inconsistent first
    assert "| *C* |" in text  # a stance's default is in italics
    assert text.splitlines()[2].startswith(f"1. H{s.h2}")
    assert "**Weighted inconsistency**" in table[-1]


def test_no_hypotheses_and_no_evidence(store):
    assert store.ach_matrix().hypotheses == []
    assert "No hypotheses" in matrix_as_text(store.ach_matrix())
    store.create_hypothesis("H")
    assert "No evidence yet" in matrix_as_text(store.ach_matrix())
    assert "no evidence yet" in matrix_as_markdown(store.ach_matrix())


def test_migration_to_ach_keeps_hypotheses_and_stances(tmp_path):
    from db.schema import MIGRATIONS, SCHEMA_VERSION, V_ACH

    from .test_migrations import file_at_version

    before = MIGRATIONS.index(V_ACH)
    path = tmp_path / "before-ach.db"
    conn = file_at_version(path, before)
    conn.execute("INSERT INTO hypotheses(id, title, active, created_at) VALUES (1, 'H1', 1, 'now')")
    conn.execute("INSERT INTO reports (id, title, imported_at, sort_key, body, format, content_hash) "
                 "VALUES (1, 't', 'now', '2024-06-01', 'Body.', 'text', 'h1')")
    conn.execute("INSERT INTO claims (id, report_id, start, \"end\", text) VALUES (1, 1, 0, 4, 'Body')")
    conn.execute("INSERT INTO claim_stances VALUES (1, 1, 'refutes')")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        matrix = store.ach_matrix()
        assert cell(matrix, 1, 1).value == "I"
        store.set_ach_cell([1], 1, "II")
        assert cell(store.ach_matrix(), 1, 1).value == "II"


# --- CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path):
    path = tmp_path / "cli.db"
    with Store.open(path) as store:
        fill_sample(store)
        store.create_hypothesis("Hamas is opening only a media office", activate=False)
    return str(path)


def test_cli_set_add_remove_show_and_undo(cli_db, capsys):
    code, out, _ = run_cli(capsys, "--db", cli_db, "ach")
    assert code == EXIT_OK and "No evidence yet" in out
    assert run_cli(capsys, "--db", cli_db, "grade", "--claim", "3", "--stance", "supports")[0] == EXIT_OK
    code, _, err = run_cli(capsys, "--db", cli_db, "ach", "set", "5", "1", "II")
    assert code == EXIT_OK and "claim 5 x hypothesis 1: II" in err
    assert run_cli(capsys, "--db", cli_db, "ach", "set", "5", "2", "cc")[0] == EXIT_OK
    assert run_cli(capsys, "--db", cli_db, "ach", "add", "1", "2")[0] == EXIT_OK
    assert run_cli(capsys, "--db", cli_db, "ach", "remove", "2")[0] == EXIT_OK
    code, out, _ = run_cli(capsys, "--db", cli_db, "ach", "--json")
    data = json.loads(out)
    assert code == EXIT_OK
    assert [r["claim_id"] for r in data["rows"]] == [1, 3, 5]
    assert data["ranking"] == [2, 1]  # H1 carries the II
    row5 = next(r for r in data["rows"] if r["claim_id"] == 5)
    assert row5["cells"] == {"1": {"consistency": "II", "origin": "analyst"}, "2": {"consistency": "CC", "origin": "analyst"}}
    assert row5["most_diagnostic"]
    row3 = next(r for r in data["rows"] if r["claim_id"] == 3)
    assert row3["cells"]["1"] == {"consistency": "C", "origin": "stance"}
    code, out, _ = run_cli(capsys, "--db", cli_db, "ach")
    assert "1. H2" in out and "2. H1" in out
    header = next(line for line in out.splitlines() if "evidence" in line and "claim" in line)
    assert header.index("H2") < header.index("H1")  # columns least inconsistent first
    code, out, _ = run_cli(capsys, "--db", cli_db, "ach", "--hypothesis", "1", "--json")
    assert [h["id"] for h in json.loads(out)["hypotheses"]] == [1]
    code, out, _ = run_cli(capsys, "--db", cli_db, "ach", "--markdown")
    assert out.startswith("Hypotheses, least inconsistent first") and "| ◆ |" in out
    code, _, err = run_cli(capsys, "--db", cli_db, "undo")
    assert "ACH evidence of claim 2" in err
    assert 2 in [r["claim_id"] for r in json.loads(run_cli(capsys, "--db", cli_db, "ach", "--json")[1])["rows"]]
    assert run_cli(capsys, "--db", cli_db, "ach", "set", "5", "1", "-")[0] == EXIT_OK
    row5 = next(r for r in json.loads(run_cli(capsys, "--db", cli_db, "ach", "--json")[1])["rows"] if r["claim_id"] == 5)
    assert row5["cells"]["1"] == {"consistency": None, "origin": "none"}


def test_cli_refuses_bad_ratings_and_ids(cli_db, capsys):
    code, _, err = run_cli(capsys, "--db", cli_db, "ach", "set", "5", "1", "maybe")
    assert code == EXIT_USAGE and "unknown consistency" in err
    code, _, err = run_cli(capsys, "--db", cli_db, "ach", "set", "5", "99", "C")
    assert code == EXIT_PARTIAL and "no hypothesis 99" in err
    code, _, err = run_cli(capsys, "--db", cli_db, "ach", "add", "999")
    assert code == EXIT_PARTIAL and "no claim 999" in err
    code, _, err = run_cli(capsys, "--db", cli_db, "ach", "--hypothesis", "42")
    assert code == EXIT_PARTIAL
    with pytest.raises(SystemExit):
        main(["--db", cli_db, "ach", "set", "x", "1", "C"])


def test_cli_prints_hostile_text_as_data(tmp_path, capsys):
    path = tmp_path / "hostile.db"
    with Store.open(path) as store:
        body = f"Intro. {HOSTILE} said the channel."
        report = add_extracted_report(store, title="hostile", body=body, publisher="Evil \x1b]0;x\x07 Channel",
                            published="2024-06-20", claims=[claim(body, HOSTILE, speaker="the channel")])
        store.create_hypothesis(f"H {HOSTILE}")
        store.add_ach_evidence(store.claim_ids_for_report(report))
    for mode in ([], ["--json"], ["--markdown"]):
        code, out, _ = run_cli(capsys, "--db", str(path), "ach", *mode)
        assert code == EXIT_OK
        assert not any(ch in out for ch in ("\x1b", "\x07", "\x9b", "\u202e")), mode
        assert "[@click=app.quit]" in out or "\\[@click=app.quit\\]" in out
