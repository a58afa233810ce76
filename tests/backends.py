"""Which database backends a test runs on (the ``backend`` parameter of conftest's ``store``).

A module that has been through PostgreSQL says so with ``pytestmark = pytest.mark.both_backends``: its
tests that use ``store`` (or the fixtures built on it) run on SQLite and on PostgreSQL. A test of such a
module that is SQLite's by nature (a file backup, a read-only file, PRAGMAs, FTS5 search) is marked
``sqlite_only("why")``. Every other module runs on SQLite: UI tests keep to it, and a module joins the
PostgreSQL run once it passes there.
"""

from __future__ import annotations

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def backends_of(definition) -> list[str]:
    if definition.get_closest_marker("sqlite_only"):
        return [SQLITE]
    if definition.get_closest_marker("both_backends"):
        return [SQLITE, POSTGRESQL]
    return [SQLITE]
