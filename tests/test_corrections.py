"""Correcting what the machine got wrong (issue 18): a report's metadata, claims and entities.
Each correction is one audited batch, undone by one undo, and kept through re-extraction (which
runs the real extractor over the stored body); the corrections export as JSON Lines."""

from __future__ import annotations

import json

import pytest

from db.cite import cite_report
from db.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from db.errors import InvalidValue
from db.models import ExtractedEntity, Extraction, ParsedReport
from db.text_find import find_text

from tests.factories import SAMPLE_SHAFAQ_BODY, add_extracted_report, claim, entity, run_cli

pytestmark = pytest.mark.both_backends

# A relay with no source and no date, as the Caliber.Az seed is.
RELAY_BODY = ("Hamas is planning to relocate from Qatar to Iraq, Caliber.Az reports, citing The National.\n"
              "According to informed Iraqi sources, the Iraqi government gave its consent to the move last month.\n"
              "Read More\n"
              "Qatar is expected to be a leading donor to Gaza's reconstruction after the war.")


@pytest.fixture
def relay(store):
    store.relay = add_extracted_report(
        store, title="Media: Hamas leadership reportedly relocating to Iraq", body=RELAY_BODY, publisher=None,
        published=None,
        claims=[claim(RELAY_BODY, "Hamas is planning to relocate from Qatar to Iraq", speaker="Caliber.Az",
                      chain=["The National", "Caliber.Az"]),
                claim(RELAY_BODY, "the Iraqi government gave its consent to the move last month",
                      speaker="informed Iraqi sources", chain=["informed Iraqi sources"])],
        entities=[entity(RELAY_BODY, "Read More", "PERSON"), entity(RELAY_BODY, "Qatar", "LOC"),
                  entity(RELAY_BODY, "Caliber.Az", "MEDIA")])
    return store


def claims_of(store, report_id, **kw):
    return store.claims_for_report(report_id, **kw)


def entity_id(store, name):
    row = store.conn.execute("SELECT id FROM entities WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def audit_rows(store):
    return store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]


# --- report metadata ----------------------------------------------------------------------


def test_setting_a_source_and_date_makes_the_source_gradable_and_fixes_the_citation(relay):
    report = relay.get_report(relay.relay)
    assert report.source is None
    assert "n.d." in cite_report(report, "chicago-note")
    changed = relay.edit_report(relay.relay, source="Caliber.Az", published="June 2024", author="Staff writer")
    assert changed == 3
    report = relay.get_report(relay.relay)
    assert report.source.name == "Caliber.Az"
    assert (report.published, report.published_from) == ("2024-06", "analyst")  # the precision given
    note = cite_report(report, "chicago-note")
    assert "n.d." not in note and "Caliber.Az" in note and "June 2024" in note
    assert "Unknown source" not in cite_report(report, "intel")
    relay.set_source_reliability([report.source.id], "B")  # what `r` does: the source is gradable now
    assert relay.get_report(relay.relay).source.reliability == "B"
    # the queue orders by the corrected date
    assert relay.conn.execute("SELECT sort_key FROM reports WHERE id = ?", (relay.relay,)).fetchone()[0] == "2024-06"
    relay.undo()  # the grade
    assert relay.undo() == f"author, source, published date of report {relay.relay}"  # one batch
    report = relay.get_report(relay.relay)
    assert (report.source, report.published, report.author) == (None, None, None)


def test_edit_report_refuses_what_it_cannot_store(relay):
    with pytest.raises(InvalidValue, match="not a date"):
        relay.edit_report(relay.relay, published="next Tuesday-ish")
    with pytest.raises(InvalidValue, match="title"):
        relay.edit_report(relay.relay, title="  ")
    with pytest.raises(InvalidValue, match="cannot edit"):
        relay.edit_report(relay.relay, body="x")
    assert relay.edit_report(relay.relay, title=relay.get_report(relay.relay).title) == 0  # no change, no batch
    assert audit_rows(relay) == 0


def test_metadata_corrections_survive_reextraction(relay):
    relay.edit_report(relay.relay, title="Hamas to Iraq", source="Caliber.Az", published="2024", language="en",
                      url="https://caliber.az/x")
    relay.reextract(relay.relay)
    report = relay.get_report(relay.relay)
    assert (report.title, report.source.name, report.published, report.language, report.url) == \
        ("Hamas to Iraq", "Caliber.Az", "2024", "en", "https://caliber.az/x")


# --- claims -------------------------------------------------------------------------------


