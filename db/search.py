"""Search as you type over reports, claims and entities: the one function the CLI and the UI share.

How it stays fast at a million claims (figures in bench/RESULTS.md, ``python -m bench.scale search``):
- entities: names and aliases held in memory with a token index (transliteration keys and the
  words as written); a query is matched against the name tokens first (exact, prefix, close
  spellings), and only the names sharing them are scored with rapidfuzz;
- claims and titles: a trigram FTS5 index gives a bounded candidate set, newest first and
  unranked (cheap); rapidfuzz re-ranks the candidate texts in one C call, and only the best
  ``limit`` rows are then read in full and highlighted;
- words the trigram index cannot find (typos, other transliterations) are expanded to close
  terms of a vocabulary: the entity name tokens at once, and the claims word index vocabulary,
  which is read in a background thread (a full scan of the index: seconds at a million claims)
  and shared by every Searcher on the same file in this process;
- bodies: the word FTS5 index;
- one or two letters: entity names by prefix and recent titles only, never a scan of the claims.

On PostgreSQL the same search runs over a ``tsvector`` column and ``pg_trgm`` indexes instead of
FTS5: the SQL that differs is in :mod:`db.search_pg`, the rest (ranking, caches) is this module's.
"""

from __future__ import annotations

import bisect
import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from .errors import StoreError
from .growing_query import GrowingQueryCache
from .query import Query, QueryError, parse_query
from .report_conditions import marks, report_conditions
from .search_pg import open_reader, search_sql
from .team import mine
from .text_safety import one_line

CANDIDATES = 2000
RECENT_TITLES = 5000
KEPT_TITLES = 50_000  # report titles kept between keystrokes (~7 MB at most)
NAME_CANDIDATES = 5000  # names scored with rapidfuzz after the token prefilter
SHORT_POOL_PER_HIT = 8  # names looked at per entity hit wanted, for a query of one or two letters
VOCAB_MAX_AGE = 120.0  # seconds before a changed database's vocabulary is read again (in the background)
_WORD = re.compile(r"\w+", re.UNICODE)
_UNSEARCHABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # controls, NUL, lone surrogates


@dataclass
class SearchHit:
    kind: str  # "report", "claim", "entity"
    id: int
    report_id: int | None
    text: str  # one display line, already made safe
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans into ``text``
    detail: str = ""
    score: float = 0.0


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    message: str | None = None
    elapsed_ms: float = 0.0


def _key(text: str) -> str:
    from .extract import name_key

    return name_key(text)


# --- the claims vocabulary, read in the background and shared per database file ---------------------


class _Vocabulary:
    def __init__(self) -> None:
        self.terms: list[str] | None = None
        self.fingerprint: object = None
        self.loaded_at = 0.0
        self.loading = False
        self.seconds = 0.0


_VOCABULARIES: dict[str, _Vocabulary] = {}
_NAMES: dict[str, tuple[object, _Names]] = {}  # per file: (entities fingerprint, names), shared by Searchers
_NAMES_LOCK = threading.Lock()
_VOCABULARIES_LOCK = threading.Lock()


def _read_terms(conn) -> list[str]:
    return search_sql(conn).vocabulary()


def _claims_fingerprint(conn: sqlite3.Connection) -> tuple:
    return tuple(conn.execute("SELECT (SELECT max(id) FROM claims), (SELECT max(id) FROM reports)").fetchone())


# --- entity names, with a token index -----------------------------------------------------------------


