"""``analyst-tui SUBCOMMAND``: everything the triage screen does, scriptable.

Exit codes: 0 done; 1 something in a batch failed (an import file, a missing id); 2 the
command could not run (bad arguments, database cannot be opened, bad query).
Every piece of report-derived text printed here goes through ``text_safety`` first: an
adversary's report must not be able to drive the terminal through ``analyst-tui show``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from . import cli_corrections
from .analysis import cli_commands as analysis_commands
from .paths import DB_ENV_VAR, default_db_path, describe_location, resolve_db_path
from .team import cli as team_commands
from .text_safety import json_dumps

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
analyst-tui: triage intelligence and OSINT reports in the terminal.

Without a sub-command it opens the triage screen (creating an empty database on first run;
--demo opens the demo corpus in a temporary one). With one, it works on the same database
from scripts."""

EPILOG = f"""\
database: --db PATH, else ${DB_ENV_VAR}, else the platform's user data folder
          (run 'analyst-tui where' to see which is used). A team shares one PostgreSQL
          database instead: --db postgresql://USER@HOST/CORPUS (or in ${DB_ENV_VAR}).

examples:
  analyst-tui import ~/inbox/ feed.rss          import files and folders (recursive)
  analyst-tui reports --status new --grade A-C   list reports
  analyst-tui search 'haniya status:new'         fuzzy search with filters
  analyst-tui grade --report 12 --status read --reliability B --credibility 3
  analyst-tui cite 12 --style apa                print a citation
  analyst-tui export --format json > all.json    export everything
  analyst-tui origins 78                         where a claim came from, who repeats whom
  analyst-tui brief -o brief.md                  key judgements, claims, sources, echoes
  analyst-tui export --format stix -o case.json  a STIX 2.1 bundle (import reads it back)
  analyst-tui export --format csl-json --grade A-B   references for Zotero or pandoc
  analyst-tui copy --from analyst.db --to postgresql://me@server/corpus   move a corpus (and back)"""


def _workers(text: str) -> int:
    if not _ascii_digits(text):
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}")
    return int(text)


# SQLite's integers are 64-bit: a larger id overflowed in sqlite3 (a traceback), and no row has one
MAX_ID = 2**63 - 1


def _ascii_digits(text: str) -> bool:
    # str.isdigit and int() accept "３" (fullwidth) and "²": an id is typed in ASCII digits
    return text.isascii() and text.isdigit()


def row_id(text: str) -> int:
    """A report, claim, source, entity or hypothesis id: 1 to 2^63-1, ASCII digits."""
    if not _ascii_digits(text) or not 1 <= int(text) <= MAX_ID:
        raise argparse.ArgumentTypeError(f"not an id: {text[:40]!r} (a whole number from 1 to {MAX_ID})")
    return int(text)


def row_limit(text: str) -> int:
    """How many rows to print; anything past what SQLite can count means all of them."""
    if not _ascii_digits(text):
        raise argparse.ArgumentTypeError(f"not a number of rows: {text[:40]!r}")
    return min(int(text), MAX_ID)


EXPORT_FORMATS = ["json", "csv", "markdown", "stix", "csl-json", "bibtex", "ris"]


