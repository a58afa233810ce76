"""JSON Lines and JSON arrays read record by record (issue 18): no limit on the file beyond one on
each record, the records of one big file shared by the worker processes, and a file with invalid
JSON anywhere still refused whole, as a file read at once is."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from db import importer
from db.importer import import_paths
from db.ingest import MAX_BYTES, parse_bytes
from db.ingest import records as record_module
from db.ingest.records import STREAM_FROM_BYTES, index_records, record_stream_kind
from db.store import Store

from tests.factories import children_left
from .test_importer import TABLES, _contents


def _record(i: int, rng: random.Random, words: int) -> dict:
    speaker = rng.choice(["the minister", "a spokesman", "Shafaq News", "the governor"])
    sentences = [f"Report {i}: {speaker.capitalize()} said that {rng.randrange(10**9)} people met in Baghdad."]
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(f"{rng.choice(['Officials', 'Witnesses', 'A source'])} said the office in "
                         f"{rng.choice(['Basra', 'Mosul', 'Erbil', 'Najaf'])} opened on day {rng.randrange(365)}.")
    return {"title": f"Report {i}: the office in Baghdad", "body": " ".join(sentences), "published": "2024-06-13",
            "publisher": rng.choice(["Shafaq News", "Baghdad Today", "The National"])}


def _records(count: int, seed: int = 1, words: int = 400) -> list[dict]:
    rng = random.Random(seed)
    return [_record(i, rng, words) for i in range(count)]


def _jsonl(path: Path, records: list, *, extra: str = "") -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + extra, encoding="utf-8")
    return path


def _import(db: Path, paths, **kwargs):
    calls = []
    with Store.open(db) as store:
        summary = import_paths(store, paths, progress=lambda d, t, o: calls.append((d, t, o)), **kwargs)
        return summary, calls, _contents(store)


def test_a_jsonl_file_over_16_mb_imports_record_by_record(tmp_path):
    """Before: "file is 17 MB; the limit is 16 MB" and nothing imported."""
    records = _records(3)
    padding = (" " * (1024 * 1024) + "\n") * 17  # blank lines (no records) make the file 17 MB cheaply
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(records[0]) + "\n" + padding + "".join(json.dumps(r) + "\n" for r in records[1:]),
                    encoding="utf-8")
    assert path.stat().st_size > MAX_BYTES
    summary, calls, rows = _import(tmp_path / "big.db", [path], workers=1)
    assert (summary.imported, summary.failed) == (3, 0), summary.outcomes
    assert sorted(row[1] for row in rows["reports"]) == sorted(r["title"] for r in records)
    assert [(done, total) for done, total, _ in calls] == [(1, 3), (2, 3), (3, 3)]


def test_a_json_array_over_16_mb_imports_record_by_record(tmp_path):
    records = _records(3)
    path = tmp_path / "export.json"
    path.write_text("[" + json.dumps(records[0]) + "," + " " * (17 * 1024 * 1024) + ",\n".join(
        json.dumps(r) for r in records[1:]) + "]", encoding="utf-8")
    summary, _, rows = _import(tmp_path / "big.db", [path], workers=1)
    assert (summary.imported, summary.failed) == (3, 0), summary.outcomes
    assert {row[1] for row in rows["reports"]} == {r["title"] for r in records}


@pytest.mark.parametrize("shape", ["jsonl", "array"])
def test_record_by_record_stores_what_reading_the_file_at_once_stores(tmp_path, monkeypatch, shape):
    records = _records(40, seed=3) + [{"title": "no body here"}]
    path = tmp_path / f"export.{'jsonl' if shape == 'jsonl' else 'json'}"
    if shape == "jsonl":
        _jsonl(path, records)
    else:
        path.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    assert path.stat().st_size > STREAM_FROM_BYTES
    streamed, streamed_calls, streamed_rows = _import(tmp_path / "streamed.db", [path], workers=2)
    monkeypatch.setattr(record_module, "STREAM_FROM_BYTES", 10**12)  # read at once, as before
    whole, whole_calls, whole_rows = _import(tmp_path / "whole.db", [path], workers=2)
    for table in TABLES:
        assert streamed_rows[table] == whole_rows[table], table
    assert [(o.status, o.reason) for o in streamed.outcomes] == [(o.status, o.reason) for o in whole.outcomes]
    assert streamed.imported == 40
    # one record without a body: said in the summary either way, no longer dropped in silence
    assert streamed.warnings == whole.warnings == [f"{path}: 1 of 41 records not imported "
                                                    f"({path.name}#41: no body: expected a 'body', 'text' or "
                                                    "'content' field)"]
    assert "1 warning(s)" in streamed.line()
    assert [t for _, t, _ in streamed_calls] == [41] * 40  # progress counts records
    assert [d for d, _, _ in streamed_calls] == list(range(1, 41))
    assert not children_left()


def test_the_workers_share_the_records_of_one_file(tmp_path, monkeypatch):
    """Before, one file was one worker's task: its records were all prepared by one process."""
    from db.worker_processes import OrderedWorkers

    given: list[list[int]] = []
    real_submit = OrderedWorkers.submit

    def submit(self, batch):
        given.append([item.record[1] for item in batch])
        return real_submit(self, batch)

    monkeypatch.setattr(OrderedWorkers, "submit", submit)
    path = _jsonl(tmp_path / "export.jsonl", _records(120, seed=4))
    summary, _, _ = _import(tmp_path / "shared.db", [path], workers=2)
    assert summary.imported == 120
    submitted = [number for batch in given for number in batch]
    assert len(given) >= 10 and submitted == sorted(submitted)  # many tasks, in order, over both workers
    assert all(len(batch) <= importer.FILES_PER_TASK for batch in given)


