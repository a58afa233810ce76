"""What happened, in a word a denial and an assertion can share however they are worded.

A denial rarely repeats what it denies: "no approval has been issued" answers "the movement will
inaugurate an office ... with the government's approval". What they share is the kind of event
(an opening, an approval, a move) and who it is about. The frames below are a small, general list
of the events news reports assert and deny, in the spirit of the CAMEO event codes used for
political event data; each is a set of word beginnings matched against lower-case words. A word
belongs to one frame at most. Speech itself ("said", "announced") is no event here.
"""

from __future__ import annotations

import re
from functools import lru_cache

FRAMES: dict[str, tuple[str, ...]] = {
    "opening": ("open", "inaugurat", "establish", "launch", "set up", "founded"),
    "approval": ("approv", "consent", "licen", "permit", "permission", "authoris", "authoriz", "green light",
                 "registration", "registered"),
    "relocation": ("move ", "moved", "moves", "moving", "relocat", "transfer", "shift", "hosting", "hosted", "host "),
    "talks": ("talk", "discuss", "negotiat", "meeting", "met ", "telephone", "phone call"),
    "visit": ("visit", "trip", "tour"),
    "attack": ("attack", "strike", "struck", "bomb", "shell", "airstrike", "raid", "storm", "target", "assault",
               "fired on", "explosion"),
    "killing": ("kill", "assassinat", "dead ", "death", "died", "murder"),
    "detention": ("arrest", "detain", "detention", "captur", "seiz", "kidnap", "custody", "abduct"),
    "release": ("releas", "freed", "free "),
    "agreement": ("agree", "signed", "signing", "deal ", "deals", "treaty", "pledg", "promis"),
    "closure": ("closed", "closing", "closure", "shut", "suspend", "halt", "block", "cancel", "ban ", "banned"),
    "withdrawal": ("withdr", "pull out", "pulled out", "evacuat", "leave", "left ", "retreat"),
    "funding": ("fund", "financ", "paid", "pay", "payment", "donat", "grant"),
    "deployment": ("deploy", "dispatch", "troops", "reinforce"),
    "appointment": ("appoint", "nominat", "elected", "election", "named as", "resign"),
    "supply": ("ship", "deliver", "smuggl", "suppl", "weapon", "arms "),
}

_WORD = re.compile(r"[a-z][a-z'-]*")


def _is_phrase(prefix: str) -> bool:
    return " " in prefix  # two words ("set up"), or one whole word ("met ", "free ")


_PHRASES = [(p, f) for f, prefixes in FRAMES.items() for p in prefixes if _is_phrase(p)]
_PREFIXES = sorted(((p, f) for f, prefixes in FRAMES.items() for p in prefixes if not _is_phrase(p)),
                   key=lambda p: -len(p[0]))


@lru_cache(maxsize=100_000)
def frames_of(text: str) -> frozenset[str]:
    """The event frames a text speaks of ("the movement will inaugurate an office" -> opening).
    Linear in the text: each word is tried against the fixed list of beginnings, and each phrase
    looked up once in the words joined by single spaces."""
    words = _WORD.findall(text.casefold())
    padded = " " + " ".join(words) + " "
    found = {frame for phrase, frame in _PHRASES if " " + phrase in padded}
    for word in set(words):
        for prefix, frame in _PREFIXES:
            if word.startswith(prefix):
                found.add(frame)
                break
    return frozenset(found)


@lru_cache(maxsize=100_000)
def _names_a_frame(word: str) -> bool:
    return any(word.startswith(p) for p, _ in _PREFIXES) or any(p.strip() == word for p, _ in _PHRASES)


def frame_words(text: str) -> frozenset[str]:
    """The words of ``text`` that name a frame: left out when comparing what else two claims share."""
    return frozenset(word for word in set(_WORD.findall(text.casefold())) if _names_a_frame(word))
