"""The cross-report code reads report text (claims, chains, bodies, source names): its cost stays
linear on the adversarial shapes, as the rest of db/ (issue 17, class 1; see test_regex_budgets)."""

from __future__ import annotations

import pytest

from db.analysis import origins, propositions
from db.analysis.source_names import SourceNames

from .adversarial import SHAPES
from .test_regex_budgets import _worst

NAMES = SourceNames([(1, "The National"), (2, "Islamic Movement in Iraq (Telegram)"), (3, "Al-Akhbar"),
                     (4, "Shafaq News")])

TARGETS = {
    "content_tokens": propositions.content_tokens.__wrapped__,  # not the cache: the work itself
    "fact_tokens": propositions.fact_tokens.__wrapped__,
    "is_negative": lambda t: propositions.is_negative.__wrapped__(t, False),
    "named_in": NAMES.named_in,
    "named_in, any case": lambda t: NAMES.named_in(t, capitalised=False),
    "source names from text": lambda t: SourceNames([(1, t[:2000]), (2, t[:500] + " (Telegram)")]),
    "speaker heads": origins._speaker_heads,
    "generic attribution": lambda t: origins.GENERIC_ATTRIBUTIONS.match(t),
    "sentences": lambda t: list(origins._SENTENCES.finditer(t)),
}


@pytest.mark.parametrize("target", list(TARGETS))
def test_cost_per_character_does_not_grow_on_adversarial_shapes(target):
    assert _worst(TARGETS[target], SHAPES) == {}