def test_rejected_claim_is_hidden_kept_through_reextraction_and_undone(relay):
    first = claims_of(relay, relay.relay)[0]
    assert relay.reject_claims([first.id]) == 1
    assert first.id not in [c.id for c in claims_of(relay, relay.relay)]
    shown = {c.id: c for c in claims_of(relay, relay.relay, rejected=True)}
    assert shown[first.id].rejected
    relay.reextract(relay.relay)
    after = claims_of(relay, relay.relay, rejected=True)
    assert any(c.id == first.id and c.rejected for c in after)
    # the extractor does not bring the claim back as a new row over the rejected one
    assert not [c for c in claims_of(relay, relay.relay) if c.start < first.end and first.start < c.end]
    assert relay.undo().startswith("rejection of claim")
    assert first.id in [c.id for c in claims_of(relay, relay.relay)]


def test_added_claim_takes_the_report_text_and_survives_reextraction(relay):
    # whitespace as a wrapped selection gives it
    text = "Qatar is expected to be a leading\n  donor to Gaza's reconstruction"
    claim_id = relay.add_claim(relay.relay, text=text, speaker="informed Iraqi sources",
                               chain=["informed Iraqi sources", "The National", "Caliber.Az"])
    added = relay.get_claim(claim_id)
    start = RELAY_BODY.index("Qatar is expected")
    assert (added.start, added.text, added.origin) == (start, RELAY_BODY[start:added.end], "analyst")
    assert added.text == "Qatar is expected to be a leading donor to Gaza's reconstruction"
    assert added.chain == ["informed Iraqi sources", "The National", "Caliber.Az"]
    relay.reextract(relay.relay)
    assert relay.get_claim(claim_id).origin == "analyst"
    assert relay.undo().startswith("addition of claim")  # the re-extraction is not an analyst change
    assert claim_id not in [c.id for c in claims_of(relay, relay.relay, rejected=True)]
    with pytest.raises(InvalidValue, match="not in the report"):
        relay.add_claim(relay.relay, text="words that are nowhere")


def test_claim_span_moves_and_is_kept_through_reextraction(relay):
    second = claims_of(relay, relay.relay)[1]
    relay.set_claim_span(second.id, text="the Iraqi government gave its consent")
    moved = relay.get_claim(second.id)
    assert moved.text == "the Iraqi government gave its consent" and moved.end - moved.start == len(moved.text)
    relay.reextract(relay.relay)
    assert relay.get_claim(second.id).text == "the Iraqi government gave its consent"
    relay.undo()
    assert relay.get_claim(second.id).text == second.text
    with pytest.raises(InvalidValue):
        relay.set_claim_span(second.id, 10, 5)


def test_claim_flags_toggle_undo_and_survive_reextraction(relay):
    first = claims_of(relay, relay.relay)[0]
    assert not first.is_hedged
    assert relay.toggle_claim_flag([first.id], "hedge") is True
    relay.set_claim_flag([first.id], "is_quote", True)
    relay.reextract(relay.relay)
    kept = relay.get_claim(first.id)
    assert kept.is_hedged and kept.is_quote
    relay.undo()
    assert not relay.get_claim(first.id).is_quote and relay.get_claim(first.id).is_hedged
    relay.undo()
    assert not relay.get_claim(first.id).is_hedged
    with pytest.raises(InvalidValue):
        relay.set_claim_flag([first.id], "sarcasm", True)


# --- entities -----------------------------------------------------------------------------


def test_deleted_entity_stays_gone_through_reextraction_and_new_imports(relay):
    junk = entity_id(relay, "Read More")
    relay.delete_entity(junk)
    assert entity_id(relay, "Read More") is None
    assert "Read More" not in [e.name for e in relay.entities_for_report(relay.relay)]
    relay.reextract(relay.relay)
    assert entity_id(relay, "Read More") is None
    body = "Read More about Qatar here."
    with relay.write():
        relay.store_report(ParsedReport(title="another", body=body, format="text"),
                           Extraction(entities=[ExtractedEntity("Read More", "PERSON", mentions=[(0, 9)]),
                                                ExtractedEntity("Qatar", "LOC", mentions=[(16, 21)])]))
    assert entity_id(relay, "Read More") is None and entity_id(relay, "Qatar") is not None
    assert relay.undo() == f"deletion of entity {junk}"
    assert entity_id(relay, "Read More") == junk
    assert relay.rejected_entity_names() == set()


def test_undo_of_a_deletion_brings_back_mentions_and_speakers(relay):
    caliber = entity_id(relay, "Caliber.Az")
    mentions = len(relay.mentions_for_report(relay.relay))
    relay.delete_entity(caliber)
    assert len(relay.mentions_for_report(relay.relay)) < mentions
    relay.undo()
    assert len(relay.mentions_for_report(relay.relay)) == mentions
    assert relay.get_entity(caliber).type == "MEDIA"


