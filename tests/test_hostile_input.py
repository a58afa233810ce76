"""Hostile input: files written by adversaries, hostile queries, hostile database paths.

Every import ends as a report or a clear error; nothing the data carries reaches the terminal raw
(checked on the bytes the CLI writes); queries give results or a clear message and never become SQL.
The inputs come from ``tests/hostile.py`` (generated, nothing copied). The TUI's own check (raw bytes
under a pty) is in ``test_tui_bytes_under_a_pty`` at the end of this file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main
from db.importer import import_paths
from db.ingest import MAX_BYTES, IngestError, parse_bytes, parse_file
from db.ingest.decode import valid_str
from db.ingest.text import MAX_TITLE_LENGTH
from db.search import search
from db.store import ReportFilter, Store

from . import hostile
from .hostile import FORBIDDEN_IN_CLI_OUTPUT, TERMINAL_PAYLOADS

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}


def cli(db: Path | str, *args: str, input: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command, as an analyst runs it; output kept as bytes."""
    return subprocess.run([sys.executable, "-m", "tui.entry", "--db", str(db), *args], cwd=REPO, env=ENV,
                          capture_output=True, input=input, timeout=timeout)


def forbidden_in(text: str) -> set[str]:
    return {f"U+{ord(c):04X}" for c in FORBIDDEN_IN_CLI_OUTPUT if c in text}


def assert_clean_bytes(data: bytes, what: str) -> None:
    """Bytes a CLI wrote: valid UTF-8, no control character or bidi override from the data."""
    text = data.decode("utf-8")  # strict: a lone surrogate or a raw byte from a file name must not get through
    assert not forbidden_in(text), f"{what}: {forbidden_in(text)} reached the terminal"
    assert b"Traceback" not in data, f"{what}: {data[-800:]!r}"


# --- the corpus ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Every hostile file except the 5 MB line (its own test below)."""
    folder = tmp_path_factory.mktemp("hostile") / "inbox"
    specs = hostile.write_hostile_files(folder)
    (folder / "one_line.txt").unlink()
    specs = [s for s in specs if s.name != "one_line.txt"]
    return folder, specs


@pytest.fixture(scope="module")
def imported(corpus, tmp_path_factory):
    """The corpus imported once through ``db.importer.import_paths`` into a file database."""
    folder, specs = corpus
    path = tmp_path_factory.mktemp("db") / "hostile.db"
    store = Store.open(path)
    summary = import_paths(store, [folder])
    store.close()
    return path, summary, specs


def _by_file(summary) -> dict[str, list]:
    out: dict[str, list] = {}
    for outcome in summary.outcomes:
        out.setdefault(valid_str(Path(outcome.name).name), []).append(outcome)
    return out


def test_every_hostile_file_ends_as_a_report_or_a_clear_error(imported):
    path, summary, specs = imported
    outcomes = _by_file(summary)
    for spec in specs:
        got = outcomes.get(valid_str(spec.name))
        assert got, f"{spec.name!r}: no outcome at all"
        statuses = {o.status for o in got}
        if spec.expect == "report":
            assert "imported" in statuses, (spec.name, [(o.status, o.reason) for o in got])
        elif spec.expect == "error":
            assert statuses == {"failed"}, (spec.name, statuses)
        for o in got:
            if o.status == "failed":
                reason = o.reason or ""
                # clear: one short line, not a Python error name from the catch-all
                assert reason and "\n" not in reason and len(reason) < 300, (spec.name, reason)
                assert not reason.startswith("could not parse"), f"{spec.name!r}: parser bug surfaced as {reason!r}"
                if spec.error_hint:
                    assert spec.error_hint.lower() in reason.lower(), (spec.name, reason)
    assert summary.imported + summary.skipped + summary.failed == len(summary.outcomes)
    with Store.open(path) as store:
        assert store.integrity_check() == "ok"
        assert store.count_reports() == summary.imported


def test_reimporting_the_corpus_adds_nothing(imported, corpus):
    path, first, _ = imported
    with Store.open(path) as store:
        before = store.stats()
        again = import_paths(store, [corpus[0]])
        assert again.imported == 0
        assert again.skipped == first.imported + first.skipped
        assert again.failed == first.failed
        assert store.stats() == before


