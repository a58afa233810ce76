"""Folders an adversary prepared: links out of the folder, FIFOs, devices, sockets, unsearchable
subfolders; and standard input that never ends. Issue 17, classes 4, 5 and 9 (folders)."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.importer import count_input_files, import_paths
from db.ingest import MAX_BYTES, IngestError, Skipped, parse_file, read_stdin, walk_inputs
from db.store import Store

REPO = Path(__file__).resolve().parents[1]
SECRET = "root:x:0:0:SECRET-OUTSIDE-THE-FOLDER"


@pytest.fixture
def outside(tmp_path) -> Path:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}\nThe minister said nothing.\n")
    return secret


@pytest.fixture
def trapped_inbox(tmp_path, outside) -> Path:
    """A folder holding one good report and every kind of entry that must not be read."""
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "good.txt").write_text("Good report\nThe minister said the talks went well.\n")
    (inbox / "sub" / "also_good.md").write_text("# Also good\n\nThe envoy said so.\n")
    (inbox / "passwd.txt").symlink_to(outside)
    (inbox / "environ.txt").symlink_to("/proc/self/environ")
    (inbox / "relative_escape.txt").symlink_to("../outside/passwd")
    (inbox / "outside_folder").symlink_to(outside.parent, target_is_directory=True)
    (inbox / "dangling.txt").symlink_to(inbox / "nothing-here")
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    (inbox / "inside_link.txt").symlink_to(inbox / "good.txt")
    (inbox / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(inbox / "fifo.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inbox / "socket.txt"))
    sock.close()
    return inbox


def _import(db: Path, *paths) -> tuple:
    store = Store.open(db)
    try:
        summary = import_paths(store, list(paths), workers=0)
        bodies = [row[0] for row in store.conn.execute("SELECT body FROM reports")]
    finally:
        store.close()
    return summary, bodies


def test_nothing_outside_the_folder_and_nothing_but_regular_files_is_read(tmp_path, trapped_inbox):
    summary, bodies = _import(tmp_path / "x.db", trapped_inbox)
    assert not any(SECRET in body for body in bodies)
    assert not any("PATH=" in body or "HOME=" in body for body in bodies)  # /proc/self/environ
    assert summary.imported == 2
    reasons = {Path(o.name).name: o.reason for o in summary.outcomes if o.status == "failed"}
    assert reasons == {
        "passwd.txt": "not read: a link leading out of the imported folder",
        "environ.txt": "not read: a link leading out of the imported folder",
        "relative_escape.txt": "not read: a link leading out of the imported folder",
        "outside_folder": "not read: a link leading out of the imported folder",
        "zero.txt": "not read: a link leading out of the imported folder",
        "dangling.txt": "not read: a link to nothing",
        "loop.txt": "not read: a link that cannot be followed",
        "fifo.txt": "not read: a FIFO (named pipe)",
        "socket.txt": "not read: a socket",
    }
    # the link to a file inside the folder is read (its content is already there: skipped)
    assert [o.status for o in summary.outcomes if Path(o.name).name == "good.txt"] == ["imported", "skipped"]


def test_every_skipped_entry_counts_in_the_progress_total(tmp_path, trapped_inbox):
    seen = []
    store = Store.open(tmp_path / "x.db")
    try:
        import_paths(store, [trapped_inbox, tmp_path / "missing.txt"], workers=0,
                     progress=lambda done, total, outcome: seen.append((done, total)))
    finally:
        store.close()
    total = seen[0][1]
    assert total == count_input_files([trapped_inbox, tmp_path / "missing.txt"])
    assert all(done <= total for done, _ in seen) and seen[-1][0] == total


def test_progress_never_passes_its_total_when_named_files_are_missing(tmp_path):
    present = tmp_path / "a.txt"
    present.write_text("A title\nThe minister said.\n")
    seen = []
    store = Store.open(tmp_path / "x.db")
    try:
        import_paths(store, [tmp_path / "gone1.txt", tmp_path / "gone2.txt", present], workers=0,
                     progress=lambda done, total, outcome: seen.append((done, total)))
    finally:
        store.close()
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_the_same_folder_through_the_worker_pool(tmp_path, trapped_inbox):
    summary, bodies = _import_with_workers(tmp_path / "x.db", trapped_inbox)
    assert not any(SECRET in body for body in bodies) and summary.imported == 2


def _import_with_workers(db: Path, folder: Path):
    store = Store.open(db)
    try:
        summary = import_paths(store, [folder], workers=2)
        bodies = [row[0] for row in store.conn.execute("SELECT body FROM reports")]
    finally:
        store.close()
    return summary, bodies


def test_a_file_swapped_for_a_link_after_the_listing_is_not_followed(tmp_path, outside):
    """The folder is listed, then (before the read) a file becomes a link to a secret."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    victim = inbox / "report.txt"
    victim.write_text("A title\nThe minister said.\n")
    listed = [entry for entry in walk_inputs([inbox])]
    assert listed == [victim]
    victim.unlink()
    victim.symlink_to(outside)
    with pytest.raises(IngestError, match="link"):
        parse_file(victim, follow_links=False)
    assert SECRET in parse_file(victim, follow_links=True)[0].body  # named explicitly: the analyst's choice


