"""``analyst-tui feeds``: subscribe to RSS/Atom feeds and watched folders, list, remove, poll."""

from __future__ import annotations

import argparse
import sys

from .text_safety import json_dumps, one_line

EXIT_OK, EXIT_PARTIAL = 0, 1

FEEDS_HELP = """\
Subscriptions bring reports in while you work: the triage screen polls them every few minutes
(each at its own interval) and says "3 new from Shafaq" in its status line; 'feeds poll' does the
same from a script or cron. Feeds are fetched with conditional GET (ETag / Last-Modified), a
timeout and a size cap; a feed that fails is retried later and later (back-off). Items already
stored are skipped; a story relayed by another outlet is linked as a near-duplicate. Files dropped
into a watched folder are imported once and left where they are."""


def _minutes(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a number of minutes: {text[:20]!r}")
    return int(text) * 60


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text[:20]!r}") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("a timeout from 0 to 600 seconds")
    return value


def add_parser(sub) -> None:
    p = sub.add_parser("feeds", help="subscribe to RSS/Atom feeds and watched folders; poll them",
                       description=FEEDS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="feeds_action", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="subscribe to an RSS or Atom feed")
    a.add_argument("url", metavar="URL")
    a.add_argument("--name", help="the source its items are filed under (default: the feed's own title)")
    a.add_argument("--reliability", metavar="A-F", help="the grade a source first seen through this feed starts with")
    a.add_argument("--every", type=_minutes, metavar="MINUTES", help="poll interval (default 15)")
    w = actions.add_parser("watch", help="watch a folder: files dropped there are imported (and kept there)")
    w.add_argument("folder", metavar="DIR")
    w.add_argument("--name", help="what the folder is called in the status line")
    w.add_argument("--every", type=_minutes, metavar="MINUTES", help="poll interval (default 15)")
    ls = actions.add_parser("list", help="subscriptions with their last poll")
    ls.add_argument("--json", action="store_true")
    r = actions.add_parser("remove", help="unsubscribe (by id, URL or folder); the reports stay; undoable")
    r.add_argument("which", metavar="ID|URL|DIR")
    q = actions.add_parser("poll", help="poll every subscription now (for cron); feeds backing off are skipped")
    q.add_argument("--force", action="store_true", help="poll those backing off after errors too")
    q.add_argument("--due", action="store_true", help="only those whose interval has passed")
    q.add_argument("--timeout", type=_seconds, metavar="SECONDS", help="per feed (default 30)")
    q.add_argument("--json", action="store_true", help="one JSON line per subscription")


def cmd_feeds(store, options) -> int:
    from . import subscriptions as subs

    action = options.feeds_action
    if action == "add":
        new_id = subs.subscribe_feed(store, options.url, name=options.name, reliability=options.reliability,
                                     interval_seconds=options.every)
        print(f"subscribed: feed {new_id} ('analyst-tui feeds poll' fetches it now)", file=sys.stderr)
        print(new_id)
    elif action == "watch":
        new_id = subs.watch_folder(store, options.folder, name=options.name, interval_seconds=options.every)
        print(f"watching: folder {new_id}", file=sys.stderr)
        print(new_id)
    elif action == "remove":
        removed = subs.unsubscribe(store, options.which)
        print(f"unsubscribed: {removed.kind} {removed.id} {one_line(removed.location, 80)} "
              f"(its reports stay; 'analyst-tui undo' subscribes again)", file=sys.stderr)
    elif action == "list":
        return _list(store, options)
    elif action == "poll":
        return _poll(store, options)
    return EXIT_OK


def _list(store, options) -> int:
    from . import subscriptions as subs

    rows = subs.list_subscriptions(store)
    if options.json:
        print(json_dumps([subs.as_dict(s) for s in rows], indent=1))
        return EXIT_OK
    for s in rows:
        state = f"failing x{s.failures}: {one_line(s.last_error or '', 40)}" if s.failures else \
            (f"last {s.last_polled_at} +{s.last_new}" if s.last_polled_at else "not polled yet")
        print(f"{s.id:>4}  {s.kind:<6} {s.reliability or '-'}  {s.interval_seconds // 60:>3} min  "
              f"{one_line(s.label, 24):<24} {one_line(s.location, 60)}  [{state}]")
    if not rows:
        print("no subscriptions: 'analyst-tui feeds add URL' or 'analyst-tui feeds watch DIR'", file=sys.stderr)
    return EXIT_OK


def _poll(store, options) -> int:
    from dataclasses import asdict

    from .feed_fetch import TIMEOUT_SECONDS
    from .feed_poll import poll, subscriptions_to_poll

    chosen, held = subscriptions_to_poll(store, force=options.force, due_only=options.due)
    for s in held:
        if not options.json:
            why = f"backing off after {s.failures} failure(s) until {s.next_poll_at}" if s.failures else \
                f"not due until {s.next_poll_at}"
            print(f"held     {one_line(s.label, 40)}: {why}", file=sys.stderr)

    def progress(outcome) -> None:
        if options.json:
            print(json_dumps(asdict(outcome)), flush=True)
        else:
            word = "failed  " if outcome.error else "polled  "
            print(f"{word} {one_line(outcome.line(), 160)}", file=sys.stderr, flush=True)
            for failure in outcome.failures[:5]:
                print(f"         {one_line(failure, 150)}", file=sys.stderr)

    outcomes = poll(store, chosen, progress=progress, timeout=options.timeout or TIMEOUT_SECONDS)
    new = sum(o.new for o in outcomes)
    failed = sum(1 for o in outcomes if o.error)
    print(f"{new} new report(s) from {len(outcomes)} subscription(s); {failed} failed; {len(held)} held back",
          file=sys.stderr)
    return EXIT_PARTIAL if failed else EXIT_OK