def test_stored_text_is_what_was_parsed_and_spans_index_it(imported):
    path, _, _ = imported
    with Store.open(path) as store:
        ids = store.report_ids()
        assert ids
        claims = mentions = 0
        for rid in ids:
            report = store.get_report(rid)
            assert isinstance(report.body, str) and report.body.encode("utf-8")  # no lone surrogates stored
            for claim in store.claims_for_report(rid):
                assert report.body[claim.start:claim.end] == claim.text
                claims += 1
            for mention in store.mentions_for_report(rid):
                assert report.body[mention.start:mention.end] == mention.text
                mentions += 1
            for cited in store.cited_sources_for_report(rid):
                assert 0 <= cited.start <= cited.end <= len(report.body)
        assert claims > 50 and mentions > 10, (claims, mentions)
        # the NUL that a JSON escape put in a body survived the round trip through SQLite
        nul = [store.get_report(r).body for r in ids if "\x00NUL" in store.get_report(r).body]
        assert nul, "a body with a NUL character was cut or lost"


def test_parsers_do_not_expand_or_fetch_entities(corpus):
    folder, _ = corpus
    xxe = parse_file(folder / "xxe.rss")
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else None
    for report in xxe:
        assert not hostname or hostname not in report.body, "an external entity was read from disk"
    started = time.monotonic()
    try:
        laughs = parse_file(folder / "billion_laughs.rss")
    except IngestError:
        laughs = []
    assert time.monotonic() - started < 10
    assert all(len(r.body) < 1_000_000 for r in laughs), "entity expansion blew up"


def test_yaml_front_matter_cannot_run_code_or_lose_the_report(tmp_path):
    marker = tmp_path / "pwned"
    data = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nBody, the minister said.\n"
    with pytest.raises(IngestError, match="YAML"):
        parse_bytes(data.encode(), "x.md")
    assert not marker.exists()
    # an impossible date in the front matter: the report imports, without a date
    reports = parse_bytes(b"---\ntitle: t\npublished: 2024-13-45\n---\nBody, the minister said.\n", "x.md")
    assert reports[0].title == "t" and reports[0].published is None
    with pytest.raises(IngestError, match="YAML"):
        parse_bytes(b"---\ndate: !!timestamp 2024-13-45\n---\nBody\n", "x.md")


def test_devices_are_refused_and_reads_are_bounded(tmp_path):
    for device in ("/dev/zero", "/dev/urandom"):
        if Path(device).exists():
            started = time.monotonic()
            with pytest.raises(IngestError, match="not a file"):
                parse_file(device)
            assert time.monotonic() - started < 2
    # a FIFO is refused before it is opened: opening one blocks until someone writes (issue 17.4);
    # piped text comes through standard input, read up to the limit
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(IngestError, match="FIFO"):
        parse_file(fifo)
    assert time.monotonic() - started < 2


