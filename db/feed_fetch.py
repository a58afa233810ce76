"""Fetching one feed over HTTP: conditional GET, a deadline, a size cap, http(s) redirects only.

No database here: the poller fetches several feeds at once in threads and stores what they
bring in one thread. Every failure comes back as a ``Fetched`` with an ``error`` (one line fit
for the analyst), never as an exception: one broken feed must not stop the others.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

USER_AGENT = "analyst-tui/0.1 (feed poller)"
ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, */*;q=0.5"
TIMEOUT_SECONDS = 30.0  # the whole fetch, connection to last byte
MAX_BYTES = 16 * 1024 * 1024  # a feed larger than this is refused, not read to the end
_CHUNK = 64 * 1024
MAX_REDIRECTS = 5


@dataclass
class Fetched:
    status: str  # "ok", "not-modified", "error"
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    url: str | None = None  # where the feed was read, after redirects
    error: str | None = None


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib would follow one to ftp:), and at most a few."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise urllib.error.HTTPError(newurl, code, f"redirected to a non-web address ({newurl[:60]})", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    # file:, ftp: and data: handlers are left out: a feed is a web address and nothing else
    handlers = [urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                _HttpOnlyRedirects(), urllib.request.HTTPErrorProcessor(), urllib.request.HTTPDefaultErrorHandler()]
    opener = urllib.request.OpenerDirector()
    for handler in handlers:
        opener.add_handler(handler)
    return opener


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None,
          timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET ``url``, sending the validators of the last answer; a 304 is ``not-modified``."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT})
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    deadline = time.monotonic() + timeout
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.strip().isdigit() and int(length) > max_bytes:
                return Fetched("error", error=f"too large: {int(length) // 1024} KB (the limit is {max_bytes // 1024} KB)")
            body = _read(response, deadline, max_bytes)
            return Fetched("ok", body, etag=response.headers.get("ETag"),
                           last_modified=response.headers.get("Last-Modified"), url=response.geturl())
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched("not-modified", etag=exc.headers.get("ETag") or etag,
                           last_modified=exc.headers.get("Last-Modified") or last_modified, url=url)
        return Fetched("error", error=f"HTTP {exc.code} {_one_line(exc.reason)}")
    except _TooLarge:
        return Fetched("error", error=f"too large: over {max_bytes // 1024} KB")
    except (TimeoutError, _TooSlow):
        return Fetched("error", error=f"no answer within {timeout:g} s")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return Fetched("error", error=f"no answer within {timeout:g} s")
        return Fetched("error", error=f"cannot reach the feed: {_one_line(reason)}")
    except (OSError, ValueError) as exc:  # a connection reset mid-body, an unreadable answer
        return Fetched("error", error=f"cannot read the feed: {_one_line(exc)}")


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


def _read(response, deadline: float, max_bytes: int) -> bytes:
    """The body, or _TooLarge past max_bytes, or _TooSlow past the deadline (a server dripping
    one byte at a time never trips a per-read socket timeout)."""
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise _TooSlow()
        chunk = response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise _TooLarge()
        chunks.append(chunk)


def _one_line(value: object) -> str:
    return " ".join(str(value).split())[:200]
