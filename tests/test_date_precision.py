"""A date is never invented: a published date keeps the precision its source gave (day, month,
year), says where it was read, and every citation style prints exactly what is known."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db.cite import cite_report
from db.ingest import parse_bytes
from db.ingest.errors import IngestError
from db.ingest.dates import find_dateline, normalise_date, precision_of
from db.models import Report, Source
from db.render import published_line
from db.store import ReportFilter

from .factories import add_report

pytestmark = pytest.mark.both_backends

HTML_PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "html" / "html"
FIXTURE_PAGES = Path(__file__).resolve().parent / "fixtures" / "pages_and_feeds"


@pytest.mark.parametrize("written, iso", [
    ("2015", "2015"),
    ("2013-08", "2013-08"),
    ("August 2013", "2013-08"),
    ("Aug. 2013", "2013-08"),
    ("28 August 2013", "2013-08-28"),
    ("الأربعاء، 28 آب/اغسطس 2013", "2013-08-28"),   # Levantine and Egyptian names together
    ("٢٨ آب ٢٠١٣", "2013-08-28"),                     # Arabic-Indic digits
    ("3 تشرين الأول 2023", "2023-10-03"),              # a two-word month name
    ("jueves, 09 enero 2014 10:21", "2014-01-09"),
    ("12. Juli 2013, 12:34", "2013-07-12"),
    ("28 de agosto de 2013", "2013-08-28"),
    ("5 آب/سبتمبر 2013", None),                        # the two names disagree: no date
    ("قتل 5 أشخاص في 2013", None),                     # a number, words and a year are not a date
    ("In 2015 the army came", None),                  # a year inside a sentence is not a date
])
def test_a_date_keeps_the_precision_it_was_written_with(written, iso):
    assert normalise_date(written) == iso


def test_precision_names():
    assert [precision_of(d) for d in ("2013-08-28", "2013-08", "2013", None)] == ["day", "month", "year", None]


def test_a_month_dateline_is_a_short_line_not_a_sentence():
    assert find_dateline("Monthly digest\nAugust 2013\n\nText.") == "2013-08"
    assert find_dateline("Title\nIn August 2013, the army stormed the town and held it for a week.") is None


@pytest.mark.parametrize("published, expected", [
    ("2015", {"chicago-note": '"A Title," 2015.', "chicago-bib": '"A Title." 2015.', "apa": "(2015).",
              "mla": "*CNN Arabic*, 2015.", "bibtex": "date = {2015},", "ris": "DA  - 2015///",
              "markdown": "*A title*, 2015.", "intel": '"A title", 2015.'}),
    ("2013-08", {"chicago-note": "August 2013.", "chicago-bib": "August 2013.", "apa": "(2013, August).",
                 "mla": "Aug. 2013.", "bibtex": "date = {2013-08},", "ris": "DA  - 2013/08//",
                 "markdown": "August 2013.", "intel": "Aug 2013."}),
    ("2013-08-28", {"chicago-note": "August 28, 2013.", "chicago-bib": "August 28, 2013.",
                    "apa": "(2013, August 28).", "mla": "28 Aug. 2013.", "bibtex": "date = {2013-08-28},",
                    "ris": "DA  - 2013/08/28/", "markdown": "28 August 2013.", "intel": "28 Aug 2013."}),
])
@pytest.mark.parametrize("style", ["chicago-note", "chicago-bib", "apa", "mla", "bibtex", "ris", "markdown", "intel"])
def test_every_citation_style_prints_exactly_the_precision_known(published, expected, style):
    report = Report(id=1, title="A title", body="", status="new", format="html", imported_at="2024-07-01T00:00:00",
                    content_hash="h", source=Source(id=1, name="CNN Arabic"), published=published)
    citation = cite_report(report, style)
    assert expected[style] in citation
    assert "January 1" not in citation and "01/01" not in citation and "-01-01" not in citation


def _page(head: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{text} Sentence number {i} of the article goes on at some length here.</p>"
                         for i in range(12))
    return (f"<html><head><title>A story</title>{head}</head><body><article><h1>A story</h1>{paragraphs}"
            "</article></body></html>").encode()


def test_a_year_in_the_url_is_not_padded_to_january_first():
    page = _page('<link rel="canonical" href="https://news.example.com/2015/world/story.html">',
                 "The council met and agreed on a budget for the coming season.")
    report = parse_bytes(page, "story.html")[0]
    assert report.published in (None, "2015")
    assert report.published_from in (None, "page metadata")


def test_an_arabic_dateline_in_the_text_beats_a_padded_year():
    page = _page('<link rel="canonical" href="https://arabic.example.com/2013/middle_east/story.html">',
                 "الأربعاء، 28 آب/اغسطس 2013")
    report = parse_bytes(page, "arabic.html")[0]
    assert (report.published, report.published_from) == ("2013-08-28", "dateline")


def test_where_the_date_came_from_is_kept_for_each_format():
    assert parse_bytes(b"Title\nJune 24, 2024\n\nBody text.", "a.txt")[0].published_from == "dateline"
    md = parse_bytes(b"---\npublished: 2015\n---\n# T\n\nBody.", "a.md")[0]
    assert (md.published, md.published_from) == ("2015", "front matter")
    js = parse_bytes(b'{"title": "T", "body": "B", "published": "2013-08"}', "a.json")[0]
    assert (js.published, js.published_from) == ("2013-08", "record field")
    year = parse_bytes(b'{"title": "T", "body": "B", "published": 2015}', "a.json")[0]
    assert year.published == "2015"  # an integer year was read as seconds since 1970: 1970-01-01


def test_show_says_how_precise_and_from_where():
    assert published_line("2015", "page metadata") == "2015 (year only; from the page metadata)"
    assert published_line("2013-08-28", "dateline") == "2013-08-28 (from the dateline)"
    assert published_line(None, None) == "undated"  # as the queue says


def test_a_year_only_report_is_inside_a_range_that_its_year_reaches(store):
    for title, date in (("year", "2015"), ("month", "2015-06"), ("day", "2015-03-02"), ("later", "2016-02-01")):
        add_report(store, title=title, body=f"The {title} report and its own words.", published=date)

    def titles(**kw):
        return sorted(r.title for r in store.list_reports(ReportFilter(**kw), limit=10))

    assert titles(date_from="2015-06-01", date_to="2015-12-31") == ["month", "year"]
    assert titles(date_from="2015-06-01") == ["later", "month", "year"]
    assert titles(date_from="2016-01-01") == ["later"]
    assert titles(date_to="2015-04-30") == ["day", "year"]
    assert [r.title for r in store.list_reports(ReportFilter(), limit=10)] == ["later", "month", "day", "year"]


def _written_forms(iso: str) -> set[str]:
    """The ways a page writes a day, built from the date (independent of the parser under test)."""
    day = dt.date.fromisoformat(iso)
    y, m, d = day.year, day.month, day.day
    month = day.strftime("%B").lower()
    forms = {f"{y}-{m:02d}-{d:02d}", f"{y}/{m:02d}/{d:02d}", f"{y}/{m}/{d}/", f"{m:02d}/{d:02d}/{y}",
             f"{m}/{d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{d:02d}/{m:02d}/{y}", f"{y}{m:02d}{d:02d}",
             f"{y}.{m:02d}.{d:02d}", f"{d:02d}-{m:02d}-{y}"}
    spanish_german_french = ("enero januar janvier", "febrero februar février", "marzo märz mars",
                             "abril april avril", "mayo mai mai", "junio juni juin", "julio juli juillet",
                             "agosto august août", "septiembre september septembre", "octubre oktober octobre",
                             "noviembre november novembre", "diciembre dezember décembre")[m - 1].split()
    for name in (month, month[:3], *spanish_german_french):
        forms |= {f"{name} {d}, {y}", f"{name}. {d}, {y}", f"{d} {name} {y}", f"{name} {d:02d}, {y}",
                  f"{d:02d} {name} {y}", f"{name} {d} {y}", f"{d} {name}, {y}", f"{name} {d}th, {y}",
                  f"{name} {d}st, {y}", f"{name} {d}nd, {y}", f"{name} {d}rd, {y}"}
    return forms


def _dates_read(pages: list[Path]) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """Each page's published date, and the pages given a day their text does not state."""
    dates, invented = {}, []
    for path in pages:
        page = path.read_bytes()
        try:
            reports = parse_bytes(page, path.name)
        except IngestError:
            continue
        published = dates[path.name] = reports[0].published if reports else None
        if precision_of(published) != "day":
            continue
        text = " ".join(page.decode("utf-8", "replace").lower().split())
        if not any(form in text for form in _written_forms(published)) and path.name != "arabic_article.html":
            invented.append((path.name, published))
    return dates, invented


