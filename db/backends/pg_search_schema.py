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
  (``ILIKE '%gram%'``); schema V12 replaced the claims' by one on ``claims.search_key`` (below).

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


# --- schema version 12: claims' search key -----------------------------------------------------------

# A claim's text as the trigram reads test it, stored beside it (``claims.search_key``, with a pg_trgm
# index), for two reasons measured at 1M claims (bench/RESULTS.md):
# - ``ILIKE`` lowers the whole text at every test; the key is lowered once, when written, and tested
#   with ``LIKE`` (walking 60k claims for "refused": 144 ms against 182 ms, under load 7);
# - pg_trgm keeps letters and digits only: "al-So" gives it the trigrams of "al" and "so" (145k
#   candidates, each rechecked) and nothing of "al-", "l-s" or "-so". In the key each of these
#   punctuation marks is a letter of its own (Tifinagh: caseless, met in no corpus so far), so "al-"
#   is a trigram there. Marks not listed stay as they are (their trigrams are read as before).
# A text holding a trigram (ILIKE '%gram%') holds its key in its key (LIKE '%key%'): lowering and the
# marks' letters go character by character. The converse may fail (a text with Tifinagh letters of its
# own), so db/search_pg.py keeps the ILIKE as well: the rows are the same. The key of a trigram is the
# server's (``analyst_search_key``), so the two cannot disagree. Changing the marks takes a migration.
KEY_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2018\u2019\u201c\u201d\u2013\u2014\u2026"
KEY_LETTERS = "".join(chr(0x2D30 + i) for i in range(len(KEY_PUNCTUATION)))  # U+2D30.. Tifinagh letters


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _key_expression(value: str) -> str:
    """lower(), then each mark replaced by its letter: nested replace() (a byte search each) is ~5x
    faster than translate(), which compares every character with every mark."""
    expression = f"lower({value})"
    for mark, letter in zip(KEY_PUNCTUATION, KEY_LETTERS, strict=True):
        expression = f"replace({expression}, {_literal(mark)}, {_literal(letter)})"
    return expression


# Built by ``analyst-tui copy`` at the end of filling an empty table, as SEARCH_INDEXES are.
# The key's index answers every trigram read of the claims: the text's (V1) is dropped (208 MB at 1M
# claims, and its upkeep at every insert), and the copy does not build it again.
RETIRED_INDEXES = frozenset({"claims_text_trigrams"})
KEY_INDEXES = {
    "claims": ["CREATE INDEX IF NOT EXISTS claims_key_trigrams ON claims USING gin (search_key gin_trgm_ops)"],
}

PG_SEARCH_KEYS = f"""
CREATE FUNCTION analyst_search_key(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $key$ SELECT {_key_expression("value")} $key$;
ALTER TABLE claims ADD COLUMN search_key text GENERATED ALWAYS AS (analyst_search_key(text)) STORED;
{"".join(f"DROP INDEX IF EXISTS {name};{chr(10)}" for name in sorted(RETIRED_INDEXES))}{"".join(f"{sql};{chr(10)}" for table in KEY_INDEXES.values() for sql in table)}"""