def test_size_limit_without_reading_the_file(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(IngestError, match="limit"):
        parse_file(big)
    with pytest.raises(IngestError, match="limit"):
        parse_bytes(b"x" * (MAX_BYTES + 1), "stdin")
    result = cli(tmp_path / "big.db", "import", str(big))
    assert result.returncode == EXIT_PARTIAL and b"limit" in result.stderr
    assert_clean_bytes(result.stdout + result.stderr, "import 50 MB")


def test_one_5_mb_line_imports(tmp_path):
    line = tmp_path / "one_line.txt"
    sentence = b"the minister said the office in baghdad will open soon; "
    line.write_bytes(sentence * (5 * 1024 * 1024 // len(sentence)))
    with Store.open(tmp_path / "line.db") as store:
        summary = import_paths(store, [line])
        assert summary.imported == 1, summary.outcomes
        report = store.get_report(store.report_ids()[0])
        assert len(report.body) == line.stat().st_size and len(report.title) <= MAX_TITLE_LENGTH


def test_extraction_is_not_quadratic_in_repeated_names():
    """Same size, same number of mentions: one name repeated must cost about what many names cost
    (a ratio, so the test does not depend on the machine's speed)."""
    import itertools

    from db.extract import extract

    count = 100 * 1024 // 18
    repeated = "Baghdad, Baghdad. " * count
    names = ["B" + "".join(p) for p in itertools.product("aeiou", "gdrlm", "haeio", "dkt", "ad")][:400]
    spread = "".join(f"{names[i % 400]}, {names[(i + 1) % 400]}. " for i in range(count))[:len(repeated)]
    timings = []
    for body in (spread, repeated):
        started = time.monotonic()
        extraction = extract(body)
        timings.append(time.monotonic() - started)
        assert sum(len(e.mentions) for e in extraction.entities) > count  # both are full of mentions
    # was 7x when one name's mentions were counted once per mention (a 5 MB line took ~170 s)
    assert timings[1] < 5 * timings[0] + 0.5, timings


# --- the CLI's bytes ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_db(corpus, tmp_path_factory):
    """The corpus imported through the real CLI; the import's own output is kept."""
    folder, specs = corpus
    db = tmp_path_factory.mktemp("clidb") / "cli.db"
    result = cli(db, "import", str(folder))
    return db, result, specs


def test_cli_import_ends_with_a_summary_and_prints_nothing_raw(cli_db):
    db, result, specs = cli_db
    assert result.returncode == EXIT_PARTIAL  # some files are meant to fail
    assert_clean_bytes(result.stdout + result.stderr, "import")
    err = result.stderr.decode()
    summary = re.search(r"(\d+) imported, (\d+) skipped \(already there\), (\d+) failed", err)
    assert summary, err[-500:]
    failed_lines = [line for line in err.splitlines() if line.startswith("failed ")]
    assert int(summary.group(3)) == len(failed_lines)
    for spec in specs:
        if spec.expect == "error":
            assert any(spec.name in line for line in failed_lines), spec.name


def test_cli_import_twice_has_no_duplicates(cli_db, corpus):
    db, first, _ = cli_db
    result = cli(db, "import", "--quiet", str(corpus[0]))
    err = result.stderr.decode()
    assert re.search(r"\b0 imported", err), err[-300:]
    with Store.open(db) as store:
        hashes = [r[0] for r in store.conn.execute("SELECT content_hash FROM reports")]
        assert len(hashes) == len(set(hashes))


def test_cli_views_of_every_hostile_report_print_nothing_raw(cli_db, capsys):
    db, _, _ = cli_db
    with Store.open(db) as store:
        ids = store.report_ids()
        claim_ids = [c for rid in ids[:40] for c in store.claim_ids_for_report(rid)[:2]]
    commands = [["reports", "--limit", "1000"], ["sources"], ["entities", "--limit", "1000"], ["history"],
                ["search", "minister"], ["search", "Hamas"], ["export", "--format", "markdown"]]
    commands += [["show", str(i)] for i in ids] + [["cite", str(i), "--all"] for i in ids[:60]]
    commands += [["cite", str(c), "--claim", "--style", "intel"] for c in claim_ids]
    for args in commands:
        code = main(["--db", str(db), *args])
        out, err = capsys.readouterr()
        assert code in (EXIT_OK, EXIT_PARTIAL), (args, err)
        assert not forbidden_in(out + err), (args, forbidden_in(out + err))
    # and as bytes, through the real process, for the views with the most hostile text
    for args in (["show", str(ids[0])], ["reports"], ["search", "said"]):
        result = cli(db, *args)
        assert_clean_bytes(result.stdout + result.stderr, " ".join(args))


def test_cli_json_output_prints_nothing_raw(cli_db, capsys):
    db, _, _ = cli_db
    with Store.open(db) as store:
        ids = store.report_ids()
    leaks = []
    for args in [["reports", "--json", "--limit", "1000"], ["sources", "--json"], ["entities", "--json"],
                 ["search", "--json", "minister"]] + [["show", "--json", str(i)] for i in ids]:
        main(["--db", str(db), *args])
        out, err = capsys.readouterr()
        if forbidden_in(out + err):
            leaks.append((args, forbidden_in(out + err)))
    assert not leaks, leaks[:5]


def test_cli_csv_export_to_stdout_prints_nothing_raw(cli_db):
    db, _, _ = cli_db
    result = cli(db, "export", "--format", "csv")
    assert result.returncode == EXIT_OK
    assert_clean_bytes(result.stdout + result.stderr, "export csv")


def test_cli_json_and_markdown_exports_to_stdout_are_clean(cli_db):
    db, _, _ = cli_db
    for fmt in ("json", "markdown"):
        result = cli(db, "export", "--format", fmt)
        assert result.returncode == EXIT_OK
        assert_clean_bytes(result.stdout + result.stderr, f"export {fmt}")


def test_hostile_stdin_import(tmp_path):
    data = hostile.hostile_report_text(7).encode() + b"\xff\xfe broken"
    result = cli(tmp_path / "stdin.db", "import", "-", input=data)
    assert result.returncode == EXIT_OK, result.stderr[-500:]
    assert_clean_bytes(result.stdout + result.stderr, "import -")
    result = cli(tmp_path / "stdin.db", "import", "-", input=b"\x00\x01\x02" * 100)
    assert result.returncode == EXIT_PARTIAL and b"not text" in result.stderr


# --- queries -----------------------------------------------------------------------------

SQL_MARKER = "zqxj"
HOSTILE_QUERIES = [
    "", " ", '"', '""', '"unbalanced', 'a"b"c', "'", "''", "it's", "NEAR", "NEAR(a b)", "a NEAR/2 b", "NEAR(minister said, 3)",
    "*", "a*", "*a", "**", "-x", "^x", "+x", "AND", "OR OR", "NOT", "a AND", "(", ")", "((a)", "{a b}", "a:b",
    "title:x", "body:minister", "reports_fts:x", "rowid:1", ";", "--", "/*", "*/", "%", "_", "\\", "%_%",
    f"' OR 1=1 -- {SQL_MARKER}", f"x'); DROP TABLE reports; -- {SQL_MARKER}", f'"; DELETE FROM claims; {SQL_MARKER}',
    f"{SQL_MARKER} UNION SELECT * FROM sqlite_master", "\x00", f"a\x00b {SQL_MARKER}", "status:", "status:new",
    "status:bogus", "grade:Z", "grade:A-Z", "cred:9", "cred:1-", 'source:"', 'source:"unclosed quote', "source:%",
    "from:2024-13-45", "from:x", "to:", "tag:\"'", "stance:maybe", "in:nothing", "type:alien", "in:claims minister",
    "x" * 499, "x" * 500, "x" * 501, "minister " * 200, "a" * 100_000, "\u202eevil\u202c", "[/]", "[@click=app.quit]",
    "[bold", hostile.ARABIC, hostile.HEBREW, hostile.EMOJI[0], hostile.HOMOGLYPHS[0], "\ud800", "\U0010ffff",
] + [text for text, _ in TERMINAL_PAYLOADS.values()]


class RecordingConnection:
    """Wraps a sqlite3 connection and records every SQL text executed (never the parameters)."""

    def __init__(self, conn):
        self._conn = conn
        self.statements: list[str] = []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql, *args):
        self.statements.append(sql)
        return self._conn.executemany(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


@pytest.fixture(scope="module")
def query_db(tmp_path_factory):
    from .factories import seeded_store

    path = tmp_path_factory.mktemp("q") / "q.db"
    store = seeded_store(path)
    report = tmp_path_factory.mktemp("qin") / "hostile.txt"
    report.write_text(hostile.hostile_report_text(3), encoding="utf-8")
    assert import_paths(store, [report]).imported == 1
    store.close()
    return path


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:30]))
def test_search_gives_results_or_a_message(query_db, query):
    store = Store.open(query_db)
    recorder = RecordingConnection(store.conn)
    store.conn = recorder
    try:
        results = search(store, query)
        assert isinstance(results.hits, list)
        assert results.message is None or (isinstance(results.message, str) and results.message)
        message = results.message or ""
        assert not message.startswith("search failed"), message
        for hit in results.hits:
            assert not forbidden_in(hit.text + hit.detail)
        flt = ReportFilter(text=query)
        listed = store.list_reports(flt)
        assert store.count_reports(flt) >= len(listed)
    finally:
        store.conn = recorder._conn
        store.close()
    for sql in recorder.statements:
        assert SQL_MARKER not in sql and "DROP" not in sql.upper() and "\x00" not in sql, sql
    with Store.open(query_db) as store:
        assert store.count_reports() == 4 and store.count_claims() > 0


