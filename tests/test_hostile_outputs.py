"""Output paths an analyst (or a script) may get wrong: an export must never overwrite the
database it reads, its WAL/SHM or its backups, and a failed export leaves no half file behind.
Issue 17, class 3."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from db.cli import EXIT_OK, EXIT_USAGE, main

from .factories import seeded_store


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "case.db"
    seeded_store(path).close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _export(capsys, db: Path, output: str, fmt: str = "json") -> tuple[int, str]:
    code = main(["--db", str(db), "export", "--format", fmt, "-o", output])
    _, err = capsys.readouterr()
    return code, err


def _protected_names(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"),
            db.with_name(db.name + ".v3.bak"), db.with_name(db.name + ".v2.bak2")]


@pytest.mark.parametrize("which", range(5), ids=["db", "wal", "shm", "backup", "second-backup"])
@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_export_refuses_the_database_and_its_companions(capsys, db, which, fmt):
    target = _protected_names(db)[which]
    is_backup = ".bak" in target.name
    if is_backup:
        target.write_bytes(b"an earlier version of the case the analyst needs")
        before = _digest(target)
    db_before = _digest(db)
    code, err = _export(capsys, db, str(target), fmt)
    assert code == EXIT_USAGE
    assert err.count("\n") == 1 and "Traceback" not in err and "database" in err
    assert _digest(db) == db_before
    if is_backup:
        assert _digest(target) == before
    else:  # SQLite removes its WAL and SHM at close: what matters is that none held an export
        assert not target.exists() or not target.read_bytes().startswith(b"{")


def test_export_refuses_the_database_through_a_link_or_another_spelling(capsys, db, tmp_path):
    link = tmp_path / "innocent.json"
    link.symlink_to(db)
    other_spelling = str(tmp_path / "sub" / ".." / db.name)
    (tmp_path / "sub").mkdir()
    before = _digest(db)
    for target in (str(link), other_spelling, f"{tmp_path}//{db.name}"):
        code, err = _export(capsys, db, target)
        assert code == EXIT_USAGE and "database" in err, target
    assert _digest(db) == before and link.is_symlink()


def test_export_to_a_hard_link_of_the_database_is_refused(capsys, db, tmp_path):
    hard = tmp_path / "copy.json"
    os.link(db, hard)
    before = _digest(db)
    code, err = _export(capsys, db, str(hard))
    assert code == EXIT_USAGE and _digest(db) == before


@pytest.mark.parametrize("bad", ["missing-folder", "folder", "dev-full"])
def test_export_to_an_unusable_path_is_one_line_and_leaves_no_file(capsys, db, tmp_path, bad):
    target = {"missing-folder": str(tmp_path / "nowhere" / "out.json"), "folder": str(tmp_path),
              "dev-full": "/dev/full"}[bad]
    if bad == "dev-full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    before = set(tmp_path.iterdir())
    code, err = _export(capsys, db, target)
    assert code == EXIT_USAGE
    assert err.count("\n") == 1 and "Traceback" not in err and err.startswith("analyst-tui: "), err
    assert set(tmp_path.iterdir()) == before  # no temporary file left beside it


def test_a_failed_export_keeps_the_previous_file_whole(capsys, db, tmp_path, monkeypatch):
    """The export is written to a temporary file and renamed: an error half-way (here a write
    that fails after the first record) leaves the previous export as it was, and no temporary."""
    out = tmp_path / "out.json"
    out.write_text("previous export\n")
    from db import export

    real = export.write_json

    def failing(records, handle, **kwargs):
        handle.write("{")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_json", failing)
    code, err = _export(capsys, db, str(out))
    assert code == EXIT_USAGE and "No space left" in err and err.count("\n") == 1
    assert out.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["case.db", "out.json"] +
                                                                [p.name for p in tmp_path.glob("case.db-*")])
    monkeypatch.setattr(export, "write_json", real)
    code, _ = _export(capsys, db, str(out))
    assert code == EXIT_OK and out.read_text().startswith("{")


def test_export_to_a_fifo_or_stdout_device_is_written_in_place(capsys, db, tmp_path):
    """A non-regular target the analyst named (``-o /dev/stdout``) is written to, never replaced."""
    target = Path("/dev/null")
    code, err = _export(capsys, db, str(target))
    assert code == EXIT_OK, err
    assert target.is_char_device()
