"""Feed subscriptions and the poller, against a local HTTP server on 127.0.0.1 (tests/feed_server.py).

No other address is ever contacted: every URL here is the test server's.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime, timedelta, UTC
from pathlib import Path

import pytest

from db import subscriptions as subs
from db.cli import main as cli
from db.errors import InvalidValue, NotFound
from db.feed_poll import poll, subscriptions_to_poll
from db.store import Store

from .feed_server import Route, fixture, items_for, rss

REAL_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "data" / "feeds"


pytestmark = pytest.mark.usefixtures("no_proxy")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "feeds.db") as opened:
        yield opened


def _all(store):
    return subs.list_subscriptions(store)


def _report_titles(store) -> set[str]:
    return {row[0] for row in store.conn.execute("SELECT title FROM reports")}


# --- the bar: ten feeds, polled twice, one changed ----------------------------------------------------


def _ten_feeds(server) -> dict[str, bytes]:
    bodies = {f"feed{n}.rss": rss(f"Feed {n}", items_for(f"feed{n}", 3 + n % 4)) for n in range(8)}
    bodies["shafaq.rss"] = fixture("shafaq.rss")
    bodies["monitor.atom"] = fixture("monitor.atom")
    for path, body in bodies.items():
        server.serve(path, Route(body, content_type="application/atom+xml" if path.endswith("atom") else
                                 "application/rss+xml"))
    return bodies


def test_ten_feeds_polled_twice_then_one_changed_brings_only_its_new_items(server, tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    bodies = _ten_feeds(server)
    for path in bodies:
        assert cli(["--db", db, "feeds", "add", server.url(path)]) == 0
    expected_first = sum(3 + n % 4 for n in range(8)) + 3 + 2

    assert cli(["--db", db, "feeds", "poll"]) == 0
    first = capsys.readouterr().err
    assert f"{expected_first} new report(s) from 10 subscription(s); 0 failed" in first
    assert "3 new from Shafaq" in first and "2 new from Regional Monitor" in first
    assert sum(server.requests.values()) == 10 and not server.conditional

    assert cli(["--db", db, "feeds", "poll"]) == 0
    second = capsys.readouterr().err
    assert "0 new report(s) from 10 subscription(s)" in second
    assert second.count("not modified") == 10
    assert all(server.not_modified[f"/{path}"] == 1 for path in bodies)  # every feed answered 304

    server.serve("feed3.rss", rss("Feed 3", items_for("feed3", 3 + 3 % 4) + items_for("feed3", 2, start=50)))
    assert cli(["--db", db, "feeds", "poll"]) == 0
    third = capsys.readouterr().err
    assert "2 new report(s) from 10 subscription(s)" in third
    assert "2 new from Feed 3 (6 already there)" in third
    assert third.count("not modified") == 9
    with Store.open(db) as store:
        newest = store.conn.execute("SELECT r.title, s.name FROM reports r JOIN sources s ON s.id = r.source_id "
                                    "ORDER BY r.id DESC LIMIT 2").fetchall()
        assert {title.split(":")[0] for title, _ in newest} == {"feed3 item 50", "feed3 item 51"}
        assert {name for _, name in newest} == {"Feed 3"}
        assert store.conn.execute("SELECT count(*) FROM reports WHERE status = 'new'").fetchone()[0] == \
            expected_first + 2


@pytest.mark.skipif(not REAL_FEEDS.is_dir(), reason=f"the real feeds are not here ({REAL_FEEDS}): an extra")
def test_the_ten_real_feeds_served_locally(server, store):
    paths = sorted(p.name for p in REAL_FEEDS.iterdir() if p.is_file())
    for name in paths:
        server.serve(name, Route((REAL_FEEDS / name).read_bytes()))
        subs.subscribe_feed(store, server.url(name))
    first = poll(store, _all(store))
    assert not [o for o in first if o.error], [o.line() for o in first]
    assert all(o.new > 0 for o in first)
    second = poll(store, _all(store))
    assert all(o.not_modified and o.new == 0 for o in second)
    changed = paths[0]
    body = (REAL_FEEDS / changed).read_bytes()
    server.serve(changed, Route(body.replace(b"</channel>", _extra_rss_item() + b"</channel>")
                                if b"</channel>" in body else
                                body.replace(b"</feed>", _extra_atom_entry() + b"</feed>")))
    third = {o.subscription_id: o for o in poll(store, _all(store))}
    changed_id = next(s.id for s in _all(store) if s.location.endswith(changed))
    assert third[changed_id].new == 1
    assert all(o.not_modified for i, o in third.items() if i != changed_id)


def _extra_rss_item() -> bytes:
    return (b"<item><title>A new item on the local server</title><link>http://127.0.0.1/new</link>"
            b"<description>Something new happened, officials said on the local test server.</description></item>")


def _extra_atom_entry() -> bytes:
    return (b"<entry><title>A new item on the local server</title><id>urn:test:new</id>"
            b"<updated>2024-06-20T00:00:00Z</updated>"
            b"<summary>Something new happened, officials said on the local test server.</summary></entry>")


# --- slow, failing, redirecting, oversized -------------------------------------------------------------


def test_a_slow_and_a_failing_feed_hold_up_none_of_the_others(server, store):
    for n in range(3):
        subs.subscribe_feed(store, server.serve(f"quick{n}.rss", rss(f"Quick {n}", items_for(f"quick{n}", 2))))
    slow = subs.subscribe_feed(store, server.serve("slow.rss", Route(rss("Slow", items_for("slow", 2)), delay=10)))
    failing = subs.subscribe_feed(store, server.serve("broken.rss", Route(status=500)))
    order: list[int] = []
    poll(store, _all(store), progress=lambda o: order.append(o.subscription_id))
    assert order[-1] == slow  # the ten-second feed came last: the others were stored without waiting for it
    assert set(order[:-1]) == {s.id for s in _all(store)} - {slow}
    assert len(_report_titles(store)) == 8  # 3 quick feeds x 2 + the slow one's 2

    broken = subs.get_subscription(store, failing)
    assert broken.failures == 1 and broken.last_error == "HTTP 500 Internal Server Error"
    assert broken.backing_off(datetime.now(UTC))
    chosen, held = subscriptions_to_poll(store)
    assert [s.id for s in held] == [failing] and failing not in {s.id for s in chosen}
    chosen, held = subscriptions_to_poll(store, force=True)
    assert not held


def test_back_off_doubles_with_each_failure_and_a_success_resets_it(server, store):
    sid = subs.subscribe_feed(store, server.serve("down.rss", Route(status=503)), interval_seconds=600)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    waits = []
    for _ in range(4):
        retry = subs.record_failure(store, subs.get_subscription(store, sid), "down", now=now)
        waits.append((retry - now).total_seconds())
    assert waits == [600, 1200, 2400, 4800]
    for _ in range(6):
        retry = subs.record_failure(store, subs.get_subscription(store, sid), "down", now=now)
    assert (retry - now) == timedelta(seconds=subs.MAX_BACKOFF_SECONDS)
    server.serve("down.rss", rss("Back", items_for("back", 1)))
    [outcome] = poll(store, [subs.get_subscription(store, sid)])
    assert outcome.new == 1
    back = subs.get_subscription(store, sid)
    assert back.failures == 0 and back.last_error is None and not back.backing_off(datetime.now(UTC))


def test_a_timeout_ends_a_feed_that_answers_too_slowly(server, store):
    subs.subscribe_feed(store, server.serve("slow.rss", Route(rss("Slow", items_for("slow", 1)), delay=5)))
    [outcome] = poll(store, _all(store), timeout=0.5)
    assert outcome.error == "no answer within 0.5 s"
    assert not _report_titles(store)


def test_redirects_are_followed_to_the_feed(server, store):
    target = server.serve("new-home.rss", rss("Moved", items_for("moved", 2)))
    subs.subscribe_feed(store, server.serve("old-home.rss", Route(status=301, redirect_to=target)))
    [outcome] = poll(store, _all(store))
    assert outcome.new == 2 and not outcome.error
    assert server.requests["/old-home.rss"] == 1 and server.requests["/new-home.rss"] == 1


def test_a_redirect_to_a_local_file_is_refused(server, store, tmp_path):
    secret = tmp_path / "secret.rss"
    secret.write_bytes(rss("Secret", items_for("secret", 1)))
    subs.subscribe_feed(store, server.serve("sneaky.rss", Route(status=302, redirect_to=secret.as_uri())))
    [outcome] = poll(store, _all(store))
    assert outcome.error.startswith("HTTP 302") and ("not allowed" in outcome.error or "non-web" in outcome.error)
    assert not _report_titles(store)


def test_a_feed_over_the_size_cap_is_refused_unread(server, store):
    subs.subscribe_feed(store, server.serve("huge.rss", rss("Huge", items_for("huge", 200))))
    [outcome] = poll(store, _all(store), max_bytes=4096)
    assert outcome.error.startswith("too large")
    assert not _report_titles(store)


def test_a_page_that_is_not_a_feed_fails_and_an_empty_feed_is_a_quiet_day(server, store):
    page = subs.subscribe_feed(store, server.serve("page.html", Route(b"<html><body>hello</body></html>",
                                                                      content_type="text/html")))
    empty = subs.subscribe_feed(store, server.serve("empty.rss", rss("Empty", [])))
    outcomes = {o.subscription_id: o for o in poll(store, _all(store))}
    assert outcomes[page].error == "the answer is not an RSS or Atom feed"
    assert outcomes[empty].new == 0 and outcomes[empty].error is None


def test_a_feed_without_validators_is_read_again_and_its_items_skipped(server, store):
    subs.subscribe_feed(store, server.serve("plain.rss", Route(rss("Plain", items_for("plain", 3)), validators=False)))
    [first] = poll(store, _all(store))
    [second] = poll(store, _all(store))
    assert (first.new, second.new, second.skipped, second.not_modified) == (3, 0, 3, False)


# --- subscribing: validation, audit, undo ---------------------------------------------------------------


def test_only_web_addresses_can_be_subscribed(store, tmp_path):
    for bad in ("file:///etc/passwd", "ftp://example.org/feed", "/tmp/feed.rss", "http://", "http://a b/feed"):
        with pytest.raises(InvalidValue):
            subs.subscribe_feed(store, bad)
    with pytest.raises(InvalidValue):
        subs.subscribe_feed(store, "http://127.0.0.1:9/feed", reliability="Z")
    with pytest.raises(InvalidValue):
        subs.subscribe_feed(store, "http://127.0.0.1:9/feed", interval_seconds=5)
    subs.subscribe_feed(store, "http://127.0.0.1:9/feed")
    with pytest.raises(InvalidValue, match="already subscribed"):
        subs.subscribe_feed(store, "http://127.0.0.1:9/feed")
    assert len(_all(store)) == 1


def test_subscribing_and_unsubscribing_are_audited_and_undone(store):
    sid = subs.subscribe_feed(store, "http://127.0.0.1:9/a.rss", name="Shafaq", reliability="b")
    [entry] = store.history(limit=1)
    assert (entry.target_kind, entry.target_id, entry.field, entry.old) == ("subscription", sid, "exists", None)
    assert entry.new["location"] == "http://127.0.0.1:9/a.rss" and entry.new["reliability"] == "B"

    assert store.undo() == f"subscription {sid}"
    assert _all(store) == []
    sid = subs.subscribe_feed(store, "http://127.0.0.1:9/a.rss", name="Shafaq")
    subs.unsubscribe(store, "http://127.0.0.1:9/a.rss")
    assert _all(store) == []
    assert store.undo() == f"subscription {sid}"
    [back] = _all(store)
    assert (back.id, back.name, back.location) == (sid, "Shafaq", "http://127.0.0.1:9/a.rss")
    with pytest.raises(NotFound):
        subs.unsubscribe(store, "http://127.0.0.1:9/other.rss")


def test_items_are_filed_under_the_given_name_with_the_given_reliability(server, store):
    subs.subscribe_feed(store, server.serve("s.rss", fixture("shafaq.rss")), name="Shafaq News", reliability="B")
    [outcome] = poll(store, _all(store))
    assert outcome.line() == "3 new from Shafaq News"
    rows = store.conn.execute("SELECT s.name, s.reliability, r.status, r.format FROM reports r "
                              "JOIN sources s ON s.id = r.source_id").fetchall()
    assert rows == [("Shafaq News", "B", "new", "rss")] * 3


def test_an_analysts_grade_of_the_source_is_kept(server, store):
    source_id = store.ensure_source("Shafaq News", reliability="A")
    store.conn.commit()
    subs.subscribe_feed(store, server.serve("s.rss", fixture("shafaq.rss")), name="Shafaq News", reliability="E")
    poll(store, _all(store))
    assert store.get_source(source_id).reliability == "A"


# --- the CLI ------------------------------------------------------------------------------------------


def test_cli_list_remove_and_poll_exit_codes(server, tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    good = server.serve("good.rss", fixture("shafaq.rss"))
    bad = server.serve("bad.rss", Route(status=404))
    assert cli(["--db", db, "feeds", "add", good, "--name", "Shafaq", "--reliability", "C", "--every", "5"]) == 0
    assert cli(["--db", db, "feeds", "add", bad]) == 0
    assert cli(["--db", db, "feeds", "add", "file:///etc/passwd"]) == 2
    capsys.readouterr()
    assert cli(["--db", db, "feeds", "poll"]) == 1  # one failed
    err = capsys.readouterr().err
    assert "3 new from Shafaq" in err and "HTTP 404 Not Found" in err
    assert cli(["--db", db, "feeds", "poll"]) == 0  # the failing feed is held back
    assert "backing off after 1 failure(s)" in capsys.readouterr().err
    assert cli(["--db", db, "feeds", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Shafaq" in listing and "  5 min" in listing and "failing x1: HTTP 404" in listing
    assert cli(["--db", db, "feeds", "list", "--json"]) == 0
    assert '"label": "Shafaq"' in capsys.readouterr().out
    assert cli(["--db", db, "feeds", "remove", "2"]) == 0
    assert cli(["--db", db, "feeds", "remove", "2"]) == 1
    capsys.readouterr()
    assert cli(["--db", db, "feeds", "poll", "--json"]) == 0
    assert '"not_modified": true' in capsys.readouterr().out


# --- watched folders -------------------------------------------------------------------------------------


def _drop(folder: Path, name: str, text: str, *, age: float = 60) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    past = time.time() - age  # settled: not a file still being written
    os.utime(path, (past, past))
    return path


def test_files_dropped_into_a_watched_folder_are_imported_once_and_kept(store, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sid = subs.watch_folder(store, inbox, name="Inbox")
    _drop(inbox, "one.md", "---\ntitle: First drop\nsource: Shafaq News\n---\nA report about the first thing.\n")
    shutil.copy(Path(__file__).parent / "fixtures" / "feeds" / "monitor.atom", inbox / "monitor.atom")
    os.utime(inbox / "monitor.atom", (time.time() - 60, time.time() - 60))
    [first] = poll(store, _all(store))
    assert first.line() == "3 new from Inbox"
    assert sorted(p.name for p in inbox.iterdir()) == ["monitor.atom", "one.md"]  # kept
    [again] = poll(store, _all(store))
    assert again.new == 0 and again.skipped == 0  # not even read again
    _drop(inbox, "two.txt", "Second drop\n\nA second report, dropped later.\n")
    _drop(inbox, "fresh.txt", "Still being written\n\nbody\n", age=0)
    [third] = poll(store, _all(store))
    assert third.new == 1
    assert "Second drop" in _report_titles(store) and "Still being written" not in _report_titles(store)
    assert subs.seen_files(store, sid).keys() == {"one.md", "monitor.atom", "two.txt"}


def test_a_watched_folder_must_exist(store, tmp_path):
    with pytest.raises(InvalidValue):
        subs.watch_folder(store, tmp_path / "nowhere")
    folder = tmp_path / "gone"
    folder.mkdir()
    subs.watch_folder(store, folder)
    folder.rmdir()
    [outcome] = poll(store, _all(store))
    assert outcome.error == "the folder is gone"


def test_a_cancelled_poll_leaves_a_slow_feed_behind(server, store):
    """The app quitting cancels its poll: nothing waits for the slow server (its fetch thread is a daemon)."""
    import threading

    subs.subscribe_feed(store, server.serve("slow.rss", Route(rss("Slow", items_for("slow", 1)), delay=10)))
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    assert poll(store, _all(store), cancelled=stop.is_set) == []
    assert subs.get_subscription(store, 1).last_polled_at is None and not _report_titles(store)


def test_a_large_feed_is_parsed_in_a_worker_under_the_import_budget(server, store, monkeypatch):
    big = rss("Big", items_for("big", 60))
    assert len(big) > 8 * 1024  # over what is parsed in this process
    sid = subs.subscribe_feed(store, server.serve("big.rss", big))
    monkeypatch.setenv("ANALYST_TUI_IMPORT_MEMORY_MB", "1")  # no worker fits: every large feed overruns
    [outcome] = poll(store, _all(store))
    assert outcome.error == "too complex: needed over 1 MB to parse and extract"
    assert not _report_titles(store)
    monkeypatch.delenv("ANALYST_TUI_IMPORT_MEMORY_MB")
    [outcome] = poll(store, _all(store))  # (poll() polls what it is given, backing off or not)
    assert outcome.new == 60 and subs.get_subscription(store, sid).failures == 0


def test_a_hostile_feed_title_never_reaches_the_terminal_raw(store, tmp_path, capsys):
    from tests.factories import HOSTILE

    sid = subs.subscribe_feed(store, "http://127.0.0.1:9/evil.rss")
    subs.record_success(store, subs.get_subscription(store, sid), new=1, title=HOSTILE)
    subs.record_failure(store, subs.get_subscription(store, sid), HOSTILE)
    store.close()
    assert cli(["--db", str(store.path), "feeds", "list"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert "evil" in out


def test_last_modified_alone_is_enough_for_a_304(server, store):
    sid = subs.subscribe_feed(store, server.serve("lm.rss", Route(rss("LM", items_for("lm", 2)), send_etag=False)))
    [first] = poll(store, _all(store))
    kept = subs.get_subscription(store, sid)
    assert first.new == 2 and kept.etag is None and kept.last_modified == Route().last_modified
    [second] = poll(store, _all(store))
    assert second.not_modified
    sent = server.headers["/lm.rss"]
    assert sent["If-Modified-Since"] == kept.last_modified and "If-None-Match" not in sent
    assert "analyst-tui" in sent["User-Agent"]