def test_search_for_a_handle_with_an_underscore():
    from .factories import add_report

    store = Store.open(":memory:")
    add_report(store, title="Channel abu_mohammed posts", body="Channel abu_mohammed posts\nThe account abu_mohammed "
               "claimed the attack, officials said.\n")
    results = search(store, "abu_mohammed")
    assert results.message is None and results.hits, results.message


def test_search_with_a_nul_character():
    from .factories import seeded_store

    results = search(seeded_store(), "Hamas\x00 office")
    assert results.message is None and results.hits, results.message


def test_search_with_a_lone_surrogate():
    from .factories import seeded_store

    results = search(seeded_store(), "Hamas\udcff office")
    assert results.message is None and results.hits, results.message


def test_cli_arguments_with_invalid_utf8(query_db):
    for args in ([b"reports", b"--source", b"\xff"], [b"hypothesis", b"add", b"caf\xe9"]):
        result = subprocess.run([sys.executable.encode(), b"-m", b"tui.entry", b"--db", os.fsencode(query_db), *args],
                                cwd=REPO, env=ENV, capture_output=True, timeout=60)
        assert b"Traceback" not in result.stderr, (args, result.stderr[-300:])


def test_fts_syntax_is_never_passed_through(query_db):
    """Words that are FTS5 operators are searched as words; a quote cannot unbalance the query."""
    with Store.open(query_db) as store:
        for text in ('"', "NEAR(", "a OR", "AND NOT", "minister*", "minister said\"", '"minister'):
            store.list_reports(ReportFilter(text=text))  # no OperationalError
        assert store.count_reports(ReportFilter(text='"minister')) == store.count_reports(ReportFilter(text="minister"))


