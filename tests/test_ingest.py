"""Tests for the import parsers (db.ingest): formats, encodings, hostile input.

Fixtures are written in the tests or under tests/fixtures/ingest/ in our own words. The
real pages and feeds in ../shared are used when present and skipped otherwise.
"""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.ingest import (
    MAX_BYTES,
    IngestError,
    iter_input_files,
    parse_bytes,
    parse_bytes_detailed,
    parse_file,
)
from db.ingest.dates import find_dateline, normalise_date
from db.ingest.decode import decode_text
from db.ingest.text import MAX_TITLE_LENGTH
from db.models import ParsedReport
import contextlib

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def only(reports: list[ParsedReport]) -> ParsedReport:
    assert len(reports) == 1
    return reports[0]


def assert_valid_strings(report: ParsedReport) -> None:
    for value in (report.title, report.body, report.url, report.published, report.publisher,
                  report.author, report.language, report.reliability, report.source_kind,
                  report.affiliation, *report.tags):
        if value is not None:
            assert isinstance(value, str)
            value.encode("utf-8")  # raises on lone surrogates


# --- plain text -------------------------------------------------------------------------


def test_text_title_dateline_and_body_kept_whole():
    data = b"  Militia statement on the dam\r\n\r\nJune 24, 2024\r\nThe group said it held the dam.\r\n"
    report = only(parse_bytes(data, "note.txt"))
    assert report.format == "text"
    assert report.title == "Militia statement on the dam"
    assert report.published == "2024-06-24"
    # Only newlines change: the title line stays, offsets index into this text.
    assert report.body == data.decode().replace("\r\n", "\n")
    assert report.original_name == "note.txt"


def test_text_long_first_line_gives_a_bounded_title():
    line = "word " * 2000
    report = only(parse_bytes(line.encode(), "long.txt"))
    assert len(report.title) <= MAX_TITLE_LENGTH and report.title.endswith("…")
    assert report.body == line


def test_text_dateline_only_near_the_top():
    lines = ["Title"] + [f"line {n}" for n in range(20)] + ["March 3, 2021"]
    assert only(parse_bytes("\n".join(lines).encode(), "a.txt")).published is None


def test_five_megabyte_single_line():
    report = only(parse_bytes(b"x" * 5_000_000, "line.txt"))
    assert len(report.body) == 5_000_000


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, iso",
    [
        ("June 24, 2024", "2024-06-24"),
        ("24 June 2024", "2024-06-24"),
        ("2024-06-24", "2024-06-24"),
        ("2024-06-24T23:30:00-05:00", "2024-06-24"),  # the date as written, not shifted to UTC
        ("Mon, 24 Jun 2024 10:00:00 GMT", "2024-06-24"),
        ("Sept. 3rd, 2023", "2023-09-03"),
        ("Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24"),
        ("2024-02-30", None),
        ("no date here", None),
        ("", None),
    ],
)
def test_normalise_date(written, iso):
    assert normalise_date(written) == iso


def test_month_and_day_need_a_year():
    assert normalise_date("Jun. 13") is None
    assert normalise_date("Jun. 13", year=2024) == "2024-06-13"


def test_find_dateline():
    assert find_dateline("Report\nBAGHDAD, 24 June 2024 - Officials said") == "2024-06-24"


# --- markdown -----------------------------------------------------------------------------


def test_markdown_front_matter_fixture():
    report = only(parse_file(FIXTURES / "field_note.md"))
    assert report.format == "markdown"
    assert report.title == "Convoy sighted near the northern crossing"
    assert report.publisher == "Example Wire"
    assert report.author == "J. Doe"
    assert report.url == "https://example.org/convoy"
    assert report.published == "2024-06-24"
    assert report.reliability == "B"
    assert report.tags == ["logistics", "border"]
    assert report.source_kind == "outlet"
    assert report.affiliation == "independent"
    assert report.language == "en"
    assert report.body.startswith("Convoy sighted\n")  # the Markdown rendered as text
    assert "---" not in report.body


def test_markdown_comma_tags_and_heading_title():
    text = "---\ntags: a, b , c\nreliability: Z\n---\nintro line\n# The heading\nbody\n"
    report = only(parse_bytes(text.encode(), "x.md"))
    assert report.tags == ["a", "b", "c"]
    assert report.reliability is None  # not an A-F grade
    assert report.title == "The heading"


