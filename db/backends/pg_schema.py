"""The PostgreSQL schema: ``PG_MIGRATIONS[i]`` is the counterpart of ``db.schema.MIGRATIONS[i]`` (same
length, same order; tests/test_pg_backend.py checks both end with the same tables and columns).

Written by hand, in the forms the translator (db/backends/translate.py) relies on: an integer id is
``id BIGINT PRIMARY KEY`` with the ``sqlite_rowid`` trigger (an explicit NULL id takes the next one, an
explicit id moves the sequence past it, as SQLite's rowids do); every other key is a ``PRIMARY KEY (...)``
line. SQLite INTEGER is 64-bit: BIGINT here; REAL is DOUBLE PRECISION. The full-text tables (FTS5) have
no counterpart here: search on PostgreSQL is its own concern (tsvector and pg_trgm).

Migrations run once: under ``pg_advisory_lock`` (two clients starting together cannot both migrate),
each in its own transaction with its ``schema_version`` row.
"""

from __future__ import annotations

import re

from ..errors import NewerSchemaError, StoreError
from ..schema import KIND_CHECK, RELIABILITY_CHECK, SCHEMA_VERSION, STATUS_CHECK, V_TEAM
from .pg_search_schema import PG_SEARCH_KEYS, PG_SEARCH_V1, notify_trigger

# pg_advisory_lock key of the migration runner: "analyst-tui migrate" in 8 bytes
MIGRATION_LOCK_KEY = 0x616E616C7973746D
# pg_advisory_xact_lock key of a write (db/backends/postgresql.py): writers run one at a time, as in SQLite
WRITE_LOCK_KEY = 0x616E616C79737477


def _ids(table: str) -> str:
    """The trigger that gives ``table`` SQLite's rowid behaviour on its ``id``."""
    return f"CREATE TRIGGER {table}_rowid BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION sqlite_rowid();\n"