def test_invalid_json_anywhere_refuses_the_whole_file(tmp_path):
    path = _jsonl(tmp_path / "export.jsonl", _records(30), extra="{broken\n" + json.dumps(_records(1)[0]) + "\n")
    assert path.stat().st_size > STREAM_FROM_BYTES
    summary, _, rows = _import(tmp_path / "broken.db", [path], workers=1)
    assert [(o.status, o.reason) for o in summary.outcomes] == [
        ("failed", "invalid JSON at line 31: Expecting property name enclosed in double quotes")]
    assert rows["reports"] == []
    array = tmp_path / "export.json"
    array.write_text(json.dumps(_records(30), indent=1)[:-2] + "},]", encoding="utf-8")  # a trailing comma
    summary, _, rows = _import(tmp_path / "array.db", [array], workers=1)
    assert summary.failed == 1 and summary.imported == 0
    assert summary.outcomes[0].reason.startswith("invalid JSON at line ")


def test_a_file_none_of_whose_records_imports_is_one_failure(tmp_path):
    path = _jsonl(tmp_path / "export.jsonl", [{"title": f"t{i}", "text": "", "pad": "x" * 3000} for i in range(30)])
    summary, _, _ = _import(tmp_path / "none.db", [path], workers=1)
    assert [(o.status, o.reason) for o in summary.outcomes] == [
        ("failed", "none of 30 records imported; export.jsonl#1: no body: expected a 'body', 'text' or "
                   "'content' field")]


def test_a_record_over_its_limit_is_rejected_and_the_rest_imported(tmp_path, monkeypatch):
    monkeypatch.setattr(record_module, "MAX_RECORD_BYTES", 100_000)
    records = _records(20, seed=6)
    huge = {"title": "huge", "body": "The minister said so. " * 10_000}  # ~220 KB on one line
    path = _jsonl(tmp_path / "export.jsonl", records[:10] + [huge] + records[10:])
    summary, _, _ = _import(tmp_path / "limit.db", [path], workers=0)
    assert (summary.imported, summary.failed) == (20, 0)
    assert summary.warnings == [f"{path}: 1 of 21 records not imported (export.jsonl#11: record is 0.2 MB; the "
                                "limit of one record is 0.1 MB)"]


