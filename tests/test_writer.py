"""Storing an extraction (``db/writer.py``): claims inserted with their parent, their speaker's
entity and source already known, and the ids SQLite itself would have given."""

from __future__ import annotations

import pytest

from db import writer
from db.models import ExtractedClaim, ExtractedEntity, Extraction, ParsedReport
from db.store import Store

from tests.factories import claim, entity

pytestmark = pytest.mark.both_backends

BODY = ("Shafaq News quoted Abu Fadak as saying that the office would open in Baghdad within days. "
        "Kataib Hezbollah denied it, the group said. The minister said nothing.")


def _extraction() -> Extraction:
    outer = claim(BODY, "Abu Fadak as saying that the office would open in Baghdad within days", speaker="Shafaq News",
                  chain=["Abu Fadak", "Shafaq News"], cue="quoted")
    inner = claim(BODY, "the office would open in Baghdad within days", speaker="Abu Fadak", cue="as saying")
    inner.parent = 0
    denial = claim(BODY, "Kataib Hezbollah denied it", speaker="the group", speaker_resolved="Kataib Hezbollah",
                   is_denial=True)
    nobody = claim(BODY, "The minister said nothing", speaker="the minister")
    orphan = ExtractedClaim(start=0, end=11, text="Shafaq News", speaker=None, parent=99)  # a parent out of range
    media = entity(BODY, "Shafaq News", "MEDIA")
    media.descriptor = "Iraqi news website"
    fadak = ExtractedEntity(name="Abu Fadak al-Mohammadawi", type="PERSON", aliases=["Abu Fadak"],
                            mentions=[(BODY.index("Abu Fadak"), BODY.index("Abu Fadak") + len("Abu Fadak"))])
    return Extraction(claims=[outer, inner, denial, nobody, orphan],
                      entities=[media, fadak, entity(BODY, "Kataib Hezbollah", "ORG"), entity(BODY, "Baghdad", "LOC")])


def _store_twice(store: Store) -> list[int]:
    ids = []
    for title in ("first", "second"):
        with store.write():
            outcome = store.store_report(ParsedReport(title=title, body=f"{title}: {BODY}", format="text",
                                                      publisher="Iraqi News Wire"), _shifted(_extraction(), len(f"{title}: ")))
        ids.append(outcome.report_id)
    return ids


def _shifted(extraction: Extraction, by: int) -> Extraction:
    for c in extraction.claims:
        c.start, c.end = c.start + by, c.end + by
    for e in extraction.entities:
        e.mentions = [(start + by, end + by) for start, end in e.mentions]
    return extraction


def _claim_rows(store: Store, report_id: int) -> list[tuple]:
    return store.conn.execute(
        "SELECT c.id, c.text, c.parent_id, e.name, s.name FROM claims c LEFT JOIN entities e ON e.id = c.speaker_entity_id "
        "LEFT JOIN sources s ON s.id = c.speaker_source_id WHERE c.report_id = ? ORDER BY c.id", (report_id,)).fetchall()


def test_claims_get_parent_speaker_entity_and_source(store):
    first, second = _store_twice(store)
    rows = _claim_rows(store, second)
    by_text = {text: (claim_id, parent, who, source) for claim_id, text, parent, who, source in rows}
    outer_id = by_text["Abu Fadak as saying that the office would open in Baghdad within days"][0]
    assert by_text["the office would open in Baghdad within days"] == (outer_id + 1, outer_id, "Abu Fadak al-Mohammadawi", None)
    assert by_text["Abu Fadak as saying that the office would open in Baghdad within days"][1:] == \
           (None, "Shafaq News", "Shafaq News")  # a MEDIA entity becomes a source
    assert by_text["Kataib Hezbollah denied it"][2] == "Kataib Hezbollah"  # the resolved speaker
    assert by_text["The minister said nothing"][1:] == (None, None, None)
    assert by_text["Shafaq News"][1] is None
    # ids follow on from the first report's, as SQLite numbers rows
    assert [r[0] for r in rows] == list(range(max(r[0] for r in _claim_rows(store, first)) + 1, rows[-1][0] + 1))
    mentioned = dict(store.conn.execute("SELECT text, claim_id FROM mentions WHERE report_id = ?", (second,)))
    assert mentioned["Abu Fadak"] == outer_id
    assert mentioned["Baghdad"] == outer_id + 1  # the innermost claim holding it


def test_one_claim_at_a_time_stores_the_same(tmp_path, monkeypatch):
    with Store.open(tmp_path / "together.db") as together:
        ids = _store_twice(together)
        expected = [_claim_rows(together, i) for i in ids]
    monkeypatch.setattr(writer, "_MAX_ROWID", 0)  # as if the ids ran out: SQLite picks them one by one
    with Store.open(tmp_path / "one-by-one.db") as one_by_one:
        ids = _store_twice(one_by_one)
        assert [_claim_rows(one_by_one, i) for i in ids] == expected