def _report_filters(p: argparse.ArgumentParser) -> None:
    """The filters of 'reports', shared by 'export' so a selection is chosen the same way."""
    p.add_argument("--status", help="new, read, flagged, dismissed (comma-separated)")
    p.add_argument("--grade", help="source reliability, e.g. A-C or B")
    p.add_argument("--cred", help="report credibility, e.g. 1-3")
    p.add_argument("--source", help="source name contains")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="on or after (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="on or before (YYYY-MM-DD)")
    p.add_argument("--tag")
    p.add_argument("--text", help="words in title or body")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analyst-tui", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", metavar="PATH", help=f"database file, or a postgresql://USER@HOST/CORPUS URL (default: ${DB_ENV_VAR} or the user data folder)")
    parser.add_argument("--demo", action="store_true", help="open the demo corpus in a fresh temporary database")
    parser.add_argument("--theme", help="UI theme for this run (textual-dark, textual-light, textual-ansi, ...)")
    parser.add_argument("--analyst", metavar="NAME", help="who is acting: grades, stances, notes and the audit log "
                                                          "are recorded under NAME (default: $ANALYST_TUI_ANALYST, "
                                                          "else your login)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import files, folders (recursive) or - for standard input",
                       description="Import reports. Formats: plain text, Markdown with YAML front matter, HTML, "
                                   "JSON, JSON Lines, RSS 2.0, RSS 1.0/RDF, Atom, and STIX 2.1 bundles named "
                                   "as files (reports, notes, opinions; an analyst-tui bundle's claims, grades, "
                                   "stances and links too). The same content twice is skipped; a near-duplicate "
                                   "is imported and linked to the earlier report.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--quiet", "-q", action="store_true", help="print only failures and the summary")
    p.add_argument("--json", action="store_true", help="print the outcome of every file as JSON lines")
    p.add_argument("--workers", type=_workers, metavar="N",
                   help="processes parsing and extracting while this one stores; 0: none (default: "
                        "$ANALYST_TUI_IMPORT_WORKERS, else one per CPU when there are files enough to gain)")

    p = sub.add_parser("reports", help="list reports, newest first")
    _report_filters(p)
    p.add_argument("--limit", type=row_limit, default=50, metavar="N", help="reports to show (default 50)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="show one report with its claims, entities and cited sources")
    p.add_argument("id", type=row_id)
    p.add_argument("--rejected", action="store_true",
                   help="also list the claims rejected as not claims (x in the claims pane), marked so")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="fuzzy search over reports, claims and entities",
                       description="Filters: status:new grade:A-C cred:1-3 type:person source:\"Shafaq\" "
                                   "from:2024-06-01 to:2024-06-30 tag:x stance:refutes in:claims")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=row_limit, default=20, metavar="N", help="hits to show (default 20)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("grade", help="grade, triage, tag and annotate",
                       description="Change grades and triage state. Every change is written to the audit log "
                                   "and can be undone with 'analyst-tui undo'.")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--report", type=row_id, nargs="+", metavar="ID")
    target.add_argument("--claim", type=row_id, nargs="+", metavar="ID")
    target.add_argument("--source", type=row_id, nargs="+", metavar="ID")
    p.add_argument("--status", help="report: new, read, dismissed; flagged sets the flag (kept when read or new)")
    p.add_argument("--unflag", action="store_true", help="report: remove the flag (the status stays)")
    p.add_argument("--reliability", help="source reliability A-F (for --report: the report's source)")
    p.add_argument("--credibility", help="information credibility 1-6")
    p.add_argument("--stance", help="claim: supports, refutes, neutral (toward the active hypothesis), or none")
    p.add_argument("--affiliation", help="source: affiliation or stance label")
    p.add_argument("--tag", action="append", default=[], help="add a tag (repeatable)")
    p.add_argument("--untag", action="append", default=[], help="remove a tag (repeatable)")
    p.add_argument("--note", help="set the note ('' clears it)")

    p = sub.add_parser("link", help="record that two claims corroborate, contradict or duplicate each other",
                       description="Links are symmetric, audited and undoable. Duplicates (one report relayed) "
                                   "must never count as independent confirmation.")
    p.add_argument("a", type=row_id, metavar="CLAIM")
    p.add_argument("b", type=row_id, metavar="OTHER")
    p.add_argument("type", choices=["corroborates", "contradicts", "duplicates"])
    p.add_argument("--remove", action="store_true", help="remove the link instead")

    p = sub.add_parser("hypothesis", help="list, create, rename or activate hypotheses (for stance)")
    p.add_argument("action", choices=["list", "add", "rename", "use"])
    p.add_argument("args", nargs="*")

    p = sub.add_parser("ach", help="the ACH matrix: hypotheses x evidence claims, consistency, scores",
                       description="Analysis of Competing Hypotheses. Without an action: print the matrix (rows most "
                                   "diagnostic first) and each hypothesis' weighted inconsistency, least inconsistent "
                                   "first. A cell the analyst has not rated shows the claim's stance toward the "
                                   "hypothesis (supports C, refutes I, neutral N), marked *. Row weight: credibility "
                                   "x source reliability (see README). Changes are audited; 'analyst-tui undo' "
                                   "reverts them.")
    p.add_argument("--hypothesis", type=row_id, nargs="+", metavar="ID", help="only these hypotheses (default: all)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--markdown", action="store_true", help="print the matrix as a Markdown table")
    ach = p.add_subparsers(dest="ach_action", metavar="ACTION")
    q = ach.add_parser("set", help="rate a claim against a hypothesis: CC, C, N, I, II, or - (back to the default)")
    q.add_argument("claim", type=row_id, metavar="CLAIM")
    q.add_argument("hypothesis_id", type=row_id, metavar="HYPOTHESIS")
    q.add_argument("consistency", metavar="CC|C|N|I|II|-")
    q = ach.add_parser("add", help="add claims to the matrix as evidence rows")
    q.add_argument("claims", type=row_id, nargs="+", metavar="CLAIM")
    q = ach.add_parser("remove", help="take claims out of the matrix (their stances and ratings are kept)")
    q.add_argument("claims", type=row_id, nargs="+", metavar="CLAIM")

    p = sub.add_parser("cite", help="print the citation of a report or claim")
    p.add_argument("id", type=row_id, help="report id (or claim id with --claim)")
    p.add_argument("--claim", action="store_true", help="the id is a claim's")
    p.add_argument("--style", default="chicago-note", help="chicago-note, chicago-bib, apa, mla, bibtex, ris, markdown, intel")
    p.add_argument("--all", action="store_true", help="every style")

    p = sub.add_parser("export", help="export reports: JSON, CSV, a Markdown brief, STIX 2.1, or references",
                       description="Export the reports a 'reports' listing would show (same filters; all of them "
                                   "by default). json, csv, markdown: reports with claims, entities and cited "
                                   "sources. stix: a STIX 2.1 bundle (reports, sources with reliability, claims, "
                                   "notes, stances as opinions, links), which 'analyst-tui import' reads back. "
                                   "csl-json, bibtex, ris: one reference per report, for Zotero, pandoc and "
                                   "reference managers.")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="json")
    _report_filters(p)
    p.add_argument("--output", "-o", help="file to write (default: standard output)")

    sub.add_parser("undo", help="undo the last change (grade, status, stance, tag, note, link, merge, split, ACH rating or row, correction)")
    p = sub.add_parser("history", help="the audit log, newest first")
    p.add_argument("--limit", type=row_limit, default=20, metavar="N", help="entries to show (default 20)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("sources", help="list sources with their grades")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("entities", help="list entities with mention counts, or proposed merges")
    p.add_argument("--limit", type=row_limit, default=50, metavar="N", help="entities to show (default 50)")
    p.add_argument("--proposals", action="store_true", help="close spellings proposed as the same entity")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("merge", help="merge entity OTHER into KEEP (undoable), or keep two apart",
                       description="Merges and keep-apart decisions are remembered by name, so they survive "
                                   "re-extraction and apply to later imports.")
    p.add_argument("keep", type=row_id, metavar="KEEP")
    p.add_argument("other", type=row_id, metavar="OTHER")
    p.add_argument("--apart", action="store_true", help="reject the proposal: these are different entities")
    p = sub.add_parser("split", help="split a name off an entity into a new entity (undoable)",
                       description="For two people taken for one: NAME, one of the entity's other names (see "
                                   "'analyst-tui entities'), becomes an entity of its own with the mentions written "
                                   "that way and the claims it is the speaker of. The entity's own name cannot be "
                                   "split off: split off the other names instead. The decision is remembered by "
                                   "name, so re-extraction and later imports keep the two apart; 'analyst-tui merge' "
                                   "joins them again.")
    p.add_argument("entity", type=row_id, metavar="ENTITY")
    p.add_argument("name", nargs="+", metavar="NAME", help="the name to split off (quoted, or as separate words)")
    cli_corrections.add_parsers(sub, row_id)
    sub.add_parser("where", help="print the database in use (a file path or a PostgreSQL URL) and which backend it is")
    sub.add_parser("check", help="check the database's integrity and print counts")
    from .feeds_cli import add_parser as add_feeds_parser

    add_feeds_parser(sub)
    from .copy_cli import add_parser as add_copy_parser

    add_copy_parser(sub)
    p = sub.add_parser("serve", help="serve the triage screen to a web browser (textual-serve)",
                       description="The same app, database and settings in a browser tab: one app process per "
                                   "connection. Bound to 127.0.0.1 by default; bound to any other address, the "
                                   "URL carries a random access token and the server refuses requests without it.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0 picks a free one)")
    analysis_commands.add_parsers(sub, row_id)
    team_commands.add_parsers(sub, row_id)
    return parser


def _port(text: str) -> int:
    if not _ascii_digits(text) or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port: {text[:20]!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    if options.command is None:
        build_parser().print_help()
        return EXIT_USAGE
    return run(options)


def _clean_arguments(options) -> None:
    """Arguments holding invalid UTF-8 arrive as lone surrogates; SQLite and the terminal need real text."""
    for name, value in vars(options).items():
        if isinstance(value, str):
            setattr(options, name, value.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
        elif isinstance(value, list):
            setattr(options, name, [v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                                    if isinstance(v, str) else v for v in value])


def run(options) -> int:
    import sqlite3

    from .errors import StoreError
    from .store import Store

    _clean_arguments(options)
    try:
        use_analyst_option(options)
    except StoreError as exc:
        print(f"analyst-tui: {exc}", file=sys.stderr)
        return EXIT_USAGE

    if options.command == "copy":  # two databases, neither of them --db
        from . import copy_cli

        return copy_cli.run(options)
    if options.command == "where":
        from .backends import redact

        location = resolve_db_path(options)
        print(redact(str(location)))
        print(describe_location(location))
        return EXIT_OK
    path = resolve_db_path(options)
    try:
        if isinstance(path, Path) and path == default_db_path() and not path.parent.exists():
            from .private_files import make_private_folder

            make_private_folder(path.parent)
        with Store.open(path, analyst=getattr(options, "analyst", None) or None) as store:
            if store.backup_made:
                print(f"upgraded the database; the previous version is kept at {store.backup_made}", file=sys.stderr)
            return HANDLERS[options.command](store, options)
    except StoreError as exc:
        print(f"analyst-tui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except sqlite3.DatabaseError as exc:
        if not _says_damaged(exc):  # a bug or an odd value of ours is not the analyst's file's fault
            print(f"analyst-tui: database error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"analyst-tui: the database file {path} is damaged ({exc}); restore it from a backup "
              f"(the .bak files beside it) or 'sqlite3 {path.name} .recover'", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("analyst-tui: interrupted", file=sys.stderr)
        return 130


def use_analyst_option(options) -> None:
    """``--analyst NAME`` for this process and the workers it starts (through the environment)."""
    import os

    from .analyst import ANALYST_ENV_VAR, clean_analyst

    if getattr(options, "analyst", None):
        os.environ[ANALYST_ENV_VAR] = clean_analyst(options.analyst)


def _says_damaged(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(words in text for words in ("malformed", "not a database", "corrupt", "disk i/o error"))


# --- handlers ----------------------------------------------------------------------


def cmd_import(store, options) -> int:
    from .importer import import_paths
    from .text_safety import one_line

    from .ingest import read_stdin

    stdin_bytes = read_stdin() if "-" in options.paths else None
    bundles, options.paths = _split_bundles(options.paths)
    failed = _import_bundles(store, bundles, options)
    if not options.paths:
        return EXIT_PARTIAL if failed else EXIT_OK

    def progress(done: int, total: int | None, outcome) -> None:
        if options.json:
            print(json_dumps(asdict(outcome)))
            return
        if outcome.status == "failed":
            print(f"failed   {one_line(outcome.name)}: {one_line(outcome.reason)}", file=sys.stderr)
        elif not options.quiet:
            extra = f" (near-duplicate of report {outcome.duplicate_of})" if outcome.duplicate_of else ""
            extra += f" (warning: {one_line(outcome.warning)})" if outcome.warning else ""
            label = "imported" if outcome.status == "imported" else "skipped "
            count = f"[{done}/{total}] " if total else ""
            print(f"{count}{label} {one_line(outcome.name)} -> report {outcome.report_id}{extra}", file=sys.stderr)

    summary = import_paths(store, options.paths, progress=progress, stdin_bytes=stdin_bytes, workers=options.workers)
    rate = summary.imported / summary.seconds if summary.seconds > 0 else 0
    for warning in summary.warnings:
        print(f"warning  {one_line(warning)}", file=sys.stderr)
    print(f"{summary.line()} in {summary.seconds:.1f} s ({rate:.0f} reports/s)", file=sys.stderr)
    return EXIT_PARTIAL if summary.failed or failed else EXIT_OK


def _split_bundles(paths: list[str]) -> tuple[list[Path], list[str]]:
    """STIX 2.1 bundles named on the command line (read by db/stix/read.py), and every other path."""
    from .stix.read import looks_like_bundle

    bundles = [Path(p) for p in paths if p != "-" and looks_like_bundle(Path(p))]
    named = {str(b) for b in bundles}
    return bundles, [p for p in paths if p not in named]


def _import_bundles(store, bundles: list[Path], options) -> int:
    """Import each bundle; the number that could not be read."""
    import time

    from .stix.read import BundleError, import_bundle, load_bundle
    from .text_safety import one_line

    failed = 0
    for path in bundles:
        started = time.monotonic()
        try:
            summary = import_bundle(store, load_bundle(path), name=path.name)
        except BundleError as exc:
            failed += 1
            print(f"failed   {one_line(str(path))}: {one_line(str(exc))}", file=sys.stderr)
            continue
        if options.json:
            for outcome in summary.outcomes:
                print(json_dumps(asdict(outcome)))
        print(f"{one_line(str(path))}: STIX 2.1 bundle: {summary.line()} in {time.monotonic() - started:.1f} s",
              file=sys.stderr)
    return failed


def _filter_from_options(options):
    from .query import QueryError, _digit_range, _letter_range
    from .store import ReportFilter

    try:
        return ReportFilter(
            statuses=tuple(s.strip() for s in options.status.split(",")) if options.status else (),
            reliability=_letter_range(options.grade) if getattr(options, "grade", None) else (),
            credibility=_digit_range(options.cred) if getattr(options, "cred", None) else (),
            source=getattr(options, "source", None), date_from=getattr(options, "date_from", None),
            date_to=getattr(options, "date_to", None), tag=getattr(options, "tag", None),
            text=getattr(options, "text", None))
    except QueryError as exc:
        from .errors import InvalidValue

        raise InvalidValue(str(exc)) from exc


def cmd_reports(store, options) -> int:
    from .text_safety import one_line

    rows = store.list_reports(_filter_from_options(options), limit=options.limit)
    if options.json:
        print(json_dumps([asdict(r) for r in rows], indent=1))
        return EXIT_OK
    for r in rows:
        print(f"{r.id:>6}  {r.status + (' ⚑' if r.flagged else ''):<9} {r.reliability}{r.credibility}  {r.published or '----------':<10}  "
              f"{one_line(r.source_name or '-', 22):<22}  {one_line(r.title, 80)}")
    total = store.count_reports(_filter_from_options(options))
    if total > len(rows):
        print(f"({len(rows)} of {total}; --limit to see more)", file=sys.stderr)
    return EXIT_OK


def cmd_show(store, options) -> int:
    from .errors import NotFound
    from .render import report_as_dict, report_as_text

    try:
        report = store.get_report(options.id)
    except NotFound as exc:
        print(f"analyst-tui: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
    if options.json:
        print(json_dumps(report_as_dict(store, report, rejected=options.rejected), indent=1))
    else:
        print(report_as_text(store, report, rejected=options.rejected))
    return EXIT_OK


def cmd_search(store, options) -> int:
    from .search import search
    from .text_safety import one_line

    results = search(store, " ".join(options.query), limit=options.limit)
    if results.message and not results.hits:
        print(f"analyst-tui: {results.message}", file=sys.stderr)
        return EXIT_USAGE if "search failed" not in results.message and not results.message.startswith("type") else EXIT_OK
    if options.json:
        print(json_dumps([asdict(h) for h in results.hits], indent=1))
        return EXIT_OK
    for hit in results.hits:
        where = f"report {hit.report_id}" if hit.kind == "claim" else ""
        print(f"{hit.kind:<7}{hit.id:>6}  {one_line(hit.text, 90)}  [{one_line(hit.detail)}{' · ' + where if where else ''}]")
    print(f"{len(results.hits)} hit(s) in {results.elapsed_ms:.0f} ms", file=sys.stderr)
    return EXIT_OK


def cmd_grade(store, options) -> int:
    from .errors import InvalidValue

    kind = "report" if options.report else "claim" if options.claim else "source"
    ids = options.report or options.claim or options.source
    changed = 0
    if options.status:
        if kind != "report":
            raise InvalidValue("--status applies to reports")
        changed += store.set_status(ids, options.status)
    if options.unflag:
        if kind != "report":
            raise InvalidValue("--unflag applies to reports")
        changed += store.set_flagged(ids, False)
    if options.reliability:
        if kind == "source":
            changed += store.set_source_reliability(ids, options.reliability)
        elif kind == "report":
            source_ids = {store.get_report(i).source.id for i in ids if store.get_report(i).source}
            if not source_ids:
                raise InvalidValue("these reports have no source to grade")
            changed += store.set_source_reliability(source_ids, options.reliability)
        else:
            raise InvalidValue("--reliability grades a source (or a report's source)")
    if options.credibility:
        if kind == "report":
            changed += store.set_report_credibility(ids, options.credibility)
        elif kind == "claim":
            changed += store.set_claim_credibility(ids, options.credibility)
        else:
            raise InvalidValue("--credibility applies to reports and claims")
    if options.stance:
        if kind != "claim":
            raise InvalidValue("--stance applies to claims")
        changed += store.set_stance(ids, None if options.stance == "none" else options.stance)
    if options.affiliation is not None:
        if kind != "source":
            raise InvalidValue("--affiliation applies to sources")
        for i in ids:
            changed += store.set_source_affiliation(i, options.affiliation)
    for tag in options.tag:
        changed += store.add_tag(kind, ids, tag)
    for tag in options.untag:
        changed += store.remove_tag(kind, ids, tag)
    if options.note is not None:
        for i in ids:
            changed += store.set_note(kind, i, options.note)
    print(f"{changed} change(s) saved", file=sys.stderr)
    return EXIT_OK


def cmd_link(store, options) -> int:
    changed = store.relate_claims(options.a, options.b, options.type, present=not options.remove)
    verb = "removed" if options.remove else "saved"
    print(f"link {verb}: claim {options.a} {options.type} claim {options.b}" if changed else "no change", file=sys.stderr)
    return EXIT_OK


def cmd_hypothesis(store, options) -> int:
    from .errors import InvalidValue
    from .text_safety import one_line

    if options.action == "list":
        for h in store.list_hypotheses():
            counts = store.stance_counts(h.id)
            print(f"{'*' if h.active else ' '} {h.id:>4}  {one_line(h.title, 70)}  "
                  f"(+{counts['supports']} -{counts['refutes']} ={counts['neutral']})")
        return EXIT_OK
    if options.action == "add":
        if not options.args:
            raise InvalidValue("hypothesis add TITLE")
        print(store.create_hypothesis(" ".join(options.args)))
    elif options.action == "rename":
        if len(options.args) < 2:
            raise InvalidValue("hypothesis rename ID TITLE")
        store.rename_hypothesis(_hypothesis_id(options.args[0]), " ".join(options.args[1:]))
    elif options.action == "use":
        if len(options.args) != 1:
            raise InvalidValue("hypothesis use ID")
        store.activate_hypothesis(_hypothesis_id(options.args[0]))
    return EXIT_OK


def _hypothesis_id(text: str) -> int:
    from .errors import InvalidValue

    try:
        return row_id(text)
    except argparse.ArgumentTypeError as exc:
        raise InvalidValue(str(exc)) from None


def cmd_ach(store, options) -> int:
    from .ach_render import matrix_as_dict, matrix_as_markdown, matrix_as_text

    action = getattr(options, "ach_action", None)
    if action == "set":
        changed = store.set_ach_cell([options.claim], options.hypothesis_id, options.consistency)
        print(f"claim {options.claim} x hypothesis {options.hypothesis_id}: {options.consistency.upper()}"
              if changed else "no change", file=sys.stderr)
        return EXIT_OK
    if action in ("add", "remove"):
        change = store.add_ach_evidence if action == "add" else store.remove_ach_evidence
        changed = change(options.claims)
        print(f"{changed} evidence row(s) {'added' if action == 'add' else 'removed'}", file=sys.stderr)
        return EXIT_OK
    matrix = store.ach_matrix(options.hypothesis)
    if options.json:
        print(json_dumps(matrix_as_dict(matrix), indent=1))
    elif options.markdown:
        print(matrix_as_markdown(matrix), end="")
    else:
        print(matrix_as_text(matrix))
    return EXIT_OK


def cmd_cite(store, options) -> int:
    from .cite import STYLES, cite_claim, cite_report
    from .errors import InvalidValue
    from .text_safety import visible

    styles = list(STYLES) if options.all else [options.style]
    for style in styles:
        if style not in STYLES:
            raise InvalidValue(f"unknown style {style!r}; use one of {', '.join(STYLES)}")
    for style in styles:
        if options.claim:
            claim = store.get_claim(options.id)
            report = store.get_report(claim.report_id)
            text = cite_claim(claim, report, style, container=report.container)
        else:
            report = store.get_report(options.id)
            text = cite_report(report, style, container=report.container)
        if options.all:
            print(f"# {STYLES[style]}")
        print(visible(text))
    return EXIT_OK


def cmd_export(store, options) -> int:
    from . import export

    report_ids = store.report_ids(_filter_from_options(options))
    if options.format in ("stix", "csl-json", "bibtex", "ris"):
        from .references import reference_writer

        writer = reference_writer(store, options.format)
        records = report_ids
    else:
        records = (export.ExportRecord(report=store.get_report(rid), claims=store.claims_for_report(rid),
                                       entities=store.entities_for_report(rid),
                                       cited_sources=store.cited_sources_for_report(rid))
                   for rid in report_ids)
        writer = {"json": export.write_json, "csv": export.write_csv, "markdown": export.write_markdown}[options.format]
    if options.output:
        from .output_file import replacing_file

        with replacing_file(options.output, database=store.path) as handle:
            writer(records, handle)
    else:
        writer(records, sys.stdout)
    return EXIT_OK


def cmd_undo(store, options) -> int:
    undone = store.undo()
    print(f"undone: {undone}" if undone else "nothing to undo", file=sys.stderr)
    return EXIT_OK if undone else EXIT_PARTIAL


def cmd_history(store, options) -> int:
    from .text_safety import one_line

    entries = store.history(limit=options.limit)
    if options.json:
        print(json_dumps([asdict(e) for e in entries], indent=1))
        return EXIT_OK
    for e in entries:
        # the field of a tag change holds the tag: an adversary's 100,000 characters, or an ESC
        print(f"{e.at}  {one_line(e.who, 20):<10} {e.action:<6} {e.target_kind} {e.target_id} {one_line(e.field, 40)}: "
              f"{one_line(json_dumps(e.old), 30)} -> {one_line(json_dumps(e.new), 30)}")
    return EXIT_OK


def cmd_sources(store, options) -> int:
    from .text_safety import one_line

    sources = store.list_sources()
    if options.json:
        print(json_dumps([asdict(s) for s in sources], indent=1))
        return EXIT_OK
    for s in sources:
        print(f"{s.id:>5}  {s.reliability}  {s.kind:<8} {one_line(s.name, 30):<30} {one_line(s.affiliation or '', 50)}")
    return EXIT_OK


def cmd_entities(store, options) -> int:
    from .text_safety import one_line

    if options.proposals:
        proposals = store.merge_proposals()
        if options.json:
            print(json_dumps([{"a": asdict(a), "b": asdict(b), "score": score} for a, b, score in proposals],
                             ensure_ascii=False, indent=1))
            return EXIT_OK
        for a, b, score in proposals:
            print(f"{score:5.1f}  {a.id:>6} {one_line(a.name, 30):<30} ~ {b.id:>6} {one_line(b.name, 30):<30} ({a.type})")
        if not proposals:
            print("no proposed merges", file=sys.stderr)
        return EXIT_OK
    entities = store.list_entities(limit=options.limit)
    if options.json:
        print(json_dumps([asdict(e) for e in entities], indent=1))
        return EXIT_OK
    for e in entities:
        aliases = f"  (also: {one_line(', '.join(e.aliases), 50)})" if e.aliases else ""
        print(f"{e.id:>6}  {e.type:<6} {one_line(e.name, 40):<40} {e.mention_count:>4} mentions in {e.report_count} reports{aliases}")
    return EXIT_OK


def cmd_merge(store, options) -> int:
    if options.apart:
        store.reject_merge(options.keep, options.other)
        print(f"entities {options.keep} and {options.other} will be kept apart", file=sys.stderr)
    else:
        store.merge_entities(options.keep, options.other)
        print(f"merged entity {options.other} into {options.keep} ('analyst-tui undo' reverts it)", file=sys.stderr)
    return EXIT_OK


def cmd_split(store, options) -> int:
    from .text_safety import one_line

    name = " ".join(options.name)
    new_id = store.split_entity(options.entity, name)
    print(f"split '{one_line(name, 60)}' off entity {options.entity} into new entity {new_id} "
          f"('analyst-tui undo' reverts it)", file=sys.stderr)
    print(new_id)
    return EXIT_OK


def cmd_check(store, options) -> int:
    result = store.integrity_check()
    print(f"integrity: {result}")
    for table, count in store.stats().items():
        print(f"{table:<14}{count:>10}")
    return EXIT_OK if result == "ok" else EXIT_PARTIAL


def _feeds(store, options) -> int:
    from .feeds_cli import cmd_feeds

    return cmd_feeds(store, options)


def _guarded(handler):
    def run_handler(store, options) -> int:
        from .errors import InvalidValue, NotFound

        try:
            return handler(store, options)
        except (InvalidValue, NotFound) as exc:
            print(f"analyst-tui: {exc}", file=sys.stderr)
            return EXIT_PARTIAL if isinstance(exc, NotFound) else EXIT_USAGE

    return run_handler


HANDLERS = {name: _guarded(fn) for name, fn in {
    "import": cmd_import, "reports": cmd_reports, "show": cmd_show, "search": cmd_search, "grade": cmd_grade,
    "link": cmd_link, "hypothesis": cmd_hypothesis, "ach": cmd_ach, "cite": cmd_cite, "export": cmd_export, "undo": cmd_undo, "history": cmd_history,
    "sources": cmd_sources, "entities": cmd_entities, "merge": cmd_merge, "split": cmd_split, "check": cmd_check,
    **cli_corrections.HANDLERS,
    "feeds": _feeds,
    **analysis_commands.HANDLERS,
    **team_commands.HANDLERS,
}.items()}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("analyst-tui")
    except Exception:
        return "0.1.0"
