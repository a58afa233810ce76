"""The store: reading, paging, grading, the audit log and undo, tags, notes, hypotheses, merges."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.errors import InvalidValue, NotFound
from db.models import ParsedReport
from db.store import ReportFilter, Store

from .factories import add_report, seeded_store

pytestmark = pytest.mark.both_backends

SHAFAQ, HANIYEH = 1, 2  # ids in seeded_store()


@pytest.fixture
def store(store_target):
    s = seeded_store(store_target)
    yield s
    s.close()


def test_pragmas_wal_and_foreign_keys(tmp_path):
    with Store.open(tmp_path / "a.db") as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_queue_is_newest_first_with_counts(store):
    titles = [r.title for r in store.list_reports()]
    assert titles == ["Haniyeh refused to move to Baghdad", "Hamas to open media office in Baghdad",
                      "Red Sea shipping incident"]
    assert store.status_counts() == {"new": 3, "read": 0, "flagged": 0, "dismissed": 0}
    assert store.count_reports() == 3


def test_keyset_paging_matches_offset_paging(store):
    for i in range(40):
        add_report(store, title=f"Item {i}", body=f"Item {i}\nSomething numbered {i} happened today, officials said.",
                   published=f"2024-05-{(i % 28) + 1:02d}", publisher=None)
    everything = [r.id for r in store.list_reports(limit=1000)]
    paged, after = [], None
    while True:
        page = store.list_reports(limit=7, after=after)
        if not page:
            break
        paged += [r.id for r in page]
        after = store.report_position_key(page[-1].id)
    assert paged == everything
    assert [r.id for r in store.list_reports(limit=7, offset=14)] == everything[14:21]


def test_filters(store):
    assert [r.title for r in store.list_reports(ReportFilter(source="shafaq"))] == ["Hamas to open media office in Baghdad"]
    assert store.count_reports(ReportFilter(date_from="2024-06-11", date_to="2024-06-13")) == 1
    assert store.count_reports(ReportFilter(text="cargo")) == 1
    # FTS syntax in the input is taken as plain words, never as operators
    assert store.count_reports(ReportFilter(text='"[/] AND( *zzz')) == 0
    assert store.count_reports(ReportFilter(text='NEAR( "hull')) == 1
    with pytest.raises(InvalidValue):
        store.list_reports(ReportFilter(statuses=("bogus",)))


def test_claims_entities_footnotes_stored_with_exact_spans(store):
    report = store.get_report(SHAFAQ)
    claims = store.claims_for_report(report.id)
    assert [c.speaker for c in claims] == ["Shafaq News", "the source", "the source"]
    for claim in claims:
        assert report.body[claim.start:claim.end] == claim.text
    for mention in store.mentions_for_report(report.id):
        assert report.body[mention.start:mention.end] == mention.text
    cited = store.cited_sources_for_report(report.id)
    assert [(c.ref, c.source, c.date) for c in cited] == [("1", "Shafaq", "2024-06-13")]
    assert cited[0].claim_ids == [claims[0].id]  # "...Iraqi capital.[1]" cites the first claim


def test_entities_link_across_reports(store):
    baghdad = next(e for e in store.entities_for_report(SHAFAQ) if e.name == "Baghdad")
    others = store.reports_mentioning(baghdad.id, exclude_report=SHAFAQ)
    assert [r.title for r in others] == ["Haniyeh refused to move to Baghdad"]


def test_same_content_twice_is_skipped(store):
    report = store.get_report(SHAFAQ)
    with store.write():
        outcome = store.store_report(ParsedReport(title="again", body=report.body + "  \n", format="text"), None)
    assert outcome.status == "skipped" and outcome.report_id == SHAFAQ
    assert store.count_reports() == 3


def test_near_duplicate_is_linked(store):
    story = ("Hamas plans to leave Qatar for Iraq as pressure mounts on its political leaders over the ceasefire "
             "talks, informed sources told the newspaper. The Iraqi government approved the move last month and "
             "Iran will protect the leaders, offices and staff in Baghdad, the sources added. The leaders have yet "
             "to set a date for the move, and a media office will open in the city in the coming weeks.")
    first = add_report(store, title="Hamas leaders to move to Iraq", body=story, publisher="The National")
    relayed = story.replace("the newspaper", "The National").replace("in the coming weeks", "within weeks")
    second = add_report(store, title="Media: Hamas leaders to move to Iraq", body="Media: " + relayed, publisher="Caliber.Az")
    assert store.get_report(second).duplicate_of == first
    assert [r.id for r in store.near_duplicates(first)] == [second]
    unrelated = add_report(store, title="Other", body="A completely different story about grain exports from the "
                           "Black Sea ports rising in May, traders said, as shipping insurance costs eased again.")
    assert store.get_report(unrelated).duplicate_of is None


def test_grading_is_audited_and_undone_in_order(store):
    source_id = store.get_report(SHAFAQ).source.id
    claim_ids = store.claim_ids_for_report(SHAFAQ)
    store.set_source_reliability([source_id], "b")
    store.set_claim_credibility(claim_ids, 3)
    store.set_status([SHAFAQ], "flagged")
    store.add_tag("claim", claim_ids[:1], "office")
    store.set_note("report", SHAFAQ, "check the camp denial")
    assert store.get_report(SHAFAQ).reliability == "B"
    assert store.get_report(SHAFAQ).note == "check the camp denial"
    assert {c.credibility for c in store.claims_for_report(SHAFAQ)} == {3}
    entries = store.history()
    assert entries[0].field == "note" and entries[-1].field == "reliability" and entries[-1].old == "F"
    assert all(e.who for e in entries)

    assert store.undo() == f"note of report {SHAFAQ}"
    assert store.get_report(SHAFAQ).note is None
    assert store.undo() == "tag of claim 1"
    assert store.claims_for_report(SHAFAQ)[0].tags == []
    assert store.undo() == f"flag of report {SHAFAQ}"  # a flag is beside the status, which stayed new
    assert not store.get_report(SHAFAQ).flagged and store.get_report(SHAFAQ).status == "new"
    assert store.undo() == "credibility of 3 claims"
    assert {c.credibility for c in store.claims_for_report(SHAFAQ)} == {6}
    assert store.undo() == "reliability of source 1"
    assert store.get_report(SHAFAQ).reliability == "F"
    assert store.undo() is None


def test_audit_log_is_append_only(store):
    store.set_status([1], "read")
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("UPDATE audit_log SET new = 'x'")


def test_unchanged_value_writes_nothing(store):
    assert store.set_status([1], "new") == 0
    assert store.history() == []


def test_bulk_change_is_one_batch(store):
    ids = [r.id for r in store.list_reports()]
    assert store.set_status(ids, "read") == 3
    assert len({e.batch for e in store.history()}) == 1
    store.undo()
    assert store.status_counts()["new"] == 3


def test_invalid_values_are_refused(store):
    with pytest.raises(InvalidValue):
        store.set_claim_credibility([1], 7)
    with pytest.raises(InvalidValue):
        store.set_source_reliability([1], "G")
    with pytest.raises(InvalidValue):
        store.set_status([1], "archived")
    with pytest.raises(NotFound):
        store.set_status([999], "read")
    assert store.history() == []


def test_stance_needs_and_follows_the_active_hypothesis(store):
    with pytest.raises(InvalidValue):
        store.set_stance([1], "refutes")
    first = store.create_hypothesis("Hamas moves its leadership to Baghdad")
    store.set_stance([1, 2], "supports")
    assert [c.stance for c in store.claims_for_report(SHAFAQ)][:2] == ["supports", "supports"]
    second = store.create_hypothesis("Hamas stays in Qatar")
    assert store.active_hypothesis_id() == second
    assert store.claims_for_report(SHAFAQ)[0].stance is None
    store.set_stance([1], "refutes")
    store.activate_hypothesis(first)
    assert store.claims_for_report(SHAFAQ)[0].stance == "supports"
    assert store.stance_counts(second) == {"supports": 0, "refutes": 1, "neutral": 0}
    store.rename_hypothesis(first, "Hamas relocates to Baghdad")
    assert store.active_hypothesis().title == "Hamas relocates to Baghdad"
    store.undo()  # rename
    store.undo()  # activation
    assert store.active_hypothesis_id() == second
    store.undo()  # refutes
    store.undo()  # creation of the second hypothesis
    assert [h.title for h in store.list_hypotheses()] == ["Hamas moves its leadership to Baghdad"]
    assert store.active_hypothesis_id() == first


def test_merge_and_undo_merge(store):
    haniyeh = next(e for e in store.entities_for_report(HANIYEH) if e.type == "PERSON")
    add_report(store, title="Hanieh", body="Hanieh\nMr Hanieh spoke to Qatari officials on Monday, aides said.",
               entities=[("Mr Hanieh", "PERSON", ["Mr Hanieh"])], publisher=None)
    other = next(e for e in store.list_entities() if e.name == "Mr Hanieh")
    store.merge_entities(haniyeh.id, other.id)
    merged = store.get_entity(haniyeh.id)
    assert "Mr Hanieh" in merged.aliases and merged.report_count == 2
    with pytest.raises(NotFound):
        store.get_entity(other.id)
    assert store.undo() == "entity merge"
    assert store.get_entity(other.id).mention_count == 1
    assert "Mr Hanieh" not in store.get_entity(haniyeh.id).aliases


def test_reextraction_keeps_analyst_work(store, monkeypatch):
    from db import models

    claim_id = store.claim_ids_for_report(SHAFAQ)[1]
    store.set_claim_credibility([claim_id], 2)
    store.add_tag("claim", [claim_id], "pr")

    def fake_extract(body, **kwargs):  # a new extractor run that finds one other claim only
        start = body.index("Hamas intends")
        return models.Extraction(claims=[models.ExtractedClaim(start, start + 13, body[start:start + 13])])

    import db.extract

    monkeypatch.setattr(db.extract, "extract", fake_extract, raising=False)
    store.reextract(SHAFAQ)
    claims = store.claims_for_report(SHAFAQ)
    kept = [c for c in claims if c.id == claim_id]
    assert kept and kept[0].credibility == 2 and kept[0].tags == ["pr"]
    assert len(claims) == 2


def test_settings_roundtrip(store):
    store.set_setting("default_style", "apa")
    assert store.get_setting("default_style") == "apa"
    assert store.get_setting("missing", 5) == 5


def test_close_spellings_are_proposed_never_merged(store):
    add_report(store, title="Baqeri", publisher=None, body="Baqeri\nAli Baqeri Kani met officials, aides said. "
               "Ali Bagheri was also there.", entities=[("Ali Baqeri Kani", "PERSON", ["Ali Baqeri Kani"]),
                                                      ("Ali Bagheri", "PERSON", ["Ali Bagheri"])])
    add_report(store, title="Bagheri", publisher=None, body="Bagheri\nAli Bagheri Kani arrived in Baghdad, aides said.",
               entities=[("Ali Bagheri Kani", "PERSON", ["Ali Bagheri Kani"])])
    store.propose_merges()
    pairs = {tuple(sorted((a.name, b.name))) for a, b, _ in store.merge_proposals()}
    assert ("Ali Bagheri Kani", "Ali Baqeri Kani") in pairs
    assert not any("Ali Bagheri" in pair for pair in pairs)  # a subset name is a different claim about identity
    assert len({e.name for e in store.list_entities()} & {"Ali Bagheri Kani", "Ali Baqeri Kani"}) == 2
    a, b, _ = store.merge_proposals()[0]
    store.reject_merge(a.id, b.id)
    assert store.merge_proposals() == []
    store.propose_merges([a.id, b.id])
    assert store.merge_proposals() == []  # the analyst's decision holds


def test_report_index_is_the_row_in_the_filtered_queue(store):
    ids = [r.id for r in store.list_reports()]
    assert [store.report_index(None, i) for i in ids] == list(range(len(ids)))
    store.set_status([ids[0]], "read")
    new_only = ReportFilter(statuses=("new",))
    assert store.report_index(new_only, ids[0]) is None
    assert store.report_index(new_only, ids[1]) == 0
    assert store.report_index(None, 999) is None


def test_speaker_correction_is_audited_undone_and_survives_reextraction(store, monkeypatch):
    from db import models

    claim_id = store.claim_ids_for_report(SHAFAQ)[1]
    store.set_claim_speaker([claim_id], "informed sources quoted by Shafaq News")
    assert store.get_claim(claim_id).speaker_resolved == "informed sources quoted by Shafaq News"
    assert store.get_claim(claim_id).speaker == "the source"  # the text's own words stay as evidence

    import db.extract

    monkeypatch.setattr(db.extract, "extract", lambda body, **kw: models.Extraction(), raising=False)
    store.reextract(SHAFAQ)
    assert store.get_claim(claim_id).speaker_resolved == "informed sources quoted by Shafaq News"
    assert store.undo() == f"speaker_resolved of claim {claim_id}"
    assert store.get_claim(claim_id).speaker_resolved is None


def test_claim_links_are_symmetric_counted_and_undone(store):
    shafaq_claim = store.claim_ids_for_report(SHAFAQ)[0]
    haniyeh_claim = store.claim_ids_for_report(HANIYEH)[0]
    assert store.relate_claims(haniyeh_claim, shafaq_claim, "contradicts") == 1
    assert store.relate_claims(shafaq_claim, haniyeh_claim, "contradicts") == 0  # the same link, either way round
    assert store.get_claim(shafaq_claim).relations == {"contradicts": 1}
    assert [(kind, c.id) for kind, c in store.claim_relations(haniyeh_claim)] == [("contradicts", shafaq_claim)]
    assert store.undo() == f"link of claim {min(shafaq_claim, haniyeh_claim)}"
    assert store.get_claim(shafaq_claim).relations == {}
    with pytest.raises(InvalidValue):
        store.relate_claims(shafaq_claim, shafaq_claim, "duplicates")


def test_sqlite_utils_is_there_for_scripts_but_not_loaded_at_start_up(tmp_path):
    """Opening a store (what start-up does) does not import sqlite-utils (~100 ms); asking for
    ``store.db`` does, and it is the same connection."""
    script = (
        "import sys\n"
        "from db.store import Store\n"
        f"store = Store.open({str(tmp_path / 'lazy.db')!r})\n"
        "assert 'sqlite_utils' not in sys.modules, 'imported at start-up'\n"
        "assert store.db['reports'].count == 0 and store.db.conn is store.conn\n"
        "assert 'sqlite_utils' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).resolve().parents[1])