PG_V1 = f"""
CREATE EXTENSION IF NOT EXISTS citext;

-- SQLite's rowid: a row without an id takes the largest + 1 (ids are the same on both backends:
-- an INSERT ... ON CONFLICT DO NOTHING that inserts nothing takes none, as INSERT OR IGNORE). Under
-- the writers' lock, so two writers never take one id (a store write holds it already).
CREATE FUNCTION sqlite_rowid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        PERFORM pg_advisory_xact_lock({WRITE_LOCK_KEY});
        EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO NEW.id;
    END IF;
    RETURN NEW;
END $$;

-- SQLite's group_concat(x) and group_concat(x, separator)
CREATE FUNCTION group_concat_step(acc text, value anyelement, sep text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN value IS NULL THEN acc WHEN acc IS NULL THEN value::text ELSE acc || sep || value::text END $$;
CREATE FUNCTION group_concat_step(acc text, value anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT group_concat_step(acc, value, ',') $$;
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = group_concat_step, STYPE = text);
CREATE AGGREGATE group_concat(anyelement) (SFUNC = group_concat_step, STYPE = text);

-- SQLite's julianday(text): days since the Julian epoch; NULL for text that is not a date, as there
CREATE FUNCTION julianday(value text) RETURNS double precision LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN extract(epoch FROM value::timestamp) / 86400.0 + 2440587.5;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$;

CREATE TABLE sources (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    full_name TEXT,
    kind TEXT NOT NULL DEFAULT 'unknown' CHECK ({KIND_CHECK}),
    affiliation TEXT,
    reliability TEXT NOT NULL DEFAULT 'F' CHECK ({RELIABILITY_CHECK}),
    url TEXT,
    created_at TEXT NOT NULL
);
{_ids("sources")}
CREATE TABLE reports (
    id BIGINT PRIMARY KEY,
    title TEXT NOT NULL,
    source_id BIGINT REFERENCES sources(id) ON DELETE SET NULL,
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
    credibility BIGINT NOT NULL DEFAULT 6 CHECK (credibility BETWEEN 1 AND 6),
    duplicate_of BIGINT REFERENCES reports(id) ON DELETE SET NULL,
    extractor_version TEXT
);
{_ids("reports")}
CREATE INDEX reports_queue ON reports(sort_key DESC, id DESC);
CREATE INDEX reports_by_status ON reports(status, sort_key DESC, id DESC);
CREATE INDEX reports_by_source ON reports(source_id);
CREATE INDEX reports_by_duplicate ON reports(duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE TABLE report_fingerprints (
    band BIGINT NOT NULL,
    value BIGINT NOT NULL,
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    PRIMARY KEY (band, value, report_id)
);
CREATE INDEX report_fingerprints_by_report ON report_fingerprints(report_id);

CREATE TABLE entities (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('PERSON', 'ORG', 'LOC', 'MEDIA')),
    key TEXT NOT NULL,
    created_at TEXT NOT NULL
);
{_ids("entities")}
CREATE INDEX entities_by_key ON entities(key);

CREATE TABLE entity_aliases (
    entity_id BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX entity_aliases_by_key ON entity_aliases(key);

CREATE TABLE entity_decisions (
    key_a TEXT NOT NULL,
    key_b TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('merge', 'split')),
    at TEXT NOT NULL,
    PRIMARY KEY (key_a, key_b)
);

CREATE TABLE merge_proposals (
    a BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    b BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    score DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (a, b)
);

CREATE TABLE claims (
    id BIGINT PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    start BIGINT NOT NULL,
    "end" BIGINT NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT,
    speaker_resolved TEXT,
    speaker_inferred BIGINT NOT NULL DEFAULT 0,
    speaker_source_id BIGINT REFERENCES sources(id) ON DELETE SET NULL,
    speaker_entity_id BIGINT REFERENCES entities(id) ON DELETE SET NULL,
    cue TEXT,
    chain TEXT NOT NULL DEFAULT '[]',
    is_quote BIGINT NOT NULL DEFAULT 0,
    is_hedged BIGINT NOT NULL DEFAULT 0,
    is_denial BIGINT NOT NULL DEFAULT 0,
    credibility BIGINT NOT NULL DEFAULT 6 CHECK (credibility BETWEEN 1 AND 6),
    rule TEXT NOT NULL DEFAULT '',
    confidence DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    origin TEXT NOT NULL DEFAULT 'extracted' CHECK (origin IN ('extracted', 'analyst')),
    parent_id BIGINT REFERENCES claims(id) ON DELETE SET NULL,
    reviewed BIGINT NOT NULL DEFAULT 0
);
{_ids("claims")}
CREATE INDEX claims_by_report ON claims(report_id, start);

CREATE TABLE mentions (
    id BIGINT PRIMARY KEY,
    entity_id BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    claim_id BIGINT REFERENCES claims(id) ON DELETE SET NULL,
    start BIGINT NOT NULL,
    "end" BIGINT NOT NULL,
    text TEXT NOT NULL
);
{_ids("mentions")}
CREATE INDEX mentions_by_entity ON mentions(entity_id, report_id);
CREATE INDEX mentions_by_report ON mentions(report_id, start);

CREATE TABLE cited_sources (
    id BIGINT PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    source TEXT NOT NULL,
    date TEXT,
    raw TEXT NOT NULL,
    start BIGINT NOT NULL,
    "end" BIGINT NOT NULL
);
{_ids("cited_sources")}
CREATE INDEX cited_sources_by_report ON cited_sources(report_id);

CREATE TABLE cited_source_claims (
    cited_source_id BIGINT NOT NULL REFERENCES cited_sources(id) ON DELETE CASCADE,
    claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    PRIMARY KEY (cited_source_id, claim_id)
);

CREATE TABLE hypotheses (
    id BIGINT PRIMARY KEY,
    title TEXT NOT NULL UNIQUE,
    active BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
{_ids("hypotheses")}
CREATE TABLE claim_stances (
    claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    hypothesis_id BIGINT NOT NULL REFERENCES hypotheses(id) ON DELETE CASCADE,
    stance TEXT NOT NULL CHECK (stance IN ('supports', 'refutes', 'neutral')),
    PRIMARY KEY (claim_id, hypothesis_id)
);
CREATE INDEX claim_stances_by_hypothesis ON claim_stances(hypothesis_id, stance);

CREATE TABLE claim_relations (
    a BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    b BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('corroborates', 'contradicts', 'duplicates')),
    origin TEXT NOT NULL DEFAULT 'analyst',
    PRIMARY KEY (a, b, type)
);

-- citext: SQLite's COLLATE NOCASE on the name (one tag whatever its case, found in any case)
CREATE TABLE tags (
    id BIGINT PRIMARY KEY,
    name CITEXT NOT NULL UNIQUE
);
{_ids("tags")}
CREATE TABLE taggings (
    tag_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('report', 'claim', 'source', 'entity')),
    target_id BIGINT NOT NULL,
    PRIMARY KEY (tag_id, target_kind, target_id)
);
CREATE INDEX taggings_by_target ON taggings(target_kind, target_id);

CREATE TABLE notes (
    target_kind TEXT NOT NULL CHECK (target_kind IN ('report', 'claim', 'source', 'entity')),
    target_id BIGINT NOT NULL,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (target_kind, target_id)
);

CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    batch TEXT NOT NULL,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT,
    field TEXT,
    old TEXT,
    new TEXT,
    undoes TEXT
);
{_ids("audit_log")}
CREATE INDEX audit_log_by_batch ON audit_log(batch);
CREATE INDEX audit_log_by_undoes ON audit_log(undoes) WHERE undoes IS NOT NULL;
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# V2 rebuilt the FTS5 report index without positions: no counterpart here.
PG_V2 = ""

PG_V3 = """
CREATE TABLE entity_name_decisions (
    name_a TEXT NOT NULL,
    name_b TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('split')),
    at TEXT NOT NULL,
    PRIMARY KEY (name_a, name_b)
);
CREATE INDEX entity_name_decisions_by_b ON entity_name_decisions(name_b);
"""

PG_V4 = """
CREATE INDEX reports_titles ON reports(id, sort_key, title);
"""

PG_V5 = """
ALTER TABLE reports ADD COLUMN published_from TEXT;
"""

PG_V_ACH = """
CREATE TABLE ach_cells (
    claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    hypothesis_id BIGINT NOT NULL REFERENCES hypotheses(id) ON DELETE CASCADE,
    consistency TEXT NOT NULL CHECK (consistency IN ('CC', 'C', 'N', 'I', 'II')),
    PRIMARY KEY (claim_id, hypothesis_id)
);
CREATE INDEX ach_cells_by_hypothesis ON ach_cells(hypothesis_id);
CREATE TABLE ach_rows (
    claim_id BIGINT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    included BIGINT NOT NULL CHECK (included IN (0, 1)),
    at TEXT NOT NULL
);
"""

PG_V_CORRECTIONS = """
ALTER TABLE claims ADD COLUMN rejected BIGINT NOT NULL DEFAULT 0;
CREATE TABLE entity_rejections (
    name TEXT PRIMARY KEY,
    type TEXT,
    at TEXT NOT NULL
);
"""

PG_V_FEEDS = f"""
CREATE TABLE subscriptions (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'folder')),
    location TEXT NOT NULL UNIQUE,
    name TEXT,
    title TEXT,
    reliability TEXT CHECK (reliability IS NULL OR {RELIABILITY_CHECK}),
    interval_seconds BIGINT NOT NULL DEFAULT 900 CHECK (interval_seconds >= 60),
    etag TEXT,
    last_modified TEXT,
    last_polled_at TEXT,
    last_new BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    failures BIGINT NOT NULL DEFAULT 0,
    next_poll_at TEXT,
    created_at TEXT NOT NULL
);
{_ids("subscriptions")}
CREATE TABLE subscription_files (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    mtime_ns BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, name)
);
"""

PG_V_READ_AND_FLAGGED = """
ALTER TABLE reports ADD COLUMN flagged BIGINT NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1));
UPDATE reports SET flagged = 1, status = 'read' WHERE status = 'flagged';
CREATE INDEX reports_flagged ON reports(sort_key DESC, id DESC) WHERE flagged = 1;
"""

PG_V_CROSSREPORT = """
CREATE TABLE claim_families (
    claim_id BIGINT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    family_id BIGINT NOT NULL
);
CREATE INDEX claim_families_by_family ON claim_families(family_id);
CREATE TABLE claim_keys (
    key BIGINT NOT NULL,
    claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    PRIMARY KEY (key, claim_id)
);
CREATE INDEX claim_keys_by_claim ON claim_keys(claim_id);
CREATE TABLE claim_matches (
    a BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    b BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    polarity TEXT NOT NULL CHECK (polarity IN ('same', 'near', 'opposite')),
    score DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX claim_matches_by_b ON claim_matches(b);
CREATE TABLE relation_decisions (
    a BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    b BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('corroborates', 'contradicts')),
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    at TEXT NOT NULL,
    PRIMARY KEY (a, b, type)
);
CREATE INDEX relation_decisions_by_b ON relation_decisions(b);
CREATE TABLE claim_relays (
    claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    how TEXT NOT NULL CHECK (how IN ('chain', 'footnote', 'body')),
    PRIMARY KEY (claim_id, source_id)
);
CREATE INDEX claim_relays_by_source ON claim_relays(source_id, claim_id);
"""

# Team mode (issue 22). The analyst is the database login: ``current_analyst()`` answers it (SQLite
# registers a function of that name on each connection), and the audit log's ``who`` and ``at`` are
# stamped by the server (its login and its clock, whatever the client sent: a client cannot write in
# another's name). The log stays append-only: the triggers of PG_V1 refuse UPDATE, DELETE and
# TRUNCATE, and no role but the owner holds those rights (an administrator granting an analyst's
# role rights on every table revokes them on audit_log again: README). V_TEAM itself was written
# portable: the same statements move the old rows; only SQLite's INTEGER columns become BIGINT.
# Its new tables send the live notifications too (the old claim_stances and notes lost theirs with
# the tables V_TEAM drops).
PG_TEAM_FUNCTIONS = """
CREATE FUNCTION current_analyst() RETURNS text LANGUAGE sql STABLE AS $$ SELECT current_user::text $$;
"""
_SERVER_NOW = """to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
PG_TEAM_AUDIT = f"""
CREATE FUNCTION audit_log_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.who := current_user;
    NEW.at := {_SERVER_NOW};
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_stamp BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_stamp();
ALTER TABLE audit_log ALTER COLUMN who SET DEFAULT current_user, ALTER COLUMN at SET DEFAULT {_SERVER_NOW};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
""" + "".join(notify_trigger(table) for table in
              ("claim_stances", "notes", "ach_cells", "report_grades", "claim_grades", "source_grades"))
