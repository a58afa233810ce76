"""The schema, as numbered migrations applied in order (``PRAGMA user_version``).

Never edit a migration that has shipped: add the next one. Each runs in one transaction,
and an existing file is copied aside before it is upgraded, so no upgrade can lose data.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from .connection import transaction
from .errors import NewerSchemaError, StoreError

STATUS_CHECK = "status IN ('new', 'read', 'flagged', 'dismissed')"
RELIABILITY_CHECK = "reliability IN ('A', 'B', 'C', 'D', 'E', 'F')"
KIND_CHECK = "kind IN ('outlet', 'channel', 'account', 'platform', 'agency', 'person', 'unknown')"

V1 = f"""
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    full_name TEXT,
    kind TEXT NOT NULL DEFAULT 'unknown' CHECK ({KIND_CHECK}),
    affiliation TEXT,
    reliability TEXT NOT NULL DEFAULT 'F' CHECK ({RELIABILITY_CHECK}),
    url TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    container TEXT,
    author TEXT,
    url TEXT,
    published TEXT,
    imported_at TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    body TEXT NOT NULL,
    original_name TEXT,
    format TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    language TEXT,
    status TEXT NOT NULL DEFAULT 'new' CHECK ({STATUS_CHECK}),
    credibility INTEGER NOT NULL DEFAULT 6 CHECK (credibility BETWEEN 1 AND 6),
    duplicate_of INTEGER REFERENCES reports(id) ON DELETE SET NULL,
    extractor_version TEXT
);
CREATE INDEX reports_queue ON reports(sort_key DESC, id DESC);
CREATE INDEX reports_by_status ON reports(status, sort_key DESC, id DESC);
CREATE INDEX reports_by_source ON reports(source_id);
CREATE INDEX reports_by_duplicate ON reports(duplicate_of) WHERE duplicate_of IS NOT NULL;

-- Near-duplicate detection: 4 bands of a 64-bit simhash; equal band = candidate.
CREATE TABLE report_fingerprints (
    band INTEGER NOT NULL,
    value INTEGER NOT NULL,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    PRIMARY KEY (band, value, report_id)
) WITHOUT ROWID;
CREATE INDEX report_fingerprints_by_report ON report_fingerprints(report_id);

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('PERSON', 'ORG', 'LOC', 'MEDIA')),
    key TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX entities_by_key ON entities(key);

CREATE TABLE entity_aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;
CREATE INDEX entity_aliases_by_key ON entity_aliases(key);

-- An analyst's decisions about names, by transliteration key, so they survive re-extraction.
CREATE TABLE entity_decisions (
    key_a TEXT NOT NULL,
    key_b TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('merge', 'split')),
    at TEXT NOT NULL,
    PRIMARY KEY (key_a, key_b)
) WITHOUT ROWID;

