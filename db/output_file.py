"""Writing a file the analyst named (``export -o``) without ever harming the database.

``export -o X.db`` once truncated the database it was reading. A path is refused when it is
the database, its WAL or SHM file, or one of its upgrade backups (``X.db.vN.bak``, ``.bakN``),
however spelt (another relative path, a symbolic link, a hard link). A regular file is written
to a temporary file beside it and renamed over it at the end, so a failed export (disk full, a
bug, Ctrl+C) leaves the previous file as it was and no half file. A target that exists and is
not a regular file (``/dev/stdout``, a FIFO) is written in place: renaming over it would replace
the device itself.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO
from collections.abc import Iterator

from .errors import InvalidValue

_COMPANION = re.compile(r"(?:-wal|-shm|-journal|\.v[0-9]+\.bak[0-9]*)")


class OutputError(InvalidValue):
    """The output path cannot be written; the message names the path and why."""


def _is_database_or_companion(target: Path, database: Path) -> bool:
    db = database.resolve()
    resolved = target.resolve()
    if resolved.parent == db.parent and resolved.name.startswith(db.name):
        rest = resolved.name[len(db.name):]
        if rest == "" or _COMPANION.fullmatch(rest):
            return True
    try:
        return target.exists() and os.path.samefile(target, db)  # a hard link
    except OSError:
        return False


def check_output_path(target: Path, database: Path | str | None) -> None:
    # a PostgreSQL database (a URL, not a Path) has no file an export could overwrite
    if isinstance(database, Path) and _is_database_or_companion(target, database):
        raise OutputError(f"{target} is the database or one of its own files; choose another output file")
    if target.is_dir():
        raise OutputError(f"{target} is a folder; give a file name to write")
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {target}: the folder {target.parent} does not exist")


@contextmanager
def replacing_file(target: str | os.PathLike[str], *, database: Path | None) -> Iterator[IO[str]]:
    """A text handle whose content replaces ``target`` only once the block ends without error."""
    target = Path(target)
    check_output_path(target, database)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        if mode is not None and not stat.S_ISREG(mode):
            with open(target, "w", encoding="utf-8", newline="") as handle:
                yield handle
            return
        yield from _through_temporary(target, mode)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None


def _through_temporary(target: Path, mode: int | None) -> Iterator[IO[str]]:
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, stat.S_IMODE(mode))  # the analyst's permissions on the old file stay
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