def test_array_offsets_survive_any_read_size(monkeypatch):
    """Elements cut anywhere between two reads (a number, an escape, a multi-byte letter) are found
    whole, at their byte offsets."""
    elements = [{"title": "t \u00e9\u4e2d \"q\" [x] {y}", "body": "b\\n \u0645\u0631\u062d\u0628\u0627"}, 12345,
                [1, [2, {"a": "]"}]], "a string, with ] and }", True, None, -1.5e10, {"nested": {"deep": [[]]}}]
    data = ("\ufeff[\n  " + ",\n  ".join(json.dumps(e, ensure_ascii=False) for e in elements) + "\n]\n").encode()
    for size in (1, 2, 3, 5, 7, 64, 10**6):
        monkeypatch.setattr(record_module, "_READ_BYTES", size)
        index = index_records(io.BytesIO(data), "json")
        assert [json.loads(data[s:e]) for s, e in zip(index.starts, index.ends, strict=True)] == elements, size


def test_which_files_are_read_record_by_record():
    assert record_stream_kind(io.BytesIO(b'{"body": "a"}\n{"body": "b"}\n'), "x.json") == "jsonl"
    assert record_stream_kind(io.BytesIO(b' [ {"body": "a"} ]'), "x.json") == "json"
    assert record_stream_kind(io.BytesIO(b'[ {"body": "a"} ]'), "<stdin>") == "json"
    assert record_stream_kind(io.BytesIO(b'{"reports": [{"body": "a"}]}'), "x.json") is None  # read at once
    assert record_stream_kind(io.BytesIO(b'[ {"body": "a"} ]'), "x.txt") is None
    assert record_stream_kind(io.BytesIO('[{"body": "a"}]'.encode("utf-16")), "x.json") is None


def test_small_files_read_at_once_are_unchanged():
    lines = json.dumps({"body": "one"}) + "\n" + json.dumps({"body": "two"}) + "\n"
    assert [r.body for r in parse_bytes(lines.encode(), "feed.jsonl")] == ["one", "two"]


def test_one_endless_line_is_one_record_over_its_limit_never_held_whole(tmp_path):
    """17 MB with no line break (a sparse file of NUL bytes): read in chunks, refused as one record."""
    path = tmp_path / "endless.jsonl"
    with path.open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)
    summary, _, rows = _import(tmp_path / "endless.db", [path], workers=1)
    assert [(o.status, o.reason) for o in summary.outcomes] == [
        ("failed", "record is 17 MB; the limit of one record is 16 MB")]
    assert rows["reports"] == []


def test_an_array_element_over_the_record_limit(tmp_path, monkeypatch):
    """Found whole in what was read: rejected as a record. Still open past the limit: its end cannot
    be found without holding more than a record's limit, so the file is refused."""
    monkeypatch.setattr(record_module, "MAX_RECORD_BYTES", 100_000)
    records = _records(30, seed=7)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(records[:5] + [{"body": "x" * 300_000}] + records[5:]), encoding="utf-8")
    summary, _, rows = _import(tmp_path / "array.db", [path], workers=0)  # the limit patched here only
    assert (summary.imported, summary.failed) == (30, 0)
    assert summary.warnings == [f"{path}: 1 of 31 records not imported (export.json#6: record is 0.3 MB; the limit "
                                "of one record is 0.1 MB)"]
    monkeypatch.setattr(record_module, "_READ_BYTES", 10_000)
    summary, _, rows = _import(tmp_path / "array2.db", [path], workers=1)
    assert summary.failed == 1 and rows["reports"] == []
    assert summary.outcomes[0].reason == "the record at line 1 is over 0.1 MB, the limit of one record"


@pytest.mark.parametrize("content, reason", [
    (b"[" * 100_000 + b"]" * 100_000, "invalid JSON at line 1: nested too deeply"),
    (b'[{"body": "a"}, {"title": 1' + b"9" * 10_000 + b', "body": "b"}]', "invalid JSON at line 1: Exceeds the limit"),
    (b"[]" + b" " * 70_000, "JSON array is empty"),
])
def test_hostile_arrays_are_refused_in_one_line(tmp_path, content, reason):
    path = tmp_path / "hostile.json"
    path.write_bytes(content + b" " * max(0, STREAM_FROM_BYTES + 1 - len(content)))
    summary, _, _ = _import(tmp_path / "hostile.db", [path], workers=1)
    assert [o.status for o in summary.outcomes] == ["failed"]
    assert summary.outcomes[0].reason.startswith(reason), summary.outcomes[0].reason
