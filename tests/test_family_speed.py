"""Claim families placed cheaply (issues 18 and 20): one cache for a whole import, the claims' words
computed by the extraction workers, the lookup keys read through the cache. The families must be
exactly those the plain SQL gives, whatever the cache holds."""

from __future__ import annotations

import random
import sqlite3

import pytest

from bench.generate import add_stories, generate, write_text_files
from db.analysis import families as families_module
from db.analysis.families import FamilyCache, rebuild_families, update_families
from db.analysis.family_cache import KEY_DEPTH
from db.importer import import_paths
from db.store import Store

DERIVED = {"claim_families": "claim_id", "claim_keys": "key, claim_id", "claim_matches": "a, b",
           "claim_relays": "claim_id, source_id"}


def _derived(store: Store) -> dict[str, list[tuple]]:
    return {table: store.conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            for table, order in DERIVED.items()}


def _clear(store: Store) -> None:
    with store.write():
        for table in DERIVED:
            store.conn.execute(f"DELETE FROM {table}")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """150 generated reports and 30 stories told across reports (relays, independent tellings,
    denials): families that merge, relays by chain, footnote and body."""
    path = tmp_path_factory.mktemp("families") / "corpus.db"
    generate(path, 150, seed=3)
    with Store.open(path) as store:
        add_stories(store, 30, seed=3)
    return path


def test_one_cache_across_batches_gives_the_families_of_a_rebuild_and_of_no_cache(corpus, tmp_path):
    with Store.open(corpus) as store:
        rebuild_families(store.conn)
        rebuilt = _derived(store)
        assert len(rebuilt["claim_families"]) > 1500 and len(rebuilt["claim_matches"]) > 30
        assert store.conn.execute("SELECT count(DISTINCT family_id) FROM claim_families").fetchone()[0] < len(
            rebuilt["claim_families"])  # some families were merged

        report_ids = [r[0] for r in store.conn.execute("SELECT id FROM reports ORDER BY id")]
        _clear(store)
        cache = FamilyCache()  # as an import: one cache, a transaction per batch of 25 reports
        for start in range(0, len(report_ids), 50):
            store.update_families(report_ids[start:start + 50], cache=cache)
        assert _derived(store) == rebuilt

        _clear(store)
        for report_id in report_ids:  # no cache kept at all: every read goes to the database
            with store.write():
                update_families(store.conn, [report_id], cache=FamilyCache())
        assert _derived(store) == rebuilt


def test_small_cache_limits_change_nothing(corpus):
    """Past its limits the cache forgets (and writes what it kept back first): same families."""
    with Store.open(corpus) as store:
        rebuild_families(store.conn)
        rebuilt = _derived(store)
        report_ids = [r[0] for r in store.conn.execute("SELECT id FROM reports ORDER BY id")]
        _clear(store)
        cache = FamilyCache(claim_limit=50, key_limit=20, family_limit=100)
        for start in range(0, len(report_ids), 100):
            with store.write():
                update_families(store.conn, report_ids[start:start + 100], cache=cache)
        assert _derived(store) == rebuilt


def test_a_report_placed_again_with_the_same_cache_leaves_and_rejoins_its_families(corpus):
    with Store.open(corpus) as store:
        rebuild_families(store.conn)
        cache = FamilyCache()
        last = store.conn.execute("SELECT max(id) FROM reports").fetchone()[0]
        with store.write():
            update_families(store.conn, [last - 3, last - 2, last - 1, last], cache=cache)
        once = _derived(store)
        with store.write():
            update_families(store.conn, [last - 3, last - 2, last - 1, last], cache=cache)
        assert _derived(store) == once
        with store.write():
            update_families(store.conn, [last - 3, last - 2, last - 1, last], cache=FamilyCache())
        assert _derived(store) == once