def _news_page(url: str | None, date_meta: str | None, text: str) -> str:
    """A news page (written for this test): what htmldate reads a date from, and the article."""
    head = f'<meta property="og:url" content="{url}">' if url else ""
    head += f'<meta property="article:published_time" content="{date_meta}">' if date_meta else ""
    paragraphs = "".join(f"<p>{line}</p>" for line in [text] + [
        f"The harbour master said on the record that work on the north quay would go on, sentence {i}." for i in range(4)])
    return f"<html><head><title>Harbour works</title>{head}</head><body><article><h1>Harbour works</h1>" \
           f"{paragraphs}</article></body></html>"


def test_no_page_gets_a_day_or_month_it_does_not_state(tmp_path):
    """The saved-pages check below, on pages written for it: a year in the URL alone (htmldate pads it
    to January 1st), a month in the metadata, a day in the text, an Arabic dateline."""
    pages = {
        "year_in_url.html": _news_page("https://harbor-daily.example/2015/harbour-works", None, "The works began."),
        "month_meta.html": _news_page(None, "2013-08", "Harbour works, August 2013. The works began in the summer."),
        "year_meta.html": _news_page(None, "2016", "The works began that year."),
        "day_in_text.html": _news_page(None, None, "June 13, 2024 - The works began on Thursday."),
        "day_meta_stated.html": _news_page(None, "2019-03-05", "Published 5 March 2019. The works began."),
    }
    for name, page in pages.items():
        (tmp_path / name).write_text(page, encoding="utf-8")
    paths = sorted(tmp_path.glob("*.html")) + sorted(FIXTURE_PAGES.glob("*.html"))
    dates, invented = _dates_read(paths)
    assert invented == []
    assert dates["year_in_url.html"] in (None, "2015")  # never "2015-01-01"
    assert dates["month_meta.html"] == "2013-08" and dates["year_meta.html"] == "2016"
    assert dates["day_in_text.html"] == "2024-06-13" and dates["day_meta_stated.html"] == "2019-03-05"
    assert dates["arabic_article.html"] == "2013-08-28"  # "الأربعاء، 28 آب/اغسطس 2013"


@pytest.mark.skipif(not HTML_PAGES.is_dir(), reason="needs ../shared/data/html (the 157 saved news pages)")
def test_no_saved_news_page_gets_a_day_or_month_it_does_not_state():
    dates, invented = _dates_read(sorted(HTML_PAGES.glob("*.html")))
    assert dates["arabic_article.html"] == "2013-08-28"  # "الأربعاء، 28 آب/اغسطس 2013"
    assert invented == []