def test_retyped_entity_keeps_its_type_through_reextraction(relay):
    qatar = entity_id(relay, "Qatar")
    assert relay.retype_entity(qatar, "org") == 1
    relay.reextract(relay.relay)
    assert relay.get_entity(qatar).type == "ORG"
    assert "Qatar" in [e.name for e in relay.entities_for_report(relay.relay) if e.type == "ORG"]
    relay.undo()
    assert relay.get_entity(qatar).type == "LOC"
    with pytest.raises(InvalidValue):
        relay.retype_entity(qatar, "WEAPON")


def test_renamed_entity_keeps_the_old_name_as_an_alias(store):
    report = add_extracted_report(store, title="t", body=SAMPLE_SHAFAQ_BODY, publisher="Shafaq News", published="2024-06-13",
                        entities=[entity(SAMPLE_SHAFAQ_BODY, "Ismail Haniyeh", "PERSON")])
    haniyeh = entity_id(store, "Ismail Haniyeh")
    store.rename_entity(haniyeh, "Ismail Haniyeh (Hamas political chief)")
    renamed = store.get_entity(haniyeh)
    assert renamed.name == "Ismail Haniyeh (Hamas political chief)" and "Ismail Haniyeh" in renamed.aliases
    store.reextract(report)  # the text still says "Ismail Haniyeh": it links to the renamed entity
    assert entity_id(store, "Ismail Haniyeh") is None
    assert haniyeh in [e.id for e in store.entities_for_report(report)]
    store.undo()
    assert store.get_entity(haniyeh).name == "Ismail Haniyeh"
    assert store.get_entity(haniyeh).aliases == []


# --- corrections as data --------------------------------------------------------------------


def test_export_has_text_machine_and_analyst_for_every_correction(relay):
    from db.corrections_export import correction_records

    claims = claims_of(relay, relay.relay)
    relay.edit_report(relay.relay, source="Caliber.Az")
    relay.reject_claims([claims[0].id])
    relay.add_claim(relay.relay, text="Qatar is expected to be a leading donor", speaker="Caliber.Az")
    relay.retype_entity(entity_id(relay, "Qatar"), "ORG")
    relay.delete_entity(entity_id(relay, "Read More"))
    relay.set_claim_speaker([claims[1].id], "an Iraqi lawmaker")
    relay.set_source_reliability([relay.get_report(relay.relay).source.id], "B")  # a grade, not a correction
    relay.undo()
    relay.undo()  # the speaker
    records = list(correction_records(relay))
    by_field = {r["field"]: r for r in records}
    assert list(by_field) == ["source", "rejected", "added", "type", "deleted", "speaker_resolved"]
    assert by_field["source"]["machine"] is None and by_field["source"]["analyst"] == "Caliber.Az"
    assert by_field["rejected"]["machine"]["claim"] == claims[0].text
    assert by_field["rejected"]["analyst"] == "not a claim"
    assert by_field["added"]["machine"] is None
    assert by_field["added"]["text"] == "Qatar is expected to be a leading donor to Gaza's reconstruction after the war."
    assert (by_field["type"]["machine"], by_field["type"]["analyst"]) == ("LOC", "ORG")
    assert "Qatar" in by_field["type"]["text"]
    assert by_field["deleted"]["machine"]["entity"] == "Read More" and by_field["deleted"]["text"] == "Read More"
    assert by_field["speaker_resolved"]["undone"] is True
    assert not any(r["undone"] for r in records[:-1])
    assert all(r["who"] and r["at"] for r in records)


def test_find_text_folds_whitespace_and_prefers_the_nearest():
    body = "one two\nthree. one two three."
    assert find_text(body, "one  two three") == (0, 13)
    assert find_text(body, "one two three", near=20) == (15, 28)
    assert find_text(body, "   ") is None
    assert find_text("abc abc abc", "abc", near=5) == (4, 7)
    # one letter repeated: the nearest occurrence, found without walking every one of them
    assert find_text("a" * 100_000, "a" * 500, near=50_000) == (50_000, 50_500)


# --- the CLI ----------------------------------------------------------------------------------


