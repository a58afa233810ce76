"""Starting the app: database resolution, the demo only when asked for, clear errors; and an end-to-end
triage session in a real terminal (tmux) when tmux is available."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from db.paths import resolve_db_path
from tui.launch import launch

from . import tui_drive

ROOT = Path(__file__).resolve().parent.parent


def test_resolve_db_path_prefers_option_then_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYST_TUI_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(SimpleNamespace(db=str(tmp_path / "opt.db"))) == tmp_path / "opt.db"
    assert resolve_db_path(SimpleNamespace(db=None)) == tmp_path / "env.db"


def test_unusable_database_is_one_line_and_status_2(tmp_path, capsys, config_file):
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    assert launch(SimpleNamespace(db=str(folder), demo=False)) == 2
    err = capsys.readouterr().err
    assert err.startswith("analyst-tui: ") and err.count("\n") == 1 and "Traceback" not in err
    not_sqlite = tmp_path / "text.db"
    not_sqlite.write_text("hello, this is not a database" * 100)
    assert launch(SimpleNamespace(db=str(not_sqlite), demo=False)) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("how", ["--db NEW", "default path"])
def test_a_new_database_is_opened_empty_never_with_the_demo(tmp_path, monkeypatch, config_file, how):
    """A real case file must never receive the fictional demo reports: ``--db NEW.db`` (and a
    first run on the default path) used to import the 22 demo reports and a demo hypothesis."""
    from db.store import Store
    from tui.app import AnalystApp

    seen = {}
    monkeypatch.setattr(AnalystApp, "run", lambda app: seen.setdefault("import", app.first_run_import))
    path = tmp_path / "case" / "new.db"
    if how == "default path":
        monkeypatch.setenv("ANALYST_TUI_DB", str(path))
        options = SimpleNamespace(db=None, demo=False)
    else:
        path.parent.mkdir()
        options = SimpleNamespace(db=str(path), demo=False)
    assert launch(options) == 0
    assert seen == {"import": None}
    with Store.open(path) as store:
        assert store.report_ids() == [] and store.active_hypothesis() is None


def test_only_the_demo_flag_imports_the_demo(monkeypatch, config_file):
    from tui.app import AnalystApp

    seen = {}
    monkeypatch.setattr(AnalystApp, "run", lambda app: seen.setdefault("import", app.first_run_import))
    assert launch(SimpleNamespace(db=None, demo=True)) == 0
    assert seen == {"import": "demo"}


async def test_an_empty_case_file_is_welcomed_with_how_to_import(store, make_tui_app):
    app = make_tui_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        queue = app.screen.query_one("ReportQueue")
        shown = " ".join(queue.render_line(y).text for y in range(6))
        assert "An empty case file" in shown and "Press i to import" in shown and "--demo" in shown


async def test_the_demo_says_it_is_loading_instead_of_welcoming_an_empty_case_file(store, make_tui_app, monkeypatch):
    """While ``--demo`` imports, the queue is empty for a moment: it must not greet the analyst as a new,
    empty case file (and tell them to run --demo, which they just did)."""
    import threading

    import tui.workers

    release = threading.Event()
    monkeypatch.setattr(tui.workers, "import_into", lambda *args, **kwargs: release.wait(10))
    app = make_tui_app(store)
    app.first_run_import = "demo"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        queue = app.screen.query_one("ReportQueue")
        shown = " ".join(queue.render_line(y).text for y in range(6))
        release.set()
        assert "Loading the demo corpus" in shown and "An empty case file" not in shown


async def test_the_demo_flag_imports_demo_corpus_in_worker(store, make_tui_app):
    from db.demo import demo_files

    if not demo_files():
        pytest.skip("no demo corpus")
    app = make_tui_app(store)
    app.first_run_import = "demo"
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        queue = app.screen.query_one("ReportQueue")
        assert queue.total == len(store.report_ids()) > 10
        assert store.active_hypothesis() is not None


@pytest.mark.skipif(not tui_drive.available(), reason="needs tmux (the driver is tests/tui_drive.py)")
def test_end_to_end_triage_session_in_tmux(tmp_path):
    """Open, search "haniya", open the hit, grade its source B, a claim 3 and refutes, copy a
    Chicago citation, quit; then check the database."""
    from db.store import Store

    db = tmp_path / "e2e.db"
    config = tmp_path / "config.json"
    name = f"e2e{int(time.time() * 1000) % 100000}"
    installed = Path(sys.executable).parent / "analyst-tui"  # the console script pip installed
    program = [str(installed)] if installed.exists() else [sys.executable, "-m", "tui.entry"]
    from db.demo import demo_files

    imported = subprocess.run([*program, "--db", str(db), "import", "-q", *map(str, demo_files())],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    hypothesis = subprocess.run([*program, "--db", str(db), "hypothesis", "add", "Hamas moves to Baghdad"],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert hypothesis.returncode == 0, hypothesis.stderr
    env_cmd = ["env", f"ANALYST_TUI_CONFIG={config}", "DISPLAY=", "WAYLAND_DISPLAY=", *program, "--db", str(db)]
    terminal = tui_drive.Terminal(name).start(["sh", "-c", f"cd {ROOT} && exec " + " ".join(env_cmd)], "80x24")
    try:
        assert terminal.wait("new ", 20), terminal.screen()
        terminal.keys("/")
        assert terminal.wait("Type to search", 5), terminal.screen()
        terminal.type("haniya")
        assert terminal.wait("Haniy", 10), terminal.screen()
        time.sleep(0.3)
        # entity hits come first (how many depends on the names the extractor finds), then claims: move
        # past the entities to the first claim
        rows = [line.strip(" │▊▎") for line in terminal.screen().splitlines()]
        hits = [r[:2] for r in rows if r[:2] in ("E ", "C ", "R ")]
        terminal.keys(*(["Down"] * hits.index("C ")), "Enter")
        time.sleep(0.5)
        assert "Claims" in terminal.screen()  # a claim hit opens its report at the claim
        terminal.keys("r")
        assert terminal.wait("Usually reliable", 5), terminal.screen()
        terminal.keys("b")
        time.sleep(0.3)
        terminal.keys("c")
        assert terminal.wait("Possibly true", 5), terminal.screen()
        terminal.keys("3")
        time.sleep(0.3)
        terminal.keys("s")
        assert terminal.wait("Refutes", 5), terminal.screen()
        terminal.keys("r")
        time.sleep(0.3)
        terminal.keys("y")
        assert terminal.wait("Copied Chicago", 5), terminal.screen()
        terminal.keys("C-q")
        time.sleep(0.8)
    finally:
        terminal.stop()
    with Store.open(db) as store:
        history = store.history(limit=50)
        fields = [entry.field for entry in history]
        assert "reliability" in fields and "credibility" in fields
        assert any(f and f.startswith("stance:") for f in fields)
        stance_claims = [e.target_id for e in history if e.field and e.field.startswith("stance:")]
        assert store.get_claim(stance_claims[0]).stance == "refutes"
        graded = [e for e in history if e.field == "reliability"][0]
        assert store.get_source(graded.target_id).reliability == "B"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals and SIGHUP are POSIX")
@pytest.mark.parametrize("ending", ["terminal closed", "SIGTERM"])
def test_a_demo_ended_by_its_terminal_or_a_kill_leaves_no_database_behind(tmp_path, ending):
    """``--demo`` keeps its database in a temporary folder, removed when the app ends. Closing the
    terminal window (SIGHUP) or ``kill`` (SIGTERM) killed Python on the spot and left it there."""
    import os
    import pty
    import select
    import signal

    env = dict(os.environ, TMPDIR=str(tmp_path), ANALYST_TUI_CONFIG=str(tmp_path / "config.json"),
               TERM="xterm-256color")
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the app on the pseudo-terminal
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "tui.entry", "--demo"], env)
    try:
        shown = b""
        deadline = time.monotonic() + 90
        while b"imported" not in shown and time.monotonic() < deadline:  # the demo's import finished
            if select.select([terminal], [], [], 0.5)[0]:
                shown += os.read(terminal, 65536)
        assert b"imported" in shown
        assert len(list(tmp_path.glob("analyst-tui-demo-*/demo.db"))) == 1
        if ending == "terminal closed":
            os.close(terminal)
            terminal = None
        else:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if terminal is not None and select.select([terminal], [], [], 0.1)[0]:
                with contextlib.suppress(OSError):
                    os.read(terminal, 65536)  # the app's last frames: a full terminal would block it
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                pid = None
                break
            time.sleep(0.05)
        assert pid is None, "the app did not end"
        assert not list(tmp_path.glob("analyst-tui-demo-*"))
    finally:
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if terminal is not None:
            os.close(terminal)
