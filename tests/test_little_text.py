"""A web page whose article text is tiny (a photo caption) was imported as if all went well
(issue 18): it is now tagged little-text, said in the import summary (CLI, TUI toast), shown in
`show` and marked in the queue."""

from __future__ import annotations

from db.cli import main as cli_main
from db.importer import import_paths
from db.ingest import parse_bytes
from db.little_text import LITTLE_TEXT_TAG
from db.store import ReportFilter, Store
from tui.widgets.queue import ReportQueue

from .test_tui_main import WIDE, main_screen

# A page of navigation and furniture around one photo caption of 151 characters (written for this test)
CAPTION = ("Residents walk past a damaged building in the old city on Tuesday, a day after the strike. "
           "(Photo: Staff photographer / Harbor Daily Wire Service Desk)")
CAPTION_PAGE = f"""<html><head><title>In pictures: the old city</title>
<meta property="og:site_name" content="Harbor Daily"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>In pictures: the old city</h1><figure><img src="a.jpg"><figcaption>{CAPTION}</figcaption></figure>
</article><footer>Subscribe to our newsletter. Copyright Harbor Daily.</footer></body></html>"""
ARTICLE = " ".join(f"The council met on day {i} and its spokesman said the budget for the port was approved."
                   for i in range(12))
ARTICLE_PAGE = f"""<html><head><title>Budget approved</title></head><body><article><h1>Budget approved</h1>
<p>{ARTICLE}</p></article></body></html>"""


def _inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "caption.html").write_text(CAPTION_PAGE, encoding="utf-8")
    (inbox / "article.html").write_text(ARTICLE_PAGE, encoding="utf-8")
    return inbox


def test_a_page_of_a_caption_is_tagged_and_an_article_is_not():
    assert len(CAPTION) == 151
    (caption,) = parse_bytes(CAPTION_PAGE.encode(), "caption.html")
    (article,) = parse_bytes(ARTICLE_PAGE.encode(), "article.html")
    assert LITTLE_TEXT_TAG in caption.tags and LITTLE_TEXT_TAG not in article.tags


def test_the_import_summary_warns_and_the_report_is_marked(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        summary = import_paths(store, [_inbox(tmp_path)], workers=0)
        assert summary.imported == 2 and summary.failed == 0
        (warned,) = [o for o in summary.outcomes if o.warning]
        assert warned.name.endswith("caption.html")
        assert summary.warnings == [f"{warned.name}: {warned.warning}"]
        assert "characters of article text" in warned.warning and LITTLE_TEXT_TAG in warned.warning
        assert "1 warning(s) to check" in summary.line()
        rows = {r.title: r.little_text for r in store.list_reports(ReportFilter())}
        assert rows == {"In pictures: the old city": True, "Budget approved": False}
        assert [r.id for r in store.list_reports(ReportFilter(tag=LITTLE_TEXT_TAG))] == [warned.report_id]
        again = import_paths(store, [tmp_path / "inbox"], workers=0)
        assert again.skipped == 2 and not again.warnings  # nothing new to check


def test_cli_import_and_show_say_it(tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    assert cli_main(["--db", db, "import", str(_inbox(tmp_path))]) == 0  # a warning is no failure
    err = capsys.readouterr().err
    assert "warning  " in err and "caption.html: only " in err and "1 warning(s) to check" in err
    with Store.open(db) as store:
        (report,) = store.list_reports(ReportFilter(tag=LITTLE_TEXT_TAG))
    assert cli_main(["--db", db, "show", str(report.id)]) == 0
    assert f"Tags:        {LITTLE_TEXT_TAG}" in capsys.readouterr().out


async def test_the_queue_marks_it_and_the_toast_says_it(sample_store, make_tui_app, tmp_path):
    inbox = _inbox(tmp_path)
    app = make_tui_app(sample_store)
    async with app.run_test(size=WIDE) as pilot:
        screen = main_screen(app)
        screen.start_import([str(inbox)])
        await app.workers.wait_for_complete()
        await pilot.pause()
        queue = screen.query_one(ReportQueue)
        lines = [queue.render_line(y).text for y in range(queue.total)]
        marked = [line for line in lines if "little text · " in line]
        assert len(marked) == 1 and "In pictures" in marked[0]
        toast = [n.message for n in app._notifications if n.message.startswith("Import:")]
        assert toast and "1 warning(s)" in toast[-1] and "caption.html: only" in toast[-1]
