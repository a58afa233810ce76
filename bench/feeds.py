"""Feed polling figures: 10 feeds served on 127.0.0.1, polled three times (first, unchanged, one
changed), then again with a slow (10 s) and a failing feed among them.

    python -m bench.feeds [--feeds DIR] [--json]

DIR holds the feed files to serve (default: ../shared/data/feeds when it exists, else 10 generated
feeds). Nothing but 127.0.0.1 is contacted. Each figure is one run: wall seconds of ``poll``,
and when each feed was stored, in seconds from the start of the poll.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from db import subscriptions as subs
from db.feed_poll import poll
from db.store import Store
from tests.feed_server import FeedServer, Route, items_for, rss

DEFAULT_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "data" / "feeds"


def _feeds(folder: Path | None) -> dict[str, bytes]:
    if folder and folder.is_dir():
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    return {f"feed{n}.rss": rss(f"Feed {n}", items_for(f"feed{n}", 20)) for n in range(10)}


def _timed(store, subscriptions) -> dict:
    started = time.monotonic()
    stored: dict[str, float] = {}

    def progress(outcome) -> None:
        stored[outcome.label] = round(time.monotonic() - started, 3)

    outcomes = poll(store, subscriptions, progress=progress)
    return {"seconds": round(time.monotonic() - started, 3), "new": sum(o.new for o in outcomes),
            "not_modified": sum(o.not_modified for o in outcomes), "failed": sum(bool(o.error) for o in outcomes),
            "stored_at": stored}


def run(folder: Path | None) -> dict:
    feeds = _feeds(folder)
    results: dict = {"feeds": len(feeds), "bytes": sum(len(b) for b in feeds.values())}
    with FeedServer() as server, tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        for name, body in feeds.items():
            subs.subscribe_feed(store, server.serve(name, Route(body)))
        everything = subs.list_subscriptions(store)
        results["first_poll"] = _timed(store, everything)
        results["second_poll"] = _timed(store, subs.list_subscriptions(store))
        name, body = next(iter(feeds.items()))
        extra = (b"<item><title>Bench: one more item</title><description>One more item, officials said in the "
                 b"benchmark.</description></item>")
        server.serve(name, Route(body.replace(b"</channel>", extra + b"</channel>") if b"</channel>" in body else
                                 body.replace(b"</feed>", b"<entry><title>Bench: one more item</title><id>urn:b:1</id>"
                                              b"<summary>One more item.</summary></entry></feed>")))
        results["one_changed"] = _timed(store, subs.list_subscriptions(store))
        subs.subscribe_feed(store, server.serve("slow.rss", Route(rss("Slow", items_for("slow", 2)), delay=10)))
        subs.subscribe_feed(store, server.serve("broken.rss", Route(status=500)))
        results["with_slow_and_failing"] = _timed(store, subs.list_subscriptions(store))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=Path, default=DEFAULT_FEEDS)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    results = run(options.feeds)
    if options.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"{results['feeds']} feeds, {results['bytes'] // 1024} KB")
    for key in ("first_poll", "second_poll", "one_changed", "with_slow_and_failing"):
        r = results[key]
        last_quick = max((t for label, t in r["stored_at"].items() if label != "Slow"), default=0)
        print(f"{key:<22} {r['seconds']:6.2f} s  new {r['new']:>4}  304 {r['not_modified']:>2}  failed {r['failed']}  "
              f"last feed other than Slow stored at {last_quick:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
