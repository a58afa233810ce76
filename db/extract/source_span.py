"""The speaker as written, with the apposition that comes with it: "Tad Devine, Sanders' senior media
adviser, said" is said by "Tad Devine, Sanders' senior media adviser" (who Tad Devine is, as the text
gives it), and "..., said Mary Kay Henry, president of the SEIU." by "Mary Kay Henry, president of the
SEIU". The actor stays the name: it moves to ``speaker_resolved`` when nothing else resolved the speaker,
so everything that keys on who spoke (entities, sources, grading) is unchanged.

Rules read text before the cue and stop at the name; without this step the apposition was lost, and on
PolNeAR's fit documents 596 of 1,818 wrong speakers were a name whose gold source span goes on with its
apposition (bench/RESULTS.md, "Claims precision and attribution").
"""

from __future__ import annotations

import re

from db.models import ExtractedClaim

from . import cues
from . import gazetteer as gz
from .attribution import is_home_tag

_PRONOUNS = frozenset("he she it they we i you who which that this these those there".split())
# An apposition is one stretch without quote marks, colons, semicolons or brackets; its length is bounded,
# so each match is linear in the window it is given.
_APPOSITION_BEFORE_CUE = re.compile(r",\s*(?P<app>[^\"“”„;:()\[\]\n]{2,240}?)[\s,]*$")
# After an inverted speaker ("said X, president of Y, in a statement."): the apposition ends at the sentence's
# end or at what follows a speaker without describing it.
_APPOSITION_AFTER = re.compile(r",\s*(?P<app>[^\"“”„;:()\[\]\n]{2,240})")
_AFTER_CUT = re.compile(r",?\s+(?:in\s+(?:a|an|the|his|her|their)\s+(?:statement|interview|email|e-mail|speech|"
                        r"release|news|press|phone|telephone|conference|post|tweet|letter|call|video)|"
                        r"(?:adding|noting|saying|explaining|arguing|citing|referring|speaking|according|"
                        r"when|while|as|after|before|during|on\s+(?:monday|tuesday|wednesday|thursday|friday|"
                        r"saturday|sunday)|last\s+(?:week|month|year))\b)|,\s+(?:in|on|at|with|to|from|during|"
                        r"after|before|via|by)\s", re.I)
_AUX_ONLY = frozenset(("also has have had was were is are will would could may might did does do not never "
                       "later then previously earlier recently repeatedly once often further again "
                       "has long").split())
_WINDOW = 300
_ASIDE_AT_END = re.compile(r",\s*(?:for\s+example|for\s+instance|in\s+turn|however|too|though|meanwhile|"
                           r"in\s+particular|at\s+least|of\s+course|in\s+fact)$", re.I)
_OPENERS = frozenset("But And Or So Yet Then Still Meanwhile However Instead Later Earlier Now Today Yesterday "
                     "Last Next This That These Those When While Although Though Because If Since Asked".split())


def _cut_apposition(app: str) -> str:
    m = _AFTER_CUT.search(app)
    if m:
        app = app[:m.start()]
    return app.strip(" ,.\t")


def _plausible_apposition(app: str) -> bool:
    words = app.split()
    if not words or len(words) > 30:
        return False
    first = words[0].lower().strip(".,")
    # "X, he said", "X, it added": a new clause, not a description of X; "X, 31," alone is an age
    if first in _PRONOUNS and first not in ("who", "which"):
        return False
    if first in ("and", "or", "but", "nor", "so", "yet", "however", "though", "although"):
        return False
    if first in gz.FINITE_AUXILIARIES:
        return False  # "The best part, said the mayor, was the park": the sentence resumes, nobody is described
    if first.endswith("ing") or first.endswith("ed") and first not in ("retired", "embattled", "celebrated"):
        return False  # "Mr. Obama, speaking in Ohio, said": what X was doing, not who X is
    return any(ch.isalpha() for ch in app) or app.isdigit() and len(app) <= 3  # "Jo Roe, 31, said"


