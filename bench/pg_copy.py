"""Timing ``analyst-tui copy``: a SQLite corpus into a new PostgreSQL database (and optionally back).

    python -m bench.pg_copy --from /tmp/bench-10k.db --server 'postgresql://postgres@/postgres?host=/tmp/pg' \\
        [--name bench10k] [--back /tmp/back.db] [--json]

``--server`` names any database on the server (the new one is created beside it, and dropped first if it
exists: never point ``--name`` at a corpus you keep). Prints the wall and CPU time of the whole copy,
each table's rows and seconds (verification included), and the database's size afterwards. The source
file is only read; copy a file you must not touch before timing it (``cp base.db /tmp/x.db``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def _database_url(server: str, name: str) -> str:
    base, _, query = server.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + (("?" + query) if query else "")


def fresh_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _database_url(server, name)


def timed_copy(source: str, target: str) -> dict:
    from db.corpus_copy import copy_corpus
    from db.store import Store

    with Store.open(source, create=False) as src, Store.open(target) as dst:
        wall, cpu = time.perf_counter(), time.process_time()
        result = copy_corpus(src, dst)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = None
        if dst.dialect == "postgresql":
            size = dst.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {"seconds": round(wall, 1), "client_cpu_seconds": round(cpu, 1), "verified": result.verified,
            "rows": sum(t.rows for t in result.tables), "target_bytes": size,
            "tables": {t.name: {"rows": t.rows, "seconds": round(t.seconds, 1)} for t in result.tables if t.rows}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pg_copy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", required=True, help="SQLite corpus (python -m bench.generate)")
    parser.add_argument("--server", required=True, help="URL of a database on the PostgreSQL server")
    parser.add_argument("--name", default="analyst_tui_bench_copy", help="database to create for the copy")
    parser.add_argument("--back", help="also copy it back into this new SQLite file (must not exist)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    target = fresh_database(options.server, options.name)
    result = {"to_postgresql": timed_copy(options.source, target)}
    if options.back:
        result["back_to_sqlite"] = timed_copy(target, options.back)
    if options.json:
        print(json.dumps(result))
    else:
        for direction, figures in result.items():
            print(f"== {direction}")
            for key, value in figures.items():
                print(f"  {key}: {json.dumps(value)}")
    return 0 if all(r["verified"] for r in result.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