def test_cli_search_with_hostile_queries(query_db, capsys):
    for query in HOSTILE_QUERIES[::3] + ['"unbalanced', "from:2024-13-45", "x" * 501]:
        if "\x00" in query or "\ud800" in query:
            continue  # cannot be an argv element
        code = main(["--db", str(query_db), "search", query])
        out, err = capsys.readouterr()
        assert code in (EXIT_OK, EXIT_USAGE), (query, err)
        if code == EXIT_USAGE:
            assert err.startswith("analyst-tui: ") and err.count("\n") == 1, err
        assert not forbidden_in(out + err)
    result = cli(query_db, "search", '"unbalanced NEAR(', "'; DROP TABLE reports; --")
    assert result.returncode in (EXIT_OK, EXIT_USAGE) and b"Traceback" not in result.stderr
    code = main(["--db", str(query_db), "reports", "--text", '"NEAR( * OR'])
    assert code == EXIT_OK, capsys.readouterr().err


# --- database paths ------------------------------------------------------------------------

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def bad_paths(tmp_path):
    (tmp_path / "notes.db").write_text("my notes, not a database\n")
    (tmp_path / "afile").write_text("x")
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    return {
        "folder": (tmp_path, "is a folder"),
        "missing folder": (tmp_path / "missing" / "a.db", "does not exist"),
        "not sqlite": (tmp_path / "notes.db", "not an SQLite database"),
        "parent is a file": (tmp_path / "afile" / "x.db", "afile"),
        "newer schema": (newer, "newer"),
    }


def test_cli_bad_database_paths_one_line_exit_2(bad_paths):
    for label, (path, hint) in bad_paths.items():
        before = _digest(path) if path.is_file() else None
        result = cli(path, "reports")
        err = result.stderr.decode()
        assert result.returncode == EXIT_USAGE, (label, err)
        assert err.startswith("analyst-tui: ") and err.count("\n") == 1 and hint in err, (label, err)
        assert "Traceback" not in err
        if before:
            assert _digest(path) == before, f"{label}: the file was changed"


def _corrupt_database(path: Path) -> None:
    with Store.open(path) as store:
        from .factories import add_report

        for i in range(60):
            add_report(store, title=f"report {i}", body=f"report {i}\n" + "The minister said it happened. " * 80)
    with open(path, "r+b") as handle:  # keep the header, scribble over pages in the middle
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 8192)


def test_cli_damaged_database_is_a_clear_message(tmp_path):
    path = tmp_path / "damaged.db"
    _corrupt_database(path)
    for args in (["check"], ["reports"]):
        result = cli(path, *args)
        assert b"Traceback" not in result.stderr, result.stderr[-300:]
        assert result.returncode in (EXIT_PARTIAL, EXIT_USAGE) and b"analyst-tui" in result.stdout + result.stderr


