"""``analyst-tui copy --from SOURCE --to TARGET``: a corpus moved between SQLite and PostgreSQL (db/corpus_copy.py)."""

from __future__ import annotations

import sys
import time

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


def add_parser(sub) -> None:
    p = sub.add_parser(
        "copy", help="copy a whole corpus between databases (SQLite file <-> PostgreSQL), resumable, verified",
        description="Copy every report, claim, grade, note, stance and the audit log from one database to "
                    "another: a SQLite file or a postgresql:// URL on either side. The target is created or "
                    "upgraded to this version's schema and must be empty or a copy this command started: "
                    "run it again after an interruption and it goes on where it stopped. At the end every "
                    "table is verified by its row count and a checksum of its rows; exit 1 if any differ. "
                    "Search indexes are built by the target as the rows arrive.")
    p.add_argument("--from", dest="source", required=True, metavar="SOURCE", help="database to copy (file or URL)")
    p.add_argument("--to", dest="target", required=True, metavar="TARGET", help="database to fill (file or URL)")
    p.add_argument("--batch", type=int, default=5000, metavar="ROWS", help="rows per transaction (default 5000)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the verification")


def run(options) -> int:
    from .backends import is_postgresql_url
    from .backends.postgresql import redact
    from .corpus_copy import copy_corpus, describe
    from .errors import StoreError
    from .store import Store

    def shown(location: str) -> str:
        return redact(location) if is_postgresql_url(location) else location

    if options.batch < 1:
        print("analyst-tui: --batch must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if str(options.source) == str(options.target):
        print("analyst-tui: --from and --to name the same database", file=sys.stderr)
        return EXIT_USAGE
    last = [0.0]

    def progress(table: str, done: int, total: int) -> None:
        now = time.monotonic()
        if options.quiet or (now - last[0] < 1.0 and done < total):
            return
        last[0] = now
        print(f"{table}: {done:,}/{total:,} rows ({100 * done // max(total, 1)}%)", file=sys.stderr)

    try:
        with Store.open(options.source, create=False) as source, Store.open(options.target) as target:
            if not options.quiet:
                print(f"copying {shown(options.source)} -> {shown(options.target)}", file=sys.stderr)
            result = copy_corpus(source, target, batch=options.batch, progress=progress)
    except StoreError as exc:
        print(f"analyst-tui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("analyst-tui: interrupted; run the same command again to go on where it stopped", file=sys.stderr)
        return 130
    for line in describe(result):
        print(line)
    verdict = "verified" if result.verified else "NOT verified"
    print(f"{verdict}: {len(result.tables)} tables, {sum(t.rows for t in result.tables):,} rows, "
          f"{result.copied:,} copied in this run, {result.seconds:.1f} s")
    return EXIT_OK if result.verified else EXIT_PARTIAL
