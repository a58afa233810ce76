"""Exports: JSON, CSV and the Markdown brief, streaming and as strings."""

from __future__ import annotations

import csv
import io
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from db.export import (
    CSV_COLUMNS,
    ExportRecord,
    export_csv,
    export_json,
    export_markdown,
    write_csv,
    write_json,
    write_markdown,
)
from db.models import CitedSource, Claim, Entity, Report, Source


def make_record(rid: int = 1, *, claims: int = 2, source: bool = True, title: str | None = None) -> ExportRecord:
    src = Source(id=1, name="MEMRI", full_name="Middle East Media Research Institute", kind="outlet",
                 reliability="B", affiliation="research institute") if source else None
    report = Report(id=rid, title=title or f"Report {rid}", body="Body text.", status="new", format="text",
                    imported_at="2024-07-01T10:00:00Z", content_hash=f"h{rid}", credibility=3, source=src,
                    url="https://www.memri.org/jttm/x", published="2024-06-24", tags=["iraq"])
    cl = [
        Claim(id=rid * 10 + i, report_id=rid, start=0, end=5, text=f"claim {i}", speaker="the account",
              speaker_resolved="Iraqi Minister", speaker_inferred=True, cue="claimed",
              chain=["Iraqi Minister", "MEMRI"], is_quote=bool(i % 2), is_hedged=False, is_denial=False,
              credibility=4, rule="r", confidence=0.7)
        for i in range(claims)
    ]
    ents = [Entity(id=1, name="Hamas", type="ORG", aliases=["Hamas movement"]), Entity(id=2, name="Baghdad", type="LOC")]
    cited = [CitedSource(id=1, report_id=rid, ref="1", source="Telegram", date="2024-06-11",
                         raw="[1] Telegram, June 11, 2024.", start=0, end=10, claim_ids=[rid * 10])]
    return ExportRecord(report, cl, ents, cited)


def test_json_shape():
    data = json.loads(export_json([make_record(1), make_record(2, claims=0, source=False)]))
    assert data["format"] == "analyst-tui/export" and data["version"] == 1
    first, second = data["reports"]
    assert first["grade"] == "B3" and first["source"]["name"] == "MEMRI" and first["published"] == "2024-06-24"
    assert first["claims"][0]["chain"] == ["Iraqi Minister", "MEMRI"]
    assert first["claims"][0]["speaker_resolved"] == "Iraqi Minister" and first["claims"][0]["grade"] == "B4"
    assert first["entities"][0] == {"id": 1, "name": "Hamas", "type": "ORG", "aliases": ["Hamas movement"],
                                    "mention_count": 0, "report_count": 0}
    assert first["cited_sources"][0]["claim_ids"] == [10]
    assert first["body"] == "Body text."
    assert second["source"] is None and second["grade"] == "F3" and second["claims"] == []
    assert list(first) == list(second)  # stable keys
    assert "body" not in json.loads(export_json([make_record()], include_body=False))["reports"][0]


def test_json_empty_and_compact():
    assert json.loads(export_json([])) == {"format": "analyst-tui/export", "version": 1, "reports": []}
    compact = export_json([make_record(1), make_record(2)], indent=None)
    assert len(json.loads(compact)["reports"]) == 2


def test_json_non_ascii_kept_and_terminal_unsafe_escaped():
    rec = make_record(title="حماس \u202eevil\u202c \x9b2J")
    text = export_json([rec])
    assert "حماس" in text
    assert "\u202e" not in text and "\x9b" not in text and "\\u202e" in text
    assert json.loads(text)["reports"][0]["title"] == "حماس \u202eevil\u202c \x9b2J"  # lossless


def test_streaming_writers_accept_callables_and_generators():
    chunks: list[str] = []
    n = write_json((make_record(i) for i in range(1, 4)), chunks.append)
    assert n == 3 and len(chunks) > 3
    assert len(json.loads("".join(chunks))["reports"]) == 3
    buf = io.StringIO()
    assert write_csv((make_record(i) for i in range(1, 4)), buf) == 3
    assert write_markdown(iter([make_record()]), buf) == 1


def test_csv_one_row_per_claim():
    text = export_csv([make_record(1, claims=2), make_record(2, claims=0)])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3
    assert rows[0]["claim_text"] == "claim 0" and rows[0]["chain"] == "Iraqi Minister > MEMRI"
    assert rows[0]["report_grade"] == "B3" and rows[0]["claim_grade"] == "B4" and rows[0]["entities"] == "Hamas; Baghdad"
    assert rows[1]["is_quote"] == "1" and rows[0]["is_quote"] == "0"
    assert rows[2]["report_id"] == "2" and rows[2]["claim_id"] == ""


def test_csv_guards_formulas_and_newlines():
    rec = make_record(title='=HYPERLINK("http://evil","x")')
    rec.claims[0].text = "line one\nline two, \"quoted\""
    rows = list(csv.DictReader(io.StringIO(export_csv([rec]))))
    assert rows[0]["report_title"].startswith("'=")
    assert rows[0]["claim_text"] == "line one\nline two, \"quoted\""


def test_markdown_brief():
    md = export_markdown([make_record()], title="Brief")
    assert md.startswith("# Brief\n\n## Report 1\n")
    assert "- **Source:** Middle East Media Research Institute (MEMRI), research institute" in md
    assert "- **Grade:** B3: source B (usually reliable), information 3 (possibly true)" in md
    assert "- **Published:** 2024-06-24" in md and "- **URL:** <https://www.memri.org/jttm/x>" in md
    assert "1. \u201cclaim 0\u201d \u2014 Iraqi Minister, via MEMRI (credibility 4 (doubtfully true); grade B4; inferred speaker)" in md
    assert "### Entities" in md and "- Hamas (ORG; also Hamas movement)" in md
    assert "- \\[1\\] Telegram, 2024-06-11" in md
    assert "None" not in md
    assert "No reports." in export_markdown([])


def test_markdown_escapes_untrusted_text():
    rec = make_record(title="# [link](javascript:x) \x1b[31m\u202e")
    rec.report.url = "javascript:alert(1)"
    md = export_markdown([rec])
    assert "## \\# \\[link\\](javascript:x)" in md
    assert "<javascript" not in md
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", md)


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=60), text=st.text(max_size=60), chain=st.lists(st.text(max_size=20), max_size=3))
def test_exports_never_raise(title, text, chain):
    rec = make_record(title=title or "x")
    rec.report.title = title
    rec.claims[0].text = text
    rec.claims[0].chain = chain
    json.loads(export_json([rec]))
    list(csv.reader(io.StringIO(export_csv([rec]))))
    md = export_markdown([rec])
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", md)
