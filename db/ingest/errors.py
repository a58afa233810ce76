"""The one exception the import parsers raise."""

from __future__ import annotations


class IngestError(Exception):
    """A file (or one record in it) cannot be imported.

    ``reason`` is short and meant for the analyst: "not text: looks like a PNG image",
    "invalid JSON at line 3: Expecting ',' delimiter", "file is 52.4 MB; the limit is 16 MB".
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
