"""A feed server for tests: http.server in a thread on 127.0.0.1 (never any other address).

Each path serves a ``Route``: a body with an ETag and a Last-Modified (answering conditional
requests with 304), or an error status, a redirect, or an answer that starts after a delay.
Routes can be changed while the server runs; what it answered is counted per path.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import Counter
from dataclasses import dataclass
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    redirect_to: str | None = None
    delay: float = 0.0  # seconds before the answer starts
    validators: bool = True  # send ETag / Last-Modified and honour If-None-Match / If-Modified-Since
    send_etag: bool = True  # False: Last-Modified alone, as many servers do
    last_modified: str = formatdate(1_718_000_000, usegmt=True)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()  # requests that carried a validator
        self.headers: dict[str, dict[str, str]] = {}  # the last request's headers, per path
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet test output
                pass

            def do_GET(self) -> None:
                server._answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def serve(self, path: str, route: Route | bytes) -> str:
        with self._lock:
            self.routes["/" + path.lstrip("/")] = route if isinstance(route, Route) else Route(route)
        return self.url(path)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()  # a slow answer still waiting gives up
        self.httpd.shutdown()
        self.httpd.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            route = self.routes.get(path)
            self.requests[path] += 1
            self.headers[path] = dict(handler.headers.items())
        if route is None:
            handler.send_error(404)
            return
        if route.delay and self._stopping.wait(route.delay):
            return
        if route.redirect_to:
            handler.send_response(route.status if route.status in (301, 302, 303, 307, 308) else 302)
            handler.send_header("Location", route.redirect_to)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if route.status != 200:
            handler.send_error(route.status)
            return
        if route.validators:
            tag = handler.headers.get("If-None-Match")
            since = handler.headers.get("If-Modified-Since")
            if tag or since:
                with self._lock:
                    self.conditional[path] += 1
            if (tag and tag == route.etag) or (not tag and since and since == route.last_modified):
                with self._lock:
                    self.not_modified[path] += 1
                handler.send_response(304)
                if route.send_etag:
                    handler.send_header("ETag", route.etag)
                handler.end_headers()
                return
        handler.send_response(200)
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(len(route.body)))
        if route.validators:
            if route.send_etag:
                handler.send_header("ETag", route.etag)
            handler.send_header("Last-Modified", route.last_modified)
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the poller gave up on it
            handler.wfile.write(route.body)


def rss(title: str, items: list[tuple[str, str]], *, day: int = 1) -> bytes:
    """An RSS 2.0 feed of (item title, item text), dated from ``day`` of June 2024."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>https://{_slug(title)}.example/{i}</link>"
        f"<pubDate>{formatdate(1_717_200_000 + 86_400 * (day - 1) + 3_600 * i, usegmt=True)}</pubDate>"
        f"<description>{escape(text)}</description></item>"
        for i, (t, text) in enumerate(items, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>https://{_slug(title)}.example/</link><description>test feed</description>{entries}"
            "</channel></rss>").encode()


def items_for(feed: str, count: int, *, start: int = 1) -> list[tuple[str, str]]:
    """Distinct items (no two share their text, so none is taken for a duplicate of another)."""
    return [(f"{feed} item {n}: council vote number {n * 7919 % 1000}",
             f"The {feed} desk reports item {n}: the council of district {n * 31 % 97} voted {n * 13 % 50} to "
             f"{n * 17 % 40} on measure {n * 7919 % 1000}, an official of {feed} said on day {n}.")
            for n in range(start, start + count)]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum()) or "feed"
