"""The one-key choices the analyst makes: a grade, a stance, a name. Each choice has the key that
picks it, so grading is two keystrokes (``r`` then ``b``) in a dialog or in the chooser."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import CREDIBILITY_LABELS, RELIABILITY_LABELS
from db.text_safety import one_line


@dataclass(frozen=True)
class Choice:
    key: str  # the one key that picks it: "a", "1"
    value: object
    label: str
    detail: str = ""


def reliability_choices() -> list[Choice]:
    return [Choice(g.lower(), g, label, meaning) for g, (label, meaning) in RELIABILITY_LABELS.items()]


def credibility_choices() -> list[Choice]:
    return [Choice(str(g), g, label, meaning) for g, (label, meaning) in CREDIBILITY_LABELS.items()]


def stance_choices() -> list[Choice]:
    return [
        Choice("s", "supports", "Supports", "consistent with the hypothesis"),
        Choice("r", "refutes", "Refutes", "inconsistent with the hypothesis"),
        Choice("n", "neutral", "Neutral", "neither: discusses it without evidence either way"),
        Choice("x", "clear", "Clear", "no stance recorded"),
    ]


def dim_threshold_choices() -> list[Choice]:
    """Thresholds under which an extracted claim's row is dimmed (its confidence is a probability)."""
    levels = [(0.0, "Dim nothing", "every claim drawn alike"),
              (0.3, "Below 30%", "only the likeliest junk"),
              (0.5, "Below 50%", "more likely wrong than right (the default)"),
              (0.7, "Below 70%", ""),
              (0.8, "Below 80%", ""),
              (0.9, "Below 90%", "only the surest claims stand out")]
    return [Choice(str(i), value, label, detail) for i, (value, label, detail) in enumerate(levels)]


# Both pickers, the dialog (``screens.pickers.ChoiceScreen``) and the chooser drawn over the main screen
# (``widgets.chooser.Chooser``), keep j, k (down, up) and q (cancel) for themselves; a choice may have
# any other digit or letter.
PICKER_KEYS = "jkq"
CHOICE_KEYS = "1234567890abcdefghilmnoprstuvwxyz"
# Keys for a list of names: digits first.
_LIST_KEYS = CHOICE_KEYS.replace("0", "")


def name_choices(names: list[str]) -> list[Choice]:
    """One choice per name (an entity's other names), as many as there are keys for."""
    return [Choice(_LIST_KEYS[i], name, one_line(name, 60)) for i, name in enumerate(names[:len(_LIST_KEYS)])]
