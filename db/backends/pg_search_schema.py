"""The PostgreSQL pieces of search and of live refresh, part of ``PG_MIGRATIONS[0]`` (the counterpart of
SQLite's V1, where its FTS5 tables and their triggers are created).

Search (read by db/search_pg.py):
- ``words``: a ``tsvector`` column generated from the claim's text, and from the report's title and
  body without positions (``strip``: SQLite's report index keeps none either, and a long body's
  positions would make the value large), each with a GIN index. The text is cut into runs of letters
  and digits first (punctuation -> a space): PostgreSQL's parser would otherwise keep
  ``example.com`` or ``5.56`` whole, where SQLite's ``unicode61`` finds ``example`` and ``com``. The
  configuration ``analyst_words`` then lowers the case and removes diacritics (``unaccent``), as
  ``unicode61 remove_diacritics 2`` does;
- ``pg_trgm`` GIN indexes on ``claims.text`` and ``reports.title`` for substring and trigram candidates
  (``ILIKE '%gram%'``).

Live refresh (read by db/live.py): every statement that changes one of the tables an analyst sees
sends ``NOTIFY analyst_tui_changes, '<table>'`` (delivered when its transaction commits, once per
table and transaction), so other analysts' screens re-read within their poll.
"""

from __future__ import annotations

NOTIFY_CHANNEL = "analyst_tui_changes"
# What an analyst's change or an import writes; every analyst change is in audit_log as well.
NOTIFYING_TABLES = ("reports", "claims", "entities", "sources", "claim_stances", "notes", "taggings", "tags",
                    "hypotheses", "claim_relations", "audit_log")

# Punctuation is what makes the parser keep "example.com", "5.56" or "a_b" whole (hosts, numbers, file
# names); without it, it cuts where unicode61 does. ([^[:alnum:]] says the same and is 4x slower.)
# By table: ``analyst-tui copy`` drops them while it fills an empty table and builds them once at the
# end (db/corpus_copy.py): building a GIN index in one go is several times faster than row by row.
SEARCH_INDEXES = {
    "claims": ["CREATE INDEX IF NOT EXISTS claims_words ON claims USING gin (words)",
               "CREATE INDEX IF NOT EXISTS claims_text_trigrams ON claims USING gin (text gin_trgm_ops)"],
    "reports": ["CREATE INDEX IF NOT EXISTS reports_words ON reports USING gin (words)",
                "CREATE INDEX IF NOT EXISTS reports_title_trigrams ON reports USING gin (title gin_trgm_ops)"],
}

def notify_trigger(table: str) -> str:
    return (f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION analyst_tui_notify();\n")


_WORDS = "to_tsvector('analyst_words', regexp_replace({}, '[[:punct:]]+', ' ', 'g'))"

PG_SEARCH_V1 = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION analyst_words (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION analyst_words
    ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart
    WITH unaccent, simple;

ALTER TABLE claims ADD COLUMN words tsvector GENERATED ALWAYS AS ({_WORDS.format("text")}) STORED;
ALTER TABLE reports ADD COLUMN words tsvector
    GENERATED ALWAYS AS (strip({_WORDS.format("title || ' ' || body")})) STORED;
{"".join(f"{sql};{chr(10)}" for table in SEARCH_INDEXES.values() for sql in table)}
CREATE FUNCTION analyst_tui_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{NOTIFY_CHANNEL}', TG_TABLE_NAME);
    RETURN NULL;
END $$;
""" + "".join(notify_trigger(table) for table in NOTIFYING_TABLES)
