"""Timestamps as the store writes them: UTC, ISO 8601, second precision, sortable as text."""

from __future__ import annotations

import getpass
from datetime import datetime, UTC


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_user() -> str:
    """The OS user, recorded in the audit log as who made a change."""
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"
