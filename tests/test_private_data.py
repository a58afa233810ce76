"""Analyst data readable by the analyst only, and demo folders of killed runs cleaned up. Issue 17,
class 6."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from db.cli import main
from db.demo_folders import OWNER_FILE, PREFIX, new_demo_folder, remove_abandoned_demo_folders
from db.store import Store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_and_shm_are_the_owners_only(tmp_path):
    old = os.umask(0o022)  # the usual umask: files 0644, readable by every local user
    try:
        store = Store.open(tmp_path / "case.db")
        with store.write():
            store.create_hypothesis("something")
        companions = [tmp_path / "case.db-wal", tmp_path / "case.db-shm"]
        assert all(p.exists() for p in companions)
        assert {p.name: _mode(p) for p in [tmp_path / "case.db", *companions]} == {
            "case.db": 0o600, "case.db-wal": 0o600, "case.db-shm": 0o600}
        store.close()
    finally:
        os.umask(old)


def test_an_existing_database_keeps_its_mode(tmp_path):
    path = tmp_path / "shared.db"
    Store.open(path).close()
    os.chmod(path, 0o640)
    Store.open(path).close()
    assert _mode(path) == 0o640


def test_the_default_data_folder_is_created_0700(tmp_path, monkeypatch, capsys):
    old = os.umask(0o022)
    try:
        monkeypatch.delenv("ANALYST_TUI_DB", raising=False)
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert main(["check"]) == 0
        from db.paths import default_db_path

        path = default_db_path()
        assert path.is_relative_to(tmp_path)
        assert _mode(path.parent) == 0o700 and _mode(path) == 0o600
    finally:
        os.umask(old)


def test_settings_are_the_owners_only(tmp_path):
    from tui.config import Config

    old = os.umask(0o022)
    try:
        config = Config.load(tmp_path / "conf" / "config.json")
        config.theme = "textual-light"
        assert config.save() is None
        assert _mode(tmp_path / "conf" / "config.json") == 0o600 and _mode(tmp_path / "conf") == 0o700
    finally:
        os.umask(old)


def test_demo_folders_of_gone_processes_are_removed_and_live_ones_kept(tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folders = {}
        for label, pid in (("dead", dead_pid), ("alive", sleeper.pid), ("mine", os.getpid())):
            folder = tmp_path / f"{PREFIX}{label}"
            folder.mkdir()
            (folder / OWNER_FILE).write_text(str(pid))
            (folder / "demo.db").write_bytes(b"x")
            folders[label] = folder
        unowned_old = tmp_path / f"{PREFIX}unowned-old"
        unowned_old.mkdir()
        os.utime(unowned_old, (time.time() - 3 * 86400,) * 2)
        unowned_new = tmp_path / f"{PREFIX}unowned-new"
        unowned_new.mkdir()
        other = tmp_path / "not-a-demo-folder"
        other.mkdir()
        removed = remove_abandoned_demo_folders(tmp_path)
        assert sorted(p.name for p in removed) == sorted([folders["dead"].name, unowned_old.name])
        assert folders["alive"].exists() and folders["mine"].exists() and unowned_new.exists() and other.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_new_demo_folder_names_its_owner():
    folder = new_demo_folder()
    try:
        assert int((Path(folder.name) / OWNER_FILE).read_text()) == os.getpid()
        remove_abandoned_demo_folders(Path(folder.name).parent)
        assert Path(folder.name).exists()
    finally:
        folder.cleanup()


def test_the_launcher_cleans_up_at_start(tmp_path, monkeypatch, capsys, config_file):
    import tempfile

    from tui.launch import launch

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = tmp_path / f"{PREFIX}killed"
    left.mkdir()
    (left / OWNER_FILE).write_text(gone.stdout.strip())
    a_folder = tmp_path / "a-folder.db"
    a_folder.mkdir()
    assert launch(SimpleNamespace(db=str(a_folder), demo=False)) == 2  # fails to open, after cleaning up
    assert not left.exists()