CREATE TABLE merge_proposals (
    a INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT,
    speaker_resolved TEXT,
    speaker_inferred INTEGER NOT NULL DEFAULT 0,
    speaker_source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    speaker_entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL,
    cue TEXT,
    chain TEXT NOT NULL DEFAULT '[]',
    is_quote INTEGER NOT NULL DEFAULT 0,
    is_hedged INTEGER NOT NULL DEFAULT 0,
    is_denial INTEGER NOT NULL DEFAULT 0,
    credibility INTEGER NOT NULL DEFAULT 6 CHECK (credibility BETWEEN 1 AND 6),
    rule TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL DEFAULT 0.5,
    origin TEXT NOT NULL DEFAULT 'extracted' CHECK (origin IN ('extracted', 'analyst')),
    parent_id INTEGER REFERENCES claims(id) ON DELETE SET NULL,
    reviewed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX claims_by_report ON claims(report_id, start);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    claim_id INTEGER REFERENCES claims(id) ON DELETE SET NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX mentions_by_entity ON mentions(entity_id, report_id);
CREATE INDEX mentions_by_report ON mentions(report_id, start);

CREATE TABLE cited_sources (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    source TEXT NOT NULL,
    date TEXT,
    raw TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX cited_sources_by_report ON cited_sources(report_id);

CREATE TABLE cited_source_claims (
    cited_source_id INTEGER NOT NULL REFERENCES cited_sources(id) ON DELETE CASCADE,
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    PRIMARY KEY (cited_source_id, claim_id)
) WITHOUT ROWID;

CREATE TABLE hypotheses (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE claim_stances (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    hypothesis_id INTEGER NOT NULL REFERENCES hypotheses(id) ON DELETE CASCADE,
    stance TEXT NOT NULL CHECK (stance IN ('supports', 'refutes', 'neutral')),
    PRIMARY KEY (claim_id, hypothesis_id)
) WITHOUT ROWID;
CREATE INDEX claim_stances_by_hypothesis ON claim_stances(hypothesis_id, stance);

CREATE TABLE claim_relations (
    a INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('corroborates', 'contradicts', 'duplicates')),
    origin TEXT NOT NULL DEFAULT 'analyst',
    PRIMARY KEY (a, b, type)
) WITHOUT ROWID;

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE taggings (
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('report', 'claim', 'source', 'entity')),
    target_id INTEGER NOT NULL,
    PRIMARY KEY (tag_id, target_kind, target_id)
) WITHOUT ROWID;
CREATE INDEX taggings_by_target ON taggings(target_kind, target_id);

CREATE TABLE notes (
    target_kind TEXT NOT NULL CHECK (target_kind IN ('report', 'claim', 'source', 'entity')),
    target_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (target_kind, target_id)
) WITHOUT ROWID;

-- Append-only: every change an analyst makes. Undo appends entries that point at the batch undone.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    batch TEXT NOT NULL,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id INTEGER,
    field TEXT,
    old TEXT,
    new TEXT,
    undoes TEXT
);
CREATE INDEX audit_log_by_batch ON audit_log(batch);
CREATE INDEX audit_log_by_undoes ON audit_log(undoes) WHERE undoes IS NOT NULL;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Full-text indexes. External content: the text is stored once, in the base table.
CREATE VIRTUAL TABLE reports_fts USING fts5(
    title, body, content='reports', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports BEGIN
    INSERT INTO reports_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER reports_fts_update AFTER UPDATE OF title, body ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO reports_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE VIRTUAL TABLE claims_fts USING fts5(
    text, content='claims', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
-- Trigram index for substrings and fuzzy candidates. detail=none keeps it small: queries
-- AND single trigrams together and the candidates are re-ranked in Python.
CREATE VIRTUAL TABLE claims_trigram USING fts5(
    text, content='claims', content_rowid='id', tokenize='trigram', detail='none'
);
CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text);
    INSERT INTO claims_trigram(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO claims_trigram(claims_trigram, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER claims_fts_update AFTER UPDATE OF text ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO claims_trigram(claims_trigram, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text);
    INSERT INTO claims_trigram(rowid, text) VALUES (new.id, new.text);
END;

CREATE VIRTUAL TABLE titles_trigram USING fts5(
    title, content='reports', content_rowid='id', tokenize='trigram', detail='none'
);
CREATE TRIGGER titles_trigram_insert AFTER INSERT ON reports BEGIN
    INSERT INTO titles_trigram(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER titles_trigram_delete AFTER DELETE ON reports BEGIN
    INSERT INTO titles_trigram(titles_trigram, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER titles_trigram_update AFTER UPDATE OF title ON reports BEGIN
    INSERT INTO titles_trigram(titles_trigram, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO titles_trigram(rowid, title) VALUES (new.id, new.title);
END;

CREATE VIRTUAL TABLE claims_vocab USING fts5vocab(claims_fts, 'row');
CREATE VIRTUAL TABLE reports_vocab USING fts5vocab(reports_fts, 'row');
"""

# V2: the report word index without token positions (detail='column'). Measured at 10k reports
# (bench/RESULTS.md): reports_fts 30.2 -> 12.7 MiB, the whole file 3.19x -> 2.80x the raw text.
# Nothing queried positions: the store's text filter and the search send single-word terms only
# (no phrase or NEAR queries on report bodies). An upgraded file keeps its size until VACUUM; the
# freed pages are reused by later imports.
V2 = """
DROP TABLE reports_vocab;
DROP TABLE reports_fts;
CREATE VIRTUAL TABLE reports_fts USING fts5(
    title, body, content='reports', content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail='column'
);
INSERT INTO reports_fts(reports_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE reports_vocab USING fts5vocab(reports_fts, 'row');
"""

# V3: names an analyst split apart, by spelling (``db.identity.keys.normalise_name``, name_a < name_b).
# ``entity_decisions`` holds transliteration keys, which cannot tell apart two people whose names
# fold to one key ("Mohamed Ali" / "Mohammed Ali"): re-extraction never links one of these names
# to an entity known by the other. Only a new table: nothing existing is rewritten.
V3 = """
CREATE TABLE entity_name_decisions (
    name_a TEXT NOT NULL,
    name_b TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('split')),
    at TEXT NOT NULL,
    PRIMARY KEY (name_a, name_b)
) WITHOUT ROWID;
CREATE INDEX entity_name_decisions_by_b ON entity_name_decisions(name_b);
"""

# V4: report titles by id, beside the reports' rows. Search reads the titles (and queue order) of
# up to 2,000 candidate reports at a keystroke; in the table each report's row fills a page (its
# body is in it), in this index it takes ~100 bytes (figures: bench/RESULTS.md, "Figures that
# were in code comments").
V4 = """
CREATE INDEX reports_titles ON reports(id, sort_key, title);
"""

# V5: where a report's published date was read ("page metadata", "dateline", "feed item",
# "front matter", "record field"). A date keeps the precision its source gave (``2015``,
# ``2013-08``); dates stored before this version keep their text and an unknown origin.
V5 = """
ALTER TABLE reports ADD COLUMN published_from TEXT;
"""

# V_ACH: the Analysis of Competing Hypotheses matrix (db/ach.py). ``ach_cells`` holds the
# analyst's consistency rating of a claim (row) against a hypothesis (column); a cell without one
# falls back to the claim's stance toward that hypothesis. ``ach_rows`` holds the analyst's choice
# of evidence rows: included 1 (added), 0 (taken out although it has a stance). Only new tables.
V_ACH = """
CREATE TABLE ach_cells (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    hypothesis_id INTEGER NOT NULL REFERENCES hypotheses(id) ON DELETE CASCADE,
    consistency TEXT NOT NULL CHECK (consistency IN ('CC', 'C', 'N', 'I', 'II')),
    PRIMARY KEY (claim_id, hypothesis_id)
) WITHOUT ROWID;
CREATE INDEX ach_cells_by_hypothesis ON ach_cells(hypothesis_id);
CREATE TABLE ach_rows (
    claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    included INTEGER NOT NULL CHECK (included IN (0, 1)),
    at TEXT NOT NULL
);
"""
# V_CORRECTIONS: the analyst's corrections (issue 18). A claim rejected as "not a claim" keeps its row
# (hidden, and kept through re-extraction so the extractor does not bring it back); names deleted
# as junk entities, by spelling (``db.identity.keys.normalise_name``), so re-extraction and later imports
# do not bring them back either. Only additions: nothing existing is rewritten.
V_CORRECTIONS = """
ALTER TABLE claims ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0;
CREATE TABLE entity_rejections (
    name TEXT PRIMARY KEY,
    type TEXT,
    at TEXT NOT NULL
) WITHOUT ROWID;
"""

# V_FEEDS: subscriptions polled for new reports: RSS/Atom feeds by URL, and watched folders.
# The conditional-GET validators (etag, last_modified) and the back-off state (failures,
# next_poll_at) live beside each subscription; ``subscription_files`` remembers which files of a
# watched folder were imported (name, size, mtime), so a poll reads only files dropped since.
# ``name`` is the analyst's (it names the source of the items), ``title`` the feed's own.
# Only new tables: nothing existing is rewritten.
V_FEEDS = f"""
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'folder')),
    location TEXT NOT NULL UNIQUE,
    name TEXT,
    title TEXT,
    reliability TEXT CHECK (reliability IS NULL OR {RELIABILITY_CHECK}),
    interval_seconds INTEGER NOT NULL DEFAULT 900 CHECK (interval_seconds >= 60),
    etag TEXT,
    last_modified TEXT,
    last_polled_at TEXT,
    last_new INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_poll_at TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE subscription_files (
    subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    PRIMARY KEY (subscription_id, name)
) WITHOUT ROWID;
"""

# Read and flagged are separate facts (issue 18): a flag is a mark for later, on a report read or
# not yet read, and marking it read (or new) keeps the flag. A report flagged before this version
# keeps its flag and counts as read (it was triaged). ``status`` stays new, read or dismissed;
# its CHECK still allows 'flagged' only so that the old rows' audit history reads as written.
V_READ_AND_FLAGGED = """
ALTER TABLE reports ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1));
UPDATE reports SET flagged = 1, status = 'read' WHERE status = 'flagged';
CREATE INDEX reports_flagged ON reports(sort_key DESC, id DESC) WHERE flagged = 1;
"""

# V_CROSSREPORT: claims across reports. ``claim_families`` groups claims stating one proposition
# (family_id: the smallest claim id that ever joined it); ``claim_keys`` are the lookup keys that find
# similar claims on import (db.analysis.propositions); ``claim_matches`` the pairs found, same or
# near (alike, below the family bar) or opposite polarity (an assertion and its denial); ``claim_relays`` the sources a claim repeats
# (named in a claim's chain, a footnote, or the body); ``relation_decisions`` what the analyst answered to
# a suggested link, so a rejected suggestion is never offered again. Derived tables can be rebuilt
# (``analyst-tui families --rebuild``); only relation_decisions holds analyst work. Only new tables.
V_CROSSREPORT = """
CREATE TABLE claim_families (
    claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    family_id INTEGER NOT NULL
);
CREATE INDEX claim_families_by_family ON claim_families(family_id);
CREATE TABLE claim_keys (
    key INTEGER NOT NULL,
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    PRIMARY KEY (key, claim_id)
) WITHOUT ROWID;
CREATE INDEX claim_keys_by_claim ON claim_keys(claim_id);
CREATE TABLE claim_matches (
    a INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    polarity TEXT NOT NULL CHECK (polarity IN ('same', 'near', 'opposite')),
    score REAL NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX claim_matches_by_b ON claim_matches(b);
CREATE TABLE relation_decisions (
    a INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('corroborates', 'contradicts')),
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    at TEXT NOT NULL,
    PRIMARY KEY (a, b, type)
) WITHOUT ROWID;
CREATE INDEX relation_decisions_by_b ON relation_decisions(b);
CREATE TABLE claim_relays (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    how TEXT NOT NULL CHECK (how IN ('chain', 'footnote', 'body')),
    PRIMARY KEY (claim_id, source_id)
) WITHOUT ROWID;
CREATE INDEX claim_relays_by_source ON claim_relays(source_id, claim_id);
"""

# V_TEAM: each analyst's judgement kept apart (issue 22). Grades, stances, notes and ACH ratings are
# stored per analyst (the ACH matrix's evidence rows stay shared); two analysts grading one claim never conflict. ``reports.credibility``,
# ``claims.credibility`` and ``sources.reliability`` keep the value the report came with (an import,
# a feed's grade): an analyst who has not graded sees it. A value an analyst set before this version
# moves to the analyst the audit log says set it last (a note or stance nobody logged: the analyst
# opening the file, ``current_analyst()``), and the column goes back to the value before the first
# logged change, so nothing is lost. ``version`` on reports and entities: shared facts are written
# ``WHERE version = ?`` (a stale write is refused, never silently applied). Portable SQL: the same
# text runs on PostgreSQL (no WITHOUT ROWID, no json functions: the logged JSON of a grade is "3"
# or "\"B\"").
V_TEAM = f"""
CREATE INDEX audit_log_by_target ON audit_log(target_kind, target_id, field);
CREATE TABLE report_grades (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    analyst TEXT NOT NULL,
    credibility INTEGER NOT NULL CHECK (credibility BETWEEN 1 AND 6),
    at TEXT NOT NULL,
    PRIMARY KEY (report_id, analyst)
);
CREATE TABLE claim_grades (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    analyst TEXT NOT NULL,
    credibility INTEGER NOT NULL CHECK (credibility BETWEEN 1 AND 6),
    at TEXT NOT NULL,
    PRIMARY KEY (claim_id, analyst)
);
CREATE TABLE source_grades (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    analyst TEXT NOT NULL,
    reliability TEXT NOT NULL CHECK ({RELIABILITY_CHECK}),
    at TEXT NOT NULL,
    PRIMARY KEY (source_id, analyst)
);
INSERT INTO report_grades(report_id, analyst, credibility, at)
    SELECT r.id, last.who, r.credibility, last.at FROM reports r
    JOIN audit_log last ON last.id = (SELECT max(a.id) FROM audit_log a
        WHERE a.target_kind = 'report' AND a.target_id = r.id AND a.field = 'credibility')
    WHERE r.credibility <> (SELECT CAST(f.old AS INTEGER) FROM audit_log f WHERE f.id = (SELECT min(a.id) FROM audit_log a
        WHERE a.target_kind = 'report' AND a.target_id = r.id AND a.field = 'credibility'));
UPDATE reports SET credibility = (SELECT CAST(f.old AS INTEGER) FROM audit_log f WHERE f.id = (SELECT min(a.id) FROM audit_log a
        WHERE a.target_kind = 'report' AND a.target_id = reports.id AND a.field = 'credibility'))
    WHERE id IN (SELECT target_id FROM audit_log WHERE target_kind = 'report' AND field = 'credibility');
INSERT INTO claim_grades(claim_id, analyst, credibility, at)
    SELECT c.id, last.who, c.credibility, last.at FROM claims c
    JOIN audit_log last ON last.id = (SELECT max(a.id) FROM audit_log a
        WHERE a.target_kind = 'claim' AND a.target_id = c.id AND a.field = 'credibility')
    WHERE c.credibility <> (SELECT CAST(f.old AS INTEGER) FROM audit_log f WHERE f.id = (SELECT min(a.id) FROM audit_log a
        WHERE a.target_kind = 'claim' AND a.target_id = c.id AND a.field = 'credibility'));
UPDATE claims SET credibility = (SELECT CAST(f.old AS INTEGER) FROM audit_log f WHERE f.id = (SELECT min(a.id) FROM audit_log a
        WHERE a.target_kind = 'claim' AND a.target_id = claims.id AND a.field = 'credibility'))
    WHERE id IN (SELECT target_id FROM audit_log WHERE target_kind = 'claim' AND field = 'credibility');
INSERT INTO source_grades(source_id, analyst, reliability, at)
    SELECT s.id, last.who, s.reliability, last.at FROM sources s
    JOIN audit_log last ON last.id = (SELECT max(a.id) FROM audit_log a
        WHERE a.target_kind = 'source' AND a.target_id = s.id AND a.field = 'reliability')
    WHERE s.reliability <> (SELECT substr(f.old, 2, 1) FROM audit_log f WHERE f.id = (SELECT min(a.id) FROM audit_log a
        WHERE a.target_kind = 'source' AND a.target_id = s.id AND a.field = 'reliability'));
UPDATE sources SET reliability = (SELECT substr(f.old, 2, 1) FROM audit_log f WHERE f.id = (SELECT min(a.id) FROM audit_log a
        WHERE a.target_kind = 'source' AND a.target_id = sources.id AND a.field = 'reliability'))
    WHERE id IN (SELECT target_id FROM audit_log WHERE target_kind = 'source' AND field = 'reliability');
CREATE TABLE analyst_stances (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    hypothesis_id INTEGER NOT NULL REFERENCES hypotheses(id) ON DELETE CASCADE,
    analyst TEXT NOT NULL,
    stance TEXT NOT NULL CHECK (stance IN ('supports', 'refutes', 'neutral')),
    PRIMARY KEY (claim_id, hypothesis_id, analyst)
);
INSERT INTO analyst_stances(claim_id, hypothesis_id, analyst, stance)
    SELECT s.claim_id, s.hypothesis_id, coalesce((SELECT a.who FROM audit_log a WHERE a.target_kind = 'claim'
        AND a.target_id = s.claim_id AND a.field = 'stance:' || s.hypothesis_id ORDER BY a.id DESC LIMIT 1),
        current_analyst()), s.stance
    FROM claim_stances s;
DROP TABLE claim_stances;
ALTER TABLE analyst_stances RENAME TO claim_stances;
CREATE INDEX claim_stances_by_hypothesis ON claim_stances(hypothesis_id, stance);
CREATE TABLE analyst_notes (
    target_kind TEXT NOT NULL CHECK (target_kind IN ('report', 'claim', 'source', 'entity')),
    target_id INTEGER NOT NULL,
    analyst TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (target_kind, target_id, analyst)
);
INSERT INTO analyst_notes(target_kind, target_id, analyst, text, updated_at)
    SELECT n.target_kind, n.target_id, coalesce((SELECT a.who FROM audit_log a WHERE a.target_kind = n.target_kind
        AND a.target_id = n.target_id AND a.field = 'note' ORDER BY a.id DESC LIMIT 1), current_analyst()),
        n.text, n.updated_at
    FROM notes n;
DROP TABLE notes;
ALTER TABLE analyst_notes RENAME TO notes;
CREATE TABLE analyst_ach_cells (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    hypothesis_id INTEGER NOT NULL REFERENCES hypotheses(id) ON DELETE CASCADE,
    analyst TEXT NOT NULL,
    consistency TEXT NOT NULL CHECK (consistency IN ('CC', 'C', 'N', 'I', 'II')),
    PRIMARY KEY (claim_id, hypothesis_id, analyst)
);
INSERT INTO analyst_ach_cells(claim_id, hypothesis_id, analyst, consistency)
    SELECT x.claim_id, x.hypothesis_id, coalesce((SELECT a.who FROM audit_log a WHERE a.target_kind = 'claim'
        AND a.target_id = x.claim_id AND a.field = 'ach:' || x.hypothesis_id ORDER BY a.id DESC LIMIT 1),
        current_analyst()), x.consistency
    FROM ach_cells x;
DROP TABLE ach_cells;
ALTER TABLE analyst_ach_cells RENAME TO ach_cells;
CREATE INDEX ach_cells_by_hypothesis ON ach_cells(hypothesis_id);
ALTER TABLE reports ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entities ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
"""

# PostgreSQL's V12 indexes the punctuation of trigrams (db/backends/pg_search_schema.py): SQLite's
# trigram index (FTS5) keeps it already.
V_SEARCH_KEYS = ""

# Index = schema version reached after applying it. Append only.
MIGRATIONS: list[str] = [V1, V2, V3, V4, V5, V_ACH, V_CORRECTIONS, V_FEEDS, V_READ_AND_FLAGGED, V_CROSSREPORT, V_TEAM,
                         V_SEARCH_KEYS]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


def backup_before_upgrade(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database aside (consistently, through SQLite's backup API) before migrating."""
    target = path.with_name(f"{path.name}.v{version}.bak")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.v{version}.bak{n}")
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    shutil.copymode(path, target)
    return target


def check_version(conn: sqlite3.Connection) -> int:
    """The file's schema version, or an error if this program must not touch the file."""
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"this database has schema version {version}, newer than this analyst-tui understands "
            f"({SCHEMA_VERSION}); upgrade analyst-tui to open it. The file was not changed."
        )
    if version == 0 and _has_tables(conn):
        raise StoreError("this SQLite file holds other tables and is not an analyst-tui database; nothing was changed")
    return version


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> Path | None:
    """Bring the file up to :data:`SCHEMA_VERSION`. Returns the backup made, if any."""
    version = check_version(conn)
    if version == SCHEMA_VERSION:
        return None
    backup = None
    if version > 0 and path is not None:
        backup = backup_before_upgrade(conn, path, version)
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with transaction(conn):
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if current_version(conn) >= number:
                continue
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
    return backup


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buffer = [], []
    for line in script.splitlines():
        if not line.strip() or line.strip().startswith("--"):
            continue
        buffer.append(line)
        candidate = "\n".join(buffer)
        if sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buffer = []
    if buffer:
        statements.append("\n".join(buffer))
    return statements