def test_markdown_without_front_matter():
    report = only(parse_bytes(b"# Situation update\n\nCalm overnight.\n", "x.md"))
    assert report.title == "Situation update"
    assert report.body == "Situation update\n\nCalm overnight.\n"


def test_front_matter_in_a_txt_file_is_markdown():
    report = only(parse_bytes(b"---\ntitle: T\n---\nbody\n", "x.txt"))
    assert report.format == "markdown" and report.title == "T"


@pytest.mark.parametrize(
    "front_matter",
    ["title: [unclosed\n", "- just\n- a list\n", "[" * 5000 + "\n", "key: !!python/object:os.system x\n"],
)
def test_bad_front_matter_is_rejected(front_matter):
    with pytest.raises(IngestError, match="front matter"):
        parse_bytes(f"---\n{front_matter}---\nbody\n".encode(), "x.md")


# --- JSON ---------------------------------------------------------------------------------


def test_json_object():
    record = {"title": "T", "text": "Body text.", "date": "24 June 2024", "source": "Wire",
              "tags": "x, y", "reliability": "c", "url": "https://e.org"}
    report = only(parse_bytes(json.dumps(record).encode(), "r.json"))
    assert (report.format, report.title, report.body) == ("json", "T", "Body text.")
    assert (report.published, report.publisher, report.tags, report.reliability) == ("2024-06-24", "Wire", ["x", "y"], "C")


def test_json_array_with_bad_records_keeps_the_good_ones():
    records = [{"title": 7, "body": "seven"}, {"title": "no body"}, 3, {"body": ["p1", "p2"]}, {"body": {"x": 1}}]
    outcome = parse_bytes_detailed(json.dumps(records).encode(), "batch.json")
    assert [r.title for r in outcome.reports] == ["7", "p1"]
    assert outcome.reports[1].body == "p1\n\np2"
    reasons = {item.label: item.reason for item in outcome.rejected}
    assert set(reasons) == {"batch.json#2", "batch.json#3", "batch.json#5"}
    assert "no body" in reasons["batch.json#2"]
    assert "expected text" in reasons["batch.json#5"]


def test_json_lines():
    lines = '{"title": "a", "body": "one"}\n\n{"title": "b", "content": "two"}\n'
    reports = parse_bytes(lines.encode(), "feed.jsonl")
    assert [(r.format, r.body) for r in reports] == [("jsonl", "one"), ("jsonl", "two")]
    # Also recognised when named .json or not named at all.
    assert len(parse_bytes(lines.encode(), "feed.json")) == 2
    assert len(parse_bytes(lines.encode(), "<stdin>")) == 2


@pytest.mark.parametrize(
    "data, reason",
    [
        (b'{"title": "x",\n "body": "y",\n oops}', "invalid JSON at line 3"),
        (b'{"title": "x"}', "no body"),
        (b"[]", "empty"),
        (b"42", "not a report object"),
        (b"[" * 100_000, "nested too deeply"),
        (b'[{"a": 1}, {"b": 2}]', "none of 2 records"),
        (b'{"body": 1' + b"1" * 5000 + b"}", "invalid JSON"),
    ],
)
def test_bad_json(data, reason):
    with pytest.raises(IngestError, match=reason):
        parse_bytes(data, "bad.json")


def test_json_lone_surrogates_are_replaced():
    report = only(parse_bytes(b'{"title": "\\ud800x", "body": "a\\udfffb"}', "s.json"))
    assert report.title == "\ufffdx" and report.body == "a\ufffdb"


# --- HTML ---------------------------------------------------------------------------------

ARTICLE_PAGE = """<!DOCTYPE html><html lang="en"><head>
<title>Page title | Example Times</title>
<meta property="og:title" content="Flooding closes the river road">
<meta property="og:site_name" content="Example Times">
<meta name="author" content="Ann Writer">
<meta property="article:published_time" content="2024-06-24T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Flooding closes the river road</h1>
<p>Heavy rain closed the river road on Monday, the local council said in a statement.</p>
<p>Residents were told to avoid the area while crews cleared debris from the carriageway.</p>
<p>A spokesperson said the road would reopen once engineers had inspected the bridge.</p>
</article>
<footer>Copyright Example Times. All rights reserved.</footer>
</body></html>"""


