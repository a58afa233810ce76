"""The temporary folders of ``--demo`` runs, and the ones a killed run left behind.

A ``--demo`` run keeps its database in ``analyst-tui-demo-*`` in the temporary folder and removes
it at exit; a SIGKILL leaves it there. Each folder holds the id of the process that owns it, and
the next start removes those whose owner is gone (never one whose owner still runs, nor
another user's).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "analyst-tui-demo-"
OWNER_FILE = "owner.pid"
# A folder without an owner file (made before there was one) is removed once this old.
UNOWNED_AGE_SECONDS = 24 * 3600


def new_demo_folder() -> tempfile.TemporaryDirectory:
    folder = tempfile.TemporaryDirectory(prefix=PREFIX)
    (Path(folder.name) / OWNER_FILE).write_text(str(os.getpid()))
    return folder


def remove_abandoned_demo_folders(temp_root: Path | None = None) -> list[Path]:
    """Remove demo folders of this user whose owning process is gone; returns those removed."""
    root = Path(temp_root or tempfile.gettempdir())
    removed = []
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return removed
    for folder in candidates:
        try:
            info = folder.lstat()
            if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid():
                continue
            if _abandoned(folder, info.st_mtime):
                shutil.rmtree(folder)
                removed.append(folder)
        except OSError:
            continue  # removed meanwhile, or not ours to remove
    return removed


def _abandoned(folder: Path, modified: float) -> bool:
    try:
        owner = int((folder / OWNER_FILE).read_text().strip())
    except FileNotFoundError:
        return time.time() - modified > UNOWNED_AGE_SECONDS
    except (OSError, ValueError):
        return False
    if owner == os.getpid():
        return False
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False