PG_V_TEAM = PG_TEAM_FUNCTIONS + V_TEAM.replace("INTEGER NOT NULL", "BIGINT NOT NULL") + PG_TEAM_AUDIT

# One for one with db.schema.MIGRATIONS. Append only.
PG_MIGRATIONS: list[str] = [PG_V1 + PG_SEARCH_V1, PG_V2, PG_V3, PG_V4, PG_V5, PG_V_ACH, PG_V_CORRECTIONS, PG_V_FEEDS,
                            PG_V_READ_AND_FLAGGED, PG_V_CROSSREPORT, PG_V_TEAM, PG_SEARCH_KEYS]

# --- what the translator needs to know of the tables -------------------------------------------------

# V_TEAM rebuilds claim_stances, notes and ach_cells with new keys: a table's key is its latest one
_TABLE_OR_RENAME = re.compile(r"CREATE TABLE (\w+) \((.*?)\n\);|ALTER TABLE (\w+) RENAME TO (\w+);", re.DOTALL)
_KEY_LINE = re.compile(r"^\s*PRIMARY KEY \(([^)]*)\)", re.MULTILINE)
_KEY_COLUMN = re.compile(r"^\s*(\w+) [^\n]*\bPRIMARY KEY\b", re.MULTILINE)


def _keys() -> dict[str, tuple[str, ...]]:
    keys: dict[str, tuple[str, ...]] = {}
    for table, body, old_name, new_name in _TABLE_OR_RENAME.findall("\n".join(PG_MIGRATIONS)):
        if old_name:
            if old_name in keys:
                keys[new_name] = keys.pop(old_name)
            continue
        line = _KEY_LINE.search(body)
        column = _KEY_COLUMN.search(body)
        if line:
            keys[table] = tuple(c.strip() for c in line.group(1).split(","))
        elif column:
            keys[table] = (column.group(1),)
    return keys


