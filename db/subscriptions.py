"""Subscriptions: RSS/Atom feeds by URL and watched folders, polled for new reports.

Subscribing and unsubscribing are analyst changes: each is one transaction and one audit batch
(target kind ``subscription``, field ``exists``), and ``undo`` reverts it. What a poll learns
(validators for conditional GET, failures and back-off, when to poll next) is the poller's
bookkeeping, not the analyst's, and is not audited.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, UTC
from pathlib import Path
from urllib.parse import urlsplit

from .errors import InvalidValue, NotFound
from .models import RELIABILITY_GRADES
from .timeutil import utc_now

DEFAULT_INTERVAL_SECONDS = 15 * 60
MIN_INTERVAL_SECONDS = 60
# Back-off after consecutive failures: the interval doubled per failure, at most this long.
MAX_BACKOFF_SECONDS = 6 * 3600
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_COLUMNS = ("id", "kind", "location", "name", "title", "reliability", "interval_seconds", "etag", "last_modified",
            "last_polled_at", "last_new", "last_error", "failures", "next_poll_at", "created_at")


@dataclass
class Subscription:
    id: int
    kind: str  # "feed" or "folder"
    location: str  # the feed's URL, or the folder's absolute path
    name: str | None  # the analyst's: the source its items are filed under
    title: str | None  # the feed's own title, as last read
    reliability: str | None  # the grade a source first seen through this subscription starts with
    interval_seconds: int
    etag: str | None
    last_modified: str | None
    last_polled_at: str | None
    last_new: int
    last_error: str | None
    failures: int
    next_poll_at: str | None
    created_at: str

    @property
    def label(self) -> str:
        """What the analyst calls it: the given name, else the feed's title, its host or the folder's name."""
        if self.name or self.title:
            return self.name or self.title
        if self.kind == "folder":
            return Path(self.location).name or self.location
        return urlsplit(self.location).hostname or self.location

    def backing_off(self, now: datetime) -> bool:
        return self.failures > 0 and self.next_poll_at is not None and _parse(self.next_poll_at) > now

    def due(self, now: datetime) -> bool:
        return self.next_poll_at is None or _parse(self.next_poll_at) <= now


def _parse(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def _format(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def feed_url(text: str) -> str:
    """A feed address the poller may fetch: http or https with a host. Anything else (file:,
    ftp:, a bare path) is refused: a subscription must not read local files through urllib."""
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidValue(f"not a feed address: {url[:80]!r} (an http:// or https:// URL)")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise InvalidValue("a feed address has no spaces or control characters")
    return url


def _reliability(value: str | None) -> str | None:
    if value is None:
        return None
    grade = value.strip().upper()
    if grade not in RELIABILITY_GRADES:
        raise InvalidValue(f"unknown reliability {value!r}; use A-F")
    return grade


def _interval(seconds: int | None) -> int:
    if seconds is None:
        return DEFAULT_INTERVAL_SECONDS
    if seconds < MIN_INTERVAL_SECONDS:
        raise InvalidValue(f"poll at most once a minute (asked: every {seconds} s)")
    return seconds


def _clean_name(name: str | None) -> str | None:
    if name is None:
        return None
    name = " ".join(name.split())
    return name or None


# --- the analyst's changes: subscribe, unsubscribe (audited, undoable) ------------------------------


def subscribe_feed(store, url: str, *, name: str | None = None, reliability: str | None = None,
                   interval_seconds: int | None = None) -> int:
    return _subscribe(store, "feed", feed_url(url), name, reliability, interval_seconds)


def watch_folder(store, folder: str | Path, *, name: str | None = None, reliability: str | None = None,
                 interval_seconds: int | None = None) -> int:
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise InvalidValue(f"not a folder: {str(path)[:200]}")
    return _subscribe(store, "folder", str(path.resolve()), name, reliability, interval_seconds)


def _subscribe(store, kind: str, location: str, name, reliability, interval_seconds) -> int:
    row = {"kind": kind, "location": location, "name": _clean_name(name), "reliability": _reliability(reliability),
           "interval_seconds": _interval(interval_seconds), "created_at": utc_now()}
    with store.write() as conn:
        existing = conn.execute("SELECT id FROM subscriptions WHERE location = ?", (location,)).fetchone()
        if existing:
            raise InvalidValue(f"already subscribed: subscription {existing[0]}")
        cursor = conn.execute(f"INSERT INTO subscriptions({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                              tuple(row.values()))
        new_id = cursor.lastrowid
        store._log(uuid.uuid4().hex, [_exists_change(new_id, None, _row(conn, new_id))])
    return new_id


def unsubscribe(store, which: str | int) -> Subscription:
    """Remove a subscription by id or by its URL/folder. Its reports stay."""
    with store.write() as conn:
        subscription = _find(conn, which)
        snapshot = _row(conn, subscription.id)
        conn.execute("DELETE FROM subscriptions WHERE id = ?", (subscription.id,))
        store._log(uuid.uuid4().hex, [_exists_change(subscription.id, snapshot, None)])
    return subscription


def _exists_change(subscription_id: int, old, new):
    from .grading import Change

    return Change("subscription", subscription_id, "exists", old, new)


def apply_exists(conn, subscription_id: int, row: dict | None) -> None:
    """Make a subscription exist as ``row`` (its audited snapshot), or not at all: for undo."""
    if row is None:
        conn.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))
        return
    values = {column: row.get(column) for column in _COLUMNS}
    values["id"] = subscription_id
    conn.execute(f"INSERT OR REPLACE INTO subscriptions({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                 tuple(values.values()))


# --- reading --------------------------------------------------------------------------------------


def _row(conn, subscription_id: int) -> dict:
    row = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM subscriptions WHERE id = ?", (subscription_id,)).fetchone()
    if row is None:
        raise NotFound(f"no subscription {subscription_id}")
    return dict(zip(_COLUMNS, row, strict=True))


def _find(conn, which: str | int) -> Subscription:
    text = str(which).strip()
    if text.isascii() and text.isdigit():
        return Subscription(**_row(conn, int(text)))
    candidates = [text]
    if "://" not in text:
        candidates.append(str(Path(text).expanduser().resolve()))
    for location in candidates:
        found = conn.execute("SELECT id FROM subscriptions WHERE location = ?", (location,)).fetchone()
        if found:
            return Subscription(**_row(conn, found[0]))
    raise NotFound(f"no subscription {text[:80]!r} ('analyst-tui feeds list' shows them)")


def get_subscription(store, which: str | int) -> Subscription:
    return _find(store.conn, which)


def list_subscriptions(store) -> list[Subscription]:
    rows = store.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM subscriptions ORDER BY id").fetchall()
    return [Subscription(**dict(zip(_COLUMNS, row, strict=True))) for row in rows]


def due_subscriptions(store, now: datetime | None = None) -> list[Subscription]:
    now = now or datetime.now(UTC)
    return [s for s in list_subscriptions(store) if s.due(now)]


def as_dict(subscription: Subscription) -> dict:
    return asdict(subscription) | {"label": subscription.label}


# --- the poller's bookkeeping (not audited) -----------------------------------------------------------


def record_success(store, subscription: Subscription, *, new: int, etag: str | None = None,
                   last_modified: str | None = None, title: str | None = None, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    with store.write() as conn:
        conn.execute(
            "UPDATE subscriptions SET etag = ?, last_modified = ?, title = coalesce(?, title), last_polled_at = ?, "
            "last_new = ?, last_error = NULL, failures = 0, next_poll_at = ? WHERE id = ?",
            (etag, last_modified, " ".join(title.split())[:200] if title else None, _format(now), new,
             _format(now + timedelta(seconds=subscription.interval_seconds)), subscription.id))


def record_failure(store, subscription: Subscription, error: str, *, now: datetime | None = None) -> datetime:
    """Count a failed poll and put the next one off (doubling per failure). Returns when it is due."""
    now = now or datetime.now(UTC)
    failures = subscription.failures + 1
    wait = min(subscription.interval_seconds * 2 ** (failures - 1), MAX_BACKOFF_SECONDS)
    next_poll = now + timedelta(seconds=max(wait, MIN_INTERVAL_SECONDS))
    with store.write() as conn:
        conn.execute(
            "UPDATE subscriptions SET last_polled_at = ?, last_new = 0, last_error = ?, failures = ?, "
            "next_poll_at = ? WHERE id = ?",
            (_format(now), error[:500], failures, _format(next_poll), subscription.id))
    return next_poll


def seen_files(store, subscription_id: int) -> dict[str, tuple[int, int]]:
    rows = store.conn.execute("SELECT name, size, mtime_ns FROM subscription_files WHERE subscription_id = ?",
                              (subscription_id,))
    return {name: (size, mtime) for name, size, mtime in rows}


def mark_files_seen(store, subscription_id: int, files: list[tuple[str, int, int]]) -> None:
    with store.write() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO subscription_files(subscription_id, name, size, mtime_ns) VALUES (?, ?, ?, ?)",
            [(subscription_id, name, size, mtime) for name, size, mtime in files])