def test_the_newest_claims_of_keys_are_those_the_sql_gives(tmp_path):
    rng = random.Random(7)
    with Store.open(tmp_path / "keys.db") as store:
        conn = store.conn
        keys = [rng.randrange(-2**63, 2**63) for _ in range(12)]
        store.conn.execute("PRAGMA foreign_keys = OFF")  # key rows without claims: only the lookup is tested
        with store.write():
            conn.executemany("INSERT OR IGNORE INTO claim_keys(key, claim_id) VALUES (?, ?)",
                             [(rng.choice(keys[:4]) if rng.random() < 0.8 else rng.choice(keys), rng.randrange(1, 3000))
                              for _ in range(4000)])
            cache = FamilyCache()
            for _ in range(200):
                asked = rng.sample(keys, rng.randrange(1, 9))
                limit = rng.choice([1, 15, 60, KEY_DEPTH])
                from_cache = cache.newest(conn, asked, limit)  # before the rows it keeps back are written
                cache.flush(conn)
                sql = [r[0] for r in conn.execute(
                    f"SELECT DISTINCT claim_id FROM claim_keys WHERE key IN ({','.join('?' * len(asked))}) "
                    "ORDER BY claim_id DESC LIMIT ?", [*asked, limit])]
                assert from_cache == sql
                for _ in range(rng.randrange(3)):  # added through the cache, written at the next flush
                    cache.add_keys(conn, rng.randrange(1, 4000), rng.sample(keys, 3))


def test_a_write_by_another_connection_empties_the_cache(corpus, tmp_path):
    with Store.open(corpus) as store:
        rebuild_families(store.conn)
        cache = FamilyCache()
        last = store.conn.execute("SELECT max(id) FROM reports").fetchone()[0]
        with store.write():
            update_families(store.conn, [last], cache=cache)
        assert cache.claims and cache.family
        other = sqlite3.connect(corpus)
        other.execute("UPDATE claims SET text = 'nothing at all alike' WHERE id = (SELECT min(id) FROM claims)")
        other.commit()
        other.close()
        with store.write():
            update_families(store.conn, [last], cache=cache)
        assert cache.claims.get(store.conn.execute("SELECT min(id) FROM claims").fetchone()[0]) is None or \
            cache.claims[store.conn.execute("SELECT min(id) FROM claims").fetchone()[0]].text == "nothing at all alike"
        kept = _derived(store)
        with store.write():
            update_families(store.conn, [last], cache=FamilyCache())
        assert _derived(store) == kept


def test_the_storing_process_uses_the_words_the_workers_computed(tmp_path, monkeypatch):
    files = write_text_files(tmp_path / "in", 12, words=300, seed=5)
    computed = []
    real = families_module.terms_of
    monkeypatch.setattr(families_module, "terms_of", lambda text, denial: computed.append(text) or real(text, denial))
    with Store.open(tmp_path / "x.db") as store:
        summary = import_paths(store, files, workers=0)
        assert summary.imported == 12
        claims = store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert claims > 20
        assert store.conn.execute("SELECT count(*) FROM claim_families").fetchone()[0] == claims
        assert computed == []  # every claim's words came with its extraction


class _Forgetful(FamilyCache):
    """Keeps nothing from one update to the next, and computes every claim's words itself."""

    def check(self, conn):
        self.flush(conn)
        self.version = None
        self.terms.clear()
        super().check(conn)


def test_an_import_places_claims_as_it_would_with_nothing_kept_between_batches(tmp_path, monkeypatch):
    """Extraction, storing and placing batch by batch with one cache and the extraction's words:
    the families are those of reading everything again at every batch."""
    import db.importer as importer

    monkeypatch.setattr(importer, "BATCH_REPORTS", 15)  # batches by count only: the same in both imports
    monkeypatch.setattr(importer, "BATCH_SECONDS", 3600)
    files = write_text_files(tmp_path / "in", 60, words=400, seed=9)
    with Store.open(tmp_path / "kept.db") as kept:
        assert import_paths(kept, files, workers=0).imported == 60
        placed = _derived(kept)
    assert len(placed["claim_families"]) > 100
    monkeypatch.setattr(importer, "FamilyCache", _Forgetful)
    with Store.open(tmp_path / "forgetful.db") as forgetful:
        assert import_paths(forgetful, files, workers=0).imported == 60
        assert _derived(forgetful) == placed
