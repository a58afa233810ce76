"""Every citation style, in the order the UI offers them. A new style is a module with a ``Style`` and one
line here."""

from __future__ import annotations

from . import apa, bibtex, chicago, intel, markdown, mla, ris
from .style import Style

REGISTRY: dict[str, Style] = {style.id: style for style in (
    chicago.NOTE,
    chicago.BIB,
    apa.APA,
    mla.MLA,
    bibtex.BIBTEX,
    ris.RIS,
    markdown.MARKDOWN,
    intel.INTEL,
)}