def test_a_fifo_named_on_the_command_line_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(IngestError, match="FIFO"):
        parse_file(fifo)
    db = tmp_path / "x.db"
    result = subprocess.run([sys.executable, "-m", "tui.entry", "--db", str(db), "import", str(fifo)], cwd=REPO,
                            capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and b"FIFO" in result.stderr
    assert time.monotonic() - started < 60


def test_a_link_named_on_the_command_line_is_followed_but_not_to_a_device(tmp_path, outside):
    link = tmp_path / "named.txt"
    link.symlink_to(outside)
    assert SECRET in parse_file(link)[0].body
    device_link = tmp_path / "zero.txt"
    device_link.symlink_to("/dev/zero")
    with pytest.raises(IngestError, match="device"):
        parse_file(device_link)


def test_an_unsearchable_subfolder_is_skipped_with_its_reason_and_the_rest_imported(tmp_path, monkeypatch):
    """Tests run as root, whom permission bits do not stop: the PermissionError that a folder
    without execute permission raises is simulated for that one folder."""
    inbox = tmp_path / "inbox"
    for name in ("a", "locked", "z"):
        (inbox / name).mkdir(parents=True)
        (inbox / name / f"{name}.txt").write_text(f"Report {name}\nThe minister said {name}.\n")
    locked = inbox / "locked"
    locked.chmod(0o600)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    try:
        summary, _ = _import(tmp_path / "x.db", inbox)
    finally:
        locked.chmod(0o700)
    assert summary.imported == 2
    assert [(Path(o.name).name, o.reason) for o in summary.outcomes if o.status == "failed"] == [
        ("locked", "folder not searched: permission denied")]


def test_an_unsearchable_named_folder_is_one_reason(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", denied)
    entries = list(walk_inputs([inbox]))
    assert entries == [Skipped(inbox, "folder not searched: permission denied")]


# --- standard input ---------------------------------------------------------------------------

class EndlessStream(io.RawIOBase):
    """A stream that never ends, counting what was asked of it."""

    def __init__(self):
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"A" * len(buffer)
        self.given += len(buffer)
        return len(buffer)


def test_stdin_is_read_in_chunks_up_to_the_limit():
    stream = EndlessStream()
    data = read_stdin(stream)
    assert len(data) == MAX_BYTES + 1 and stream.given == MAX_BYTES + 1


def test_the_cli_refuses_an_endless_stdin_without_holding_it(tmp_path):
    """``yes | analyst-tui import -``: refused once past the limit, in bounded memory."""
    db = tmp_path / "x.db"
    code = ("import resource, subprocess, sys\n"
            "feeder = subprocess.Popen(['yes', 'hostile line'], stdout=subprocess.PIPE)\n"
            f"result = subprocess.run([sys.executable, '-m', 'tui.entry', '--db', {str(db)!r}, 'import', '-'],"
            " stdin=feeder.stdout, capture_output=True)\n"
            "feeder.kill()\n"
            "print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "sys.stderr.buffer.write(result.stderr)\n")
    if not any(Path(d, "yes").exists() for d in os.environ.get("PATH", "").split(os.pathsep)):
        pytest.skip("no 'yes' here")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, timeout=120)
    returncode, max_rss_kb = map(int, result.stdout.split())
    assert returncode == 1 and b"limit" in result.stderr, result.stderr[-500:]
    assert max_rss_kb < 400 * 1024  # the interpreter and the limit's worth, never the stream's
