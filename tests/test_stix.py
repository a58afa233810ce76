"""STIX 2.1: every exported bundle passes the OASIS validator with no error and comes back through
'analyst-tui import' as the same reports, grades, notes and stances (sample with hostile text, the demo
after an analyst's work, generated reports); the Admiralty grades map to confidence as the STIX 2.1
confidence-scale appendix says; another producer's bundle is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.stix_round_trip import analyst_work, differences, snapshot, validation_errors
from db.cli import EXIT_OK, main
from db.stix.grades import confidence_of, credibility_of_confidence
from db.store import Store

pytestmark = pytest.mark.both_backends

pytest.importorskip("stix2validator")
FIXTURES = Path(__file__).parent / "fixtures" / "stix"


def _export(capsys, db: Path, out: Path, *filters: str) -> dict:
    assert main(["--db", str(db), "export", "--format", "stix", "-o", str(out), *filters]) == EXIT_OK
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    errors, _ = validation_errors(text)
    assert errors == []
    return json.loads(text)


def _import(capsys, db: Path, bundle: Path) -> str:
    code = main(["--db", str(db), "import", str(bundle)])
    _, err = capsys.readouterr()
    assert code == EXIT_OK, err
    return err


def _round_trip(capsys, tmp_path: Path, store: Store) -> tuple[dict, dict]:
    before = snapshot(store)
    bundle = _export(capsys, store.path, tmp_path / "bundle.json")
    fresh = tmp_path / "fresh.db"
    assert "STIX 2.1 bundle" in _import(capsys, fresh, tmp_path / "bundle.json")
    with Store.open(fresh) as imported:
        after = snapshot(imported)
    assert differences(before, after) == []
    assert after == before
    return bundle, after


@pytest.mark.parametrize("credibility, confidence", [(1, 90), (2, 70), (3, 50), (4, 30), (5, 10)])
def test_credibility_maps_to_the_appendix_confidence_and_back(credibility, confidence):
    assert confidence_of(credibility) == confidence
    assert credibility_of_confidence(confidence) == credibility


@pytest.mark.parametrize("confidence, credibility", [(100, 1), (80, 1), (79, 2), (60, 2), (59, 3), (40, 3),
                                                     (39, 4), (20, 4), (19, 5), (0, 5), (None, 6), (101, 6),
                                                     ("90", 6), (True, 6)])
def test_any_confidence_reads_as_the_appendix_range(confidence, credibility):
    assert credibility_of_confidence(confidence) == credibility


def test_sample_with_hostile_text_validates_and_round_trips(hostile_store, tmp_path, capsys):
    store = hostile_store
    shafaq = store.claims_for_report(store.ids["shafaq"])
    wire = store.claims_for_report(store.ids["wire"])
    store.set_stance([shafaq[0].id], "supports")
    store.set_stance([wire[0].id], "refutes")
    store.set_note("claim", shafaq[0].id, "check \u202ethis\u202c")
    store.set_note("report", store.ids["wire"], "wire note")
    store.set_note("source", store.get_report(store.ids["akhbar"]).source.id, "pro-Hezbollah daily")
    store.relate_claims(shafaq[0].id, wire[0].id, "contradicts")
    store.set_report_credibility([store.ids["wire"]], 2)
    store.set_claim_credibility([wire[1].id], 5)
    store.set_source_reliability([store.get_report(store.ids["shafaq"]).source.id], "B")
    bundle, after = _round_trip(capsys, tmp_path, store)
    by_type: dict[str, list[dict]] = {}
    for obj in bundle["objects"]:
        by_type.setdefault(obj["type"], []).append(obj)
    wire_report = next(o for o in by_type["report"] if o["name"].startswith("Government spokesperson"))
    assert wire_report["confidence"] == 70 and wire_report["x_analyst_tui_credibility"] == 2
    assert 'admiralty-scale:information-credibility="2"' in wire_report["labels"]
    assert "Iraqi News Wire" in wire_report["external_references"][0]["description"]
    ungraded = next(o for o in by_type["report"] if o["name"].startswith("Bagheri"))
    assert "confidence" not in ungraded and ungraded["x_analyst_tui_credibility"] == 6  # 6: no confidence at all
    shafaq_identity = next(o for o in by_type["identity"] if o["name"] == "Shafaq News")
    assert shafaq_identity["x_analyst_tui_reliability"] == "B"
    assert shafaq_identity["x_opencti_reliability"] == "B - Usually reliable"
    assert 'admiralty-scale:source-reliability="b"' in shafaq_identity["labels"]
    assert sorted(o["opinion"] for o in by_type["opinion"]) == ["agree", "disagree"]
    assert [o["relationship_type"] for o in by_type["relationship"]] == ["contradicts"]
    claim_note = next(o for o in by_type["note"] if o.get("content", "").startswith("Hamas will open"))
    assert claim_note["abstract"] == "Claim: informed sources, via Shafaq News"
    hostile = next(o for o in by_type["report"] if o["name"].startswith("Hostile"))
    assert hostile["external_references"][0]["url"].startswith("https://example.org/%1B")  # a URI, as STIX asks
    assert hostile["x_analyst_tui_url"] == "https://example.org/\x1b[31m[/]"  # as stored: lossless
    assert next(v for v in after.values() if v["title"].startswith("Hostile"))["url"] == hostile["x_analyst_tui_url"]
    raw = (tmp_path / "bundle.json").read_text(encoding="utf-8")
    assert "\x1b" not in raw and "\u202e" not in raw and "\x9b" not in raw  # escaped: safe to cat


def test_demo_after_an_analysts_work_validates_and_round_trips(demo_store, tmp_path, capsys):
    work = analyst_work(demo_store)
    assert all(work.values()), work
    bundle, after = _round_trip(capsys, tmp_path, demo_store)
    assert len(after) == demo_store.count_reports()
    assert sum(len(r["claims"]) for r in after.values()) == demo_store.count_claims()
    assert {o["type"] for o in bundle["objects"]} == {"identity", "report", "note", "opinion", "relationship",
                                                      "extension-definition"}


def test_generated_reports_validate_and_round_trip(tmp_path, capsys):
    """60 here; 1,000 with ``python -m bench.stix_round_trip`` (bench/RESULTS.md)."""
    from bench.generate import generate

    generate(tmp_path / "generated.db", 60, seed=5)
    with Store.open(tmp_path / "generated.db") as store:
        analyst_work(store, seed=5)
        _round_trip(capsys, tmp_path, store)


def test_export_takes_the_reports_filters(sample_store, tmp_path, capsys):
    sample_store.set_status([sample_store.ids["wire"]], "read")
    bundle = _export(capsys, sample_store.path, tmp_path / "read.json", "--status", "read")
    assert [o["name"] for o in bundle["objects"] if o["type"] == "report"] == [
        "Government spokesperson: no request received"]
    bundle = _export(capsys, sample_store.path, tmp_path / "shafaq.json", "--source", "shafaq")
    assert [o["name"] for o in bundle["objects"] if o["type"] == "report"] == [
        "Sources: Hamas to open media office in Baghdad"]


def test_ids_are_stable_across_exports(sample_store, tmp_path, capsys):
    first = _export(capsys, sample_store.path, tmp_path / "a.json")
    second = _export(capsys, sample_store.path, tmp_path / "b.json")
    assert [o["id"] for o in first["objects"]] == [o["id"] for o in second["objects"]]


def test_another_producers_bundle_is_read(tmp_path, capsys):
    db = tmp_path / "foreign.db"
    err = _import(capsys, db, FIXTURES / "foreign_bundle.json")
    assert "1 report(s) imported" in err and "1 object(s) pointing at nothing imported" in err
    with Store.open(db) as store:
        (rid,) = store.report_ids()
        report = store.get_report(rid)
        assert report.title == "Militia convoy seen near Al-Qaim crossing"
        assert report.body.startswith("A convoy of twelve trucks crossed near Al-Qaim")
        assert report.url == "https://levant-monitor.example/convoy-al-qaim"
        assert report.published == "2024-06-13"
        assert report.source.name == "Levant Monitor" and report.source.reliability == "C"  # the MISP tag
        assert report.credibility == 2  # confidence 65: the appendix's 60-79
        assert report.tags == ["border", "convoy"]
        assert report.note == ("Opinion: agree: Matches the satellite pass of 13 June.\n\n"
                               "Second source\n\nSame convoy reported by a Telegram channel an hour earlier.")
        assert store.claims_for_report(rid), "no claims in the bundle: the extractor found them, as for any file"


def test_importing_the_same_bundle_twice_keeps_the_analysts_later_grades(sample_store, tmp_path, capsys):
    _export(capsys, sample_store.path, tmp_path / "bundle.json")
    sample_store.set_report_credibility([sample_store.ids["wire"]], 4)
    err = _import(capsys, sample_store.path, tmp_path / "bundle.json")
    assert "0 report(s) imported, 3 skipped" in err
    assert sample_store.get_report(sample_store.ids["wire"]).credibility == 4


def test_a_json_file_that_is_not_a_bundle_is_imported_as_json(tmp_path, capsys):
    path = tmp_path / "reports.json"
    path.write_text(json.dumps([{"title": "Plain JSON", "body": "Not a bundle, the ministry said.",
                                 "type": "bundle-of-news"}]), encoding="utf-8")
    code = main(["--db", str(tmp_path / "x.db"), "import", str(path)])
    _, err = capsys.readouterr()
    assert code == EXIT_OK and "1 imported" in err


def test_a_broken_bundle_fails_alone(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "bundle", "objects": 5}', encoding="utf-8")
    code = main(["--db", str(tmp_path / "x.db"), "import", str(broken)])
    _, err = capsys.readouterr()
    assert code == 1 and "not a STIX bundle" in err


def test_a_bundle_inside_a_folder_is_refused_with_advice(sample_store, tmp_path, capsys):
    folder = tmp_path / "inbox"
    folder.mkdir()
    _export(capsys, sample_store.path, folder / "bundle.json")
    code = main(["--db", str(tmp_path / "x.db"), "import", str(folder)])
    _, err = capsys.readouterr()
    assert code == 1 and "a STIX 2.1 bundle: name the file itself" in err


WEIRD = [None, 5, True, "x", [], {}, [1, "a"], {"a": 1}, "\x1b[31m\u202e", -1, 10**30, 1.5]


def test_a_hostile_bundle_is_read_without_raising(tmp_path):
    """Every field of every object of the types read holds a value of the wrong type: nothing raises,
    and what cannot be placed is counted."""
    from db.stix.read import import_bundle

    objects = []
    for kind in ("identity", "report", "note", "opinion", "relationship"):
        for i, weird in enumerate(WEIRD):
            obj = {"type": kind, "id": f"{kind}--{i}"}
            for key in ("name", "description", "published", "created_by_ref", "labels", "object_refs",
                        "external_references", "confidence", "content", "abstract", "opinion", "explanation",
                        "source_ref", "target_ref", "relationship_type", "lang", "x_analyst_tui_claim",
                        "x_analyst_tui_published", "x_analyst_tui_status", "x_analyst_tui_credibility",
                        "x_analyst_tui_stance", "x_analyst_tui_hypothesis", "x_analyst_tui_reliability"):
                obj[key] = weird
            objects.append(obj)
    objects.append({"type": "report", "id": "report--ok", "name": "A real one", "description": "Body text.",
                    "object_refs": ["note--c"], "published": "2024-06-13T00:00:00Z"})
    objects.append({"type": "note", "id": "note--c", "content": "Body", "object_refs": ["report--ok"],
                    "x_analyst_tui_claim": {"start": "0", "end": None, "chain": "x", "confidence": "high"}})
    objects += [5, "x", None, {"no": "id"}]
    with Store.open(tmp_path / "h.db") as store:
        summary = import_bundle(store, {"type": "bundle", "objects": objects})
        titles = [store.get_report(rid).title for rid in store.report_ids()]
        assert "A real one" in titles
        assert summary.not_placed > 0
        real = next(rid for rid in store.report_ids() if store.get_report(rid).title == "A real one")
        assert [c.text for c in store.claims_for_report(real)] == ["Body"]  # placed by its text
