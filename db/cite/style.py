"""What a citation style is: an id, a label for the UI, and how it cites a report and a claim."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .fields import ClaimFields, _Fields


@dataclass(frozen=True)
class Style:
    id: str
    label: str
    report: Callable[[_Fields], str]
    claim: Callable[[ClaimFields], str]