def test_reextraction_keeps_reviewed_claims_and_links_the_rest(store, monkeypatch):
    first, _ = _store_twice(store)
    kept = store.conn.execute("SELECT id FROM claims WHERE report_id = ? AND text = 'Kataib Hezbollah denied it'",
                              (first,)).fetchone()[0]
    store.conn.execute("UPDATE claims SET reviewed = 1 WHERE id = ?", (kept,))
    monkeypatch.setattr("db.extract.extract", lambda *args, **kwargs: _shifted(_extraction(), len("first: ")))
    assert store.reextract(first) == 5
    rows = _claim_rows(store, first)
    assert [r for r in rows if r[0] == kept] == [(kept, "Kataib Hezbollah denied it", None, "Kataib Hezbollah", None)]
    assert [r[1] for r in rows].count("Kataib Hezbollah denied it") == 1
    inner = [r for r in rows if r[1] == "the office would open in Baghdad within days"][0]
    outer = [r for r in rows if r[1].startswith("Abu Fadak as saying")][0]
    assert inner[2] == outer[0]


@pytest.mark.parametrize("decision", [False, True])
def test_merge_decisions_still_link_names(store, decision):
    if decision:
        with store.write():
            from db.extract import name_key

            store.conn.execute("INSERT INTO entity_decisions VALUES (?, ?, 'merge', 'now')",
                               tuple(sorted((name_key("Kataib Hezbollah"), name_key("Baghdad")))))
    _store_twice(store)
    names = {r[0] for r in store.conn.execute("SELECT name FROM entities")}
    assert ("Baghdad" in names) != decision  # merged into Kataib Hezbollah by the analyst's decision


# --- batches: many reports written at the end of one transaction ------------------------------------

SEEDS = __import__("pathlib").Path(__file__).resolve().parents[1] / "seeds"
_TABLES = ["sources", "reports", "report_fingerprints", "entities", "entity_aliases", "claims", "mentions",
           "cited_sources", "cited_source_claims", "tags", "taggings"]


def _reports_to_store() -> list[tuple[ParsedReport, Extraction]]:
    """The seeds (footnotes, relays, MEDIA entities, every format) extracted once; then, in the
    same batch, an exact copy, a near-duplicate, a tagged copy and an empty report."""
    from db.extract import extract
    from db.ingest import parse_file

    reports = []
    for path in sorted(p for p in SEEDS.iterdir() if p.name != "README.md"):
        for parsed in parse_file(path):
            reports.append((parsed, extract(parsed.body, title=parsed.title, published=parsed.published,
                                            publisher=parsed.publisher)))
    parsed, extraction = reports[6]
    near = ParsedReport(title="near", body=parsed.body.replace(" the ", " a ", 1), format="text")
    tagged = ParsedReport(title="tagged", body=parsed.body + " Tagged.", format="markdown", tags=["x", "X", " y "])
    return [*reports, (parsed, extraction), (near, extraction), (tagged, extraction),
            (ParsedReport(title="empty", body="", format="text"), None)]


def _rows(store: Store) -> dict[str, list[tuple]]:
    rows = {}
    for table in _TABLES:
        columns = [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("created_at", "imported_at", "sort_key")]
        quoted = ", ".join(f'"{c}"' for c in columns)
        rows[table] = sorted(store.conn.execute(f"SELECT {quoted} FROM {table}").fetchall(), key=repr)
    return rows


def _outcomes(store: Store, reports, *, batched: bool) -> list[tuple]:
    outcomes = []
    if batched:
        with store.import_batch():
            outcomes = [store.store_report(parsed, extraction) for parsed, extraction in reports]
    else:
        for parsed, extraction in reports:
            with store.write():
                outcomes.append(store.store_report(parsed, extraction))
    return [(o.status, o.report_id, o.duplicate_of, o.reason) for o in outcomes]


def test_a_batch_stores_what_reports_stored_one_by_one_store(tmp_path, monkeypatch):
    reports = _reports_to_store()
    with Store.open(tmp_path / "one-by-one.db") as store:
        expected = _outcomes(store, reports, batched=False), _rows(store)
    assert [o[0] for o in expected[0]].count("skipped") == 1 and any(o[2] for o in expected[0])
    assert expected[1]["cited_source_claims"] and expected[1]["taggings"]
    with Store.open(tmp_path / "batch.db") as store:
        assert (_outcomes(store, reports, batched=True), _rows(store)) == expected
        # a second batch finds the first one's reports and entities in the tables
        assert {o[0] for o in _outcomes(store, reports[:3], batched=True)} == {"skipped"}
        assert _rows(store) == expected[1]
    monkeypatch.setattr(writer, "_MAX_ROWID", 0)  # as if the ids ran out: rows go in one by one
    with Store.open(tmp_path / "ids-ran-out.db") as store:
        assert (_outcomes(store, reports, batched=True), _rows(store)) == expected