def test_html_article_and_metadata():
    report = only(parse_bytes(ARTICLE_PAGE.encode(), "page.html"))
    assert report.format == "html"
    assert report.title == "Flooding closes the river road"
    assert report.publisher == "Example Times"
    assert report.author == "Ann Writer"
    assert report.published == "2024-06-24"
    assert "Heavy rain closed the river road" in report.body
    assert "All rights reserved" not in report.body


@pytest.mark.parametrize("byline, author", [
    ("Account You're logged", None), ("Sign in to your account", None), ("Subscribe", None),
    ("Fox News View author archive Get author RSS feed Name Email Comment", None),
    ("Photo by The Associated Press", None),
    ("David Lassman; Dlassman Com", "David Lassman"), ("Malcolm Harris; January", "Malcolm Harris"),
    ("Lena deCasparis; Contributing Writer", "Lena deCasparis"), ("Stevie Martin; Tuesday", "Stevie Martin"),
    ("C Ryanne Laratonda; Posted Feb", "C Ryanne Laratonda"), ("Googletag Cmd Push Dfp Ad Pg Author Sec 1", None),
    ("Arnold Saba gulflive com Follow", None),
    ("Gayatri Suroyo; Adriana Nina Kusuma", "Gayatri Suroyo; Adriana Nina Kusuma"),
])
def test_what_a_byline_holds_besides_authors_is_dropped(byline, author):
    page = ARTICLE_PAGE.replace('content="Ann Writer"', f'content="{byline}"')
    assert only(parse_bytes(page.encode(), "page.html")).author == author


def test_txt_that_is_html_is_parsed_as_html():
    assert only(parse_bytes(ARTICLE_PAGE.encode(), "saved.txt")).format == "html"


def test_html_snippet_falls_back_to_stripped_text():
    report = only(parse_bytes(b"<html><body><p>Short note.</p><script>x()</script></body></html>", "n.html"))
    assert report.body == "Short note."


def test_form_fields_are_not_article_text():
    """A video page's "embed this" box is a <textarea> of <iframe> markup (globalnews.ca): the
    article extractor's fallback and the stripped-text fallback both took it for text."""
    embed = ("<textarea class='embed'>&lt;iframe src='http://x/embed/1'&gt;Your browser does not support "
             "frames.&lt;/iframe&gt;</textarea><select><option>Share on</option></select>")
    video_page = ("<html><head><title>Video of the Gardners</title></head><body><div>World December 29 2014 "
                  "<p>In a video posted to their Facebook page, Ashley and Tyson Gardner ask for prayers.</p>"
                  + embed + "</div></body></html>")
    for page in (video_page, "<html><body><p>Short note.</p>" + embed + "</body></html>"):
        body = only(parse_bytes(page.encode(), "video.html")).body
        assert "iframe" not in body and "browser" not in body and "Share on" not in body
    assert "Tyson Gardner ask for prayers" in only(parse_bytes(video_page.encode(), "video.html")).body


def test_html_meta_charset_is_honoured():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Relatório de São Paulo</p></body></html>'
    assert "São Paulo" in only(parse_bytes(page.encode("latin-1"), "p.html")).body


def test_deeply_nested_html_does_not_crash():
    data = b"<html><body>" + b"<div>" * 50_000 + b"deep text" + b"</div>" * 50_000 + b"</body></html>"
    with contextlib.suppress(IngestError):
        assert "deep text" in only(parse_bytes(data, "deep.html")).body


def test_html_without_text_is_rejected():
    with pytest.raises(IngestError, match="no text"):
        parse_bytes(b"<html><head><title></title></head><body><script>x()</script></body></html>", "e.html")


# --- feeds --------------------------------------------------------------------------------


def test_rss_fixture():
    reports = parse_file(FIXTURES / "sample_feed.rss")
    assert [r.format for r in reports] == ["rss", "rss"]
    first, second = reports
    assert first.title == "Power cut reported in the east"
    assert first.url == "https://example.org/a"
    assert first.published == "2024-06-24"  # the publisher's date, not UTC's 25th
    assert first.publisher == "Example Monitor"
    assert first.language == "en"
    assert first.tags == ["energy"]
    assert first.body == "Officials said power failed at 9 pm.\n\nRepairs are under way."
    assert second.body == "Headline only"  # a headline-only item keeps its headline as text