class _Names:
    """Every name and alias of every entity, indexed by transliteration-key token and by word."""

    def __init__(self, rows: list[tuple[int, str, str, str | None]]):
        self.rows = [(r[0], r[1], r[2]) for r in rows]
        self.canonical = {r[0]: r[1] for r in rows if not r[4]}  # entity id -> its own name
        self.folded = [utils.default_process(r[1]) for r in rows]
        self.keys = [r[3] or _key(r[1]) for r in rows]
        key_postings: dict[str, list[int]] = {}
        word_postings: dict[str, list[int]] = {}
        written: set[str] = set()
        for index, (key, folded, row) in enumerate(zip(self.keys, self.folded, rows, strict=True)):
            for token in set(key.split()):
                key_postings.setdefault(token, []).append(index)
            for word in set(folded.split()):
                word_postings.setdefault(word, []).append(index)
            written.update(row[1].casefold().split())
        by_key: dict[str, set[str]] = {}  # transliteration key -> words as written (for the word index)
        for word in written:
            word = word.strip(".,;:()[]\"")
            if len(word) >= 3:
                by_key.setdefault(_key(word), set()).add(word)
        self.key_postings = key_postings
        self.key_tokens = sorted(key_postings)
        self.word_postings = word_postings
        self.word_tokens = sorted(word_postings)
        self.words_by_key = {k: sorted(v) for k, v in by_key.items() if k}
        self.words = sorted({w for v in by_key.values() for w in v})

    def __len__(self) -> int:
        return len(self.rows)

    @staticmethod
    def _prefixed(tokens: list[str], prefix: str, cap: int) -> list[str]:
        out = []
        i = bisect.bisect_left(tokens, prefix)
        while i < len(tokens) and tokens[i].startswith(prefix) and len(out) < cap:
            out.append(tokens[i])
            i += 1
        return out

    def by_prefix(self, prefix: str, cap: int) -> list[int]:
        """Names with a word starting with ``prefix`` (one or two letters typed)."""
        found: dict[int, None] = {}
        for word in self._prefixed(self.word_tokens, prefix, 2000):
            for index in self.word_postings[word]:
                found[index] = None
            if len(found) >= cap:
                break
        return list(found)[:cap]

    def candidates(self, key: str, cap: int) -> list[int]:
        """Names sharing every query token (exactly, as a prefix, or spelled closely); failing
        that, the names sharing most of them."""
        tokens = [t for t in key.split() if len(t) >= 3] or key.split()
        sets: list[set[int]] = []
        for token in tokens:
            matched = set()
            if token in self.key_postings:
                matched.add(token)
            if len(token) >= 3:
                matched.update(self._prefixed(self.key_tokens, token, 300))
            if len(token) >= 4:
                matched.update(t for t, _, _ in process.extract(token, self.key_tokens, scorer=fuzz.ratio,
                                                                 processor=None, score_cutoff=75, limit=30))
            rows: set[int] = set()
            for t in matched:
                rows.update(self.key_postings[t])
            sets.append(rows)
        if not sets:
            return []
        common = set.intersection(*sets)
        if common:
            return sorted(common)[:cap]
        counts: dict[int, int] = {}
        for rows in sets:
            for index in rows:
                counts[index] = counts.get(index, 0) + 1
        return sorted(counts, key=lambda i: (-counts[i], i))[:cap]


_NO_TERMS: list[str] = []  # one empty vocabulary, so "unchanged" is an identity test


