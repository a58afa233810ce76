"""The feeds bar in a real terminal (tmux, 80x24): ten feeds and a slow and a failing one, served
on 127.0.0.1; what arrives shows on the screen while it keeps answering keys."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.cli import main as cli

from .feed_server import FeedServer, Route, fixture, items_for, rss

ROOT = Path(__file__).resolve().parents[1]
TUI_DRIVE = Path("/work/shared/tools/tui-drive")


def _drive(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(TUI_DRIVE), *args], capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not TUI_DRIVE.exists() or not shutil.which("tmux"), reason="needs tmux and tui-drive")
def test_ten_feeds_a_slow_and_a_failing_one_at_80x24(tmp_path, monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    db = str(tmp_path / "feeds.db")
    name = f"feeds{int(time.time() * 1000) % 100000}"
    with FeedServer() as server:
        urls = [server.serve(f"f{n}.rss", rss(f"Wire {n}", items_for(f"wire{n}", 2))) for n in range(8)]
        urls += [server.serve("shafaq.rss", fixture("shafaq.rss")), server.serve("monitor.atom", fixture("monitor.atom"))]
        urls.append(server.serve("slow.rss", Route(rss("Slow Wire", items_for("slow", 2)), delay=10)))
        urls.append(server.serve("broken.rss", Route(status=500)))
        for url in urls:
            assert cli(["--db", db, "feeds", "add", url, *(["--name", "Broken Wire"] if "broken" in url else [])]) == 0
        # the app in the terminal runs this tree's code (python -m from it), not an installed copy
        command = (f"cd {ROOT} && exec env ANALYST_TUI_CONFIG={tmp_path / 'config.json'} "
                   f"{sys.executable} -m tui.entry --db {db}")
        subprocess.run([str(TUI_DRIVE), "start", name, "-s", "80x24", "--", "sh", "-c", command], check=True, timeout=30)
        try:
            arrived = _drive("wait", name, "21 new from 10 feeds", "40")
            assert arrived.returncode == 0, arrived.stdout + arrived.stderr
            screen = _drive("screen", name).stdout
            assert "Slow Wire" not in screen  # the slow feed is still being waited for...
            _drive("keys", name, "/")  # ... and the screen answers keys meanwhile
            searching = _drive("wait", name, "Type to search", "10")
            assert searching.returncode == 0, searching.stdout
            _drive("keys", name, "Escape")
            failing = _drive("wait", name, "1 failing: Broken Wire", "20")
            assert failing.returncode == 0, failing.stdout
            slow = _drive("wait", name, "23 new from 11 feeds", "30")  # the slow feed's 2, last
            assert slow.returncode == 0, slow.stdout
            _drive("keys", name, "C-q")
        finally:
            _drive("stop", name)