def test_atom_and_rdf():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
    <entry><title>Entry</title><link href="https://e.org/1"/><updated>2024-06-24T10:00:00Z</updated>
    <author><name>Ann</name></author><content type="html">&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;</content></entry></feed>"""
    report = only(parse_bytes(atom, "x.xml"))
    assert (report.format, report.title, report.body, report.author, report.published) == (
        "atom", "Entry", "Hi & bye", "Ann", "2024-06-24")
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://e.org"><title>C</title></channel>
    <item rdf:about="https://e.org/1"><title>I</title><link>https://e.org/1</link><description>Text</description></item></rdf:RDF>"""
    assert only(parse_bytes(rdf, "x.rdf")).format == "rdf"


def test_undeclared_latin1_feed():
    feed = "<rss><channel><title>Notícias</title><item><title>Ação</title><description>Últimas notícias</description></item></channel></rss>"
    report = only(parse_bytes(feed.encode("latin-1"), "f.rss"))
    assert (report.publisher, report.title, report.body) == ("Notícias", "Ação", "Últimas notícias")


@pytest.mark.parametrize("data", [b"<rss><channel><item><title>a", b"<feed></feed>", b"/etc/passwd"])
def test_malformed_or_empty_feeds_are_rejected(data):
    with pytest.raises(IngestError):
        parse_bytes(data, "bad.xml")


# --- encodings and binary files ------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_byte_order_marks(encoding):
    text = "Título\nJune 24, 2024\nحلب"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    if encoding == "utf-32-be":
        data = codecs.BOM_UTF32_BE + data
    report = only(parse_bytes(data, "e.txt"))
    assert report.body == text and report.published == "2024-06-24"


def test_utf16_without_bom():
    assert only(parse_bytes("Title here\nbody".encode("utf-16-le"), "x.txt")).title == "Title here"


@pytest.mark.parametrize(
    "text, encoding",
    [("Relatório de notícias\nSão Paulo", "latin-1"),
     ("Доклад о новостях\nМосква сообщает, что ситуация остается напряженной", "cp1251")],
)
def test_legacy_encodings_are_guessed(text, encoding):
    assert only(parse_bytes(text.encode(encoding), "x.txt")).body == text


def test_invalid_and_mixed_utf8_decodes_to_valid_text():
    data = "naïve ".encode() + "café".encode("latin-1") + b"\xff\xfe\x80 end"
    assert_valid_strings(only(parse_bytes(data, "mixed.txt")))


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF"),
        (bytes(range(256)) * 4, "not text"),
        (b"", "empty file"),
        (b" \n\t\n", "empty file"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08abc", "control characters"),
    ],
)
def test_binary_and_empty_files_are_rejected(data, reason):
    with pytest.raises(IngestError, match=reason):
        parse_bytes(data, "x.txt")


def test_c1_controls_count_as_control_characters():
    with pytest.raises(IngestError, match="control characters"):
        parse_bytes(("\x85\x9b\x7f" * 5 + "abc").encode("utf-8"), "x.txt")


def test_text_mostly_made_of_white_space_controls_is_text():
    body = "a\t\t\t\v\f\r\n" * 20 + "the end"
    assert only(parse_bytes(body.encode(), "x.txt")).body.endswith("the end")


def test_ascii_text_starting_like_a_magic_number_is_text():
    assert only(parse_bytes(b"GIF89a was the format of the leaked images.", "x.txt")).format == "text"


def test_control_characters_and_markup_stay_in_plain_text():
    text = "Alert\x1b[31m red\x07 <script>alert(1)</script>\n"
    assert only(parse_bytes(text.encode(), "x.txt")).body == text


def test_decode_text_rejects_nul_bytes():
    with pytest.raises(IngestError, match="NUL"):
        decode_text(b"abc\x00def ghi jkl")


# --- files, folders, stdin, size limit -----------------------------------------------------


def test_size_limit(tmp_path, monkeypatch):
    import db.ingest as ingest

    monkeypatch.setattr(ingest, "MAX_BYTES", 1024)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(IngestError, match="the limit is"):
        parse_file(big)
    with pytest.raises(IngestError, match="the limit is"):
        parse_bytes(b"a" * 2048, "<stdin>")
    assert MAX_BYTES == 16 * 1024 * 1024


def test_size_reason_names_the_size(tmp_path):
    import db.ingest as ingest

    with pytest.raises(IngestError, match=r"file is 16\.5 MB; the limit is 16 MB"):
        ingest._check_size(int(16.5 * 1024 * 1024))


