"""A throw-away PostgreSQL server for the tests: initdb into a temporary folder, a Unix socket in that
folder, no TCP, fsync off. ``python -m tests.pg_server start`` prints its URL (for ``.ci/run``);
``python -m tests.pg_server stop FOLDER`` stops it.

Where no server can start (no PostgreSQL installed, no ``postgres`` user to run initdb as root),
:func:`start` raises :class:`NoServer` with the reason, which the fixture turns into a skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ENV_VAR = "ANALYST_TUI_TEST_PG"


class NoServer(RuntimeError):
    """No PostgreSQL server can be started here; the message says why."""


def _bin_dir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name),
                            reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise NoServer("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH); "
                   "apt-get install postgresql postgresql-contrib")


def _as_server_user() -> list[str]:
    """initdb and postgres refuse to run as root: run them as ``postgres`` then."""
    if os.geteuid() != 0:
        return []
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        raise NoServer("running as root and there is no 'postgres' user to run initdb as") from None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise NoServer("running as root and runuser is missing: initdb cannot run as the 'postgres' user")
    return [runuser, "-u", "postgres", "--"]


def url_for(folder: Path, user: str = "postgres", database: str = "postgres") -> str:
    return f"postgresql://{user}@/{database}?host={quote(str(folder), safe='')}"


def start(folder: Path | None = None) -> tuple[Path, str]:
    """Start a server in ``folder`` (a new temporary one by default). Returns (folder, URL)."""
    bin_dir = _bin_dir()
    prefix = _as_server_user()
    folder = Path(folder or tempfile.mkdtemp(prefix="analyst-tui-pg-"))
    if prefix:
        shutil.chown(folder, "postgres")
    data, log = folder / "data", folder / "log"
    # C.UTF-8: text sorts by code point, as SQLite's BINARY collation does
    init = subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                           "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], capture_output=True, text=True)
    if init.returncode != 0:
        raise NoServer(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
    options = f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    run = subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                          "-w", "-t", "60", "start"], capture_output=True, text=True)
    if run.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise NoServer(f"the server did not start: {run.stderr.strip()} {tail}")
    return folder, url_for(folder)


def stop(folder: Path) -> None:
    """Stop the server of ``folder`` and remove the folder."""
    folder = Path(folder)
    try:
        bin_dir = _bin_dir()
        prefix = _as_server_user()
        if (folder / "data").exists():
            subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w",
                            "stop"], capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server_url: str, name: str, template: str | None = None) -> str:
    """Create a database on the server (empty, or a copy of ``template``) and return its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if template:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' '
                         "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    base, _, query = server_url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + (("?" + query) if query else "")


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def analyst_url(database_url: str, role: str) -> str:
    """The database's URL logging in as the analyst ``role`` (created with an analyst's rights where
    missing); skips the test where the server's login may not create roles (a server not of our own)."""
    import psycopg
    import pytest

    from db.backends.pg_roles import ensure_analyst_role

    try:
        return ensure_analyst_role(database_url, role)
    except psycopg.errors.InsufficientPrivilege as exc:
        pytest.skip(f"the PostgreSQL login of the tests cannot create the analyst role {role!r}: {exc}")
    except ValueError as exc:  # an OS login that is no plain role name
        pytest.skip(f"no PostgreSQL role for the analyst {role!r}: {exc}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["start"]:
        try:
            folder, url = start()
        except NoServer as exc:
            print(f"no PostgreSQL: {exc}", file=sys.stderr)
            return 1
        print(folder)
        print(url)
        return 0
    if argv[:1] == ["stop"] and len(argv) == 2:
        stop(Path(argv[1]))
        return 0
    print("usage: python -m tests.pg_server start | stop FOLDER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