def _tui_launch_importable() -> str | None:
    probe = subprocess.run([sys.executable, "-c", "import tui.launch"], cwd=REPO, capture_output=True, timeout=60)
    return None if probe.returncode == 0 else probe.stderr.decode().strip().splitlines()[-1]


def test_tui_launcher_bad_database_paths_one_line_exit_nonzero(bad_paths):
    missing = _tui_launch_importable()
    if missing:
        pytest.skip(f"the TUI launcher (tui/launch.py) is not built yet: {missing}")
    for label, (path, hint) in bad_paths.items():
        before = _digest(path) if path.is_file() else None
        result = subprocess.run([sys.executable, "-m", "tui.entry", "--db", str(path)], cwd=REPO, env=ENV,
                                capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        output = (result.stdout + result.stderr).decode()
        assert result.returncode != 0, (label, output)
        lines = [line for line in output.splitlines() if line.strip()]
        assert len(lines) == 1 and hint in lines[0] and "Traceback" not in output, (label, output)
        if before:
            assert _digest(path) == before


# --- the TUI's bytes, under a real pty ------------------------------------------------------

def _tui_importable() -> str | None:
    probe = subprocess.run([sys.executable, "-c", "import tui.app, tui.launch"], cwd=REPO, capture_output=True,
                           timeout=60)
    return None if probe.returncode == 0 else probe.stderr.decode().strip().splitlines()[-1]


def _run_tui_in_pty(db: Path, keys: list[tuple[bytes, float]], *, columns: int = 140, rows: int = 45,
                    timeout: float = 60, path_env: str | None = None) -> tuple[bytes, int | None]:
    """Start ``python -m tui.entry --db DB`` on a pty, type ``keys`` (bytes, pause after), return every byte
    the app wrote to the terminal and its exit status."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    env = {**ENV, "TERM": "xterm-256color", "COLORTERM": "truecolor", "COLUMNS": str(columns), "LINES": str(rows)}
    env.pop("NO_COLOR", None)
    env.pop("TEXTUAL", None)
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    if path_env is not None:
        env["PATH"] = path_env
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, on the pty
        os.chdir(REPO)
        os.execvpe(sys.executable, [sys.executable, "-m", "tui.entry", "--db", str(db)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    out = bytearray()

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], max(0.0, min(0.05, end - time.monotonic())))
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                out.extend(chunk)

    deadline = time.monotonic() + 20
    while b"\x1b[?1049h" not in out and time.monotonic() < deadline:  # the app took the screen
        pump(0.2)
    pump(2.0)  # first paint and the first report loaded
    for key, pause in keys:
        os.write(fd, key)
        pump(pause)
    status = None
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pump(0.2)
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
    if status is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    pump(0.3)
    os.close(fd)
    return bytes(out), status


@pytest.fixture(scope="module")
def tui_db(tmp_path_factory):
    """A database of hostile reports only (no 200-item feed), imported through the CLI."""
    folder = tmp_path_factory.mktemp("tuihostile") / "inbox"
    hostile.write_hostile_files(folder, big_line_mb=1)
    for name in ("rss_many_items.xml", "one_line.txt", "huge_50mb.txt", "long_title.txt"):
        (folder / name).unlink()
    db = tmp_path_factory.mktemp("tuidb") / "tui.db"
    result = cli(db, "import", str(folder))
    assert result.returncode in (EXIT_OK, EXIT_PARTIAL), result.stderr[-500:]
    with Store.open(db) as store:
        count = store.count_reports()
        store.create_hypothesis(TERMINAL_PAYLOADS["osc0_title"][0] + " hypothesis [/] \u202eevil")
        store.add_tag("report", store.report_ids()[:5], TERMINAL_PAYLOADS["osc8_link"][0] + "[bold")
    return db, count


def test_tui_bytes_under_a_pty_carry_no_sequence_from_the_data(tui_db):
    missing = _tui_importable()
    if missing:
        pytest.skip(f"the TUI (tui/app.py, tui/launch.py) cannot be imported yet: {missing}")
    db, count = tui_db
    keys: list[tuple[bytes, float]] = []
    for i in range(count + 2):  # every report in the queue: next, and now and then open and cycle the panes
        keys.append((b"j", 0.05))
        if i % 7 == 0:
            keys += [(b"\r", 0.2), (b"\t", 0.1), (b"\t", 0.1), (b"j", 0.05), (b"\t", 0.1), (b"\x1b", 0.2)]
    keys += [(b"/", 0.4), (b"HOSTILE", 0.8), (b"\x1b", 0.4), (b"\x11", 0.5)]  # search, then Ctrl+Q
    data, status = _run_tui_in_pty(db, keys)
    leaks = {name: marker for name, (_, markers) in TERMINAL_PAYLOADS.items() for marker in markers
             if marker in data and not (name == "bel_bs" and b"\x07" not in marker)}
    assert not leaks, f"sequences from the data reached the terminal: {leaks}"
    # C1 controls encoded in UTF-8 (the app never writes any itself) and bidi overrides
    c1 = [bytes([0xC2, b]) for b in range(0x80, 0xA0) if bytes([0xC2, b]) in data]
    assert not c1, c1
    for char in ("\u202e", "\u202d", "\u2066", "\u2067"):
        assert char.encode() not in data, f"U+{ord(char):04X} reached the terminal"
    assert b"Traceback" not in data, data[-2000:].decode("utf-8", "replace")
    assert status == 0, (status, data[-1500:].decode("utf-8", "replace"))
    # and the hostile reports were on screen (made visible, not executed)
    assert b"HOSTILE" in data and "\u241b".encode() in data, "the hostile reports were never shown"


# --- no clipboard ----------------------------------------------------------------------------

NO_CLIPBOARD = r"""
import json, sys
from tui.clipboard import copy_text

class App:
    written = []
    def copy_to_clipboard(self, text):
        import base64
        self.written.append("\x1b]52;c;" + base64.b64encode(text.encode()).decode() + "\x07")

app = App()
result = copy_text(app, sys.argv[1])
print(json.dumps({"system": result.system, "terminal": result.terminal, "how": result.how(), "written": app.written}))
"""


def test_copy_without_a_system_clipboard_falls_back_to_osc52_and_says_so(tmp_path):
    """No xclip, xsel or wl-copy on PATH, no DISPLAY: pyperclip fails, OSC 52 carries the text, the result says so."""
    if _tui_importable():
        pytest.skip("tui/clipboard.py cannot be imported yet")
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {k: v for k, v in ENV.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PATH"] = str(empty)
    text = "Citation " + TERMINAL_PAYLOADS["osc52_clipboard"][0] + " [/] \u202e"
    result = subprocess.run([sys.executable, "-c", NO_CLIPBOARD, text], cwd=REPO, env=env, capture_output=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr[-800:]
    copied = json.loads(result.stdout)
    assert copied["system"] is False and copied["terminal"] is True
    assert "OSC 52" in copied["how"] and "no system clipboard" in copied["how"]
    import base64

    (sequence,) = copied["written"]
    payload = sequence[len("\x1b]52;c;"):-1]
    assert base64.b64decode(payload).decode() == text  # the text travels base64-encoded: it cannot end the sequence
    assert "\x1b" not in payload and "\x07" not in payload


def test_tui_copy_without_a_system_clipboard_writes_osc52_and_notifies(tui_db, tmp_path):
    if _tui_importable():
        pytest.skip("the TUI cannot be imported yet")
    db, _ = tui_db
    empty = tmp_path / "bin"
    empty.mkdir()
    data, status = _run_tui_in_pty(db, [(b"j", 0.3), (b"\r", 0.5), (b"y", 1.5), (b"\x11", 0.5)], path_env=str(empty))
    assert status == 0, data[-1500:].decode("utf-8", "replace")
    assert b"\x1b]52;c;" in data, "the copy did not reach the terminal through OSC 52"
    start = data.index(b"\x1b]52;c;") + len(b"\x1b]52;c;")
    end = data.index(b"\x07", start)
    import base64

    copied = base64.b64decode(data[start:end]).decode("utf-8")
    assert copied.strip() and "\x1b" not in copied  # a citation, with the data's escapes made harmless
    screen = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", data).decode("utf-8", "replace")
    assert "OSC 52" in screen or "OSC" in screen, "the notification did not say where the text went"
