"""Search as you type over reports, claims and entities: the one function the CLI and the UI share.

How it stays fast at a million claims (see bench/ for the figures):
- entities: rapidfuzz over names and aliases held in memory, compared both as written and
  by transliteration key ("haniya" finds "Haniyeh", "kataib" finds "Kata'ib");
- claims and titles: a trigram FTS5 index gives a bounded candidate set, newest first and
  unranked (cheap), which rapidfuzz re-ranks; words the trigram index cannot find (typos,
  other transliterations) are expanded to close terms of the word index vocabulary;
- bodies: the word FTS5 index;
- one or two letters: entities and recent titles only, never a scan of the claims.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from .query import Query, QueryError, parse_query
from .text_safety import one_line

CANDIDATES = 2000
RECENT_TITLES = 5000
_WORD = re.compile(r"\w+", re.UNICODE)


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


class Searcher:
    """Holds the in-memory parts of the search (entity names, vocabulary) for one Store."""

    def __init__(self, store):
        self.store = store
        self._names: list[str] | None = None
        self._name_keys: list[str] = []
        self._name_rows: list[tuple[int, str, str]] = []
        self._vocab: list[str] | None = None
        self._vocab_keys: dict[str, list[str]] = {}
        self._titles: list[tuple[int, str]] | None = None
        self._version: int | None = None

    # --- caches -------------------------------------------------------------------

    def _refresh_if_changed(self) -> None:
        version = self.store.data_version()
        if version != self._version:
            self._version = version
            self._names = None
            self._vocab = None
            self._titles = None

    def invalidate(self) -> None:
        self._version = None

    def _entity_names(self) -> list[str]:
        if self._names is None:
            rows = list(self.store.entity_names())
            self._name_rows = rows
            self._names = [utils.default_process(name) for _, name, _ in rows]
            self._name_keys = [_key(name) for _, name, _ in rows]
        return self._names

    def _vocabulary(self) -> list[str]:
        if self._vocab is None:
            terms = [row[0] for row in self.store.conn.execute(
                "SELECT term FROM claims_vocab UNION SELECT term FROM reports_vocab")]
            self._vocab = terms
            keys: dict[str, list[str]] = {}
            for term in terms:
                keys.setdefault(_key(term), []).append(term)
            self._vocab_keys = keys
        return self._vocab

    def _recent_titles(self) -> list[tuple[int, str]]:
        if self._titles is None:
            self._titles = [(r[0], r[1]) for r in self.store.conn.execute(
                "SELECT id, title FROM reports ORDER BY sort_key DESC, id DESC LIMIT ?", (RECENT_TITLES,))]
        return self._titles

    # --- the search ---------------------------------------------------------------

    def search(self, raw: str, limit: int = 50) -> SearchResults:
        started = time.perf_counter()
        results = SearchResults(query=raw)
        try:
            query = parse_query(raw)
        except QueryError as exc:
            results.message = str(exc)
            return results
        try:
            self._refresh_if_changed()
            if not query.text and not query.has_filters:
                return results
            hits: list[SearchHit] = []
            short = len(query.text.replace(" ", "")) < 3
            if query.wants("entity") and query.text:
                hits += self._entities(query, limit)
            if query.wants("report"):
                hits += self._reports(query, limit, short)
            if query.wants("claim") and not short:
                hits += self._claims(query, limit)
            elif query.wants("claim") and not query.text and query.has_filters:
                hits += self._claims(query, limit)
            hits.sort(key=lambda h: -h.score)
            results.hits = hits[:limit]
            if not hits and short and query.text:
                results.message = "type three letters or more to search claims and report text"
        except sqlite3.OperationalError as exc:
            results.message = f"search failed: {exc}"
        except (ValueError, TypeError) as exc:  # a query shape the code did not foresee: say so, never crash
            results.message = f"search failed: {exc}"
        results.elapsed_ms = (time.perf_counter() - started) * 1000
        return results

    # --- entities -------------------------------------------------------------------

    def _entities(self, query: Query, limit: int) -> list[SearchHit]:
        names = self._entity_names()
        if not names:
            return []
        text = utils.default_process(query.text)
        scores: dict[int, float] = {}
        cutoff = 60 if len(text) >= 4 else 90
        for _, score, index in process.extract(text, names, scorer=fuzz.WRatio, limit=limit * 2, score_cutoff=cutoff):
            scores[index] = max(scores.get(index, 0), score)
        key = _key(query.text)
        if key:
            for _, score, index in process.extract(key, self._name_keys, scorer=fuzz.token_set_ratio, limit=limit,
                                                   score_cutoff=85):
                scores[index] = max(scores.get(index, 0), score)
        best: dict[int, tuple[float, int]] = {}
        for index, score in scores.items():
            entity_id, _, type_ = self._name_rows[index]
            if query.types and type_ not in query.types:
                continue
            if entity_id not in best or score > best[entity_id][0]:
                best[entity_id] = (score, index)
        hits = []
        for entity_id, (score, index) in sorted(best.items(), key=lambda kv: -kv[1][0])[:limit]:
            _, name, type_ = self._name_rows[index]
            line = one_line(name, 120)
            hits.append(SearchHit("entity", entity_id, None, line, highlight(line, query.words), detail=type_,
                                  score=score + 5))  # a name hit is usually what a typed name means
        return hits

    # --- reports --------------------------------------------------------------------

    def _report_filter_sql(self, query: Query, alias: str = "r", *, for_claims: bool = False) -> tuple[str, list]:
        clauses, params = [], []
        if query.statuses:
            clauses.append(f"{alias}.status IN ({','.join('?' * len(query.statuses))})")
            params += list(query.statuses)
        if query.reliability:
            clauses.append(f"coalesce(s.reliability, 'F') IN ({','.join('?' * len(query.reliability))})")
            params += list(query.reliability)
        if query.credibility and not for_claims:
            clauses.append(f"{alias}.credibility IN ({','.join('?' * len(query.credibility))})")
            params += list(query.credibility)
        if query.source:
            clauses.append("s.name LIKE ? ESCAPE '\\'")
            params.append("%" + query.source.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if query.date_from:
            clauses.append(f"{alias}.sort_key >= ?")
            params.append(query.date_from)
        if query.date_to:
            clauses.append(f"{alias}.sort_key <= ?")
            params.append(query.date_to + "\uffff")
        if query.tag and not for_claims:
            clauses.append(f"{alias}.id IN (SELECT g.target_id FROM taggings g JOIN tags t ON t.id = g.tag_id "
                           "WHERE g.target_kind = 'report' AND t.name = ?)")
            params.append(query.tag)
        return " AND ".join(clauses), params

    def _reports(self, query: Query, limit: int, short: bool) -> list[SearchHit]:
        where, params = self._report_filter_sql(query)
        candidate_ids: list[int] | None = None
        if query.text:
            if short:
                prefix = query.text.casefold()
                candidate_ids = [rid for rid, title in self._recent_titles()
                                 if any(w.casefold().startswith(prefix) for w in _WORD.findall(title))][:CANDIDATES]
            else:
                ids = self._trigram_ids("titles_trigram", query.words)
                body = self._fts_ids("reports_fts", query.words)
                candidate_ids = list(dict.fromkeys(ids + body))[:CANDIDATES]
            if not candidate_ids:
                return []
        sql = ("SELECT r.id, r.title, s.name, r.published, r.status, coalesce(s.reliability, 'F'), r.credibility "
               "FROM reports r LEFT JOIN sources s ON s.id = r.source_id")
        conditions = [where] if where else []
        if candidate_ids is not None:
            conditions.append(f"r.id IN ({','.join('?' * len(candidate_ids))})")
            params = params + candidate_ids
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += " ORDER BY r.sort_key DESC, r.id DESC LIMIT ?"
        rows = self.store.conn.execute(sql, params + [CANDIDATES if query.text else limit]).fetchall()
        hits = []
        for rid, title, source, published, status, rel, cred in rows:
            line = one_line(title, 160)
            score = fuzz.partial_ratio(query.text.casefold(), title.casefold()) if query.text else 50.0
            if query.text and score < 60:
                score = 55.0  # found in the body: still a hit, ranked below title matches
            detail = " · ".join(x for x in (f"{rel}{cred}", one_line(source, 30) if source else "", published or "", status) if x)
            hits.append(SearchHit("report", rid, rid, line, highlight(line, query.words), detail=detail, score=score))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    # --- claims ---------------------------------------------------------------------

    def _claims(self, query: Query, limit: int) -> list[SearchHit]:
        where, params = self._report_filter_sql(query, for_claims=True)
        conditions = [where] if where else []
        if query.credibility:
            conditions.append(f"c.credibility IN ({','.join('?' * len(query.credibility))})")
            params += list(query.credibility)
        if query.tag:
            conditions.append("(c.id IN (SELECT g.target_id FROM taggings g JOIN tags t ON t.id = g.tag_id "
                              "WHERE g.target_kind = 'claim' AND t.name = ?) OR r.id IN (SELECT g.target_id FROM "
                              "taggings g JOIN tags t ON t.id = g.tag_id WHERE g.target_kind = 'report' AND t.name = ?))")
            params += [query.tag, query.tag]
        if query.stance:
            hypothesis = self.store.active_hypothesis_id()
            conditions.append("c.id IN (SELECT claim_id FROM claim_stances WHERE hypothesis_id = ? AND stance = ?)")
            params += [hypothesis, query.stance]
        if query.text:
            ids = self._trigram_ids("claims_trigram", query.words)
            if len(ids) < limit:
                ids = list(dict.fromkeys(ids + self._fts_ids("claims_fts", query.words)))
            if not ids:
                return []
            conditions.append(f"c.id IN ({','.join('?' * len(ids))})")
            params += ids
        sql = ("SELECT c.id, c.report_id, c.text, coalesce(c.speaker_resolved, c.speaker), c.credibility, "
               "coalesce(s.reliability, 'F'), s.name FROM claims c JOIN reports r ON r.id = c.report_id "
               "LEFT JOIN sources s ON s.id = r.source_id")
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += " ORDER BY c.id DESC LIMIT ?"
        rows = self.store.conn.execute(sql, params + [CANDIDATES if query.text else limit]).fetchall()
        hits = []
        needle = query.text.casefold()
        for cid, rid, text, speaker, cred, rel, source in rows:
            line = one_line(text, 200)
            score = fuzz.partial_ratio(needle, text.casefold()) if query.text else 50.0
            detail = " · ".join(x for x in (f"{rel}{cred}", one_line(speaker, 40) if speaker else "",
                                            one_line(source, 30) if source else "") if x)
            hits.append(SearchHit("claim", cid, rid, line, highlight(line, query.words), detail=detail, score=score))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    # --- candidate sets -----------------------------------------------------------------

    def _trigram_ids(self, table: str, words: list[str]) -> list[int]:
        """Rows containing every trigram of every word of 3+ characters: a superset of substring
        matches, newest first, unranked and bounded."""
        grams: list[str] = []
        for word in words:
            folded = word.casefold()
            if len(folded) >= 3:
                grams += [folded[i:i + 3] for i in range(len(folded) - 2)]
        if not grams:
            return []
        match = " AND ".join('"' + g.replace('"', '""') + '"' for g in dict.fromkeys(grams))
        return [r[0] for r in self.store.conn.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?", (match, CANDIDATES))]

    def _fts_ids(self, table: str, words: list[str]) -> list[int]:
        """Word-index candidates, each word widened to close vocabulary terms (typos, transliterations)."""
        groups = []
        for word in words:
            terms = self.expand(word)
            if terms:
                groups.append("(" + " OR ".join('"' + t.replace('"', '""') + '"' for t in terms) + ")")
        if not groups:
            return []
        return [r[0] for r in self.store.conn.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
            (" AND ".join(groups), CANDIDATES))]

    def expand(self, word: str, limit: int = 8) -> list[str]:
        """Vocabulary terms close to ``word``: itself, equal transliteration keys, and near spellings."""
        tokens = _WORD.findall(word.casefold())
        if not tokens:
            return []
        token = max(tokens, key=len)
        vocab = self._vocabulary()
        terms = {token}
        terms.update(self._vocab_keys.get(_key(token), []))
        if len(token) >= 4 and vocab:
            for term, _, _ in process.extract(token, vocab, scorer=fuzz.ratio, limit=limit, score_cutoff=80):
                terms.add(term)
        return sorted(terms)


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
    """One-shot search (the CLI's); the UI keeps a :class:`Searcher` to reuse its caches."""
    return Searcher(store).search(query, limit)
