"""Who said a sentence, as the extractor's attribution code reads it: the suggestion offered when
an analyst adds a claim the extractor missed (the analyst confirms or corrects it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .extract import extract_candidates
from .extract.sentences import split_sentences


@dataclass
class Suggestion:
    speaker: str | None = None
    chain: list[str] = field(default_factory=list)
    cue: str | None = None


def sentence_from(body: str, offset: int) -> tuple[int, int]:
    """The span of the first sentence that starts at or after ``offset`` (what a reader scrolled
    to ``offset`` shows first in full), else the last sentence."""
    sentences = split_sentences(body)
    for start, end in sentences:
        if start >= offset:
            return start, end
    return sentences[-1] if sentences else (0, len(body))


def suggest_attribution(body: str, start: int, end: int) -> Suggestion:
    """The speaker and chain of the extractor's candidate claim that overlaps the span most (its
    rules' candidates, before the re-ranker drops the doubtful ones): for a span the extractor
    kept no claim for, the reading its rules would have given."""
    extraction, _ = extract_candidates(body)
    best, best_overlap = None, 0
    for claim in extraction.claims:
        overlap = min(end, claim.end) - max(start, claim.start)
        if overlap > best_overlap and (claim.speaker or claim.chain):
            best, best_overlap = claim, overlap
    if best is None:
        return Suggestion()
    speaker = best.speaker_resolved or best.speaker
    return Suggestion(speaker=speaker, chain=list(best.chain) or ([speaker] if speaker else []), cue=best.cue)