TABLE_KEYS = _keys()
ID_TABLES = frozenset(table for table, key in TABLE_KEYS.items() if key == ("id",)
                      and f"{table}_rowid" in "\n".join(PG_MIGRATIONS))


def primary_key(table: str) -> tuple[str, ...]:
    try:
        return TABLE_KEYS[table]
    except KeyError:
        raise StoreError(f"INSERT OR REPLACE into {table}, which has no primary key in pg_schema") from None


# --- running them ----------------------------------------------------------------------------------


def current_version(raw) -> int:
    """The database's schema version (0: no analyst-tui schema yet). ``raw``: a psycopg connection."""
    exists = raw.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    row = raw.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def _has_tables(raw) -> bool:
    return raw.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()[0] > 0


def check_version(raw) -> int:
    version = current_version(raw)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"this database has schema version {version}, newer than this analyst-tui understands "
            f"({SCHEMA_VERSION}); upgrade analyst-tui to open it. Nothing was changed.")
    if version == 0 and _has_tables(raw):
        raise StoreError("this PostgreSQL database holds other tables and is not an analyst-tui database; "
                         "nothing was changed")
    return version


def check_database(raw) -> str:
    """"ok", or what is wrong: the schema's version, and constraints left unvalidated (added NOT VALID)."""
    problems = []
    version = current_version(raw)
    if version != SCHEMA_VERSION:
        problems.append(f"schema version {version}, expected {SCHEMA_VERSION}")
    unvalidated = [r[0] for r in raw.execute(
        "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = current_schema() AND NOT c.convalidated")]
    if unvalidated:
        problems.append("constraints not validated: " + ", ".join(unvalidated))
    return "; ".join(problems) or "ok"


def migrate(raw, up_to: int = SCHEMA_VERSION) -> int:
    """Bring the database to SCHEMA_VERSION (``up_to``: an older one, for tests of upgrades); returns
    the number of migrations this call applied. ``raw`` is a psycopg connection in autocommit mode.
    A client that finds another migrating waits on the lock, then finds the work done."""
    if check_version(raw) >= up_to:
        return 0
    assert len(PG_MIGRATIONS) == SCHEMA_VERSION, "pg_schema.PG_MIGRATIONS must match db.schema.MIGRATIONS"
    applied = 0
    raw.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
    try:
        version = check_version(raw)  # again, inside the lock: another client may have migrated meanwhile
        for number in range(version + 1, up_to + 1):
            with raw.transaction():
                raw.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                            "version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
                script = PG_MIGRATIONS[number - 1]
                if script.strip():
                    raw.execute(script)
                raw.execute("INSERT INTO schema_version(version) VALUES (%s)", (number,))
            applied += 1
    finally:
        raw.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
    return applied
