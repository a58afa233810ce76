"""What placing claims in their families reads again and again, kept for one import or one rebuild.

Everything here is a copy of the store, exact at every step: an update starts by emptying it when
another connection has committed since (``PRAGMA data_version``), and the update's own writes go
through it. Placing one claim then reads little but the rows it has never seen: the candidates'
words, each lookup key's newest claims, the candidates' families. Measured in bench/RESULTS.md
("Claim families cheap enough for import").
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from ..connection import dialect
from .propositions import HASHES, Terms
from .source_names import NamedSource, SourceNames

if TYPE_CHECKING:
    from .families import FamilyClaim

CANDIDATES_PER_KEY = 15  # a key shared by more claims says little: its newest claims are read
KEY_DEPTH = CANDIDATES_PER_KEY * HASHES  # the most claims one lookup can take from a single key
NAMES_KEPT = 50_000  # texts whose named sources are remembered (chain elements repeat: "informed sources")


@lru_cache(maxsize=HASHES)
def _newest_sql(keys: int) -> str:
    """The newest claims of ``keys`` keys (parameters: each key and its limit in turn, then the
    limit again: ``_newest_params``), each key's read apart (an index walk of at most ``limit``
    rows), then the newest of them all: bounded however many claims share a key. Plain ``?`` and
    named subqueries, so that PostgreSQL reads the same statement."""
    each = " UNION ALL ".join(f"SELECT * FROM (SELECT claim_id FROM claim_keys WHERE key = ? "
                              f"ORDER BY claim_id DESC LIMIT ?) AS k{i}" for i in range(keys))
    return f"SELECT DISTINCT claim_id FROM ({each}) AS newest ORDER BY claim_id DESC LIMIT ?"


def _newest_params(keys: list[int], limit: int) -> list[int]:
    return [value for key in keys for value in (key, limit)] + [limit]


class FamilyCache:
    """Stored claims with their words, each lookup key's newest claims, each seen claim's family,
    the sources named in chain elements, and the words the extraction workers already computed
    (``terms``: (text, is_denial) -> Terms, given by the importer batch by batch)."""

    def __init__(self, claim_limit: int = 200_000, key_limit: int = 100_000, family_limit: int = 1_000_000):
        self.claims: dict[int, FamilyClaim] = {}
        self.postings: dict[int, list[int]] = {}  # key -> its newest KEY_DEPTH claim ids, ascending
        self.seen: set[int] = set()  # keys asked for once: a second time, their newest claims are kept
        self.pending_keys: list[tuple[int, int]] = []  # (key, claim) rows not yet written; their keys are in postings
        self.family: dict[int, int | None] = {}  # claim -> its family; None: known to be in none
        self.members: dict[int, set[int]] = {}  # family -> the claims of it in ``family``
        self.terms: dict[tuple[str, bool], Terms] = {}
        self.names: SourceNames | None = None
        self._names_key: tuple | None = None
        self._named: dict[tuple[str, bool], list[NamedSource]] = {}
        self.claim_limit, self.key_limit, self.family_limit = claim_limit, key_limit, family_limit
        self.version: object = None

    def check(self, conn: sqlite3.Connection) -> None:
        """Empty it if another connection wrote since this one last looked."""
        if dialect(conn) == "postgresql":
            # no number on the connection itself moves with other sessions' commits (db/live.py
            # listens on a connection of its own): start afresh at each update, which is always right
            version: object = object()
        else:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self.version:
            self.flush(conn)
            self.claims.clear()
            self.postings.clear()
            self.seen.clear()
            self._forget_families()
            self.names, self._names_key = None, None
            self.version = version

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write the rows kept back (lookup keys go in together, in key order)."""
        if self.pending_keys:
            self.pending_keys.sort()
            conn.executemany("INSERT OR IGNORE INTO claim_keys(key, claim_id) VALUES (?, ?)", self.pending_keys)
            self.pending_keys.clear()

    # --- source names ------------------------------------------------------------------------------

    def source_names(self, conn: sqlite3.Connection) -> SourceNames:
        """The store's sources, read again only when one was added or removed (an edit by another
        connection empties the cache)."""
        key = conn.execute("SELECT count(*), max(id) FROM sources").fetchone()
        if self.names is None or key != self._names_key:
            self.names, self._names_key = SourceNames.load(conn), key
            self._named.clear()
        return self.names

    def named_in(self, names: SourceNames, text: str, capitalised: bool = True) -> list[NamedSource]:
        if names is not self.names:  # names not read through this cache: nothing to remember them by
            return names.named_in(text, capitalised=capitalised)
        found = self._named.get((text, capitalised))
        if found is None:
            if len(self._named) >= NAMES_KEPT:
                self._named.clear()
            found = self._named[(text, capitalised)] = names.named_in(text, capitalised=capitalised)
        return found

    # --- claims ---------------------------------------------------------------------------------

    def remember(self, claim: FamilyClaim) -> None:
        if len(self.claims) >= self.claim_limit:  # the oldest go: lookups favour the newest claims
            for claim_id in list(islice(self.claims, self.claim_limit // 2)):
                del self.claims[claim_id]
        self.claims[claim.id] = claim

    # --- lookup keys ------------------------------------------------------------------------------

    def _posting(self, conn: sqlite3.Connection, key: int) -> list[int]:
        posting = self.postings.get(key)
        if posting is None:
            if len(self.postings) >= self.key_limit:
                self.flush(conn)  # a key leaving the cache must find its rows written
                self.postings.clear()
                self.seen.clear()
            posting = [r[0] for r in conn.execute(
                "SELECT claim_id FROM claim_keys WHERE key = ? ORDER BY claim_id DESC LIMIT ?", (key, KEY_DEPTH))]
            posting.reverse()
            self.postings[key] = posting
        return posting

    def newest(self, conn: sqlite3.Connection, keys: list[int], limit: int) -> list[int]:
        """The ``limit`` newest claims sharing a key with ``keys``, newest first (what
        ``SELECT DISTINCT claim_id ... WHERE key IN keys ORDER BY claim_id DESC LIMIT limit`` gives,
        but reading at most ``limit`` rows of each key, however many claims share it). A key asked
        for a second time is kept here; the others are read in one statement."""
        postings, unread = [], []
        held, seen = self.postings, self.seen
        for key in keys:
            if (posting := held.get(key)) is not None:
                postings.append(posting)
            elif key in seen:
                postings.append(self._posting(conn, key))
            else:
                seen.add(key)
                unread.append(key)
        union: set[int] = set()
        if unread:
            union.update(r[0] for r in conn.execute(_newest_sql(len(unread)), _newest_params(unread, limit)))
        # a key holding ``limit`` claims from ``floor`` on: nothing older can be among the newest
        floor = max((posting[-limit] for posting in postings if len(posting) >= limit), default=0)
        for posting in postings:
            union.update(posting[bisect.bisect_left(posting, floor):] if floor else posting)
        return sorted(union, reverse=True)[:limit]

    def add_keys(self, conn: sqlite3.Connection, claim_id: int, keys: list[int]) -> None:
        """The claim's lookup keys: kept back for a key held here (written by ``flush``), written
        at once for any other (so that a key read from the database finds every row)."""
        now = []
        for key in keys:
            posting = self.postings.get(key)
            if posting is None:
                now.append((key, claim_id))
                continue
            at = bisect.bisect_left(posting, claim_id)
            if at < len(posting) and posting[at] == claim_id:
                continue  # already there (INSERT OR IGNORE)
            posting.insert(at, claim_id)
            if len(posting) > KEY_DEPTH:
                del posting[0]
            self.pending_keys.append((key, claim_id))
        if now:
            conn.executemany("INSERT OR IGNORE INTO claim_keys(key, claim_id) VALUES (?, ?)", now)

    def forget_keys(self, keys: Iterable[int]) -> None:
        for key in keys:
            self.postings.pop(key, None)

    # --- families ---------------------------------------------------------------------------------

    def families_of(self, conn: sqlite3.Connection, ids: list[int]) -> dict[int, int]:
        """Claim -> family, of those of ``ids`` in one."""
        family = self.family
        missing = [i for i in ids if i not in family]
        if missing:
            if len(family) + len(missing) > self.family_limit:
                self._forget_families()
                missing = list(ids)
            found: dict[int, int] = {}
            for i in range(0, len(missing), 500):
                chunk = missing[i:i + 500]
                found.update(conn.execute(
                    f"SELECT claim_id, family_id FROM claim_families WHERE claim_id IN ({','.join('?' * len(chunk))})",
                    chunk))
            for claim_id in missing:
                self._set_family(claim_id, found.get(claim_id))
        return {i: f for i in ids if (f := family[i]) is not None}

    def _set_family(self, claim_id: int, family_id: int | None) -> None:
        old = self.family.get(claim_id)
        if old is not None:
            self.members[old].discard(claim_id)
        self.family[claim_id] = family_id
        if family_id is not None:
            self.members.setdefault(family_id, set()).add(claim_id)

    def _forget_families(self) -> None:
        self.family.clear()
        self.members.clear()

    def merge(self, conn: sqlite3.Connection, family_id: int, merged: list[int]) -> None:
        """The families ``merged`` become ``family_id``."""
        for i in range(0, len(merged), 500):
            chunk = merged[i:i + 500]
            conn.execute(f"UPDATE claim_families SET family_id = ? WHERE family_id IN ({','.join('?' * len(chunk))})",
                         [family_id, *chunk])
        into = self.members.setdefault(family_id, set())
        for old in merged:
            for claim_id in self.members.pop(old, ()):
                self.family[claim_id] = family_id
                into.add(claim_id)

    def join(self, conn: sqlite3.Connection, claim_id: int, family_id: int, others: list[int]) -> None:
        """``claim_id`` is in ``family_id``, and so are ``others`` that were in no family yet
        (each of ``others`` was read by ``families_of`` before)."""
        conn.execute("INSERT OR REPLACE INTO claim_families(claim_id, family_id) VALUES (?, ?)", (claim_id, family_id))
        self._set_family(claim_id, family_id)
        unplaced = [o for o in others if self.family.get(o) is None]
        if unplaced:
            conn.executemany("INSERT OR IGNORE INTO claim_families(claim_id, family_id) VALUES (?, ?)",
                             [(o, family_id) for o in unplaced])
            for o in unplaced:
                self._set_family(o, family_id)

    def leave(self, conn: sqlite3.Connection, claim_ids: list[int]) -> None:
        """These claims (a report being placed again) leave their families, keys and relays."""
        self.flush(conn)
        marks = ",".join("?" * len(claim_ids))
        self.forget_keys(r[0] for r in conn.execute(f"SELECT DISTINCT key FROM claim_keys WHERE claim_id IN ({marks})",
                                                    claim_ids))
        for table in ("claim_families", "claim_keys", "claim_relays"):
            conn.execute(f"DELETE FROM {table} WHERE claim_id IN ({marks})", claim_ids)
        for claim_id in claim_ids:
            if claim_id in self.family:
                self._set_family(claim_id, None)