def test_a_failed_batch_writes_nothing(store):
    reports = _reports_to_store()[:3]
    with pytest.raises(RuntimeError), store.import_batch():
        store.store_report(*reports[0])
        store.store_report(*reports[1])
        raise RuntimeError("stopped")
    assert store.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    with store.import_batch():  # and the next batch starts afresh
        outcome = store.store_report(*reports[0])
    assert outcome.status == "imported"
    assert store.conn.execute("SELECT count(*) FROM claims WHERE report_id = ?", (outcome.report_id,)).fetchone()[0] \
        == len(reports[0][1].claims)


def test_names_seen_earlier_in_the_batch_link_as_in_the_tables(tmp_path):
    """"Abu Fadak" is an organisation's name, then a person's alias: later reports link each type to
    its own entity, in one batch as in one transaction per report."""
    body = "Abu Fadak spoke. Abu Fadak al-Mohammadawi was in Baghdad. Baghdad said so."
    organisation = Extraction(entities=[entity(body, "Abu Fadak", "ORG"), entity(body, "Baghdad", "LOC")])
    person = Extraction(entities=[ExtractedEntity(name="Abu Fadak al-Mohammadawi", type="PERSON", aliases=["Abu Fadak"],
                                                  mentions=[(17, 41)])])
    alias = Extraction(entities=[entity(body, "Abu Fadak", "PERSON"), entity(body, "Baghdad", "ORG")])
    reports = [(ParsedReport(title=str(i), body=f"{body} Report {i}.", format="text"), e)
               for i, e in enumerate([organisation, person, alias, organisation])]
    with Store.open(tmp_path / "one-by-one.db") as store:
        expected = _outcomes(store, reports, batched=False), _rows(store)
        linked = store.conn.execute(
            "SELECT m.report_id, e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE m.text = 'Abu Fadak' ORDER BY m.report_id").fetchall()
        assert [row[1:] for row in linked] == [("Abu Fadak", "ORG"), ("Abu Fadak al-Mohammadawi", "PERSON"),
                                               ("Abu Fadak", "ORG")]
    with Store.open(tmp_path / "batch.db") as store:
        assert (_outcomes(store, reports, batched=True), _rows(store)) == expected


def test_a_new_name_whose_alias_names_a_known_organisation_joins_it(tmp_path):
    """ "the Islamic Resistance Movement (Hamas)" in a later report belongs with the Hamas of the
    earlier ones (before, it made an entity of its own and "no other report names it"). People are
    not joined by an alias (a surname is shared), nor names of another type."""
    first = "Hamas denied it. Ghalibaf spoke. Kataib said so."
    later = "The Islamic Resistance Movement (Hamas) met. Mohammad Ghalibaf arrived. Kataib Sayyid al-Shuhada (Kataib) left."

    def span(body: str, text: str) -> tuple[int, int]:
        return body.index(text), body.index(text) + len(text)

    reports = [
        (ParsedReport(title="first", body=first, format="text"),
         Extraction(entities=[entity(first, "Hamas", "ORG"), entity(first, "Ghalibaf", "PERSON"),
                              entity(first, "Kataib", "LOC")])),
        (ParsedReport(title="later", body=later, format="text"),
         Extraction(entities=[
             ExtractedEntity(name="Islamic Resistance Movement", type="ORG", aliases=["Hamas"],
                             mentions=[span(later, "Islamic Resistance Movement"), span(later, "Hamas")]),
             ExtractedEntity(name="Mohammad Ghalibaf", type="PERSON", aliases=["Ghalibaf"],
                             mentions=[span(later, "Mohammad Ghalibaf")]),
             ExtractedEntity(name="Kataib Sayyid al-Shuhada", type="ORG", aliases=["Kataib"],
                             mentions=[span(later, "Kataib Sayyid al-Shuhada")])])),
    ]
    with Store.open(tmp_path / "one-by-one.db") as store:
        expected = _outcomes(store, reports, batched=False), _rows(store)
        named = dict(store.conn.execute(
            "SELECT m.text, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.report_id = 2"))
        assert named["Islamic Resistance Movement"] == named["Hamas"] == "Hamas"
        assert named["Mohammad Ghalibaf"] == "Mohammad Ghalibaf"  # not the earlier PERSON "Ghalibaf"
        assert named["Kataib Sayyid al-Shuhada"] == "Kataib Sayyid al-Shuhada"  # the earlier "Kataib" is a LOC
        aliases = [a for (a,) in store.conn.execute(
            "SELECT a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE e.name = 'Hamas'")]
        assert aliases == ["Islamic Resistance Movement"]
    with Store.open(tmp_path / "batch.db") as store:
        assert (_outcomes(store, reports, batched=True), _rows(store)) == expected