def widen_sources(claims: list[ExtractedClaim], body: str, speaker_pos: list[int]) -> None:
    """Give each named speaker its apposition, in place (see the module's doc)."""
    for c, pos in zip(claims, speaker_pos, strict=True):
        sp = c.speaker
        if not sp or pos < 0 or sp.lower() in _PRONOUNS or "," in sp:
            continue
        cue = (c.cue or "").lower()
        cue_word = cue.split(" ", 1)[0]
        if not cue_word or cues.FORMS.get(cue_word) is None and cue != "according to":
            continue
        # where the speaker is written: at its position, or (a rule that records the cue's position) just
        # before it
        at = body.find(sp, max(0, pos - 5), pos + len(sp) + 80)
        if at < 0:
            at = body.rfind(sp, max(0, pos - _WINDOW), pos + len(sp))
        if at < 0:
            continue
        end = at + len(sp)
        widened = _after_inverted_cue(body, at, end, cue) if at >= c.end else None
        if widened is None:
            widened = _before_cue(body, end, cue_word, c)
        named = _name_before(body, at, sp)
        if named is not None:
            # "Jeff Weaver, Sanders' campaign manager, said": the rule took the role; the name is who spoke
            name_at, name = named
            if not c.speaker_resolved or c.speaker_resolved == sp:
                c.speaker_resolved = name
            c.speaker = body[name_at:end] + (widened or "")
            continue
        role_at = _role_before(body, at, end, sp)
        if role_at is not None:
            # "The Podesta Group's CEO, Kimberley Fritts, said": who she is comes first; the name still speaks
            if not c.speaker_resolved:
                c.speaker_resolved = sp
            c.speaker = body[role_at:end] + (widened or "")
            continue
        if widened is None:
            continue
        if not c.speaker_resolved:
            c.speaker_resolved = sp
        c.speaker = sp + widened


_NAME_BEFORE = re.compile(r"(?:^|(?<=[\n\"“”.!?]))\s*(?P<name>(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]+),\s+$")


def _name_before(body: str, at: int, role: str) -> tuple[int, str] | None:
    """A person's name set off before a role at the start of a sentence or after a quotation ('"...," Jeff
    Weaver, Sanders' campaign manager, said'): (where it starts, the name)."""
    if not any(w[:1].islower() for w in role.split()[1:]) or body[at - 2:at] != ", ":
        return None
    lo = max(0, at - 60)
    m = _NAME_BEFORE.search(body[lo:at])
    if m is None:
        return None
    words = m.group("name").split()
    # "In Ohio, the senator said", "But Trump, the nominee": an opening phrase or a conjunction, not a name
    if len(words) < 2 or any(w in gz.TITLE_CASE_FUNCTION_WORDS or w in _OPENERS for w in words) \
            or m.group("name") in gz.PLACES or words[-1] in gz.MONTHS:
        return None
    return lo + m.start("name"), m.group("name")


# A role set off before a name: "Her campaign manager, Robby Mook,", "The Podesta Group's CEO, Kimberley Fritts,",
# "a spokeswoman, Anna Richardson White,". At a sentence's start or after a quotation it may open with anything
# that is no opening adverbial; after a comma only with a determiner or a possessive pronoun.
_ROLE_BEFORE = re.compile(r"(?:(?:^|(?<=[\n\"“”.!?]))\s*(?P<role>[A-Z][^,;:\"“”()\[\]\n]{1,80}?)|"
                          r",\s+(?P<role2>(?:a|an|the|his|her|their|its|another|one\s+of)\s[^,;:\"“”()\[\]\n]{1,80}?)),\s+$")
_ROLE_VERBS = frozenset("is was are were has have had be been will would said says told say tell who which that "
                        "and or but if when while as".split())