class Searcher:
    """Holds the in-memory parts of the search (entity names, vocabulary, recent titles) for one Store."""

    def __init__(self, store, *, background: bool = True):
        self.store = store
        self._sql = search_sql(store.conn)
        self.background = background and getattr(store, "path", None) is not None
        self._names: _Names | None = None
        self._names_fingerprint: object = None
        self._vocab: list[str] | None = None  # in-memory databases only; files share _VOCABULARIES
        self._titles: list[tuple[int, str]] | None = None
        self._title_prefixes: dict[str, list[int]] = {}
        self._titles_newest: int | None = None  # the newest report id when the titles were read
        self._version: int | None = None
        self._expansions: dict[tuple[str, int], list[str]] = {}
        self._expansions_of: tuple = ()  # (names, vocabulary) the expansions were made from
        self._growing_claims = GrowingQueryCache()
        self._growing_titles = GrowingQueryCache()
        self._title_rows: dict[int, tuple[str, str]] = {}  # report id -> (sort_key, title), read for a search
        if self.background:  # start reading both now, in the background: the first keystrokes come soon
            self._vocabulary()
            threading.Thread(target=_prebuild_names, args=(str(store.path),), daemon=True,
                             name="search-names").start()

    # --- caches -------------------------------------------------------------------

    def warm(self) -> None:
        """Read now what the first keystrokes would otherwise wait for: entity names and recent titles."""
        self._refresh_if_changed()
        self._entity_names()
        self._recent_titles()

    def _refresh_if_changed(self) -> None:
        version = self.store.data_version()
        if version != self._version:
            self._version = version
            # Grades and notes change the version too; the recent titles (slow to read at scale)
            # change only when reports come in.
            newest = self.store.conn.execute("SELECT max(id) FROM reports").fetchone()[0]
            if newest != self._titles_newest:
                self._titles = None
                self._titles_newest = newest
            self._vocab = None
            self._growing_claims.forget()
            self._growing_titles.forget()
            self._title_rows = {}
            fingerprint = self._entity_fingerprint()
            if fingerprint != self._names_fingerprint:
                self._names = None
                self._names_fingerprint = fingerprint

    def forget_earlier_queries(self) -> None:
        """Benchmarks: the next query is typed as if for the first time (its words never expanded,
        no shorter query's candidates or titles in memory)."""
        self._expansions_of = ()
        self._growing_claims.forget()
        self._growing_titles.forget()
        self._title_rows = {}

    def invalidate(self) -> None:
        self._version = None
        self._names_fingerprint = None

    def _entity_fingerprint(self) -> tuple:
        return _entity_fingerprint(self.store.conn)

    def _entity_names(self) -> _Names:
        if self._names is not None:
            return self._names
        if not self.background:
            self._names = _Names(_name_rows(self.store.conn))
            return self._names
        if self._names_fingerprint is None:
            self._names_fingerprint = self._entity_fingerprint()
        path = str(self.store.path)
        with _NAMES_LOCK:  # waits for a build under way in the background
            cached = _NAMES.get(path)
            if cached is not None and cached[0] == self._names_fingerprint:
                self._names = cached[1]
            else:
                self._names = _Names(_name_rows(self.store.conn))
                _NAMES[path] = (self._names_fingerprint, self._names)
        return self._names

    def _vocabulary(self) -> list[str]:
        """The claims word index vocabulary; empty until read (files: in a background thread)."""
        if not self.background:
            if self._vocab is None:
                self._vocab = _read_terms(self.store.conn)
            return self._vocab
        path = str(self.store.path)
        with _VOCABULARIES_LOCK:
            entry = _VOCABULARIES.setdefault(path, _Vocabulary())
            if entry.loading:
                return entry.terms or []
            if entry.terms is not None and time.monotonic() - entry.loaded_at < VOCAB_MAX_AGE:
                return entry.terms
        fingerprint = _claims_fingerprint(self.store.conn)
        with _VOCABULARIES_LOCK:
            if entry.terms is not None and fingerprint == entry.fingerprint:
                entry.loaded_at = time.monotonic()
                return entry.terms
            if not entry.loading:
                entry.loading = True
                threading.Thread(target=_load_vocabulary, args=(path, entry), daemon=True,
                                 name="search-vocabulary").start()
            return entry.terms or []

    def wait_for_vocabulary(self, timeout: float = 60.0) -> float:
        """Block until the background vocabulary is read (benchmarks, tests). Returns its read time in s."""
        if not self.background:
            self._vocabulary()
            return 0.0
        self._vocabulary()
        deadline = time.monotonic() + timeout
        entry = _VOCABULARIES[str(self.store.path)]
        while entry.loading and time.monotonic() < deadline:
            time.sleep(0.01)
        return entry.seconds

    def _recent_titles(self) -> list[tuple[int, str]]:
        if self._titles is None:
            self._titles = [(r[0], r[1]) for r in self.store.conn.execute(
                "SELECT id, title FROM reports ORDER BY sort_key DESC, id DESC LIMIT ?", (RECENT_TITLES,))]
            prefixes: dict[str, list[int]] = {}
            for rid, title in self._titles:
                seen = set()
                for word in _WORD.findall(title.casefold()):
                    for p in (word[:1], word[:2]):
                        if p not in seen:
                            seen.add(p)
                            prefixes.setdefault(p, []).append(rid)
            self._title_prefixes = prefixes
        return self._titles

    # --- the search ---------------------------------------------------------------

    def search(self, raw: str, limit: int = 50) -> SearchResults:
        started = time.perf_counter()
        results = SearchResults(query=raw)
        try:
            # A paste can carry NULs and controls, argv lone surrogates: none can be searched for.
            query = parse_query(_UNSEARCHABLE.sub(" ", raw))
        except QueryError as exc:
            results.message = str(exc)
            return results
        try:
            self._refresh_if_changed()
            if not query.text and not query.has_filters:
                return results
            # Ranked first (score, kind, id), built as hits only if among the best ``limit``: reports
            # and claims each rank up to ``limit``, and building a hit (details, highlights) is the
            # costly part. Listed in this order and sorted stably, as the hits always were.
            ranked: list[tuple[float, str, object]] = []
            short = len(query.text.replace(" ", "")) < 3
            if query.wants("entity") and query.text:
                # Thousands of people share a family name: names must not crowd out claims and reports.
                only = query.kinds == ("entity",) or bool(query.types)
                ranked += [(h.score, "entity", h) for h in self._entities(query, limit if only else max(10, limit // 4), short)]
            if query.wants("report"):
                ranked += [(score, "report", rid) for score, rid in self._reports(query, limit, short)]
            if query.wants("claim") and (not short or (not query.text and query.has_filters)):
                ranked += [(score, "claim", cid) for score, cid in self._claims(query, limit)]
            ranked.sort(key=lambda r: -r[0])
            results.hits = self._hits(ranked[:limit], query)
            if not ranked and short and query.text:
                results.message = "type three letters or more to search claims and report text"
        except sqlite3.OperationalError as exc:
            results.message = f"search failed: {exc}"
        except (ValueError, TypeError) as exc:  # a query shape the code did not foresee: say so, never crash
            results.message = f"search failed: {exc}"
        results.elapsed_ms = (time.perf_counter() - started) * 1000
        return results

    # --- entities -------------------------------------------------------------------

    def _entities(self, query: Query, limit: int, short: bool = False) -> list[SearchHit]:
        names = self._entity_names()
        if not len(names):
            return []
        text = utils.default_process(query.text)
        if not text:
            return []
        scores: dict[int, float] = {}
        if short:
            # One or two letters match thousands of names equally well: rank a few hundred of them
            # (the first words in alphabetical order), not all, so the first keystroke stays cheap.
            for index in names.by_prefix(text.split()[-1], limit * SHORT_POOL_PER_HIT):
                folded = names.folded[index]
                scores[index] = 95.0 if folded.startswith(text) else 90.0
        else:
            key = _key(query.text)
            candidates = names.candidates(key or text, NAME_CANDIDATES)
            if not candidates:
                return []
            cutoff = 60 if len(text) >= 4 else 90
            for _, score, i in process.extract(text, [names.folded[c] for c in candidates], scorer=fuzz.WRatio,
                                               processor=None, limit=limit * 2, score_cutoff=cutoff):
                scores[candidates[i]] = score
            if key:
                for _, score, i in process.extract(key, [names.keys[c] for c in candidates],
                                                   scorer=fuzz.token_set_ratio, processor=None, limit=limit,
                                                   score_cutoff=85):
                    index = candidates[i]
                    scores[index] = max(scores.get(index, 0), score)
        best: dict[int, tuple[float, int]] = {}
        for index, score in scores.items():
            entity_id, _, type_ = names.rows[index]
            if query.types and type_ not in query.types:
                continue
            if entity_id not in best or score > best[entity_id][0]:
                best[entity_id] = (score, index)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], len(names.rows[kv[1][1]][1]), kv[0]))[:limit]
        hits = []
        for entity_id, (score, index) in ranked:
            _, name, type_ = names.rows[index]
            line = one_line(name, 120)
            canonical = names.canonical.get(entity_id, name)
            # the name that matched may be an alias: say whose, or two hits can read the same
            detail = type_ if canonical == name else f"{type_} · alias of {one_line(canonical, 60)}"
            hits.append(SearchHit("entity", entity_id, None, line, highlight(line, query.words), detail=detail,
                                  score=score + 5))  # a name hit is usually what a typed name means
        return hits

    # --- reports --------------------------------------------------------------------

    def _reports(self, query: Query, limit: int, short: bool) -> list[tuple[float, int]]:
        """The best ``limit`` reports as (score, id), best first."""
        conditions, params = report_conditions(query)
        filtered = bool(conditions)
        if query.text:
            if short:
                self._recent_titles()
                words = _WORD.findall(query.text.casefold())
                candidate_ids = self._title_prefixes.get(words[-1][:2], []) if words else []
                if not filtered:  # in the queue's order already; every one matches as well as another
                    return [(60.0, rid) for rid in candidate_ids[:limit]]
                candidate_ids = candidate_ids[:CANDIDATES]
            else:
                ids = self._title_candidates(query.words)
                # Body-only hits rank below title matches, newest first: without filters, ``limit`` of them do.
                body = self._fts_ids("reports", query.words, CANDIDATES if conditions else limit)
                candidate_ids = list(dict.fromkeys(ids + body))[:CANDIDATES]
            if not candidate_ids:
                return []
            conditions.append(f"r.id IN ({marks(candidate_ids)})")
            params = params + candidate_ids
        # One or two letters: every candidate has a title word starting with them, so the newest
        # ``limit`` are the answer and nothing needs scoring.
        fetch = CANDIDATES if query.text and not short else limit
        if query.text and not filtered:
            rows = self._titles_in_queue_order(candidate_ids, fetch)
        else:
            join = " LEFT JOIN sources s ON s.id = r.source_id" if (query.reliability or query.source) else ""
            sql = f"SELECT r.id, r.title FROM reports r{join}"
            if conditions:
                sql += " WHERE " + " AND ".join(conditions)
            sql += " ORDER BY r.sort_key DESC, r.id DESC LIMIT ?"
            rows = self.store.conn.execute(sql, params + [fetch]).fetchall()
        if not rows:
            return []
        if query.text and short:
            ranked = [(60.0, i) for i in range(len(rows))]
        elif query.text:
            needle = query.text.casefold()
            titles = [title.casefold() for _, title in rows]
            ranked = []
            for _, score, i in process.extract(needle, titles, scorer=fuzz.partial_ratio, processor=None,
                                               limit=None):
                if score < 60:
                    score = 55.0  # found in the body: still a hit, ranked below title matches
                ranked.append((score, i))
            ranked.sort(key=lambda si: (-si[0], si[1]))  # equal scores: newest first
        else:
            ranked = [(50.0, i) for i in range(len(rows))]
        return [(score, rows[i][0]) for score, i in ranked[:limit]]

    def _title_candidates(self, words: list[str]) -> list[int]:
        """Reports whose title holds every trigram of the words, newest first (at most
        ``CANDIDATES``). What a shorter form of the query read is filtered in memory, and only
        older titles are asked of the index (:mod:`db.growing_query`)."""
        grams = frozenset(self._trigrams(words))
        if not grams:
            return []
        known = self._growing_titles.known(grams)
        if known is not None and (known.complete or len(known.rows) >= CANDIDATES):
            return [rid for rid, _ in known.rows[:CANDIDATES]]
        ids = [rid for rid, _ in known.rows] if known is not None else []
        wanted = CANDIDATES - len(ids)
        older = self._trigram_ids("titles", words, older_than=known.reaches if known else None, limit=wanted)
        self._read_titles(older)
        titles = self._title_rows
        rows = (known.rows if known is not None else []) + [(rid, titles[rid][1]) for rid in older if rid in titles]
        reaches = older[-1] if older else (known.reaches if known is not None else None)
        self._growing_titles.remember(grams, rows, complete=len(older) < wanted, reaches=reaches)
        return ids + older

    def _titles_in_queue_order(self, ids: list[int], limit: int) -> list[tuple[int, str]]:
        """(id, title) of the reports ``ids`` in the queue's order (newest first), the first ``limit``."""
        self._read_titles(ids)
        known = self._title_rows
        present = sorted((rid for rid in ids if rid in known),  # a report deleted since is left out
                         key=lambda rid: (known[rid][0], rid), reverse=True)
        return [(rid, known[rid][1]) for rid in present[:limit]]

    def _read_titles(self, ids: list[int]) -> None:
        """Read the titles (and sort keys) of these reports into ``_title_rows``, unless there.

        Titles read once are kept (until the database changes): the next keystroke's candidates
        are mostly the same reports, and reading a title means reading a report's row, ~7 us each
        (15 ms for 2,000 candidates at 100k reports)."""
        known = self._title_rows
        missing = [rid for rid in ids if rid not in known]
        if not missing:
            return
        if len(known) + len(missing) > KEPT_TITLES:
            known.clear()
        for start in range(0, len(missing), 900):
            part = missing[start:start + 900]
            for rid, sort_key, title in self.store.conn.execute(self._sql.TITLES_BY_ID.format(marks(part)), part):
                known[rid] = (sort_key, title)

    def _report_details(self, ids: list[int]) -> dict[int, tuple]:
        if not ids:
            return {}
        return {row[0]: row[1:] for row in self.store.conn.execute(
            f"SELECT r.id, r.title, s.name, r.published, r.status, {mine.source_reliability()}, {mine.report_credibility()} "
            f"FROM reports r LEFT JOIN sources s ON s.id = r.source_id WHERE r.id IN ({marks(ids)})", ids)}

    # --- hits -----------------------------------------------------------------------

    def _hits(self, ranked: list[tuple[float, str, object]], query: Query) -> list[SearchHit]:
        """The ranked reports and claims read in full and made hits, in rank order (a row deleted
        meanwhile is left out)."""
        reports = self._report_details([ref for _, kind, ref in ranked if kind == "report"])
        claims = self._claim_details([ref for _, kind, ref in ranked if kind == "claim"])
        hits = []
        for score, kind, ref in ranked:
            if kind == "entity":
                hits.append(ref)
            elif kind == "report" and ref in reports:
                title, source, published, status, rel, cred = reports[ref]
                line = one_line(title, 160)
                detail = " · ".join(x for x in (f"{rel}{cred}", one_line(source, 30) if source else "",
                                                published or "", status) if x)
                hits.append(SearchHit("report", ref, ref, line, highlight(line, query.words), detail=detail,
                                      score=score))
            elif kind == "claim" and ref in claims:
                rid, text, speaker, cred, rel, source = claims[ref]
                line = one_line(text, 200)
                detail = " · ".join(x for x in (f"{rel}{cred}", one_line(speaker, 40) if speaker else "",
                                                one_line(source, 30) if source else "") if x)
                hits.append(SearchHit("claim", ref, rid, line, highlight(line, query.words), detail=detail,
                                      score=score))
        return hits

    # --- claims ---------------------------------------------------------------------

    def _claims(self, query: Query, limit: int) -> list[tuple[float, int]]:
        """The best ``limit`` claims as (score, id), best first."""
        conditions, params = report_conditions(query, with_credibility=False, with_tag=False)
        joins_reports = bool(conditions)
        if query.credibility:
            conditions.append(f"{mine.claim_credibility()} IN ({marks(query.credibility)})")
            params += list(query.credibility)
        if query.tag:
            conditions.append("(c.id IN (SELECT g.target_id FROM taggings g JOIN tags t ON t.id = g.tag_id "
                              "WHERE g.target_kind = 'claim' AND t.name = ?) OR r.id IN (SELECT g.target_id FROM "
                              "taggings g JOIN tags t ON t.id = g.tag_id WHERE g.target_kind = 'report' AND t.name = ?))")
            params += [query.tag, query.tag]
        if query.stance:
            hypothesis = self.store.active_hypothesis_id()
            conditions.append("c.id IN (SELECT claim_id FROM claim_stances WHERE hypothesis_id = ? AND stance = ? "
                              "AND analyst = current_analyst())")
            params += [hypothesis, query.stance]
        joins = ""
        if joins_reports or query.tag:
            joins = " JOIN reports r ON r.id = c.report_id LEFT JOIN sources s ON s.id = r.source_id"
        if query.text and not conditions:
            # No filters: the candidates come straight from the trigram index, text included.
            rows, folded = self._claim_candidates(query.words, query.text.casefold(), limit)
            if len(rows) < limit:
                seen = {cid for cid, _ in rows}
                extra = [cid for cid in self._fts_ids("claims", query.words) if cid not in seen]
                extra = extra[:CANDIDATES - len(rows)]
                if extra:  # new lists: the candidates' own are kept for the next keystroke
                    more = self.store.conn.execute(
                        f"SELECT id, text FROM claims WHERE id IN ({marks(extra)}) ORDER BY id DESC", extra).fetchall()
                    rows = rows + more
                    folded = folded + [text.casefold() for _, text in more]
        else:
            if query.text:
                ids = self._trigram_ids("claims", query.words)
                if len(ids) < limit:
                    ids = list(dict.fromkeys(ids + self._fts_ids("claims", query.words)))
                if not ids:
                    return []
                conditions.append(f"c.id IN ({marks(ids)})")
                params += ids
            sql = f"SELECT c.id, c.text FROM claims c{joins}"
            if conditions:
                sql += " WHERE " + " AND ".join(conditions)
            sql += " ORDER BY c.id DESC LIMIT ?"
            rows = self.store.conn.execute(sql, params + [CANDIDATES if query.text else limit]).fetchall()
            folded = [text.casefold() for _, text in rows] if query.text else []
        if not rows:
            return []
        if query.text:
            return [(score, rows[i][0]) for _, score, i in process.extract(
                query.text.casefold(), folded, scorer=fuzz.partial_ratio, processor=None, limit=limit)]
        return [(50.0, cid) for cid, _ in rows[:limit]]

    def _claim_details(self, ids: list[int]) -> dict[int, tuple]:
        if not ids:
            return {}
        return {row[0]: row[1:] for row in self.store.conn.execute(
            f"SELECT c.id, c.report_id, c.text, coalesce(c.speaker_resolved, c.speaker), {mine.claim_credibility()}, "
            f"{mine.source_reliability()}, s.name FROM claims c JOIN reports r ON r.id = c.report_id "
            # a claim the analyst rejected as not a claim is not a hit
            f"LEFT JOIN sources s ON s.id = r.source_id WHERE c.id IN ({marks(ids)}) AND c.rejected = 0", ids)}

    # --- candidate sets -----------------------------------------------------------------

    def _trigram_ids(self, index: str, words: list[str], older_than: int | None = None,
                     limit: int = CANDIDATES) -> list[int]:
        """Rows of ``index`` ("claims", "titles") containing every trigram of every word of 3+
        characters: a superset of substring matches, newest first (below ``older_than`` if given),
        unranked and bounded."""
        grams = self._trigrams(words)
        if not grams:
            return []
        return [r[0] for r in self._sql.trigram_rows(index, grams, older_than, limit)]

    def _claim_candidates(self, words: list[str], needle: str, enough: int) -> tuple[list, list[str]]:
        """The newest claims holding every trigram of the words, with their texts (and casefolded):
        enough of them that ``enough`` contain ``needle``, if so many do (at most ``CANDIDATES``).
        What a shorter form of the query read is filtered in memory, and only older claims are
        asked of the index (:mod:`db.growing_query`)."""
        grams = frozenset(self._trigrams(words))
        if not grams:
            return [], []
        known = self._growing_claims.known(grams)
        rows: list[tuple[int, str]] = list(known.rows) if known is not None else []
        folded: list[str] = list(known.folded) if known is not None else []
        exact = sum(1 for text in folded if needle in text)
        if known is not None and (known.complete or exact >= enough or len(rows) >= CANDIDATES):
            complete, reaches = known.complete, known.reaches
            if len(rows) > CANDIDATES:  # kept with a larger limit: now a prefix down to the last row kept
                rows, folded = rows[:CANDIDATES], folded[:CANDIDATES]
                complete, reaches = False, rows[-1][0]
            self._growing_claims.remember(grams, rows, complete, folded, reaches)
            return rows, folded
        cursor = self._sql.trigram_rows("claims", self._trigrams(words), known.reaches if known is not None else None,
                                        CANDIDATES - len(rows))
        # Reading the texts is most of the cost. Once ``enough`` rows contain the whole query
        # (the best score there is, and these are the newest), the older candidates cannot rank.
        exhausted = False
        read_any = False
        while exact < enough:
            chunk = cursor.fetchmany(250)
            if not chunk:
                exhausted = True
                break
            read_any = True
            rows += chunk
            texts = [text.casefold() for _, text in chunk]
            folded += texts
            exact += sum(1 for text in texts if needle in text)
        cursor.close()
        reaches = rows[-1][0] if read_any else (known.reaches if known is not None else None)
        self._growing_claims.remember(grams, rows, exhausted and len(rows) < CANDIDATES, folded, reaches)
        return rows, folded

    @staticmethod
    def _trigrams(words: list[str]) -> list[str]:
        grams: list[str] = []
        for word in words:
            folded = word.casefold()
            if len(folded) >= 3:
                grams += [folded[i:i + 3] for i in range(len(folded) - 2)]
        return list(dict.fromkeys(grams))

    def _fts_ids(self, index: str, words: list[str], limit: int = CANDIDATES) -> list[int]:
        """Word-index candidates of ``index`` ("claims", "reports"), each word widened to close
        vocabulary terms (typos, transliterations)."""
        # Bodies: the claims vocabulary only once read (it is read for the claims, when needed).
        groups = [self.expand(word, load=index != "reports") for word in words]
        return self._sql.word_ids(index, [g for g in groups if g], limit)

    def expand(self, word: str, limit: int = 8, *, load: bool = True) -> list[str]:
        """Terms close to ``word``: itself, entity-name words with the same transliteration key,
        and near spellings among those words and the claims vocabulary (once read)."""
        tokens = _WORD.findall(word.casefold())
        if not tokens:
            return []
        token = max(tokens, key=len)
        names = self._entity_names()
        vocabulary = (self._vocabulary() if load or self.background else self._vocab) or _NO_TERMS
        # While "drone attack erbil" is typed, "drone" and "attack" would be expanded again at every
        # keystroke, for two indexes. The answer only changes with the lists.
        made_from = self._expansions_of
        if not made_from or made_from[0] is not names or made_from[1] is not vocabulary:
            self._expansions_of = (names, vocabulary)
            self._expansions = {}
        cached = self._expansions.get((token, limit))
        if cached is not None:
            return list(cached)
        terms = {token}
        terms.update(names.words_by_key.get(_key(token), []))
        if len(token) >= 4:
            for choices in (names.words, vocabulary):
                if choices:
                    for term, _, _ in process.extract(token, choices, scorer=fuzz.ratio, processor=None,
                                                      limit=limit, score_cutoff=80):
                        terms.add(term)
        if len(self._expansions) >= 512:
            self._expansions.clear()
        self._expansions[(token, limit)] = expansion = sorted(terms)
        return list(expansion)


