"""What the claim re-ranker knows about one extracted claim row: named features, each 1.0 when present.

Only what exists at extraction time is used: the rule that made the row, its cue, the shape of the
speaker as written and whether it was resolved, the content's length and flags, where the speaker sits
relative to the content's sentence, nesting, and a few words around the content (names among them stand
as "<name>"). The model card (``db/extract/model/README.md``) lists them all. Features are strings
so that the shipped weights name what they weigh (``db/extract/model/claim_confidence.json``); a feature
the model never saw weighs nothing.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from db.models import ExtractedClaim, ExtractedEntity

from . import cues
from . import gazetteer as gz

_PRONOUNS = frozenset("he she him her they them it i we me us you".split())
_RELATIVE = frozenset({"who", "which", "that"})
_DETERMINERS = frozenset("the a an this that these those another some several many most one two three".split())
_QUOTE_MARKS = "\"“”„«»"
_WORD = re.compile(r"[\w'’-]+")
# Word classes a content can open with: a real claim rarely opens with a preposition ("about the event",
# "by Fox Business moderator": the cue was a verb of asking or talking, not of saying).
_PREPOSITIONS = frozenset("about by for in into of on to with at from over against after before during "
                          "as like than up out off".split())
_SUBJECT_PRONOUNS = frozenset("i we you he she it they there this that these those".split())
# A content with none of these has no finite verb in sight ("in himself and his message"); a guess, as
# there is no tagger, and the model weighs how good a guess it is.
_FINITE = re.compile(r"\b(?:is|are|was|were|be|been|will|would|can|could|should|shall|may|might|must|has|have|"
                     r"had|do|does|did|'s|'re|'ll|'ve|'d|’s|’re|’ll|’ve|’d|\w+ed|\w{3,}s)\b", re.I)


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    """The first edge n does not exceed, as a label ("<=5"), or ">last"."""
    for edge in edges:
        if n <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def speaker_form(speaker: str | None) -> str:
    """How the speaker is written: empty, pronoun, relative, title_name, proper_name, outlet,
    descriptive (a lower-case noun phrase: "officials", "the campaign") or other."""
    sp = (speaker or "").strip()
    if not sp:
        return "empty"
    words = sp.split()
    low = [w.lower().strip(".,") for w in words]
    if len(words) == 1 and low[0] in _PRONOUNS:
        return "pronoun"
    if len(words) == 1 and low[0] in _RELATIVE:
        return "relative"
    if low[0] in gz.PERSON_TITLES and len(words) > 1 and words[-1][:1].isupper():
        return "title_name"
    if low[-1] in gz.MEDIA_NOUNS or sp in gz.PLATFORMS:
        return "outlet"
    if all(w[:1].isupper() or w.lower() in ("of", "and", "the", "for", "de", "al") for w in words) and words[0][:1].isupper():
        return "proper_name" if low[0] not in _DETERMINERS or (low[0] == "the" and len(words) > 1) else "descriptive"
    if low[0] in _DETERMINERS or words[0][:1].islower():
        return "descriptive"
    return "other"


def _entity_types(entities: list[ExtractedEntity]) -> dict[str, str]:
    types: dict[str, str] = {}
    for e in entities:
        for name in (e.name, *e.aliases):
            types.setdefault(name, e.type)
    return types


# Capitalised words other than these stand for "a name" in lexical features: the model is trained on 2016
# US campaign news, and a weight for "Kasich" or "Trump" would carry that corpus into every other report.
_GENERAL_WORDS = _PREPOSITIONS | _SUBJECT_PRONOUNS | _DETERMINERS | gz.PERSON_TITLES | frozenset(
    "and but or so if when while because although though what how why where who which still yet however "
    "also not no mr mrs ms dr sen rep gov".split())


def _lexical(word: str) -> str:
    """A word as a feature value: lower-cased when it is lower case in the text or a general word,
    otherwise "<name>"."""
    word = word.replace("’", "'")
    low = word.lower()
    if not word[:1].isupper() or low.rstrip(".") in _GENERAL_WORDS or low in _GENERAL_WORDS:
        return low
    return "<name>"


def _first_word(text: str) -> str:
    m = _WORD.search(text[:60])
    return _lexical(m.group()) if m else ""


def _word_class(word: str, raw: str) -> str:
    if not word:
        return "none"
    if word in _PREPOSITIONS:
        return "preposition"
    if word in _SUBJECT_PRONOUNS:
        return "pronoun"
    if word in _DETERMINERS:
        return "determiner"
    if word[:1].isdigit():
        return "number"
    return "capitalised" if raw[:1].isupper() else "lower"


def _speaker_shape(speaker: str) -> list[str]:
    """Signs that the words taken for a speaker are no noun phrase at all: a lone adverb ("Publicly",
    "Nevertheless"), an initial cut off at its period ("J", "Ms"), a verb inside ("rushing to TV to",
    "it takes to process"); and whether only the first of several words has a capital ("Waivers were designed to give", but also "A spokesman for the buyer")."""
    words = speaker.split()
    shape = []
    if len(words) == 1 and words[0].lower().endswith("ly"):
        shape.append("speaker_adverb")
    if len(speaker.strip(".")) <= 2 or (len(words) == 1 and words[0].rstrip(".") in ("Mr", "Ms", "Mrs", "Dr", "Sen", "Rep", "Gov")):
        shape.append("speaker_fragment")
    if any(w.lower() in cues.FORMS or w.lower().endswith("ing") for w in words):
        shape.append("speaker_has_verb")
    if len(words) >= 3 and words[0][:1].isupper() and not any(w[:1].isupper() for w in words[1:]):
        shape.append("speaker_capital_only_first")
    if "'s" in speaker or "’s" in speaker:
        shape.append("speaker_possessive")
    return shape


def claim_features(body: str, claims: list[ExtractedClaim], speaker_pos: list[int],
                   sentences: list[tuple[int, int]], entities: list[ExtractedEntity]) -> list[list[str]]:
    """For each claim (in order), the names of the features it has."""
    starts = [s for s, _ in sentences]
    types = _entity_types(entities)
    has_child = {c.parent for c in claims if c.parent is not None}
    n_body = max(1, len(body))
    sentence_of = [max(0, bisect.bisect_right(starts, c.start) - 1) for c in claims]
    per_sentence = Counter(sentence_of)
    out: list[list[str]] = []
    for i, c in enumerate(claims):
        rule = c.rule or "none"
        form = speaker_form(c.speaker)
        cue_word = ((c.cue or "").split() or [""])[0].lower()
        lemma = cues.FORMS.get(cue_word, cue_word)
        cue_class = "none" if not c.cue else "speech" if lemma in cues.SPEECH else \
            "according" if c.rule == "according_to" else "belief"
        resolved = bool(c.speaker_resolved and c.speaker_resolved != c.speaker)
        f = [
            "bias",
            f"rule={rule}",
            f"cue={lemma or 'none'}",
            f"cue_class={cue_class}",
            f"cue_form={'ing' if cue_word.endswith('ing') else 's' if cue_word.endswith('s') else 'other'}",
            f"speaker_form={form}",
            f"rule*form={rule}*{form}",
            f"rule*cue_class={rule}*{cue_class}",
            f"form*resolved={form}*{resolved}",
            f"speaker_words={_bucket(len((c.speaker or '').split()), (0, 1, 2, 3, 5, 8))}",
            f"claim_words={_bucket(len(c.text.split()), (4, 6, 10, 15, 25, 40, 80))}",
            f"position={_bucket(int(10 * c.start / n_body), (0, 1, 3, 6, 9))}",
        ]
        speaker_words = [_lexical(w.strip(".,")) for w in (c.speaker or "").split() if w.strip(".,")]
        if speaker_words:
            # the head noun ("officials", "campaign", "poll") and the opening word ("some", "mr") weigh
            # differently from their form alone
            f.append(f"speaker_head={speaker_words[-1]}")
            f.append(f"speaker_opens={speaker_words[0]}")
            f.extend(_speaker_shape(c.speaker or ""))
            # each inner word once, in order: a set's order would change with the string hash seed and,
            # through the order of the sums in training, the last digits of the weights
            f.extend(f"speaker_word={w}" for w in dict.fromkeys(speaker_words[1:-1]))
        f.append(f"cue_word={cue_word or 'none'}")
        f.append(f"cue*form={lemma or 'none'}*{form}")
        entity_type = types.get(c.speaker_resolved or "") or types.get(c.speaker or "")
        f.append(f"speaker_entity={entity_type or 'none'}")
        if c.is_quote:
            f.append("quote")
        if c.is_hedged:
            f.append("hedged")
        if c.is_denial:
            f.append("denial")
        # No feature of the chain: PolNeAR's gold names a source, never the relays, so what it could
        # teach about chains is an artefact of US campaign news, and it marked down the relayed rows
        # (informed sources -> outlet -> outlet) that monitoring reports are made of.
        if c.parent is not None:
            f.append(f"nested_in={claims[c.parent].rule or 'none'}")
        if i in has_child:
            f.append("has_nested")
        if c.speaker and any(ch.isdigit() for ch in c.speaker):
            f.append("speaker_has_digit")
        text = c.text
        if text[:1] in _QUOTE_MARKS or (c.start > 0 and body[c.start - 1] in _QUOTE_MARKS):
            f.append("opens_with_quote_mark")
        if "?" in text[-3:]:
            f.append("ends_with_question")
        k = sentence_of[i]
        s_start, s_end = sentences[k] if sentences else (0, len(body))
        if c.end > s_end + 1:
            f.append("spans_sentences")
        f.append(f"sentence_opens={_first_word(body[s_start:s_end])}")
        opens = _first_word(text)
        f.append(f"claim_opens={opens}")
        opens_class = _word_class(opens, text.lstrip(_QUOTE_MARKS + " ")[:1])
        f.append(f"claim_opens_class={opens_class}")
        f.append(f"cue*opens_class={lemma or 'none'}*{opens_class}")
        f.append(f"rule*opens_class={rule}*{opens_class}")
        f.append(f"rule*claim_words={rule}*{_bucket(len(c.text.split()), (4, 10, 25))}")
        words = [_lexical(w) for w in text.split()[:2]]
        after = _first_word(body[c.end:c.end + 40])
        f.append(f"word_after={after or 'none'}")
        if len(words) > 1:
            f.append(f"claim_opens2={' '.join(words[:2])}")
        if not _FINITE.search(text[:400]):
            f.append("no_finite_verb")
        same_sentence = per_sentence[k]
        f.append(f"claims_in_sentence={_bucket(same_sentence, (1, 2, 3))}")
        pos = speaker_pos[i] if i < len(speaker_pos) else -1
        if pos < 0 or not c.speaker:
            where = "none"
        elif s_start <= pos < s_end:
            where = "in_sentence_before" if pos < c.start else "in_sentence_after" if pos >= c.end else "inside_claim"
        else:
            where = "other_sentence"
        f.append(f"speaker_at={where}")
        f.append(f"rule*speaker_at={rule}*{where}")
        out.append(f)
    return out
