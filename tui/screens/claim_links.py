"""``>``: follow a claim's link (corroborates, contradicts, duplicates) to the claim it points to;
``<``: back to the claim followed from.

The claims pane showed "≠1 contradicts" with no way to reach the other claim but the CLI. The
linked claim may be in another report: following it opens that report with the claim under the
claims cursor and in the reader, as opening a claim from the search does.
"""

from __future__ import annotations

from db.errors import StoreError
from db.text_safety import one_line

from ..choices import Choice
from .pickers import ChoiceScreen
from ..actions.read_and_flagged import mark_opened_read

KEYS = "123456789abcdefghijklmnoprstuvwxyz"
KIND_MARKS = {"corroborates": "⇄", "contradicts": "≠", "duplicates": "≡"}


def follow_link(screen) -> None:
    claim = screen.claims.current()
    if claim is None:
        screen.notify("No claim here to follow a link from.", markup=False)
        return
    try:
        links = screen.store.claim_relations(claim.id)
    except StoreError as exc:
        screen.notify(one_line(str(exc)), severity="error", markup=False)
        return
    if not links:
        screen.notify(f"Claim {claim.id} has no links (L links two claims).", markup=False)
        return
    if len(links) == 1:
        _go(screen, claim.id, links[0][1])
        return
    choices = [Choice(KEYS[i], other, f"{KIND_MARKS.get(kind, '')} {kind} claim {other.id} (report {other.report_id})",
                      one_line(other.text, 80))
               for i, (kind, other) in enumerate(links[:len(KEYS)])]

    def chosen(other) -> None:
        if other is not None:
            _go(screen, claim.id, other)

    screen.app.push_screen(ChoiceScreen(f"Claim {claim.id}: follow which link?", choices), chosen)


def follow_back(screen) -> None:
    trail = _trail(screen)
    if not trail:
        screen.notify("No link followed yet: > follows a claim's link.", markup=False)
        return
    claim_id = trail.pop()
    try:
        claim = screen.store.get_claim(claim_id)
    except StoreError:
        screen.notify(f"Claim {claim_id} is gone.", severity="warning", markup=False)
        return
    _show(screen, claim)


def _go(screen, from_claim: int, other) -> None:
    _trail(screen).append(from_claim)
    _show(screen, other)
    mark_opened_read(screen, other.report_id)
    screen.notify(f"Claim {other.id} of report {other.report_id} (< goes back)", markup=False)


def _show(screen, claim) -> None:
    screen.jump_to_report(claim.report_id, claim_id=claim.id)
    screen.focus_named_pane("claims")
    current = screen.claims.current()
    if current is not None:
        screen._show_claim_in_reader(current)


def _trail(screen) -> list[int]:
    """The claims followed from, newest last (kept on the screen for ``<``)."""
    if not hasattr(screen, "followed_from"):
        screen.followed_from = []
    return screen.followed_from
