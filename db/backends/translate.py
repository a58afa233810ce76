"""The SQLite dialect the store is written in, turned into PostgreSQL, once per statement text.

The code keeps ONE copy of its SQL, in SQLite's dialect with ``?`` parameters. What differs is
rewritten here: ``?`` -> ``%s`` (and a literal ``%`` doubled for psycopg), ``INSERT OR IGNORE`` ->
``ON CONFLICT DO NOTHING``, ``INSERT OR REPLACE`` -> ``ON CONFLICT (primary key) DO UPDATE``, ``LIKE`` ->
``ILIKE`` (SQLite's LIKE ignores ASCII case), ``x COLLATE NOCASE`` -> ``lower(x)``, ``ifnull`` ->
``coalesce``, ``instr`` -> ``strpos``, ``json_extract(x, '$.a.b')`` -> ``(x)::jsonb #>> '{a,b}'``,
``a IS NOT b`` -> ``a IS DISTINCT FROM b``, ``main.``/``temp.`` schema prefixes. ``group_concat`` is an
aggregate created by the PostgreSQL schema (db/backends/pg_schema.py), so it needs no rewriting.

String literals are set aside before any rewrite (a ``?`` or ``LIKE`` inside quotes is data), so every
pattern below runs over code only; each pattern is linear (no nested quantifiers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

_LITERAL = re.compile(r"'(?:[^']|'')*'")
_MARK = "\x00{}\x00"
_MARKED = re.compile(r"\x00(\d+)\x00")

_INSERT_OR = re.compile(r"\bINSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+([\w.]+)\s*\(([^)]*)\)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_PLAIN_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+([\w.]+)", re.IGNORECASE)
_NOCASE = re.compile(r"([\w.\"]+)\s+COLLATE\s+NOCASE\b", re.IGNORECASE)
_LIKE = re.compile(r"(?<!I)\bLIKE\b", re.IGNORECASE)
_IFNULL = re.compile(r"\bifnull\s*\(", re.IGNORECASE)
_INSTR = re.compile(r"\binstr\s*\(", re.IGNORECASE)
_JSON_EXTRACT = re.compile(r"\bjson_extract\s*\(\s*([\w.\"]+)\s*,\s*\x00(\d+)\x00\s*\)", re.IGNORECASE)
_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b|TRUE\b|FALSE\b)", re.IGNORECASE)
_IS = re.compile(r"\bIS\s+(?!NOT\b|NULL\b|DISTINCT\b|TRUE\b|FALSE\b)", re.IGNORECASE)
_SCHEMA_PREFIX = re.compile(r"\b(main|temp)\.(?=\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Translated:
    sql: str
    returns_id: bool  # RETURNING id was added: the cursor's lastrowid comes from it


PrimaryKeys = Callable[[str], tuple[str, ...]]


def translate(sql: str, primary_key: PrimaryKeys, id_tables: frozenset[str]) -> Translated:
    """The PostgreSQL text of one SQLite statement. ``primary_key(table)`` names a table's key columns
    (for INSERT OR REPLACE); ``id_tables`` are the tables whose ``id`` an INSERT returns (lastrowid)."""
    return _translate_cached(sql, primary_key, id_tables)


@lru_cache(maxsize=4096)
def _translate_cached(sql: str, primary_key: PrimaryKeys, id_tables: frozenset[str]) -> Translated:
    literals: list[str] = []

    def set_aside(match: re.Match) -> str:
        literals.append(match.group(0))
        return _MARK.format(len(literals) - 1)

    code = _LITERAL.sub(set_aside, sql)
    code = code.replace("%", "%%").replace("?", "%s")
    conflict = ""
    match = _INSERT_OR.search(code)
    if match:
        verb, table, columns = match.group(1).upper(), match.group(2), match.group(3)
        code = code[:match.start()] + f"INSERT INTO {table}({columns})" + code[match.end():]
        conflict = " ON CONFLICT DO NOTHING" if verb == "IGNORE" else _on_conflict_update(table, columns, primary_key)
    code = _NOCASE.sub(r"lower(\1)", code)
    code = _LIKE.sub("ILIKE", code)
    code = _IS_NOT.sub("IS DISTINCT FROM ", code)
    code = _IS.sub("IS NOT DISTINCT FROM ", code)
    code = _IFNULL.sub("coalesce(", code)
    code = _INSTR.sub("strpos(", code)
    code = _JSON_EXTRACT.sub(lambda m: f"(({m.group(1)})::jsonb #>> {_json_path(literals[int(m.group(2))])})", code)
    code = _SCHEMA_PREFIX.sub(lambda m: "pg_temp." if m.group(1).lower() == "temp" else "", code)
    returns_id = False
    if conflict:
        code = _before_returning(code, conflict)
    plain = _PLAIN_INSERT.match(code)
    if plain and not _RETURNING.search(code) and plain.group(1).split(".")[-1].lower() in id_tables:
        code = code.rstrip().rstrip(";") + " RETURNING id"
        returns_id = True
    return Translated(_MARKED.sub(lambda m: literals[int(m.group(1))].replace("%", "%%"), code), returns_id)


def _before_returning(code: str, clause: str) -> str:
    found = _RETURNING.search(code)
    if found:
        return code[:found.start()].rstrip() + clause + " " + code[found.start():]
    return code.rstrip().rstrip(";") + clause


def _on_conflict_update(table: str, columns: str, primary_key: PrimaryKeys) -> str:
    """SQLite's REPLACE deletes the row holding the key and inserts the new one: for a table whose
    other columns are all given, that is an update of those columns."""
    key = primary_key(table.split(".")[-1])
    names = [c.strip().strip('"') for c in columns.split(",")]
    others = [c for c in names if c not in key]
    if not others:
        return f" ON CONFLICT ({', '.join(key)}) DO NOTHING"
    sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in others)
    return f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"


def _json_path(literal: str) -> str:
    path = literal[1:-1].replace("''", "'")
    if not path.startswith("$"):
        raise ValueError(f"json_extract path {path!r} is not a '$.' path")
    parts = [p for p in re.split(r"[.\[\]]", path[1:]) if p]
    return "'{" + ",".join(parts) + "}'"
