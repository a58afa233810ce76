"""Titles are stored whole, so every citation cites the whole title (issue 18: they were cut at
~192 characters ending in "…"); only hostile input meets the cap, and only the screen shortens."""

from __future__ import annotations

import json

import pytest

from db.cite import cite_report
from db.importer import import_paths
from db.ingest import parse_bytes
from db.ingest.text import MAX_TITLE_LENGTH
from db.store import Store
from tui.widgets.reader import SCREEN_TITLE_LETTERS, render_header

# 236 characters: a real headline's length, longer than the old cut
LONG_TITLE = ("Iraqi armed factions deny that Hamas has asked to open a political office in Baghdad, "
              "while two officials close to the Coordination Framework say talks on the office went on "
              "for weeks before the visit of the movement's delegation")
BODY = "The delegation arrived on Monday, officials said. Talks went on for weeks, one of them added.\n"


def _files() -> dict[str, bytes]:
    record = {"title": LONG_TITLE, "body": BODY, "publisher": "Desk"}
    return {
        "a.txt": f"{LONG_TITLE}\n\n{BODY}".encode(),
        "b.md": f"---\ntitle: \"{LONG_TITLE}\"\n---\n\n{BODY}".encode(),
        "c.md": f"# {LONG_TITLE}\n\n{BODY}".encode(),
        "d.json": json.dumps(record).encode(),
        "e.jsonl": (json.dumps(record) + "\n" + json.dumps({**record, "body": BODY + "Second."}) + "\n").encode(),
        "f.html": (f"<html><head><title>{LONG_TITLE}</title></head><body><article><p>{BODY}</p>"
                   f"</article></body></html>").encode(),
        "g.rss": (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Desk</title><item>"
                  f"<title>{LONG_TITLE}</title><description>{BODY}</description></item></channel></rss>").encode(),
    }


@pytest.mark.parametrize("name", sorted(_files()))
def test_every_format_keeps_a_long_title_whole(name):
    assert len(LONG_TITLE) > 200
    reports = parse_bytes(_files()[name], name)
    assert reports and all(report.title == LONG_TITLE for report in reports)


def test_citations_cite_the_whole_title(tmp_path):
    (tmp_path / "a.txt").write_text(f"{LONG_TITLE}\n\n{BODY}", encoding="utf-8")
    with Store.open(tmp_path / "t.db") as store:
        assert import_paths(store, [tmp_path / "a.txt"], workers=0).imported == 1
        report = store.get_report(store.report_ids()[0])
        assert report.title == LONG_TITLE
        for style in ("chicago-bib", "mla", "bibtex", "ris", "markdown", "intel"):
            citation = cite_report(report, style)
            assert "…" not in citation and "delegation" in citation.casefold(), style
        assert f"TI  - {LONG_TITLE}" in cite_report(report, "ris")


def test_a_hostile_title_is_capped_and_the_screen_shortens_it(tmp_path):
    huge = "word " * 20_000  # one line of 100,000 characters
    (title,) = [r.title for r in parse_bytes(huge.encode(), "huge.txt")]
    assert len(title) <= MAX_TITLE_LENGTH and title.endswith("…")
    (tmp_path / "h.txt").write_text(huge, encoding="utf-8")
    with Store.open(tmp_path / "h.db") as store:
        import_paths(store, [tmp_path / "h.txt"], workers=0)
        report = store.get_report(store.report_ids()[0])
        first_line = render_header(report).plain.split("\n")[0]
        assert len(first_line) <= SCREEN_TITLE_LETTERS and first_line.endswith("…")