def test_parse_file_errors(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        parse_file(tmp_path / "missing.txt")
    with pytest.raises(IngestError, match="folder"):
        parse_file(tmp_path)


def test_parse_file_reads_stdin_for_dash(monkeypatch):
    class FakeStdin:
        buffer = io.BytesIO(b"From the pipe\nbody")

    monkeypatch.setattr("sys.stdin", FakeStdin)
    report = only(parse_file("-"))
    assert report.title == "From the pipe" and report.original_name == "<stdin>"


def test_iter_input_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    single = tmp_path / "b" / "2.txt"
    found = list(iter_input_files([tmp_path, "-", single, tmp_path / "missing"]))
    assert found == [tmp_path / "a.txt", tmp_path / "b" / "2.txt", Path("-"), single, tmp_path / "missing"]


# --- hostile bytes: only IngestError, only valid strings --------------------------------------

_NAMES = st.sampled_from(["x.txt", "x.md", "x.html", "x.json", "x.jsonl", "x.rss", "x.xml", "x", "<stdin>"])
_PREFIXES = st.sampled_from([b"", b"---\n", b"<html><body>", b"<rss><channel><item>", b"{", b"[{", b"\xef\xbb\xbf", b"\xff\xfe"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=_PREFIXES, data=st.binary(max_size=2000), name=_NAMES)
def test_arbitrary_bytes_raise_only_ingest_error(prefix, data, name):
    try:
        reports = parse_bytes(prefix + data, name)
    except IngestError as error:
        assert error.reason
        return
    assert reports
    for report in reports:
        assert_valid_strings(report)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=500), name=_NAMES)
def test_arbitrary_text_raises_only_ingest_error(text, name):
    try:
        reports = parse_bytes(text.encode("utf-8", "surrogatepass"), name)
    except IngestError:
        return
    for report in reports:
        assert_valid_strings(report)


# --- feeds and pages written for the tests (fixtures/pages_and_feeds), and the real ones ----------

PAGES_AND_FEEDS = Path(__file__).parent / "fixtures" / "pages_and_feeds"


def test_fixture_feeds_and_pages_all_parse():
    files = sorted(p for p in PAGES_AND_FEEDS.iterdir() if p.suffix != ".md")
    assert len(files) >= 6
    for path in files:
        reports = parse_file(path)
        assert reports, path.name
        for report in reports:
            assert report.body.strip() and report.title and report.publisher != "", path.name
            assert_valid_strings(report)
    (article,) = parse_file(PAGES_AND_FEEDS / "harbor_article.html")
    assert (article.publisher, article.author, article.published) == ("Harbor Daily", "Mara Quill", "2024-06-13")
    assert "Subscribe" not in article.body and "north quay" in article.body
    (jsonld,) = parse_file(PAGES_AND_FEEDS / "coastline_jsonld.html")
    assert (jsonld.author, jsonld.published) == ("Ilan Reyes", "2024-03-02")
    assert [r.format for r in parse_file(PAGES_AND_FEEDS / "harbor_atom.xml")] == ["atom", "atom"]
    assert [r.format for r in parse_file(PAGES_AND_FEEDS / "valley_rdf.rdf")] == ["rdf"]


def test_portuguese_latin1_feed():
    reports = parse_file(PAGES_AND_FEEDS / "folha_latin1.rss")
    assert reports[0].publisher == "Folha do Vale Notícias"
    text = " ".join(r.title + r.body for r in reports)
    assert "\ufffd" not in text and "construção" in text and "Eleição" in text


# --- the real material in ../shared (skipped when absent) ------------------------------------

needs_shared = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="shared test data not present")


@needs_shared
def test_real_feeds_and_pages_parse_or_are_rejected():
    files = sorted((SHARED_DATA / "feeds").glob("*")) + sorted((SHARED_DATA / "html" / "html").glob("*.html"))
    assert files
    imported = 0
    for path in files:
        try:
            reports = parse_file(path)
        except IngestError:
            continue
        imported += 1
        for report in reports:
            assert report.body.strip() and report.title is not None
            assert_valid_strings(report)
    assert imported >= len(files) * 0.9


@needs_shared
def test_real_portuguese_latin1_feed():
    path = SHARED_DATA / "feeds" / "rss-parser__uolNoticias.rss"
    if not path.exists():
        pytest.skip("feed not present")
    reports = parse_file(path)
    assert reports[0].publisher == "UOL Noticias"
    text = " ".join(r.title + r.body for r in reports)
    assert "\ufffd" not in text and "ção" in text
