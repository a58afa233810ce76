"""Markdown bodies are stored as the text a reader sees (issue 18): no ``**`` in the reader, in a
speaker or in an entity; the structure (headings, items, quotes, links' addresses) is kept."""

from __future__ import annotations

import pytest

from db.importer import import_paths
from db.ingest import parse_bytes
from db.ingest.markdown_text import render_inline, render_markdown
from db.paths import demo_corpus_dir
from db.store import Store


@pytest.mark.parametrize("written, shown", [
    ("**Claim 1: Hamas has an office.** A channel said so.", "Claim 1: Hamas has an office. A channel said so."),
    ("Some __bold__, *em*, _em_ and ***both***.", "Some bold, em, em and both."),
    ("snake_case_name and file_name.txt stay", "snake_case_name and file_name.txt stay"),
    ("# Heading ##", "Heading"),
    ("### **Bold** heading", "Bold heading"),
    ("- one\n* two\n+ three", "• one\n• two\n• three"),
    ("  - nested", "  • nested"),
    ("* * *\n---\n___", "* * *\n---\n___"),
    ("> quoted **words**\n> > nested", "quoted words\nnested"),
    ("See [Reuters](https://reuters.com/x).", "See Reuters (https://reuters.com/x)."),
    ("[https://a.org](https://a.org) and [top](#top)", "https://a.org and top"),
    ("![a photo of the convoy](img.png)", "a photo of the convoy"),
    ("<https://example.org/x> here", "https://example.org/x here"),
    ("footnote [1], [^2] and [ref][3] stay", "footnote [1], [^2] and [ref][3] stay"),
    ("`a*b*` and ``x ` y``", "a*b* and x ` y"),
    ("\\*not em\\* and 3 < 4", "*not em* and 3 < 4"),
    ("```\n**kept** in code\n```\nafter", "**kept** in code\nafter"),
    ("Title\n=====\ntext", "Title\ntext"),
    ("**unclosed and *em* here", "**unclosed and em here"),
    ("a | table | row", "a | table | row"),
])
def test_markdown_is_rendered_as_text(written, shown):
    assert render_markdown(written) == shown


def test_a_title_from_a_heading_loses_its_markup():
    [report] = parse_bytes(b"# **Breaking:** convoy at the `crossing`\n\nText.\n", "x.md")
    assert report.title == "Breaking: convoy at the crossing"
    assert render_inline("[**Reuters**](https://r.com)") == "Reuters (https://r.com)"


def test_an_imported_markdown_report_has_no_markup_in_its_body_speakers_or_entities(tmp_path):
    body = ("---\ntitle: Fault lines\nsource: Fault Lines Notebook\npublished: 2024-07-02\n---\n\n"
            "**Claim 1: Hamas has an office in Baghdad.** A channel tied to **Kata'ib Al-Imam Ali** says an "
            "office opened on June 11, according to **Ismail Haniyeh**'s aides.\n\n"
            "**The government** said on June 14 that it had received no request, "
            "a spokesman for **Mohammed Shia al-Sudani** told [Reuters](https://example.org/r).\n\n"
            "- *Watch for*: a registration with the NGO department.\n")
    (tmp_path / "note.md").write_text(body)
    with Store.open(tmp_path / "case.db") as store:
        summary = import_paths(store, [tmp_path / "note.md"], workers=0)
        assert summary.imported == 1
        report = store.get_report(store.list_reports()[0].id)
        assert "*" not in report.body and "Claim 1: Hamas has an office in Baghdad. A channel" in report.body
        assert "Reuters (https://example.org/r)" in report.body and "• Watch for: a registration" in report.body
        claims = store.claims_for_report(report.id)
        assert claims, "the extractor found no claim in the rendered text"
        for claim in claims:
            assert report.body[claim.start:claim.end] == claim.text
            assert "*" not in (claim.speaker or "") and all("*" not in link for link in claim.chain)
        mentions = store.mentions_for_report(report.id)
        assert mentions
        for mention in mentions:
            assert report.body[mention.start:mention.end] == mention.text
        assert all("*" not in entity.name for entity in store.entities_for_report(report.id))


def test_the_demo_analysis_reads_without_asterisks(tmp_path):
    seed = demo_corpus_dir() / "18_fault-lines-what-we-know.md"
    if not seed.exists():
        pytest.skip("no demo corpus in seeds/")
    with Store.open(tmp_path / "case.db") as store:
        import_paths(store, [seed], workers=0)
        report = store.get_report(store.list_reports()[0].id)
        assert "**" not in report.body
        assert "Claim 1: Hamas has an office in Baghdad." in report.body
        assert all("*" not in (c.speaker or "") for c in store.claims_for_report(report.id))