def _entity_fingerprint(conn: sqlite3.Connection) -> tuple:
    return tuple(conn.execute(
        "SELECT (SELECT max(id) FROM entities), (SELECT count(*) FROM entities), "
        "(SELECT count(*) FROM entity_aliases)").fetchone())


def _name_rows(conn) -> list[tuple]:
    # In a stated order: names that score alike rank in the order read, which must not depend on
    # the engine's plan (SQLite and PostgreSQL join in different orders).
    return conn.execute(
        "SELECT e.id, e.name, e.type, e.key, 0 FROM entities e UNION ALL "
        "SELECT a.entity_id, a.alias, e.type, a.key, 1 FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
        "ORDER BY 5, 1, 2"
    ).fetchall()


def _prebuild_names(path: str) -> None:
    try:
        with _NAMES_LOCK:
            conn = open_reader(path)
            try:
                fingerprint = _entity_fingerprint(conn)
                cached = _NAMES.get(path)
                if cached is None or cached[0] != fingerprint:
                    _NAMES[path] = (fingerprint, _Names(_name_rows(conn)))
            finally:
                conn.close()
    except (sqlite3.Error, StoreError):
        pass  # the search builds them itself


def _load_vocabulary(path: str, entry: _Vocabulary) -> None:
    started = time.monotonic()
    terms = None
    fingerprint = None
    try:
        conn = open_reader(path)
        try:
            fingerprint = _claims_fingerprint(conn)
            terms = _read_terms(conn)
        finally:
            conn.close()
    except (sqlite3.Error, StoreError):
        terms = None
    with _VOCABULARIES_LOCK:
        if terms is not None:
            entry.terms = terms
            entry.fingerprint = fingerprint
        entry.loaded_at = time.monotonic()
        entry.seconds = entry.loaded_at - started
        entry.loading = False


def highlight(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` that match the query words: exact (case-insensitive) where possible,
    else the best fuzzy alignment of the word."""
    spans: list[tuple[int, int]] = []
    folded = text.casefold()
    for word in words:
        needle = word.casefold()
        if not needle or needle.startswith(("-", '"')) and len(needle) < 2:
            continue
        start = folded.find(needle)
        if start >= 0 and len(folded) == len(text):
            while start >= 0:
                spans.append((start, start + len(needle)))
                start = folded.find(needle, start + len(needle))
            continue
        if len(needle) >= 3:
            alignment = fuzz.partial_ratio_alignment(needle, folded, score_cutoff=70)
            if alignment is not None and alignment.dest_end <= len(text):
                spans.append((alignment.dest_start, alignment.dest_end))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def search(store, query: str, limit: int = 50) -> SearchResults:
    """One-shot search (the CLI's); the UI keeps a :class:`Searcher` to reuse its caches.
    Nothing runs in the background here: the vocabulary is read only if a word needs expanding."""
    return Searcher(store, background=False).search(query, limit)
