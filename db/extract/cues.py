"""Reporting cues: verbs of saying, writing, believing and announcing, with their inflections."""

from __future__ import annotations

import re

# Regular verbs: base form; inflections are generated. Irregular ones are listed whole.
_REGULAR = """add claim state note explain report post tweet announce declare confirm insist argue warn
acknowledge assert contend maintain suggest predict promise vow pledge reveal disclose indicate estimate
concede recall remark respond counter complain charge accuse allege stress emphasize emphasise reiterate
ask urge believe hope expect fear want agree disagree conclude describe mention observe point
quip joke boast blame criticize criticise praise question doubt wonder propose recommend demand
caution threaten admit deny reply testify worry signal share assure inform advise show
call decry condemn slam blast tout applaud welcome reject dismiss express voice""".split()
_IRREGULAR = """say says said saying tell tells told telling write writes wrote written writing think thinks
thought thinking feel feels felt feeling know knows knew knowing find finds found finding
admitted admitting denied denies denying replied replies replying testified testifies testifying
worried worries worrying shown""".split()


def _inflect(v: str) -> list[str]:
    if v.endswith("e"):
        return [v, v + "s", v + "d", v[:-1] + "ing"]
    if v.endswith(("sh", "ch", "ss", "x")):
        return [v, v + "es", v + "ed", v + "ing"]
    if v.endswith("y") and v[-2] not in "aeiou":
        return [v, v[:-1] + "ies", v[:-1] + "ied", v + "ing"]
    if v in ("admit", "quip", "regret"):
        return [v, v + "s", v + v[-1] + "ed", v + v[-1] + "ing"]
    return [v, v + "s", v + "ed", v + "ing"]


FORMS: dict[str, str] = {}
for _v in _REGULAR:
    for _f in _inflect(_v):
        FORMS[_f] = _v
for _f in _IRREGULAR:
    FORMS.setdefault(_f, _f)
for _f, _lemma in {"said": "say", "says": "say", "saying": "say", "told": "tell", "tells": "tell",
                   "telling": "tell", "wrote": "write", "writes": "write", "written": "write",
                   "writing": "write", "thinks": "think", "thought": "think", "thinking": "think",
                   "feels": "feel", "felt": "feel", "feeling": "feel", "knows": "know", "knew": "know",
                   "knowing": "know", "finds": "find", "found": "find", "finding": "find",
                   "admitted": "admit", "admitting": "admit", "denied": "deny", "denies": "deny",
                   "denying": "deny", "replied": "reply", "replies": "reply", "replying": "reply",
                   "testified": "testify", "testifies": "testify", "testifying": "testify",
                   "worried": "worry", "worries": "worry", "worrying": "worry", "shown": "show"}.items():
    FORMS[_f] = _lemma

# Verbs that report speech and can follow their content ("..., the sources added").
SPEECH = frozenset("""say add tell claim state note explain report write tweet post announce declare confirm
insist argue warn acknowledge assert contend maintain suggest predict promise reveal disclose indicate
concede recall remark respond counter complain charge allege stress emphasize emphasise reiterate ask urge
quip joke boast admit deny reply testify observe caution""".split())
HEDGING = frozenset({"claim", "allege"})
DENYING = frozenset({"deny"})
# Participles that open a second content for the same speaker: ", adding that ...".
CONTINUATIONS = frozenset({"adding", "saying", "noting", "explaining", "stressing", "warning",
                           "arguing", "insisting", "claiming", "emphasizing", "emphasising", "stating",
                           "writing", "asserting", "suggesting", "denying", "confirming"})

CUE_RE = re.compile(r"\b(" + "|".join(sorted(FORMS, key=len, reverse=True)) + r")\b", re.I)
ACCORDING_RE = re.compile(r"\b(according to|in the words of|as reported by|as cited by)\s+", re.I)
HEDGE_WORDS = re.compile(r"\b(reportedly|allegedly|purportedly|supposedly|claimed|claims?|rumou?red|"
                         r"unconfirmed|unverified|it is said|is said to|are said to|apparently)\b", re.I)
DENIAL_WORDS = re.compile(r"\b(denie[sd]|deny(?:ing)?|(?:is|are|was|were) (?:false|baseless|untrue|"
                          r"unfounded|fabricated|fake)|baseless|groundless|no truth|refuted|rejected (?:the )?"
                          r"(?:reports?|claims?|allegations?))\b", re.I)

_WORD = re.compile(r"[A-Za-z]+")


def iter_cues(text: str):
    """Cue words in text, as match objects with group(1) (a dict look-up per word: far faster than one
    alternation of several hundred verb forms)."""
    for m in _WORD.finditer(text):
        if m.group().lower() in FORMS:
            yield CUE_WORD.match(text, m.start(), m.end())


CUE_WORD = re.compile(r"([A-Za-z]+)")
