"""Exports of a whole selection of reports for other tools: a STIX 2.1 bundle, CSL-JSON, BibTeX or RIS
(``analyst-tui export --format stix|csl-json|bibtex|ris``). Each writer streams one report at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .cite import bibtex_key, cite_report
from .cite.csl import csl_item
from .text_safety import json_dumps


def unique_keys(reports: Iterable) -> Iterable[tuple[Any, str]]:
    """Each report with a citation key no other report of the export has ("memri-2024-outlet", then
    "memri-2024-outlet-b", ...): a .bib file or a CSL-JSON list with a key twice is refused by its readers."""
    seen: set[str] = set()
    for report in reports:
        key = base = bibtex_key(report)
        suffix = 1
        while key in seen:
            suffix += 1
            key = f"{base}-{_letters(suffix)}"
        seen.add(key)
        yield report, key


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


def write_csl_json(reports: Iterable, out) -> int:
    write = getattr(out, "write", out)
    n = 0
    write("[")
    for report, key in unique_keys(reports):
        write(("," if n else "") + "\n  " + json_dumps(csl_item(report, item_id=key)))
        n += 1
    write("\n]\n" if n else "]\n")
    return n


def write_bibtex(reports: Iterable, out) -> int:
    write = getattr(out, "write", out)
    n = 0
    for report, key in unique_keys(reports):
        entry = cite_report(report, "bibtex")
        head, _, rest = entry.partition(",\n")
        write(("\n" if n else "") + f"@online{{{key},\n{rest}")
        n += 1
    return n


def write_ris(reports: Iterable, out) -> int:
    write = getattr(out, "write", out)
    n = 0
    for report in reports:
        write(cite_report(report, "ris"))
        n += 1
    return n


def reference_writer(store, fmt: str) -> Callable[[Iterable[int], Any], int]:
    """``writer(report_ids, out)`` for ``fmt`` (stix, csl-json, bibtex, ris), reading through ``store``."""
    if fmt == "stix":
        from .stix.bundle import records_from_store, write_stix

        return lambda ids, out: write_stix(records_from_store(store, ids), out, store=store)
    writers = {"csl-json": write_csl_json, "bibtex": write_bibtex, "ris": write_ris}
    return lambda ids, out: writers[fmt]((store.get_report(i) for i in ids), out)