def test_cli_corrects_and_exports(relay, capsys, tmp_path):
    db, report = str(relay.path), str(relay.relay)
    first, second = (str(c.id) for c in claims_of(relay, relay.relay))
    assert run_cli(capsys, "--db", db, "edit", report, "--source", "Caliber.Az", "--published", "2024-06-21")[0] == EXIT_OK
    code, out, _ = run_cli(capsys, "--db", db, "cite", report, "--style", "chicago-note")
    assert "Caliber.Az" in out and "June 21, 2024" in out and "n.d." not in out
    assert run_cli(capsys, "--db", db, "claim", "reject", first)[0] == EXIT_OK
    assert f"[{first}]" not in run_cli(capsys, "--db", db, "show", report)[1]
    code, out, _ = run_cli(capsys, "--db", db, "show", report, "--rejected")
    assert "Claims (1, and 1 rejected):" in out and f"[{first}]" in out and "REJECTED: not a claim" in out
    shown = json.loads(run_cli(capsys, "--db", db, "show", report, "--rejected", "--json")[1])["claims"]
    assert [c["rejected"] for c in shown if str(c["id"]) == first] == [True]
    assert run_cli(capsys, "--db", db, "claim", "flag", second, "--flag", "hedge")[0] == EXIT_OK
    assert run_cli(capsys, "--db", db, "claim", "span", second, "--text", "the Iraqi government gave its consent")[0] == EXIT_OK
    code, out, _ = run_cli(capsys, "--db", db, "claim", "add", report, "--text", "Qatar is expected to be a leading donor",
                       "--speaker", "Caliber.Az")
    assert code == EXIT_OK and out.strip().isdigit()
    qatar = str(entity_id(relay, "Qatar"))
    assert run_cli(capsys, "--db", db, "entity", "retype", qatar, "ORG")[0] == EXIT_OK
    assert run_cli(capsys, "--db", db, "entity", "rename", qatar, "State", "of", "Qatar")[0] == EXIT_OK
    assert run_cli(capsys, "--db", db, "entity", "delete", str(entity_id(relay, "Read More")))[0] == EXIT_OK
    out_file = tmp_path / "corrections.jsonl"
    code, _, err = run_cli(capsys, "--db", db, "corrections", "export", "-o", str(out_file))
    assert code == EXIT_OK and "9 corrections" in err
    records = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [r["field"] for r in records] == ["source", "published", "rejected", "is_hedged", "span", "added", "type",
                                             "name", "deleted"]
    assert records[7]["analyst"] == "State of Qatar"
    code, _, err = run_cli(capsys, "--db", db, "undo")
    assert code == EXIT_OK and "deletion of entity" in err
    code, out, _ = run_cli(capsys, "--db", db, "corrections", "export")
    assert json.loads(out.splitlines()[-1])["undone"] is True


def test_cli_correction_errors_have_exit_codes(relay, capsys):
    db, report = str(relay.path), str(relay.relay)
    code, _, err = run_cli(capsys, "--db", db, "edit", report, "--published", "someday")
    assert code == EXIT_USAGE and "not a date" in err
    assert run_cli(capsys, "--db", db, "edit", report)[0] == EXIT_USAGE
    assert run_cli(capsys, "--db", db, "edit", "999", "--title", "x")[0] == EXIT_PARTIAL
    assert run_cli(capsys, "--db", db, "entity", "retype", "1", "WEAPON")[0] == EXIT_USAGE
    assert run_cli(capsys, "--db", db, "claim", "add", report)[0] == EXIT_USAGE
    assert run_cli(capsys, "--db", db, "claim", "flag", "1")[0] == EXIT_USAGE


def test_a_file_from_before_corrections_upgrades_keeping_its_claims(tmp_path):
    from db.schema import MIGRATIONS, SCHEMA_VERSION, V_CORRECTIONS
    from db.store import Store

    from .test_migrations import file_at_version

    path = tmp_path / "before.db"
    conn = file_at_version(path, MIGRATIONS.index(V_CORRECTIONS))  # the version just before it
    conn.execute("INSERT INTO reports (title, imported_at, sort_key, body, format, content_hash) "
                 "VALUES ('t', 'now', '2024-06-01', 'Hamas said so.', 'text', 'h1')")
    conn.execute('INSERT INTO claims (report_id, start, "end", text) VALUES (1, 0, 5, \'Hamas\')')
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        [kept] = store.claims_for_report(1)
        assert (kept.text, kept.rejected) == ("Hamas", False)
        store.reject_claims([kept.id])
        assert store.claims_for_report(1) == [] and store.rejected_entity_names() == set()


@pytest.mark.sqlite_only("search on PostgreSQL (tsvector, pg_trgm) is the pg-search branch's, issue 22")
def test_a_rejected_claim_is_not_a_search_hit(relay):
    from db.search import search

    first = claims_of(relay, relay.relay)[0]
    assert first.id in [h.id for h in search(relay, "relocate from Qatar in:claims").hits if h.kind == "claim"]
    relay.reject_claims([first.id])
    assert first.id not in [h.id for h in search(relay, "relocate from Qatar in:claims").hits if h.kind == "claim"]
