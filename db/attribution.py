"""Who a claim is attributed to, through whom: the one attribution-chain formatter of the app.

The claims pane, ``analyst-tui show``, citations and every export read a claim's attribution here, so
they name the same people in the same order (they had three rules: the pane put the speaker before
the chain, ``show`` after it in brackets, citations dropped it).

The rule: the chain (stored originator first, each relay after) is the attribution when the
extractor found one; else whoever the speaker turned out to be (``speaker_resolved``), else the
speaker as written. Names are untrusted text: each is one visible line (``field_line``), empty ones
are dropped, and a name repeated right after itself ("The National", "The National") counts once.
"""

from __future__ import annotations

from .text_safety import field_line

ARROW = " \u2192 "


def attribution_chain(claim) -> list[str]:
    """The names a claim is attributed through, originator first."""
    stored = claim.chain if isinstance(claim.chain, (list, tuple)) else []
    names = [name for name in (field_line(x) for x in stored) if name]
    if not names:
        who = field_line(claim.speaker_resolved) or field_line(claim.speaker)
        names = [who] if who else []
    return _without_repeats(names)


def chain_arrows(names: list[str]) -> str:
    """"informed Iraqi sources → The National → Caliber.Az": the panes and ``show``."""
    return ARROW.join(_without_repeats([n for n in (field_line(x) for x in names) if n]))


def chain_prose(names: list[str], *, last_via: bool = True) -> str:
    """"informed Iraqi sources, quoted by The National, via Caliber.Az": citations and briefs."""
    names = _without_repeats([n for n in (field_line(x) for x in names) if n])
    if not names:
        return ""
    out = [names[0]]
    for i, name in enumerate(names[1:], start=1):
        out.append(("via " if last_via and i == len(names) - 1 else "quoted by ") + name)
    return ", ".join(out)


def attribution_text(claim, *, prose: bool = False, empty: str = "") -> str:
    """A claim's attribution as arrows (or prose), ``empty`` when it has none."""
    names = attribution_chain(claim)
    if not names:
        return empty
    return chain_prose(names) if prose else chain_arrows(names)


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name as far as a chain is concerned (case and a closing full stop aside)."""
    return bool(a) and bool(b) and a.casefold().strip(" .") == b.casefold().strip(" .")


def _without_repeats(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if not out or not same_name(out[-1], name):
            out.append(name)
    return out
