"""A fixed, document-wise split of a gold file into a part to fit on and a part held out.

Anything learned or tuned from PolNeAR (the claim re-ranker, its calibration, rule changes judged on
its figures) sees only the ``fit`` part; figures quoted as held out come from ``held-out`` alone.
The split depends on nothing but the file name, so it is the same on every machine and run.
"""

from __future__ import annotations

import hashlib

SPLITS = ("all", "fit", "held-out")


def is_held_out(file_name: str) -> bool:
    """One document in four, chosen by a hash of its name."""
    return hashlib.sha1(file_name.encode("utf-8")).digest()[0] % 4 == 0


def in_split(file_name: str, split: str) -> bool:
    if split == "all":
        return True
    return is_held_out(file_name) == (split == "held-out")
