"""Analyst data is for the analyst only: what an analyst triages may name sources and methods.

The data folder is created 0700 and the database 0600 (SQLite gives its WAL and SHM files the
mode of the database file); settings likewise. Only files and folders created here are set: an
existing database keeps the mode its owner chose.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) readable by its owner only; an existing one is left."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    os.chmod(folder, FOLDER_MODE)  # mkdir's mode passes through the umask


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (before SQLite creates it with
    the umask's mode); an existing file is left as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)
