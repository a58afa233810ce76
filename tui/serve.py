"""``analyst-tui serve``: the triage screen in a web browser, through textual-serve.

Each browser connection starts its own app process on the same database and settings file
(SQLite in WAL mode takes several processes; the screen picks up the others' changes). Bound to
the loopback address (the default) the page is open to this machine's browsers only; bound to
any other address the URL carries a random access token, and a request without it (or without
the cookie the first page sets) is refused. Either way the app's websocket accepts only pages
served by this server (Origin and Host checked): a web page elsewhere cannot drive the app
through the browser (cross-site websocket hijacking, DNS rebinding).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import shlex
import socket
import sys
from pathlib import Path

TOKEN_COOKIE = "analyst_tui_token"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def app_command(options, db_path: Path | str) -> str:
    """The command each connection runs: this interpreter, this app, the same database."""
    parts = [sys.executable, "-m", "tui.entry", "--db", str(db_path)]
    if getattr(options, "demo", False):
        parts = [sys.executable, "-m", "tui.entry", "--demo"]  # each tab its own fresh demo database
    if getattr(options, "theme", None):
        parts += ["--theme", options.theme]
    return shlex.join(parts)


def make_server(command: str, host: str, port: int, token: str | None):
    from aiohttp import web
    from textual_serve.server import Server

    class GuardedServer(Server):
        """textual-serve with a token (when not on loopback) and same-origin websockets."""

        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title="analyst-tui")
            # bound to every address: the URL others can use names this machine
            shown_host = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
            shown_host = f"[{shown_host}]" if ":" in shown_host else shown_host
            self.address = f"http://{shown_host}:{port}/"
            self.url = self.address + (f"?token={token}" if token else "")

        async def _make_app(self):
            app = await super()._make_app()
            app.middlewares.append(self._guard)
            return app

        @web.middleware
        async def _guard(self, request, handler):
            if not self._host_allowed(request):
                raise web.HTTPForbidden(text="analyst-tui: unknown Host")
            if token is not None:
                given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
                if not hmac.compare_digest(given.encode(), token.encode()):
                    raise web.HTTPForbidden(text="analyst-tui: this address needs the URL with its token")
            if request.path == "/ws":
                origin = request.headers.get("Origin", "")
                if origin != f"{request.scheme}://{request.host}":
                    raise web.HTTPForbidden(text="analyst-tui: websocket from another site refused")
            response = await handler(request)
            if token is not None and request.path == "/" and request.query.get("token"):
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
            return response

        def _host_allowed(self, request) -> bool:
            if not is_loopback(host):
                return True  # the token guards it
            name = request.host.rsplit(":", 1)[0].strip("[]") if request.host else ""
            return is_loopback(name)

        async def handle_index(self, request):
            # The page's websocket and static URLs follow the address the browser used.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def on_startup(self, app) -> None:
            print(f"analyst-tui: serving the triage screen at {self.url}", flush=True)
            if token:
                print("analyst-tui: the URL carries an access token: share it only with whom may see this "
                      "database", flush=True)
            print("analyst-tui: Ctrl+C stops the server", flush=True)

        def initialize_logging(self) -> None:
            import logging

            logging.basicConfig(level="WARNING", format="%(message)s")

    return GuardedServer()


def serve(options) -> int:
    from db.paths import resolve_db_path

    host = options.host
    try:
        port = options.port or free_port(host)
    except OSError as exc:
        print(f"analyst-tui: cannot listen on {host}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    db_path = resolve_db_path(options)
    if isinstance(db_path, Path):  # else a postgresql:// URL, which each browser session's app opens
        db_path = db_path.resolve()
    if isinstance(db_path, Path) and not getattr(options, "demo", False) and not db_path.exists():
        print(f"analyst-tui: no database at {db_path}; create it by opening it once ('analyst-tui --db {db_path}') "
              "or importing into it", file=sys.stderr)
        return 2
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    server = make_server(app_command(options, db_path), host, port, token)
    try:
        server.serve()
    except OSError as exc:
        print(f"analyst-tui: cannot serve on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
