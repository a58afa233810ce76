"""``analyst-tui serve``: the triage screen in a browser (textual-serve), driven by headless Chromium.

The browser test needs Chromium (Debian's ``chromium``; .ci/run installs it) and skips with the
reason when it is absent. Everything listens on and talks to 127.0.0.1 only.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.serve import TOKEN_COOKIE, app_command, is_loopback, make_server

from .browser import Chromium, chromium_binary

ROOT = Path(__file__).resolve().parents[1]


def _start_server(db: Path, config: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), ANALYST_TUI_CONFIG=str(config))
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(name, None)
    process = subprocess.Popen([sys.executable, "-m", "tui.entry", "--db", str(db), "serve", "--port", "0", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=60)
        except queue.Empty:
            process.kill()
            raise AssertionError("the server did not say where it listens") from None
        if "serving the triage screen at " in line:
            return process, line.rsplit(" ", 1)[-1].strip()


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.skipif(chromium_binary() is None,
                    reason="needs Chromium (Debian package 'chromium'; .ci/run installs it): the browser test is skipped")
async def test_the_app_in_headless_chromium_grades_a_claim_and_copies_a_citation(demo_store, tmp_path, config_file):
    from db.store import ReportFilter

    first = demo_store.list_reports(ReportFilter(), limit=1)[0]
    claim = demo_store.claims_for_report(first.id)[0]
    assert claim.credibility != 2
    server, url = _start_server(demo_store.path, config_file)
    try:
        assert url.startswith("http://127.0.0.1:") and "token=" not in url  # loopback: no token needed
        async with Chromium(tmp_path / "chromium-profile") as browser:
            page = await browser.page()
            await page.call("Page.navigate", url=url)
            await page.wait_for_text("Queue")  # the triage screen drew itself in the page
            await page.wait_for_text(first.title[:20])  # ... with the demo's newest report in the queue
            await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
            for _key in ("tab", "tab"):  # to the claims pane: the reader, then the claims
                await page.call("Input.dispatchKeyEvent", type="keyDown", key="Tab", code="Tab",
                                windowsVirtualKeyCode=9)
                await page.call("Input.dispatchKeyEvent", type="keyUp", key="Tab", code="Tab", windowsVirtualKeyCode=9)
            await page.wait_for_text("Claims")
            await page.press("c")
            await page.wait_for_text(f"credibility of claim {claim.id}")  # the chooser, Admiralty wording
            await page.press("2")
            await _until_graded(demo_store, claim.id)
            # y copies the citation: OSC 52 from the app, written to the browser's clipboard by the page
            await page.call("Browser.grantPermissions", permissions=["clipboardReadWrite", "clipboardSanitizedWrite"])
            await page.press("y")
            await page.wait_for_text("Copied")
            copied = await page.call("Runtime.evaluate", expression="navigator.clipboard.readText()",
                                     awaitPromise=True, returnByValue=True, userGesture=True)
            words = first.title.lower().split()[:3]
            assert all(word in copied["result"]["value"].lower() for word in words), copied
            shot = await page.screenshot(tmp_path / "analyst-tui-in-chromium.png")
            print(f"\nscreenshot of the app in Chromium: {shot}")
            assert shot.stat().st_size > 10_000
            await page.close()
    finally:
        _stop(server)
    assert demo_store.get_claim(claim.id).credibility == 2
    assert demo_store.history(limit=1)[0].field == "credibility"


async def _until_graded(store, claim_id: int) -> None:
    import asyncio
    import time

    deadline = time.monotonic() + 30
    while store.get_claim(claim_id).credibility != 2:
        assert time.monotonic() < deadline, "the grade never reached the database"
        await asyncio.sleep(0.2)


# --- the guard: token off loopback, same-origin websockets, loopback Host names ------------------------------


@pytest.fixture
async def guarded():
    """A test client over the server's aiohttp app as if bound to a public address (token on)."""
    from aiohttp.test_utils import TestClient, TestServer

    server = make_server("true", "192.0.2.10", 8000, "s3cret-token")
    client = TestClient(TestServer(await server._make_app(), host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()


async def test_off_loopback_every_request_needs_the_token(guarded):
    assert (await guarded.get("/")).status == 403
    assert (await guarded.get("/static/js/textual.js")).status == 403
    assert (await guarded.get("/?token=wrong")).status == 403
    page = await guarded.get("/?token=s3cret-token")
    assert page.status == 200
    assert TOKEN_COOKIE in page.cookies  # the page's own scripts and websocket then carry it
    assert (await guarded.get("/static/js/textual.js")).status == 200


async def test_the_websocket_takes_only_this_servers_own_pages(guarded):
    await guarded.get("/?token=s3cret-token")
    host = f"{guarded.host}:{guarded.port}"
    refused = await guarded.get("/ws", headers={"Origin": "https://evil.example", "Host": host})
    assert refused.status == 403


async def test_on_loopback_a_foreign_host_name_is_refused():
    from aiohttp.test_utils import TestClient, TestServer

    client = TestClient(TestServer(await make_server("true", "127.0.0.1", 8000, None)._make_app(), host="127.0.0.1"))
    await client.start_server()
    try:
        assert (await client.get("/", headers={"Host": "rebound.evil.example:8000"})).status == 403
        assert (await client.get("/")).status == 200
    finally:
        await client.close()


def test_addresses_and_the_command_each_connection_runs(tmp_path):
    from argparse import Namespace

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.10")
    command = app_command(Namespace(demo=False, theme=None), tmp_path / "case file.db")
    assert command.endswith(f"-m tui.entry --db '{tmp_path / 'case file.db'}'")
    assert app_command(Namespace(demo=True, theme="light"), tmp_path / "x.db").endswith(
        "-m tui.entry --demo --theme light")  # each tab its own demo database


def test_the_printed_url_names_this_machine_when_bound_to_every_address():
    import socket

    server = make_server("true", "0.0.0.0", 8123, "tok")
    assert server.url == f"http://{socket.gethostname()}:8123/?token=tok"
    assert make_server("true", "127.0.0.1", 8123, None).url == "http://127.0.0.1:8123/"


def test_serve_refuses_a_database_that_does_not_exist(tmp_path, capsys):
    from tui.entry import main

    assert main(["--db", str(tmp_path / "missing.db"), "serve"]) == 2
    assert "no database at" in capsys.readouterr().err
