"""Which files an import reads: the paths named, and each named folder's files recursively.

Inside a folder, everything is the adversary's: a link may point at ``/etc/passwd`` or
``/proc/self/environ``, a FIFO blocks the reader forever, a device never ends. So inside a
folder only regular files are read, a link is followed only when it stays inside the folder
named (and never to a folder: no loops), and every entry left out is reported with its reason
(``Skipped``) rather than dropped in silence. Hidden entries (".git", ".DS_Store") are the one
silent exception: they are the analyst's tools' files, not reports.

A path named explicitly may be a link (the analyst chose it); ``read_input`` still refuses a
FIFO or device there.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable, Iterator

STDIN = "-"


@dataclass(frozen=True)
class Skipped:
    """An entry of a folder that is not read, and why."""

    path: Path
    reason: str


def kind_of(mode: int) -> str | None:
    """What a non-regular, non-folder file is, in words; None for a regular file or a folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a link inside a folder, not followed"
    return "not a regular file"


def walk_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Skipped]:
    """Each path as given (``-`` as ``Path("-")``), a folder replaced by its files, recursively
    and sorted, with ``Skipped`` entries in their place in the order."""
    for raw in paths:
        path = Path(raw)
        if os.fspath(raw) == STDIN:
            yield Path(STDIN)
        elif path.is_dir():
            yield from _walk_folder(path, path.resolve())
        else:
            yield path


def _walk_folder(folder: Path, root: Path) -> Iterator[Path | Skipped]:
    try:
        with os.scandir(folder) as entries:
            children = sorted(entries, key=lambda entry: entry.name)
    except PermissionError:
        yield Skipped(folder, "folder not searched: permission denied")
        return
    except OSError as exc:
        yield Skipped(folder, f"folder not searched: {exc.strerror or exc}")
        return
    for child in children:
        if child.name.startswith("."):
            continue
        path = Path(child.path)
        try:
            if child.is_symlink():
                yield _inside_link(path, root)
            elif child.is_dir(follow_symlinks=False):
                yield from _walk_folder(path, root)
            elif (kind := kind_of(child.stat(follow_symlinks=False).st_mode)) is not None:
                yield Skipped(path, f"not read: {kind}")
            else:
                yield path
        except OSError as exc:
            yield Skipped(path, f"not read: {exc.strerror or exc}")


def _inside_link(link: Path, root: Path) -> Path | Skipped:
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return Skipped(link, "not read: a link to nothing")
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        return Skipped(link, "not read: a link that cannot be followed")
    if target != root and root not in target.parents:
        return Skipped(link, "not read: a link leading out of the imported folder")
    mode = target.stat().st_mode
    if stat.S_ISDIR(mode):
        return Skipped(link, "not followed: a link to a folder")
    if (kind := kind_of(mode)) is not None:
        return Skipped(link, f"not read: a link to {kind}")
    return target