def _role_before(body: str, at: int, end: int, name: str) -> int | None:
    """Where a role set off by commas before the name ``body[at:end]`` starts, when the name is set off as well
    (a comma follows it): "His campaign manager, Jeff Weaver, said"."""
    words = name.split()
    if body[at - 2:at] != ", " or body[end:end + 1] != "," or not words \
            or not all(w[:1].isupper() or w in ("al", "bin", "de", "van", "von") for w in words) \
            or name in gz.PLACES or words[-1] in gz.MONTHS:
        return None
    lo = max(0, at - 90)
    m = _ROLE_BEFORE.search(body[lo:at])
    if m is None:
        return None
    role = m.group("role") or m.group("role2")
    if m.group("role"):
        before = body[max(0, lo + m.start("role") - 30):lo + m.start("role")].rstrip()
        if before.endswith(".") and before[:-1].split()[-1:] and len(before[:-1].split()[-1]) <= 4 \
                and before[:-1].split()[-1][:1].isupper():
            return None  # "backing former Florida Gov. Jeb Bush for president, Mike Murphy": no sentence start
    rw = role.split()
    lows = [w.lower() for w in rw]
    if len(rw) > 10 or rw[0] in _OPENERS and lows[0] not in ("the", "his", "her", "their", "its") \
            or _ROLE_VERBS.intersection(lows) or any(w.endswith(("ed", "ing")) and len(w) > 5
                                                      and w not in ("retired", "embattled") for w in lows):
        return None  # "Asked about it, Jeff Weaver, ...", "The group said Monday, ...": a clause, not a role
    # a role names what someone is: a lowercase noun ("manager", "his wife") or a possessive ("Dow's CEO")
    if not (any(w[:1].islower() for w in rw[1:]) or "'s " in role or "’s " in role) \
            or role.strip() in gz.PLACES or _is_time_like(lows):
        return None
    return lo + m.start("role" if m.group("role") else "role2")


def _is_time_like(lows: list[str]) -> bool:
    """ "On Tuesday", "Last week", "In 2015": an opening adverbial, not a role."""
    return lows[0] in ("on", "in", "at", "last", "this", "next", "earlier", "later", "during", "after", "before",
                       "since", "by", "for", "from", "with", "as", "like", "unlike", "despite", "meanwhile",
                       "however", "but", "and", "so", "yet", "still", "now", "then", "when", "while")


def _before_cue(body: str, end: int, cue_word: str, c: ExtractedClaim) -> str | None:
    """"X, a pollster, said": the apposition between the name and its cue."""
    limit = min(len(body), end + _WINDOW)
    if c.start > end:
        limit = min(limit, c.start)
    window = body[end:limit]
    if not window.startswith(","):
        return None
    m = re.search(r"\s" + re.escape(cue_word) + r"\b", window)
    if m is None:
        return None
    words = window[:m.start()].split()
    # auxiliaries and adverbs before the cue ("X, a pollster, has also said") are no part of the speaker
    while words and words[-1].lower() in _AUX_ONLY:
        words.pop()
    if not words:
        return None
    if not words[-1].endswith(","):
        # "X, a pollster who said": the clause before the cue is not closed; "Stacy Baker of Columbia, South
        # Carolina says": a home state needs no closing comma
        tag = window[:m.start()].rstrip()
        tag = tag[tag.rfind(",") + 1:].strip()
        if not (tag and "," in window[:m.start()] and is_home_tag(tag, body[max(0, end - 80):end])):
            return None
    left = window[: window.rfind(words[-1], 0, m.start()) + len(words[-1])].rstrip(" ,")
    aside = _ASIDE_AT_END.search(left)
    if aside:
        left = left[:aside.start()]  # "X, a historian, for example, said": the aside is no part of who X is
    am = _APPOSITION_BEFORE_CUE.match(left)
    if am is None or not _plausible_apposition(am.group("app")):
        return None
    return left


def _after_inverted_cue(body: str, at: int, end: int, cue_word: str) -> str | None:
    """"..., said Mary Kay Henry, president of the SEIU.": the apposition after an inverted speaker."""
    before = body[max(0, at - 40):at].rstrip()
    if not before.lower().endswith(cue_word):
        return None
    stop = end
    limit = min(len(body), end + _WINDOW)
    while stop < limit and body[stop] not in ".!?\n":
        stop += 1
    # a period inside an abbreviation ("Fla.", "D.C.") does not end the apposition
    while stop < limit and body[stop] == "." and stop + 1 < limit and body[stop + 1] not in " \n\"”":
        stop += 1
        while stop < limit and body[stop] not in ".!?\n":
            stop += 1
    m = _APPOSITION_AFTER.match(body, end, stop)
    if not m:
        return None
    app = _cut_apposition(m.group("app"))
    if not _plausible_apposition(app):
        return None
    i = body.find(app, end, stop)
    return body[end:i + len(app)] if i >= 0 else None
