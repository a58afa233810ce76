"""The import pipeline with worker processes (``import_paths(workers=N)``): the same store as an
import done in one process, progress and outcomes in input order, cancel, a worker killed."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from db import importer
from db.cli import EXIT_OK, main as cli_main
from db.importer import import_paths, pool_workers
from db.models import ParsedReport
from db.store import Store

from tests.factories import children_left
from .hostile import many_report_files, write_hostile_files

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# Every column but the import times: what two imports of the same files must agree on.
TABLES = ["sources", "reports", "report_fingerprints", "entities", "entity_aliases", "claims", "mentions",
          "cited_sources", "cited_source_claims", "tags", "taggings", "merge_proposals"]
UNTIMED = {"created_at", "imported_at", "sort_key"}


def _contents(store: Store) -> dict[str, list[tuple]]:
    contents = {}
    for table in TABLES:
        columns = [row[1] for row in store.conn.execute(f"PRAGMA table_info({table})") if row[1] not in UNTIMED]
        quoted = ", ".join(f'"{column}"' for column in columns)
        contents[table] = sorted(store.conn.execute(f"SELECT {quoted} FROM {table}").fetchall(), key=repr)
    return contents


def _import(db: Path, paths, workers: int, **kwargs):
    calls = []
    with Store.open(db) as store:
        summary = import_paths(store, paths, workers=workers,
                               progress=lambda done, total, outcome: calls.append((done, total, outcome)), **kwargs)
        return summary, calls, _contents(store)


@pytest.fixture
def inbox(tmp_path):
    """Seeds (every format), generated reports, a broken file, plus a missing path below."""
    folder = tmp_path / "inbox"
    many_report_files(folder / "generated", 30, seed=5)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    return [SEEDS, folder, tmp_path / "nowhere"]


def test_workers_give_the_same_store_outcomes_and_progress(tmp_path, inbox):
    alone, alone_calls, alone_rows = _import(tmp_path / "alone.db", inbox, workers=0)
    pooled, pooled_calls, pooled_rows = _import(tmp_path / "pooled.db", inbox, workers=2)
    assert alone.failed == 2 and alone.imported > 40
    for table in TABLES:
        assert pooled_rows[table] == alone_rows[table], table
    assert [(o.status, o.name, o.reason, o.report_id, o.duplicate_of) for o in pooled.outcomes] == \
           [(o.status, o.name, o.reason, o.report_id, o.duplicate_of) for o in alone.outcomes]
    assert [(d, t, o.name, o.report_id) for d, t, o in pooled_calls] == \
           [(d, t, o.name, o.report_id) for d, t, o in alone_calls]
    assert not children_left(), "the pool outlived the import"


def test_hostile_files_in_workers_end_as_in_process(tmp_path):
    folder = tmp_path / "hostile"
    write_hostile_files(folder)
    (folder / "one_line.txt").unlink()  # 5 MB: extracting it takes seconds, and it has its own test
    alone, _, alone_rows = _import(tmp_path / "alone.db", [folder], workers=0)
    pooled, _, pooled_rows = _import(tmp_path / "pooled.db", [folder], workers=2)
    assert alone.failed and alone.imported
    assert [(o.status, o.name, o.reason, o.report_id) for o in pooled.outcomes] == \
           [(o.status, o.name, o.reason, o.report_id) for o in alone.outcomes]
    for table in TABLES:
        assert pooled_rows[table] == alone_rows[table], table


def test_progress_counts_files_in_input_order(tmp_path, inbox):
    summary, calls, _ = _import(tmp_path / "pooled.db", inbox, workers=2)
    total = importer.count_input_files(inbox)
    assert len(calls) == len(summary.outcomes) == summary.imported + summary.failed
    assert {t for _, t, _ in calls} == {total}
    done = [d for d, _, _ in calls]
    assert done == sorted(done) and done[-1] == total  # the missing path counts: it has an outcome (issue 17.11)
    assert [o for _, _, o in calls] == summary.outcomes
    assert calls[-1][2].name.endswith("nowhere") and calls[-1][2].status == "failed"


def test_stdin_goes_through_the_pool(tmp_path):
    data = b"Office opens in Baghdad\nJune 13, 2024\nThe office opened on Monday, officials said.\n"
    files = many_report_files(tmp_path / "inbox", 3)
    summary, _, rows = _import(tmp_path / "pooled.db", ["-", *files], workers=2, stdin_bytes=data)
    assert summary.imported == 4 and summary.outcomes[0].name == "<stdin>"
    assert any(row[1] == "Office opens in Baghdad" for row in rows["reports"])


def test_cancel_stops_the_workers_and_keeps_what_was_stored(tmp_path):
    files = many_report_files(tmp_path / "inbox", 300, seed=7)
    calls = []

    def cancelled() -> bool:
        return len(calls) >= 10

    started = time.monotonic()
    with Store.open(tmp_path / "cancel.db") as store:
        summary = import_paths(store, [tmp_path / "inbox"], workers=2, cancelled=cancelled,
                               progress=lambda *args: calls.append(args))
        seconds = time.monotonic() - started
        stored = store.count_reports()
        without_claims = store.conn.execute(
            "SELECT count(*) FROM reports WHERE id NOT IN (SELECT report_id FROM claims)").fetchone()[0]
    assert 10 <= summary.imported < len(files) and stored == summary.imported
    assert without_claims == 0
    assert seconds < 10, seconds
    assert not children_left(), "cancel left worker processes running"


def test_from_a_thread_like_the_tui(tmp_path):
    """The TUI imports in a worker thread with its own Store, and cancels by a flag."""
    import threading

    many_report_files(tmp_path / "inbox", 150, seed=3)
    stop, results = threading.Event(), {}

    def run() -> None:
        with Store.open(tmp_path / "thread.db") as store:
            results["summary"] = import_paths(store, [tmp_path / "inbox"], workers=2, cancelled=stop.is_set,
                                              progress=lambda done, *_: done >= 60 and stop.set())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert 60 <= results["summary"].imported < 150
    assert not children_left()


def test_a_killed_worker_loses_nothing(tmp_path, monkeypatch):
    files = many_report_files(tmp_path / "inbox", 120, seed=9)
    killed, done_here = [], []
    in_process = importer._prepared_here

    def spied(items, cancelled):
        for unit in in_process(items, cancelled):
            done_here.append(unit.name)
            yield unit

    monkeypatch.setattr(importer, "_prepared_here", spied)

    def kill_the_workers(done, total, outcome) -> None:
        if not killed:
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)

    with Store.open(tmp_path / "killed.db") as store:
        summary = import_paths(store, [tmp_path / "inbox"], workers=2, progress=kill_the_workers)
        assert store.count_reports() == len(files)
    assert killed, "no worker to kill"
    assert done_here, "the import did not go on in this process"
    assert summary.imported == len(files) and summary.failed == 0
    assert [o.name for o in summary.outcomes] == [p.name for p in files]


def test_waiting_for_the_workers_stores_what_is_ready(tmp_path, monkeypatch):
    """While the workers are behind, the reports already extracted are stored (not all at the end)."""
    files = many_report_files(tmp_path / "inbox", 30, seed=4)
    stored_when_waiting = []

    def slow_pool(items, workers, cancelled):
        for number, unit in enumerate(importer._prepared_here(items, cancelled), start=1):
            yield unit
            if number % 12 == 0:
                yield importer.NOTHING_READY
                stored_when_waiting.append((number, store.count_reports()))

    monkeypatch.setattr(importer, "_prepared_in_pool", slow_pool)
    monkeypatch.setattr(importer, "BATCH_SECONDS", 3600)  # only batch size and waiting decide
    with Store.open(tmp_path / "waiting.db") as store:
        summary = import_paths(store, [tmp_path / "inbox"], workers=2)
        assert store.count_reports() == len(files) == summary.imported
    assert stored_when_waiting == [(12, 12), (24, 24)]
    assert [o.name for o in summary.outcomes] == [p.name for p in files]


def test_files_are_prepared_here_while_the_workers_start(tmp_path, monkeypatch):
    """Starting the workers takes ~0.5 s (a new interpreter importing the extractor): the import
    does not wait for them, and the workers still do the rest."""
    files = many_report_files(tmp_path / "inbox", 120, seed=6)
    real_start, real_prepare = importer._start_pool, importer._prepare_report
    prepared_here = []
    some_prepared_here = threading.Event()

    def slow_start(workers):  # the workers start only once this thread has prepared a few files
        some_prepared_here.wait(30)
        return real_start(workers)

    def spied_prepare(parsed, file_name):  # in this process only: the workers have their own copy
        prepared_here.append(file_name)
        if len(prepared_here) >= 3:
            some_prepared_here.set()
            time.sleep(0.05)  # slower than the workers' start, however fast this machine is
        return real_prepare(parsed, file_name)

    monkeypatch.setattr(importer, "_start_pool", slow_start)
    monkeypatch.setattr(importer, "_prepare_report", spied_prepare)
    with Store.open(tmp_path / "starting.db") as store:
        summary = import_paths(store, [tmp_path / "inbox"], workers=2)
        assert store.count_reports() == len(files) == summary.imported
    assert [o.name for o in summary.outcomes] == [p.name for p in files]
    assert len(prepared_here) >= 3, "the import waited for the workers to start"
    assert prepared_here == [str(p) for p in files[:len(prepared_here)]]
    assert len(prepared_here) < len(files), "the workers did nothing"


def test_no_process_can_start_here(tmp_path, monkeypatch):
    def no_processes(workers):
        raise OSError(38, "Function not implemented")  # e.g. no POSIX semaphores in a sandbox

    monkeypatch.setattr(importer, "_start_pool", no_processes)
    files = many_report_files(tmp_path / "inbox", 5)
    with Store.open(tmp_path / "no-pool.db") as store:
        assert import_paths(store, [tmp_path / "inbox"], workers=2).imported == len(files)


def test_an_extractor_error_keeps_the_report_without_claims(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr("db.extract.extract", broken)
    prepared = importer._prepare_report(ParsedReport(title="t", body="The minister said so.", format="text"), "a.txt")
    assert prepared.extraction is None and prepared.parsed.original_name == "a.txt"


def test_small_imports_start_no_process(tmp_path, monkeypatch):
    def no_pool(workers):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(importer, "_start_pool", no_pool)
    monkeypatch.delenv(importer.WORKERS_ENV, raising=False)
    monkeypatch.setattr(importer, "usable_cpus", lambda: 8)
    files = many_report_files(tmp_path / "inbox", 25)
    with Store.open(tmp_path / "small.db") as store:
        assert import_paths(store, [tmp_path / "inbox"]).imported == len(files)


def test_when_the_pool_is_used(monkeypatch):
    monkeypatch.delenv(importer.WORKERS_ENV, raising=False)
    monkeypatch.setattr(importer, "usable_cpus", lambda: 2)
    assert pool_workers(None, 1) == 0
    assert pool_workers(None, importer.POOL_MIN_FILES - 1) == 0
    assert pool_workers(None, importer.POOL_MIN_FILES) == 2
    assert pool_workers(None, None) == 0  # the files could not be counted
    assert pool_workers(0, 10_000) == 0 and pool_workers(3, 1) == 3
    monkeypatch.setattr(importer, "usable_cpus", lambda: 1)
    assert pool_workers(None, 10_000) == 0
    monkeypatch.setattr(importer, "usable_cpus", lambda: 64)
    assert pool_workers(None, 10_000) == importer.MAX_AUTO_WORKERS
    monkeypatch.setenv(importer.WORKERS_ENV, "0")
    assert pool_workers(None, 10_000) == 0 and pool_workers(2, 10_000) == 2
    monkeypatch.setenv(importer.WORKERS_ENV, "not a number")
    assert pool_workers(None, 10_000) == importer.MAX_AUTO_WORKERS


def test_cli_import_workers_option(tmp_path, capsys):
    many_report_files(tmp_path / "inbox", 5)
    db = str(tmp_path / "cli.db")
    assert cli_main(["--db", db, "import", "--workers", "2", str(tmp_path / "inbox")]) == EXIT_OK
    assert "5 imported" in capsys.readouterr().err
    assert cli_main(["--db", db, "import", "--workers", "0", str(tmp_path / "inbox")]) == EXIT_OK
    assert "5 skipped" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli_main(["--db", db, "import", "--workers", "many", str(tmp_path / "inbox")])


def test_an_import_checkpoints_the_wal_less_often_and_restores_the_setting_after(tmp_path):
    # at SQLite's default (1,000 pages) an import's commits copied and synced the same index pages
    # again and again: fewer, larger checkpoints while it runs (bench/RESULTS.md), the default after
    from db.connection import BULK_WAL_PAGES

    files = many_report_files(tmp_path / "inbox", 3)
    seen = []
    with Store.open(tmp_path / "x.db") as store:
        before = store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        import_paths(store, [tmp_path / "inbox"], workers=0, progress=lambda done, total, outcome: seen.append(
            store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]))
        assert seen == [BULK_WAL_PAGES] * len(files)
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == before < BULK_WAL_PAGES
