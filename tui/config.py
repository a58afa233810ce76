"""Settings the analyst chooses in the app, kept as JSON at ``db.paths.config_path()``.

A missing or damaged file gives the defaults (and the damage is reported, not fatal):
losing a theme choice must never stop the analyst from working.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from db.private_files import FILE_MODE, make_private_folder

THEMES = ("textual-dark", "textual-light", "textual-ansi")
DEFAULT_STYLE = "chicago-note"
# Extracted claims whose confidence (the calibrated probability that the claim and its speaker are right)
# is below this are dimmed: under 0.5 a row is more likely wrong than right.
DEFAULT_DIM_CLAIMS_BELOW = 0.5


@dataclass
class Config:
    theme: str = "textual-dark"
    citation_style: str = DEFAULT_STYLE
    keymap: dict[str, str] = field(default_factory=dict)  # command id -> "key,key"
    dim_claims_below: float = DEFAULT_DIM_CLAIMS_BELOW
    path: Path | None = field(default=None, repr=False, compare=False)
    problem: str | None = field(default=None, repr=False, compare=False)  # why the file was not used

    @classmethod
    def load(cls, path: Path | None) -> Config:
        config = cls(path=path)
        if path is None or not path.exists():
            return config
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            config.problem = f"settings file {path} ignored: {exc}"
            return config
        except RecursionError:  # json nested 100,000 deep: the launcher died of it
            config.problem = f"settings file {path} ignored: nested too deeply"
            return config
        if isinstance(data.get("theme"), str):
            config.theme = data["theme"]
        if isinstance(data.get("citation_style"), str):
            config.citation_style = data["citation_style"]
        dim = data.get("dim_claims_below")
        if isinstance(dim, (int, float)) and not isinstance(dim, bool) and 0.0 <= dim <= 1.0:
            config.dim_claims_below = float(dim)
        keymap = data.get("keymap")
        if isinstance(keymap, dict):
            config.keymap, bad = _usable_keymap(keymap)
            if bad:
                config.problem = (f"settings: keymap entries naming no key ignored, defaults kept: "
                                  f"{'; '.join(bad)}")
        return config

    def save(self) -> str | None:
        """Write the file atomically. Returns a message when it could not be written."""
        if self.path is None:
            return None
        data = {k: v for k, v in asdict(self).items() if k not in ("path", "problem")}
        try:
            make_private_folder(self.path.parent)
            tmp = self.path.with_name(self.path.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)  # the analyst's only
            os.fchmod(fd, FILE_MODE)  # an old .tmp left with another mode
            with open(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            os.replace(tmp, self.path)
        except OSError as exc:
            return f"settings not saved to {self.path}: {exc.strerror or exc}"
        return None


def _usable_keymap(keymap: dict) -> tuple[dict[str, str], list[str]]:
    """The entries whose keys all exist, and a description of each one left out."""
    from .key_names import unknown_keys

    usable, bad = {}, []
    for command, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            continue
        unknown = unknown_keys(keys)
        if unknown:
            bad.append(f"{str(command)[:60]}: {', '.join(repr(name[:30]) for name in unknown[:5])}")
        else:
            usable[str(command)] = keys
    return usable, bad
