"""The Admiralty code in STIX 2.1.

Information credibility 1-5 maps to ``confidence`` as the STIX 2.1 specification's confidence-scale appendix
("Admiralty Credibility" scale) does it, both ways: 1 "Confirmed by other sources" = 90 (80-100),
2 "Probably true" = 70 (60-79), 3 "Possibly true" = 50 (40-59), 4 "Doubtful" = 30 (20-39),
5 "Improbable" = 10 (0-19); 6 "Truth cannot be judged" has no ``confidence`` property at all.
Source reliability A-F has no STIX property: it rides on the source's ``identity``. Both grades are
also written as explicit custom properties (nothing is lost to the scale's ranges) and as the MISP
taxonomy's machine tags (``admiralty-scale:source-reliability="b"``), which MISP reads as tags.
"""

from __future__ import annotations

from db.models import CREDIBILITY_LABELS, RELIABILITY_GRADES

CONFIDENCE_OF_CREDIBILITY = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
PREFIX = "x_analyst_tui_"
RELIABILITY_TAG = "admiralty-scale:source-reliability"
CREDIBILITY_TAG = "admiralty-scale:information-credibility"


def confidence_of(credibility: int) -> int | None:
    """The STIX ``confidence`` of an information credibility (None for 6: the property is left out)."""
    return CONFIDENCE_OF_CREDIBILITY.get(credibility)


def credibility_of_confidence(confidence: object) -> int:
    """The appendix's reverse mapping: 80-100 -> 1, 60-79 -> 2, 40-59 -> 3, 20-39 -> 4, 0-19 -> 5, none -> 6."""
    if isinstance(confidence, bool) or not isinstance(confidence, int) or not 0 <= confidence <= 100:
        return 6
    for credibility, floor in ((1, 80), (2, 60), (3, 40), (4, 20)):
        if confidence >= floor:
            return credibility
    return 5


def reliability_label(reliability: str) -> str:
    return f'{RELIABILITY_TAG}="{reliability.lower()}"'


def credibility_label(credibility: int) -> str:
    return f'{CREDIBILITY_TAG}="{credibility}"'


def machine_tag_value(labels: object, tag: str) -> str | None:
    """The value of a MISP machine tag among STIX ``labels`` ("b" of admiralty-scale:source-reliability="b")."""
    if not isinstance(labels, list):
        return None
    for label in labels:
        if isinstance(label, str) and label.startswith(tag + "="):
            return label[len(tag) + 1:].strip('"')
    return None


def reliability_from(value: object) -> str | None:
    text = str(value).strip().upper() if value is not None else ""
    return text if text in RELIABILITY_GRADES else None


def credibility_from(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number in CREDIBILITY_LABELS else None
