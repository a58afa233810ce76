"""Attributed claims: who said what, through which relays.

Works sentence by sentence over spans of the body, with quotes found beforehand so that a quote that
runs over several sentences or paragraphs is one content attached to the cue after its closing mark.
Every content span is an exact slice of the body.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from db.models import ExtractedClaim

from . import cues
from .wordlists import word_set
from . import gazetteer as gz
from .place_datelines import place_dateline
from .quotes import Quote

_WS = " \t\r\n\"'“”‘’„«»"
# What may follow a cue when the content came before it ("..., the sources added on Monday."). Tokens are
# atomic and separated by white space or commas, so a string has one parse: the repeated group cannot try the
# exponentially many ways of cutting ",a,a,a" or "1,1,1" into tokens (the old pattern took seconds on 20 of them).
_ADVERBIAL_TOKEN = (r"(?>(?:on|last|this|earlier|late|early|in|at|during|via|to|from|through|by|with|after|before|"
    r"over|overnight|yesterday|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"recently|previously|later|also|further|again|repeatedly|publicly|privately|separately|told|"
    r"according|when|while|as|the|a|an|his|her|their|its|reporters?|statement|interview|conversation|"
    r"news|conference|briefing|speech|post|posts|tweet|email|phone|telephone|week|month|year|morning|"
    r"afternoon|evening|night|day|[A-Z][\w.'’-]*|\d[\w,]*)"
                    r"\b[^\s,]*)")
# "..., the minister told reporters on the sidelines of a two-day banking retreat.": whom and where it was
# said, to the end of the sentence, and no verb of its own. Tried on at most 160 characters: linear.
_WHERE_SAID = re.compile(r"\s*(?:(?:reporters|journalists|the\s+media|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+)?"
                         r"(?:on|at|in|during|after|before|from|via|outside|ahead\s+of)\s+"
                         r"(?P<rest>[^.;:!?\"“”,]{1,120})[.!?]?[\"'”’)\]]*\s*")
_VERB_WORDS = frozenset("that is was were are will would has have had said says can could may might".split())


def _where_said_only(right: str) -> bool:
    if len(right) > 160:
        return False
    m = _WHERE_SAID.fullmatch(right)
    return m is not None and not (_VERB_WORDS & set(m.group("rest").lower().split()))


_TRAILING_ADVERBIAL = re.compile(r"(?:[\s,]*" + _ADVERBIAL_TOKEN + r"(?:[\s,]+" + _ADVERBIAL_TOKEN + r")*)?"
                                 r"[\s,]*[.!?]?[\"'”’)\]]*\s*$")
# Auxiliaries, adverbs and time phrases between a speaker and the cue ("X has also repeatedly said").
_AUX_WORDS = ("also|further|later|then|reportedly|allegedly|previously|earlier|has|have|had|will|would|could|may|"
              "might|did|does|do|is|was|were|are|repeatedly|recently|publicly|privately|once|often|never|not|just|"
              "even|still|again|too|first|last|now|quickly|separately|openly|explicitly|always|already|"
              "consistently|frequently|generally|usually|sometimes").split("|")
# Negated auxiliaries ("I don't think", "Mr. X hasn't indicated"), with either apostrophe; and "has long said"
# (lower case only: "Long" is a name).
_NEGATED_AUX = [w.replace("'", q) for w in ("don't|doesn't|didn't|hasn't|haven't|hadn't|won't|wouldn't|couldn't|"
                                            "can't|cannot|isn't|aren't|wasn't|weren't|shouldn't").split("|")
                for q in "'’"]
# _may_end_in_aux knows how each of these ends: keep the two in step.
_AUX_PHRASES = [r"has\s+also", r"had\s+also", r"on\s+\w+day", "yesterday", "today",
                r"on\s+\w+\s+\d{1,2}(?:,\s*\d{4})?", r"in\s+a\s+\w+(?:\s+\w+)?", r"\w+n['’]t", "cannot", "(?-i:long)"]
# "has also" reads as one phrase or as two words, so a long run of them has exponentially many parses when the
# match fails ("X has also has also ... LONG said" took seconds at 20 repetitions): the pattern only ever sees
# the last _AUX_WINDOW characters (see _aux_stripped), which bounds that cost by a constant.
_AUX_TAIL = re.compile(r"(?:\s+(?:" + "|".join(_AUX_WORDS + _AUX_PHRASES) + r"))+\s*$", re.I)
_AUX_WINDOW = 80
_AUX_WORD_SET = frozenset(_AUX_WORDS + _NEGATED_AUX + ["long"])
_NEGATION_BEFORE = re.compile(r"(?:\bnot|n['’]t|\bnever)\s+$", re.I)
_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|should|can|cannot|might|must|to|not|n't|never)\s+$", re.I)
_BRACKETS = re.compile(r"\[[^\]]{0,80}\]|\([^)]{0,80}\)")
_CLAUSE_CUT = re.compile(r"(?:[;:—–]|\s-\s|\b(?:but|while|because|although|though|since|that|which|where|"
                         r"whereas|after|before|when|if|as|and|or)\b)", re.I)
_DETERMINER_START = re.compile(r"^(?:a|an|the|another|one|some|several|two|three|many|most|few|this|that|"
                               r"these|those)\b", re.I)
_CHAIN_RE = re.compile(
    r"(?P<relay>[^,;:]{1,80}?)\s+(?P<verb>quotes?|quoted|cites?|cited|quoting|citing)\s+(?P<orig>.{1,120}?)\s+"
    r"as\s+(?:saying|stating|telling|writing|claiming|reporting)\b", re.I)
# Every _CHAIN_RE match ends in one of these words (lower case): a sentence holding none is not scanned, as
# the pattern's lazy relay is slow to fail.
_CHAIN_HINTS = ("saying", "stating", "telling", "writing", "claiming", "reporting")
_WITH_RELAY = re.compile(r"\b(?:in\s+(?:a|an)\s+(?:conversation|interview|statement|comments?)\s+(?:with|to)|told)\s+"
                         r"(?P<relay>(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})")
_QUOTED_AS = re.compile(r"(?P<sp>[^,;:]{1,80}?)\s+(?:was|were|is|are|has been|have been)\s+quoted\s+(?:by\s+"
                        r"(?P<relay>[^,]{1,60}?)\s+)?as\s+saying\b", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|has been|have been|had been|is|are)\s+(?P<verb>confirmed|reported|denied|"
                      r"announced|revealed|disclosed|stated|claimed|alleged|described|said)\s+by\s+"
                      r"(?P<sp>[^,.;:]{2,100})", re.I)
# Every _PASSIVE match holds one of these (lower case): a sentence with none is not scanned.
_PASSIVE_HINTS = ("confirmed", "reported", "denied", "announced", "revealed", "disclosed", "stated", "claimed",
                  "alleged", "described", "said")
_WHAT_SAID = re.compile(r"\bwhat\s+(?P<sp>it|he|she|they|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+"
                        r"(?P<verb>said|says|called|described|claimed|termed)\s+(?:was|were|is|are|as)\s+", re.I)
# Between a closing quote mark and its cue: nothing, or a short speaker ('," the officials added').
_GAP_AFTER_QUOTE = re.compile(r"[\s,]*(?:(?:[^\"“”\n.;:!?]|(?<=\b[A-Z])\.|(?<=\b[A-Z][a-z])\.|(?<=\b[A-Z][a-z]{2})\.|"
                              r"(?<=\b[A-Z][a-z]{3})\.){1,80})?")  # periods only after "Mr", "Sen", "J"
# ... or a name with a longer apposition, closed by a comma ('," Demetric Mercadel, president of the Jazz & Heritage
# Foundation's board of directors, said')
_NAMED_GAP_AFTER_QUOTE = re.compile(r"[\s,]*(?:[A-Z][\w'’-]*\.?\s+){1,3}[A-Z][\w'’-]+\s*,[^\"“”\n.;:!?]{2,160},\s*")
_LEADING_SUBJECT = re.compile(r"^(?:the\s+)?(?:[A-Z][\w.'’-]*\s*){1,5}")

_THAT = re.compile(r"\s*(?:that|:|,)\s+")
# How or when something was said, between the cue and "that": not part of what was said. Bounded
# repetitions over a window of 160 characters: linear.
_HOW_SAID = (r"(?:in|on|at|during|via|through|to)\s+(?:(?:a|an|the|its|his|her|their|this|our)\s+)?(?:[\w'’-]+\s+){0,3}?"
             r"(?:statement|interview|conversation|remarks|briefing|conference|post|tweet|message|e-?mail|letter|"
             r"speech|video|broadcast|website|address|session|hearing|call|page|channel|account|communiqu[eé])s?"
             r"(?:\s+(?:with|to|on|in|at)\s+(?:the\s+)?[\w'’.-]+(?:\s+[A-Z][\w'’.-]*){0,3})?")
_WHEN_SAID = (r"(?:(?:late|early)\s+)?(?:on\s+)?(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
              r"(?:\s+(?:morning|afternoon|evening|night))?|"
              r"yesterday|today|tonight|earlier|later|last\s+(?:week|month|year|night)|this\s+(?:week|month|year|morning))")
# Before "that" any of them, one to three; with no "that", a time alone ("said on Monday the road would ...").
_HOW_OR_WHEN_SAID = re.compile(rf"\s*(?:(?:(?:{_HOW_SAID}|{_WHEN_SAID})[\s,]+){{1,3}}(?=that\s)|"
                               rf"{_WHEN_SAID}\s+(?!that\b)(?=[a-z]))", re.I)
_COMMA_SAID = re.compile(r"\s*,\s*(?:the\s+|a\s+)?[^,]{1,40}\b(?:said|added|says|told|wrote)\b")
_PAREN_LEFT = re.compile(r",\s*([^,]{1,60})$")
# Markup, a bracket or a dash in a left context: rare, and the speaker is looked at closer only then.
# (An alternation of literals, not a class: the engine then skips to the next candidate character instead of
# trying the pattern at every position.)
_SPECIAL = re.compile(r"<|\(|\[|\{|—|–|--")
# Markup left in a text ("<tweet author=...>", "</p>"): no part of a speaker.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,300}>")
_OPENERS = "([{"
_CLOSERS = ")]}"
# Around a speaker: list bullets, markdown emphasis, brackets, dashes, odd white space ("- Two neighbours",
# "** The ministry", "(He", "[Readers"). "@" opens a handle and is kept.
_SPEAKER_TAIL = _WS + ",;:!?([{<>*•·‣◦▪–—―-~/\\|#_=+" \
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000" \
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"  # and bidi controls
_SPEAKER_HEAD = _SPEAKER_TAIL + ".)]}"
# Determiners and pronouns that negate their noun phrase: "No group claimed ...", "Neither X nor Y responded",
# "Nobody knew": no one is saying anything.
_NEGATIVE = frozenset("no not neither nor none nobody nothing never no-one noone".split())
# Words that cannot make up a speaker on their own ("The", "But", "has been", "The only", "What about"):
# articles, conjunctions, adverbs, auxiliaries, prepositions, question words. Pronouns and quantifiers ("he",
# "Some", "One", "Most", "All") stay: "Some say ..." has a speaker.
_NON_NOMINAL = frozenset("""the a an and but or nor so yet then than just only also even still too very
    here there thus hence however what when where why how whether if as is was were are be been being am has have
    had do does did will would shall should can could may might must not n't to of in on at by for with from
    into about over under after before since until while because although though less rather quite
    so-called such same other another own least it's there's here's what's sometimes often usually always
    perhaps maybe probably ever once again now later earlier""".split())
# After an article, a quantifier makes no noun phrase either ("The most", "the other", "The only").
_NO_NOUN = _NON_NOMINAL | frozenset("most more many much few all some any each both several".split())
_LETTER = re.compile(r"[^\W\d_]")
_BARE_TITLES = word_set("claim_words.txt", "bare_titles")


_OBJECT_PRONOUNS = frozenset("him her them us me".split())
# A name of one to five words before a colon; the words are atomic, so a failing match is linear.
_COLON_SPEAKER = re.compile(r"\s*(?P<sp>[A-Z][\w.'’-]*(?:\s(?:[A-Z][\w.'’-]*|of|the|al|bin|de|van|von)){0,4}):"
                            r"\s+(?P<rest>\S)")
_COLON_LABELS = word_set("claim_words.txt", "colon_labels")
_GENERIC_HEADLINE_SPEAKERS = word_set("claim_words.txt", "generic_headline_speakers")
_RUBRIC_WORDS = word_set("claim_words.txt", "rubrics")


def _document_source(sp: str) -> str | None:
    """After "according to", a document, a law or a count is a source as much as a person is ("according to
    state law", "according to a court filing", "according to the foundation's tally", "according to him"):
    a short noun phrase ending in a noun, not a time ("according to last year")."""
    sp = sp.strip(_WS + ",.")
    words = sp.split()
    if not words or len(words) > 8 or not sp[:1].isalpha():
        return None
    last = words[-1].lower()
    if len(words) == 1 and last in _OBJECT_PRONOUNS:
        return sp
    if last in _NON_NOMINAL or last in _NO_NOUN or last.endswith("ly") or _is_time_phrase(sp) \
            or any(w.lower() in _NEGATIVE for w in words):
        return None
    return sp


def plausible_speaker(sp: str | None) -> str | None:
    """The speaker without the punctuation around it, or None when it is no speaker at all: a negated noun
    phrase, function words only, or a bare number that is no count of people ("2014", "403.54")."""
    if not sp:
        return None
    if sp[0] in _SPEAKER_HEAD or sp[-1] in _SPEAKER_TAIL or sp[-1] in _CLOSERS:
        sp = sp.lstrip(_SPEAKER_HEAD).rstrip(_SPEAKER_TAIL)
        # a closing bracket whose opening one is not in the speaker
        while sp and sp[-1] in _CLOSERS and sp.count(sp[-1]) > sp.count(_OPENERS[_CLOSERS.index(sp[-1])]):
            sp = sp[:-1].rstrip(_SPEAKER_TAIL)
        if not sp:
            return None
    head, *tail = sp.split(None, 1)
    rest = tail[0] if tail else ""
    first = head.lower()
    if first in _NEGATIVE:
        words = rest.split(None, 1)
        if first == "no" and len(words) > 1 and words[0].lower() in ("wonder", "doubt"):
            return plausible_speaker(words[1])  # "No wonder Trump said": an adverb, not a negated subject
        return None  # also "no one"
    if (first in _NON_NOMINAL or (first in ("it", "there") and rest)) and _NO_NOUN.issuperset(rest.lower().split()):
        return None  # also "The most", and "It has been", "There was": an impersonal subject before a passive
    if not sp[0].isalpha() and not _LETTER.search(sp) and not sp.endswith("%"):
        return None  # a year or a figure; a share of those polled ("42% say") is kept
    if not rest and first.rstrip(".") in _BARE_TITLES:
        return None  # "Mr", "Dr": a name cut at its title's period
    return _not_a_fragment(sp)


@dataclass
class RawClaim:
    start: int
    end: int
    speaker: str | None
    cue: str | None
    rule: str
    confidence: float
    chain: list[str] = field(default_factory=list)
    is_quote: bool = False
    descriptor: str | None = None
    speaker_pos: int = -1  # where the speaker starts in the body (for resolution order)
    resolved: str | None = None  # known antecedent of a relative-pronoun speaker ("X, who said")


def _strip_span(body: str, s: int, e: int, chars: str = _WS + ",.;:") -> tuple[int, int]:
    while s < e and body[s] in chars:
        s += 1
    while e > s and body[e - 1] in chars:
        e -= 1
    return s, e


def _strip_that(body: str, s: int, e: int) -> int:
    """Where the content starts after a cue: past "that", and past how or when it was said when a "that"
    follows ("said in a statement on its website that ...", "said on Tuesday that ...")."""
    lead = _HOW_OR_WHEN_SAID.match(body, s, min(e, s + 160))
    if lead:
        s = lead.end()
    m = _THAT.match(body[s:min(e, s + 12)])
    return s + m.end() if m else s


_RELATIVE = frozenset({"who", "which"})
_HEDGE_OPINION = word_set("claim_words.txt", "hedge_opinion")
# Opening words that name no one: pronouns, indefinite and demonstrative determiners, quantifiers, "people" (a
# definite description, "the envoy", is someone the text has in view)
_UNNAMED_OPENERS = frozenset("""he she it they you one who which this that these those a an some many most several
all both his her their its our my your people everyone everybody someone somebody nobody others other few""".split())
_SUBJECT_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "who", "which"})
# Sentence adverbials that open a sentence and are followed by a comma: never a speaker.
_DISCOURSE = frozenset("""instead however meanwhile indeed still yet later earlier then also moreover furthermore
    besides nevertheless nonetheless so thus therefore even what's what’s but and or now today yesterday
    separately similarly likewise finally first second third last overall specifically ultimately
    previously recently additionally in on at after before during since for by with without when while
    as although though because if once""".split())
_LY_TAIL = re.compile(r"^(?P<head>.*?\b(?:he|she|it|they|we|I|who|which|[A-Z][\w.'’-]*))\s+[a-z][a-z-]{2,}ly$")


def _strip_aux_tail(text: str) -> str:
    """Drop trailing auxiliaries and adverbs: "X has also" -> "X"; but "Theresa May also" -> "Theresa May": a
    capitalised word after a name is a name, not a modal (unless a verb follows it: "Trump May Not Have")."""
    kept = _aux_stripped(text)
    removed = text[len(kept):]
    first, *rest = removed.split(None, 2) or [""]
    if first[:1].isupper() and kept[-1:].isalpha() and kept.split()[-1][:1].isupper() \
            and (not rest or rest[0].lower() not in gz.AFTER_A_MODAL):
        return kept + removed[:removed.index(first) + len(first)]
    return kept


def _aux_stripped(text: str) -> str:
    """``_AUX_TAIL.sub("", text)``. The regex, tried at every space of a long left context, is slow; most texts
    are ruled out by their last words first."""
    if not _may_end_in_aux(text):
        return text
    cut = max(0, len(text) - _AUX_WINDOW)
    return text[:cut] + _AUX_TAIL.sub("", text[cut:])


def _may_end_in_aux(text: str) -> bool:
    """False when ``text`` cannot end with one of _AUX_WORDS / _AUX_PHRASES, judged by its last words (a
    phrase spans four at most: "on June 5, 2020", "in a phone interview")."""
    if not text.isascii() and cues.CASE_ODDITIES.search(text):
        return True  # letters the case-insensitive regex matches but lower() does not give
    words = text.rsplit(None, 4)[-4:]
    if not words:
        return False
    last = words[-1].lower()
    return (last in _AUX_WORD_SET  # a word, or "has also"
            or last.endswith(("n't", "n’t"))  # "didn't", "hasn’t"
            or last.endswith("day")  # "on Monday", "yesterday", "today"
            or last[-1].isdigit()  # "on June 5", "on June 5, 2020"
            or any(w.lower() == "in" for w in words[-4:-2]))  # "in a statement", "in a phone interview"


def _ly_tail(text: str) -> str:
    """Drop a trailing adverb after a pronoun or a name: "it proudly", "Trump repeatedly"."""
    if not text.endswith(("ly", "ly\n")):
        return text  # the pattern ends in "ly" (before a final line break at most)
    m = _LY_TAIL.match(text)
    if not m:
        # "The navy initially": a common noun before a known sentence adverb
        words = text.rsplit(None, 1)
        if len(words) == 2 and words[1].lower() in _SENTENCE_ADVERBS:
            return words[0]
        return text
    if _DETERMINER_START.fullmatch(m.group("head").split()[-1]):
        return text  # "The family", "A daily": the -ly word is the noun
    return m.group("head")


_SENTENCE_ADVERBS = word_set("claim_words.txt", "sentence_adverbs")


_FINITE = frozenset("""has had have was is were are will would also did does do can could may might
    should must then later first""".split())


def _leading_subject(head: str) -> str:
    """The noun phrase before the first finite verb: "A spokesman for the firm declined to ..." -> "A
    spokesman for the firm". Verbs are guessed: an -ed word or an auxiliary after at least one word."""
    words = head.split()
    if len(words) > 1 and words[0].lower() in ("but", "and", "yet", "so", "or"):
        words = words[1:]  # "But the court overruled and said ..."
        head = " ".join(words)
        if words[0].lower() in ("he", "she", "they", "we", "i"):
            return words[0]
    for i, w in enumerate(words[:14]):
        lw = w.lower().strip(",")
        if i and w[:1].islower() and (lw in _FINITE or (lw.endswith("ed") and len(lw) > 3
                                                        and words[i - 1].lower() not in _OBJECT_OPENERS)):
            # ("The retired neurosurgeon has ...": an -ed word after a determiner is an adjective)
            np = " ".join(words[:i])
            if words[0][:1].isupper() or words[0].lower() in ("the", "a", "an") \
                    or (i == 1 and words[0].lower() in ("he", "she", "they", "we", "i")):
                return np
            return ""
    m = _LEADING_SUBJECT.match(head)
    sub = m.group().strip() if m else ""
    return "" if _DETERMINER_START.fullmatch(sub) else sub


_ADVERBIAL_PREPOSITIONS = frozenset("on in at during after before since by for with from under amid despite following "
                                    "throughout within".split())


def _opening_adverbial(chunk: str) -> bool:
    """"Hours later", "Earlier this week", "On Sunday", "Publicly": what opens a sentence before its subject."""
    words = chunk.split()
    if not words or len(words) > 6:
        return False
    lows = [w.lower() for w in words]
    return lows[0] in _ADVERBIAL_PREPOSITIONS or lows[-1] in ("later", "earlier", "ago", "afterward", "afterwards") \
        or _is_time_phrase(chunk) or len(words) == 1 and (lows[0] in _SENTENCE_ADVERBS or lows[0] in _OPENING_ADVERBS)


def _clause_subject(left: str) -> tuple[str, int]:
    """The subject of a sentence's main clause, skipping opening adverbials ("On Sunday, X issued ...")."""
    off = 0
    text = left
    for _ in range(3):
        head = text.lstrip()
        fw = head.split(None, 1)[0].lower().strip(",") if head.split() else ""
        comma = text.find(",")
        if 0 < comma < 60 and (fw in _DISCOURSE or _opening_adverbial(text[:comma])):
            off += comma + 1
            text = text[comma + 1:]
            continue
        break
    lead = len(text) - len(text.lstrip())
    subj = plausible_speaker(_ly_tail(_leading_subject(text.strip()).rstrip(","))) or ""
    if not subj or len(subj.split()) > 12 or subj.split()[0].lower() in _DISCOURSE:
        return "", 0
    return subj, off + lead


# An approximate share or count opening a speaker: "about half of the voters", "about 40 percent of those polled".
_ABOUT_QUANTITY = re.compile(r"about\s+(?:\d|half\b|a\s+(?:third|quarter|fifth|fourth|dozen)\b|(?:one|two|three|four|"
                             r"five|six|seven|eight|nine|ten)\b|(?:two|three)-(?:thirds|quarters|fifths)\b)", re.I)
# Where a long noun phrase's head ends: a relative clause, a participle, an agent or a dash ("a poll of 400 voters
# released on Friday by X", "a person who attended", "the Tax Policy Center - half a point of GDP").
_NP_MODIFIER = re.compile(r"\s(?:who|whom|whose|which|that|by|among|between|during|since|"
                          r"[a-z]{3,}(?:ed|ing)(?=(?:\s+\S+){3}))\s")  # a participle with three more words
_DASH_CUT = re.compile(r"\s(?:-|--|—|–)\s")
# A dashed aside right before the cue: "insiders in two states — Nevada and Ohio — said".
_DASH_ASIDE = re.compile(r"\s(?:[—–]|--)\s?[^—–\n]{1,100}?\s?(?:[—–]|--)\s*$")
# A comma-separated part opening with one of these modifies the part before it ("X, about Y, said").
_PP_START = frozenset("about for in of on at with from by among including like such".split())
# An opening adverbial before a pronoun subject: "On Monday he said".
_LEADING_PREP = frozenset("on in at during after before since by for with from".split())
# "nor did he report ...": an auxiliary inverted after "nor"/"neither".
_INVERTING_AUX = frozenset("did does do has have had is are was were will would could can should".split())


def _after_last_cut(text: str) -> str:
    """What follows the last clause boundary ("Accurate or not" -> "not"), or the text if it has none."""
    cuts = list(_CLAUSE_CUT.finditer(text))
    return (text[cuts[-1].end():].strip(_WS) or text) if cuts else text


def _after_open_bracket(text: str) -> str:
    """What follows the last bracket left open: "... (He further noted" -> "He further noted"; the speaker of
    a cue inside a bracketed aside or editorial note starts after its opening mark."""
    i = max(text.rfind("("), text.rfind("["), text.rfind("{"))
    if i < 0 or _CLOSERS[_OPENERS.index(text[i])] in text[i:]:
        return text
    return text[i + 1:]


def _head_noun_phrase(sp: str) -> str:
    """A long speaker cut before its first relative clause, participle or dash when that leaves its head."""
    m = _NP_MODIFIER.search(sp, 1)
    head = sp[:m.start()] if m else ""
    d = _DASH_CUT.search(sp, 1)
    if d and (not head or d.start() < len(head)):
        head = sp[:d.start()]
    return head if 2 <= len(head.split()) <= 12 else sp


_TIME_NOUNS = frozenset("day days week weeks month months year morning afternoon evening night weekend".split())
_TIME_OPENERS = frozenset("the that this later earlier next last same following previous one".split())


def _is_time_phrase(text: str) -> bool:
    """ "The following day", "Later that week": an opening adverbial, not a name before its apposition."""
    words = text.lower().split()
    return 2 <= len(words) <= 4 and words[0] in _TIME_OPENERS and words[-1] in _TIME_NOUNS


def _names_someone(text: str) -> bool:
    """A noun phrase with a name in it: "Reuters", "the Lebanese daily Al-Akhbar"."""
    return any(word[:1].isupper() for word in text.split())


def _is_clock_time(word: str) -> bool:
    """"16.06", "07:49", "0.30": a time of day written as hours, a point or colon, and minutes."""
    hours, sep, minutes = word.replace(":", ".").partition(".")
    return bool(sep) and hours.isascii() and hours.isdigit() and len(hours) <= 2 and int(hours) < 24 \
        and minutes.isascii() and minutes.isdigit() and len(minutes) == 2 and int(minutes) < 60


def _clean_speaker(text: str) -> tuple[str | None, str | None]:
    """Trim a left context down to the speaker noun phrase; return (speaker, apposition descriptor)."""
    sp, desc = _trim_speaker(text)
    if sp is None:
        return _name_then_appositions(text)
    return sp, desc


# A name opening a left context, then only appositions set off by commas: "Elward Edd, an official at the Hopi
# Tribal Housing Authority in Arizona, which has a backlog of 500 homes, [said]".
_OPENING_NAME = re.compile(r"\s*(?:(?:But|And|Yet|Still|Meanwhile|However|Now)\s+)?"
                           r"(?P<name>(?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w'’-]+)\s*,")
_APPOSITION_OPENERS = frozenset("a an the who which whose his her their its one another now then once also "
                                "himself herself".split())


def _name_then_appositions(text: str) -> tuple[str | None, str | None]:
    """The name when a left context is a name and its appositions, each closed by a comma, however long they
    are (the parse in _trim_speaker keeps at most one short apposition). The appositions are the descriptor."""
    t = _strip_aux_tail(text).rstrip(" \"'”’“")
    if not t.endswith(","):
        return None, None  # "X, who led the group that said": the clause before the cue is not closed
    m = _OPENING_NAME.match(t)
    if m is None or len(t) - m.end() < 4:
        return None, None
    name = m.group("name")
    words = name.split()
    if words[0] in _SENTENCE_OPENERS or words[0].lower() in _DISCOURSE or words[0].lower() in _LEADING_PREP \
            or name in gz.PLACES or words[-1] in gz.MONTHS or words[-1].lower() in gz.WEEKDAYS \
            or len(words) == 1 and name.lower() in _SUBJECT_PRONOUNS:
        return None, None
    rest = t[m.end():].strip(" ,")
    age = re.match(r"\d{1,3}\s*,\s*", rest)
    if age:
        rest = rest[age.end():]  # "Jo Roe, 40, a retiree from ...": the age aside
    first = rest.split(None, 1)[0].lower() if rest else ""
    # each apposition describes the name: a role or a relative clause, not a new clause ("X, he said")
    if not (first in _APPOSITION_OPENERS or rest[:1].islower() and first not in _SUBJECT_PRONOUNS
            and first not in _CLAUSE_OPENERS and first not in _PP_START and first not in _LEADING_PREP
            and not first.endswith("ing")):
        return None, None
    sp = _not_a_fragment(plausible_speaker(name))
    return (sp, rest) if sp and sp == name else (None, None)


_SENTENCE_OPENERS = frozenset("But And Or So Yet Then Still Meanwhile However Instead Later Earlier Now Today "
                              "Yesterday Last Next This That These Those When While Although Though Because If Since "
                              "Asked In On At After Before During For With From By As".split())


def _named_after_cut(text: str) -> bool:
    """A clause boundary, then a capitalised name closing the text: "the DJ sacked after Taylor Swift"."""
    cuts = list(_CLAUSE_CUT.finditer(text))
    if not cuts or cuts[-1].group().lower() in ("and", "or", "that", "which"):
        return False
    tail = text[cuts[-1].end():].strip(_WS).split()
    return 1 <= len(tail) <= 4 and all(w[:1].isupper() for w in tail)


_COMPANY_SUFFIXES = frozenset("inc ltd llc llp corp co plc lp l.p s.a n.v ag gmbh".split())


def _company_suffixes_joined(parts: list[str]) -> list[str]:
    """A company's legal suffix set off by a comma stays with its name: "Raymond James Financial Services,
    Inc., announced" is the firm's announcement (and its director's, before it), not "Inc"'s."""
    out: list[str] = []
    for part in parts:
        if out and part.rstrip(".").lower() in _COMPANY_SUFFIXES and out[-1][-1:].isalpha():
            out[-1] += ", " + part
        else:
            out.append(part)
    return out


def _trim_speaker(text: str) -> tuple[str | None, str | None]:
    opening, _, rest = text.lstrip().partition(" ")
    if rest and _is_clock_time(opening):
        text = rest  # a live blog's entry time: "16.06 Indonesian authorities said" is the authorities'
    special = _SPECIAL.search(text) is not None  # markup, a bracket or a dash: rare, and looked at only then
    if special and "<" in text:
        text = _TAG.sub(" ", text)
        i = text.rfind("<")
        if i >= 0 and (text[i + 1:i + 2].isalpha() or text[i + 1:i + 2] == "/"):
            return None, None  # the cue is inside markup: "<tweet author=... >"
    if special:
        text = _after_open_bracket(_BRACKETS.sub(" ", text))
        if "—" in text or "–" in text or "--" in text:
            text = _DASH_ASIDE.sub(" ", text)
    closed = text.rstrip(" \"'”’“").endswith(",")  # "X, who ..., said": the clause before the cue is closed
    text = _strip_aux_tail(text).rstrip(" ,\"'”’“")
    text = _ly_tail(text)
    if not text.strip():
        return None, None
    raw_parts = _COMMA_SPLIT.split(text)
    # '"It's unanimous," councilmember Mark Levine said': the part before is a quotation, not a name in
    # apposition (a quoted name in title case is: '"Iraqi Minister," an anonymous account')
    quoted_before = len(raw_parts) >= 2 and raw_parts[-1].lstrip()[:1] in "\"”’'"
    parts = [p.strip(_WS) for p in raw_parts]  # not inside a figure: "10,000 militants"
    parts = [p for p in parts if p.strip() and not p.isdigit()]  # "Jo Smith, 58, a retiree, said": ages aside
    if len(parts) >= 2:
        parts = _company_suffixes_joined(parts)
    aside = None
    if len(parts) >= 2:
        n = len(parts)
        parts = _drop_home_tags(parts)
        lw0 = parts[-1].split()[0] if len(parts) < n and len(parts) >= 2 else ""
        if closed and lw0.endswith("ing") and lw0.islower() and lw0 not in _ING_ADJECTIVES and len(lw0) > 5:
            # "officials familiar with ... in Chappaqua, N.Y., speaking on the condition of anonymity, said":
            # what the person was doing, after where they are from
            aside = parts.pop()
    # interjected single words: "Clinton, exasperated, famously responded"
    while len(parts) >= 2 and len(parts[-1].split()) == 1 and parts[-1][:1].islower() \
            and parts[-1].lower() not in _SUBJECT_PRONOUNS and parts[-1].lower() not in ("and", "but", "yet", "or"):
        parts.pop()
    # a trailing prepositional phrase modifies what comes before: "X, the author of Y, about Z, said" / "X, for
    # example, said"
    while closed and len(parts) >= 2 and parts[-1].split(None, 1)[0].lower() in _PP_START \
            and len(parts[-1].split()) <= 8 and not _CLAUSE_CUT.search(parts[-1]):
        parts.pop()
    if not parts:
        return None, None
    last = parts[-1]
    descriptor = None
    lw = last.split()
    first = lw[0].lower() if lw else ""
    if len(lw) >= 2 and lw[-1].lower() in _RELATIVE:
        return lw[-1], None  # "a coalition of unions who feared ...": resolved to the antecedent later
    if len(parts) >= 2 and first in _RELATIVE and not closed:
        if len(lw) >= 2 and (lw[1].lower() in _SUBJECT_PRONOUNS or first == "which" and (
                lw[1][:1].isupper() or lw[1].lower() in _SUBJECT_OPENERS)):
            # "the vote, which she has repeatedly said was a mistake", "independents, which Democrats say
            # ...": the relative is the object; the subject after it speaks
            inner = plausible_speaker(" ".join(lw[1:]))
            return (inner, None) if inner else (None, None)
        # "Clinton, who once praised ...": the relative pronoun is the speaker as written (resolved later
        # to its antecedent)
        return lw[0], None
    if len(parts) >= 2 and first in _RELATIVE and closed and _names_someone(parts[-2]) \
            and len(parts[-2].split()) <= 6:
        # "the Lebanese daily Al-Akhbar, which is close to Hizbullah, reported"
        descriptor, last = last, parts[-2]
    # Apposition: "Shafaq News, anti-Iran Iraqi news website," / "\"Iraqi Minister,\" an anonymous account"
    elif len(parts) >= 2 and last[:1].islower() and parts[-2][:1].isupper() and len(parts[-2].split()) <= 6 \
            and first not in _SUBJECT_PRONOUNS and first not in _CLAUSE_OPENERS \
            and parts[-2].split()[0].lower() not in _DISCOURSE \
            and not _is_time_phrase(parts[-2]) \
            and plausible_speaker(parts[-2]) \
            and not (quoted_before and not all(w[:1].isupper() for w in parts[-2].split())) \
            and (not _CLAUSE_CUT.search(parts[-2]) or plausible_speaker(_after_last_cut(parts[-2]))) \
            and not (not closed and _named_after_cut(last)):
        # (not "David Mueller, the DJ sacked after Taylor Swift [complained]": an apposition left open by a
        # clause is the cue's own subject, Taylor Swift)
        descriptor, last = last, parts[-2]
    # Cut at the last clause boundary inside the chunk.
    cuts = list(_CLAUSE_CUT.finditer(last))
    if cuts:
        tail = last[cuts[-1].end():].strip(_WS)
        if tail:
            last = tail
        elif cuts[-1].group().lower() in ("and", "but"):
            # "X met Y and said ...": the subject of the first verb speaks ("X did not ..., but told ...": the
            # clause before the comma)
            head = last[: cuts[-1].start()].strip(_WS)
            if not head and len(parts) >= 2:
                head = parts[-2]
            last = _leading_subject(head)
        elif cuts[-1].group().lower() == "that" and cuts[-1].start() > 0:
            # "a Web video that accuses Cruz of ...": the relative's antecedent speaks
            last = last[: cuts[-1].start()].strip(_WS)
            last = _after_last_cut(last) if _CLAUSE_CUT.search(last) else last
            ws = last.split()
            dets = [i for i, w in enumerate(ws) if w.lower() in ("a", "an", "the", "this", "these", "those")]
            if dets and dets[-1] > 0:
                last = " ".join(ws[dets[-1]:])  # "The campaign has released a Web video": the noun phrase last
            elif len(ws) > 3:
                # "Karenga was quick to criticize Nigerian newspapers that claimed ...": the names or plural
                # nouns closing the clause
                k = len(ws)
                while k > 0 and (ws[k - 1][:1].isupper() or ws[k - 1].lower().endswith("s") and len(ws[k - 1]) > 3):
                    k -= 1
                if 0 < k < len(ws) and ws[k - 1].lower() not in _PP_START | {"to"}:
                    last = " ".join(ws[k:])  # (not "data from Malaysia": the place closes a phrase)
        else:
            last = ""
    last = last.strip(_WS + ",.")
    words = last.split()
    if not words:
        return None, None
    w0 = words[0].lower()
    if w0 in _LEADING_PREP and len(words) > 1 and words[-1].lower() in ("he", "she", "they", "we", "i"):
        last, words, w0 = words[-1], words[-1:], words[-1].lower()  # "On Monday he said": an opening adverbial
    elif w0 in ("nor", "neither") and len(words) > 2 and words[1].lower() in _INVERTING_AUX:
        # "nor did he report ...": the verb is negated, not its subject
        last, words = " ".join(words[2:]), words[2:]
        w0 = words[0].lower()
    if len(words) > 14:
        last = _head_noun_phrase(last)
        words = last.split()
        w0 = words[0].lower()
    if len(words) > 14:
        return None, None
    if w0 in ("on", "in", "at", "by", "for", "of", "to", "from", "with", "about") \
            and not _ABOUT_QUANTITY.match(last):  # "about half of the voters said"
        return None, None
    last = _not_a_fragment(plausible_speaker(last))
    return (last, descriptor or aside) if last else (None, None)


def _lone_ing_name(text: str) -> str | None:
    """"Schilling said", '"...," Ebeling said': a participle opens a clause with more after it ("Listing his
    ventures, she said"), so a lone capitalised word ending in -ing right before a verb of saying is a name."""
    name = text.strip(_WS + ",")
    if name[:1].isupper() and name.endswith("ing") and name.isalpha() and len(name) > 5 \
            and name.lower() not in cues.FORMS and name.lower() not in _THINGS and name.lower() not in _DISCOURSE:
        return name
    return None


# "R-Fla.", "D-N.Y.", "R -S.C.", "I-Vt.": a member of Congress's party and state, set off by commas after the name.
_PARTY_TAG = re.compile(r"[RDI]\s?-\s?[A-Z][\w.]*(?:\s[A-Z][\w.]*)?\.?")
# "Representative Steve Cohen, Democrat of Tennessee,": the same in words.
_PARTY_OF = re.compile(r"(?:Democrat|Republican|Independent)\s+(?:of|from)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?\.?")
_STATE_ABBREVIATIONS = word_set("claim_words.txt", "state_abbreviations")
# A town written before its state: "of Flint", "a delegate from Houston", "retired in Cambridge", "Chappaqua".
_TOWN_BEFORE = re.compile(r"(?:^|\b(?:of|from|in|near)\s+)(?:[A-Z][\w.'’-]*\s+){0,2}[A-Z][\w.'’-]*$")


_REGIONS = frozenset("Africa America Americas Asia Australia Europe Oceania Antarctica".split())


def is_home_tag(part: str, before: str) -> bool:
    """``part`` says where the person written before it is from: a party and state ("Sen. Marco Rubio,
    R-Fla.,") or the state after a town ("Cory James, 22, of Flint, Mich.,", "a delegate from Houston,
    Texas,"). Not a speaker, and not who the speaker is."""
    if _PARTY_TAG.fullmatch(part) or _PARTY_OF.fullmatch(part):
        return before[-1:].isalpha() and before.split()[-1][:1].isupper()
    state = part.rstrip(".")
    if state in _STATE_ABBREVIATIONS or state in gz.PLACES and len(state.split()) <= 2:
        town = _TOWN_BEFORE.search(before)
        # "Friday, Texas, leading a coalition": a day or a date is no town; "reports from Asia, Europe": two
        # regions, not a town and its state
        last = before.split()[-1]
        return town is not None and not _is_time_phrase(town.group()) and last not in gz.MONTHS \
            and last.lower() not in gz.WEEKDAYS and last not in gz.COUNTRIES and last not in _REGIONS
    return False


def _drop_home_tags(parts: list[str]) -> list[str]:
    """The parts of a left context without home tags (see is_home_tag): "Sen. Marco Rubio, R-Fla., appearing
    on Fox News, said" reads as "Sen. Marco Rubio, appearing on Fox News, said"."""
    out = [parts[0]]
    for part in parts[1:]:
        if not is_home_tag(part, out[-1]):
            out.append(part)
        elif len(out) >= 2 and out[-1].split(None, 1)[0].lower() in ("of", "from", "in"):
            out.pop()  # "Eddie Foreman, 40, of Opelika, Alabama, who ...": the town goes with its state
    return out


# A comma that separates parts of a left context; one between digits groups a figure's thousands.
_COMMA_SPLIT = re.compile(r"(?<!\d),|,(?!\d{3}\b)")
_FRAGMENT_AUX = frozenset("""is was are were has have had will would can could does did do shall should may might been
    must isn't wasn't aren't weren't hasn't haven't hadn't won't wouldn't can't couldn't doesn't didn't don't
    isn’t wasn’t aren’t weren’t hasn’t haven’t hadn’t won’t wouldn’t can’t couldn’t doesn’t didn’t don’t""".split())
_WH = frozenset("what why how whether where when whatever whoever".split())
# Verbs that take a thing, not a proposition: "who praised the deal", "which slammed the move".
_EVALUATIVE = word_set("claim_words.txt", "evaluative_verbs")
_POSSESSOR = re.compile(r"^((?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w-]*)['’]s\b")
_CONTRACTED = re.compile(r"['’](?:ve|d|ll|re|m|s)$", re.I)
# What a speaker issues "saying ...": "a statement saying", "a video claiming".
_STATEMENT_NOUNS = word_set("claim_words.txt", "statement_nouns")
_OPENING_PREPOSITIONS = frozenset("prior according despite amid following during since because".split())
# Lowercase words that name a group who can speak without a determiner ("police said", "staff say").
_COLLECTIVES = word_set("claim_words.txt", "collectives")


def _has_actor_head(words: list[str]) -> bool:
    """An all-lowercase speaker is an actor when it is a pronoun, opens with a determiner or a quantifier
    ("the ministry", "some residents"), or ends in a plural, a person noun or a group ("senior officials",
    "party spokesman", "local police")."""
    first = words[0].lower()
    if first in _SUBJECT_PRONOUNS or first in _SUBJECT_OPENERS or first in _NON_NOMINAL or first in _NO_NOUN \
            or first in _NEGATIVE or first.isdigit() or first in ("another", "one", "each", "every", "no", "either"):
        return True
    if first[:1].isdigit() or first.endswith(("%", "'s", "’s")):
        return True
    # the head may come before its modifier: "officials familiar with the system", "people close to the talks"
    return any((w.endswith("s") and len(w) > 3 and not w.endswith(("ss", "us", "is"))) or w in _COLLECTIVES
               or w in _PERSON_WORDS or w in _PERSON_SINGULARS
               for w in (x.lower().strip(_WS + ",.") for x in words))


_PERSON_SINGULARS = word_set("claim_words.txt", "person_nouns")
_PRONOUN_COMPANIONS = frozenset("both all each alone too himself herself themselves itself myself ourselves".split())
_INTERJECTIONS = frozenset("yes yeah oh ok okay well sure hey thanks please wow".split())
_POSSESSIVES = frozenset("his her their its".split())
# Words before "his"/"her" that are no verb: prepositions, conjunctions ("Trump, during his speech")
_NOT_VERBS_BEFORE_POSSESSIVE = frozenset("""about for in of on at with from by among including like such during after
    before since under amid despite following and or but nor to into onto over without within across against toward
    towards through throughout near via per than as whose who whom which that""".split())
_PARTICLES = frozenset("up out off down back away over".split())
_OBJECT_OPENERS = frozenset("a an the his her their its this that these those".split())
_THINGS = frozenset("something anything nothing everything".split())
_ING_ADJECTIVES = word_set("claim_words.txt", "ing_adjectives")
_TIME_WORDS = frozenset("day days week weeks month months year years morning afternoon evening night weekend".split())
_SAYS = frozenset("said says say told tells show shows showed suggest suggests suggested".split())
_CLEFT = frozenset("here's here’s there's there’s that's that’s".split())
_SUBJECT_OPENERS = frozenset("the a an this that these those some many most several all both his her their its our".split())
_REL_BEFORE_VERB = frozenset("who that which whom whose".split())
_PRONOUN_SUBJECTS = frozenset("he she they we i it".split())


_COMPARATIVE_OPENERS = frozenset("better worse more even".split())
# Linking verbs in -s, never a plural noun inside a speaker ("officials familiar with" is one, "mobility
# remains low" is a clause)
_LINKING_VERBS = frozenset("remains seems appears becomes stays looks sounds feels".split())
_OPENING_ADVERBS = frozenset("frankly simply honestly clearly obviously offstage onstage privately publicly hours "
                             "minutes days weeks months years early indeed revealed contributing".split())


def _not_a_fragment(sp: str | None) -> str | None:
    """A speaker is an actor, not a piece of a clause. A participial opener ("Explaining why he") heads no
    claim: None. After a question word or a cleft the embedded clause's subject speaks ("what Newt Gingrich
    called", "When Trump"). Before a finite verb the noun phrase is the subject ("Texas Sen. Ted Cruz is making
    a pitch ... saying"), but a negated verb asserts nothing ("The Israeli government has previously
    neither"). A phrase closed by a subject pronoun ("candidate Hillary Clinton said Wednesday she") has that
    pronoun as its speaker."""
    if not sp:
        return sp
    words = sp.split()
    w0 = words[0].lower()
    if w0 in ("who", "which") and len(words) > 1 and words[0][:1].islower():
        return words[0]  # "who was the first to tweet ...": the relative speaks, resolved to its antecedent
    if len(words) == 2 and words[1].lower() in ("yet", "still") and w0 in _COMPARATIVE_OPENERS:
        return None  # "Better yet, add live chat": a discourse adverbial before an imperative
    if any(w in _LINKING_VERBS for w in words[1:-1]):
        return None  # "That mobility remains low [suggests ...]": a clause is the subject, nobody speaks
    if not any(ch.isupper() for ch in sp) and not _has_actor_head(words):
        return None  # "weaker", "sophomoric bromance": no name, no determiner, no person or group noun
    if len(words) >= 2 and words[-1][:1].islower() and words[-1].lower().endswith("ed") \
            and words[-2].lower() not in _OBJECT_OPENERS:
        return None  # "The clampdown backfired": a clause ending in its verb
    if w0 in _OPENING_PREPOSITIONS and not words[-1][:1].isupper():
        return None  # "Prior to the publication of the report": an adverbial
    if len(words) == 1 and words[0][:1].isupper() and w0.endswith("ing") and len(w0) > 5 \
            and w0 not in _ING_ADJECTIVES:
        return None  # "Listing": a participle opening the sentence
    if len(words) == 1 and w0.endswith(("ed", "ing")) and w0 in cues.FORMS:
        return None  # "Asked", "Speaking": a participle opening a sentence, nobody
    if len(words) == 1 and (w0 in _SENTENCE_ADVERBS or w0 in _DISCOURSE or w0 in _OPENING_ADVERBS):
        return None  # "Publicly, the nominee feuds ...", "Hours later, Trump ...": an opening adverbial, nobody
    if len(words) > 2 and (w0 in _DISCOURSE or w0 in _LEADING_PREP) and words[-1][:1].isupper():
        nm = _NAME_AT_END.search(" " + sp)
        if nm and nm.group(1).split()[0].lower() not in _DISCOURSE | _LEADING_PREP:
            return nm.group(1)  # "However on March 6 Mr Joseph": an opening adverbial, then the name
    if words[0][:1].islower() and (w0 in _FRAGMENT_AUX or w0 in _THINGS or (
            w0.endswith("ing") and w0 not in _ING_ADJECTIVES)):
        return None  # "has drawn huge crowds", "saying the majority ...", "something many Republicans"
    if w0 in _PRONOUN_SUBJECTS and len(words) > 2 and words[1].lower() not in _PRONOUN_COMPANIONS:
        return None  # "it flew through a line of thunderstorms": a clause, its subject a pronoun
    if len(words) == 1 and w0.strip(",.!") in _INTERJECTIONS:
        return None  # "Yes, [it would] make it possible ...": an answer, nobody
    if len(words) == 1 and _CONTRACTED.search(w0):
        bare = _CONTRACTED.sub("", words[0])
        return bare if bare.lower() in _PRONOUN_SUBJECTS - {"it"} else None  # "It’s": impersonal, nobody
    if len(words) == 1:
        return sp
    if words[0][:1].isupper() and w0.endswith("ing") and len(w0) > 5 and w0 not in _ING_ADJECTIVES:
        # "Listing his ventures she [added]": the subject after the participial clause speaks; "Explaining why
        # he [believes ...]" is inside the participial clause: nobody
        lows0 = [w.lower() for w in words]
        if lows0[-1] in _PRONOUN_SUBJECTS and not _WH.intersection(lows0):
            return words[-1]
        return None
    if words[0][:1].islower() and w0.endswith("ed") and words[1].lower() == "by":
        return None  # "defined by Washington": a passive participle
    for i in range(1, len(words) - 1):
        if words[i].endswith("ed") and words[i][:1].islower() and words[i + 1].lower() in _OBJECT_OPENERS | _PARTICLES \
                and (words[0].lower() not in _SUBJECT_OPENERS | {"who", "which", "that"} or words[i - 1].isupper()) \
                and not _REL_BEFORE_VERB.intersection(w.lower() for w in words[:i]):
            # "David Duke invented a holiday", "Politico followed up on", "the FAA deployed a bunch of sensors":
            # a clause with its verb
            return None
    for i in range(1, len(words) - 1):
        if words[i + 1].lower() in _POSSESSIVES and words[i][:1].islower() and words[i].isalpha() \
                and words[i].lower() not in _NOT_VERBS_BEFORE_POSSESSIVE \
                and (words[i - 1][:1].isupper() or words[i - 1].endswith("ly")):
            return None  # "David Mueller previously lost his countersuit": a clause with its verb and object
    if words[-1].lower() in ("to", "of", "for", "with", "by", "the", "a", "an", "in", "on", "at", "from", "about"):
        return None  # "Clinton seems to": the verb of the clause is elsewhere
    if words[-1].lower() in ("you", "me", "us", "him", "them") and (
            words[-1].lower() == "you" or len(words) < 3 or words[-2].lower() not in _PP_START | {"to", "near"}):
        return None  # "which poll you [believe]", "Let me [say]": generic "you" or an object is nobody
    if words[-1][:1].islower() and words[-1].lower().endswith("ing") and words[-1].lower() not in _ING_ADJECTIVES \
            and not (words[-2].endswith(("'s", "’s")) or words[-2].lower() in ("his", "her", "their", "its")):
        # "Rubio's team winning": a gerund clause ("a source familiar with Cruz's thinking": a noun)
        return None
    if sp.islower() and (words[-1].endswith("ly") or words[-1] in _TIME_WORDS):
        return None  # "so clearly", "this past week": an adverbial
    lows = [w.lower().strip(_WS + ",.") for w in words]
    last = _CONTRACTED.sub("", lows[-1])
    if last in _PRONOUN_SUBJECTS and lows[-2] not in ("of", "and", "or"):
        return _CONTRACTED.sub("", words[-1].strip(_WS + ",."))  # "everything I've" -> "I"
    if lows[0] in _SAYS and words[0][:1].islower():
        if lows[1] in _PP_START or lows[1] in _LEADING_PREP:
            return None  # "said on a media [call]": an adverbial after the verb, nobody
        return _not_a_fragment(plausible_speaker(" ".join(words[1:])))  # "said the prime minister"
    says = [i for i in range(1, len(lows) - 1) if lows[i] in _SAYS]
    if says:
        # "Previously unseen papers show Mrs Thatcher [told ...]", "Podesta said Gates [denied ...]": the cue
        # that follows is the embedded clause's, whose subject comes after the verb
        tail = " ".join(words[says[-1] + 1:])
        inner = plausible_speaker(tail)
        if inner and (inner[:1].isupper() or inner.split()[0].lower() in _SUBJECT_OPENERS | _PRONOUN_SUBJECTS):
            return inner
        return None
    for i, w in enumerate(lows):
        if (w in _WH or w in _CLEFT) and words[i][:1].islower() or (i == 0 and w in _WH):
            rest = " ".join(words[i + 1:])
            return _not_a_fragment(plausible_speaker(rest)) if rest else None
        if i and w in ("neither", "nor", "not", "never") and not _REL_BEFORE_VERB.intersection(lows[:i]):
            return None  # "The ministry neither [confirmed nor denied]": the verb is negated, nothing asserted
        if i and w in _FRAGMENT_AUX and words[i][:1].islower() and not _REL_BEFORE_VERB.intersection(lows[:i]):
            if _NEGATIVE.intersection(lows[i:]) or any(x.endswith(("n't", "n’t")) for x in lows[i:]):
                return None
            head = plausible_speaker(" ".join(words[:i]))
            if head and (head[:1].isupper() or head.split()[0].lower() in _SUBJECT_OPENERS):
                return _not_a_fragment(head)
            return None
    if lows[-1] in _PRONOUN_SUBJECTS and lows[-2] not in ("of", "and", "or"):
        return words[-1]
    return sp


# Words after which a cue word is a noun ("a monthly report", "the state's", "no mention", "his claims").
_NOUN_DET = frozenset("""a an the this these those no any every his her its their our my your whose
    another""".split())
_NOUN_ADJ = word_set("claim_words.txt", "noun_adjectives")
_NOUN_PREP = frozenset("of for about with without per".split())
# Words after which a capitalised cue in a Title Case headline is an adjective or a noun
_TITLE_CASE_ATTRIBUTIVE = _NOUN_DET | _NOUN_PREP | frozenset("at in on over amid from".split())
_PREPOSITION_NEXT = re.compile(r"\s*(?:after|before|during|following|amid|since)\b", re.I)
# Determiners of one: a noun phrase "a/an X" before a cue's bare form makes the cue a noun ("a telephone call")
_SINGULAR_DET = frozenset("a an another every each one".split())
# Words that open a clause, whose subject follows them
_CLAUSE_OPENERS = frozenset("""that whether if because when while although though since after before as and but or
    once unless until where""".split())
# ... unless the noun counts many: "a few say", "a number claim", "a majority believe"
_COLLECTIVE = frozenset("""few lot lots number majority minority handful couple dozen hundred thousand million
    third quarter half""".split())
# Quantifiers before a plural noun: "Some states", "Other estimates", "several reports".
_PLURAL_DET = frozenset("""some other many several few both all various numerous multiple two three four five
    six seven eight nine ten dozens hundreds thousands millions""".split())
_COUNT = re.compile(r"[$€£]?\d[\d,.]*%?")
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
# Glued to a cue word, these make it part of a longer token: markup, a handle, a hashtag, a compound.
_GLUED = "-<>/#@_="
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _is_title_case(text: str) -> bool:
    words = _TITLE_WORD.findall(text[:400])
    return len(words) >= 4 and sum(1 for w in words if w[0].isupper()) / len(words) >= 0.6


_DEGREE_BEFORE_ADJECTIVE = frozenset("more most less least very so too highly quite rather".split())


def _noun_use(word: str, lemma: str, left: str, right: str, text: str) -> bool:
    """A cue word used as a noun or inside a name is not a verb of saying."""
    if word[:1].isupper():
        # "the United States", "Islamic State", "the New York Post"; a Title Case headline may say "Says",
        # but not after a determiner or a preposition: "Photos Of Leaders At Reported Hamas Office"
        if not (lemma in cues.SPEECH and _is_title_case(text)):
            return True
        before = left.split()[-1:]
        return bool(before) and before[0].lower() in _TITLE_CASE_ATTRIBUTIVE
    if right[:1] in _GLUED and right[1:2].isalnum():
        return True  # "state-run", "post-election", "tweet_id", "report=": part of a longer word
    tail = left[-40:]
    if not tail or not tail[-1:].isspace():
        return bool(tail) and tail[-1:] in _GLUED + "’'"  # "20-point", "state's", "<tweet", "#report"
    prev = tail.split()
    if not prev or prev[-1][-1:] in ",;:.!?\"”)":
        return False
    w1 = prev[-1].lower().lstrip("\"“‘'([")  # the word right before the cue ("“No state has ...")
    w2 = prev[-2].lower() if len(prev) > 1 else ""
    low = word.lower()
    if w1 in _NOUN_DET or w1.endswith(("'s", "’s")):
        return True
    if low.endswith("ing") and (w1 in _DEGREE_BEFORE_ADJECTIVE or w1.endswith("-more")):
        return True  # "ever-more promising signs", "a very telling remark": an adjective
    if w1 in _NOUN_PREP and not low.endswith("ing"):
        return True
    if w2 in _NOUN_DET and (w1 in _NOUN_ADJ or w1.isdigit() or (w1.endswith("est") and len(w1) > 4)) \
            and not (low.endswith("ed") or low in ("said", "told")):
        return True  # "a monthly report", "the 2013 report"; but "the daily added" is a paper speaking
    if w1 in _NOUN_ADJ and low == lemma and len(prev) > 2 and prev[-3].lower() in _NOUN_DET \
            and w2.endswith(("ing", "ive", "ful", "ous")):
        return True  # "a revealing special report": another adjective between the article and the noun
    if w2 in _NOUN_DET and low == lemma and "-" in w1.strip("-") and not w1.endswith("s"):
        # "an Arabic-language post", "a two-page report": a singular subject would take "posts"/"posted"
        return True
    if w2 in _SINGULAR_DET and low == lemma and w1.isalpha() and w1 not in _COLLECTIVE and not w1.endswith("s") \
            and (len(prev) < 3 or prev[-3].lower().strip("\"“‘'(") in _CLAUSE_OPENERS or prev[-3][-1:] in ",;:"):
        # "That a telephone call between ... took place": a clause's subject "a/an X" before a cue's bare form
        # makes the cue a noun, as a singular subject would take "calls"/"called"
        return True
    if low.endswith("s") and low != lemma and (w1 in _PLURAL_DET or (
            (w1[:1].isdigit() or w1[:1] in "$€£") and _COUNT.fullmatch(w1) and not _YEAR.fullmatch(w1))):
        # a count takes a plural noun, not a verb in -s: "11 states", "22 points", "Other estimates"
        return True
    if low.endswith("ing") and right[:4] == " by ":
        return True  # "(Additional reporting by ...)": a credit line
    # "report of", "mention of"
    return (low == lemma or low == lemma + "s") and right[:4].lower() == " of " and lemma not in ("say", "speak")


# What follows a verb that reports only when a proposition follows it: "that", a colon or a quote, maybe after a
# short adverbial ("recalled in 2008 that"), or a clause with a pronoun subject ("polls show he needs").
# (One optional comma between runs of white space, "\s*(?:,\s*)?", never "\s*,?\s*": two runs that could split
# the same spaces would try every split of a long run.)
_CLAUSE_NEXT = re.compile(r"\s*(?:,\s*)?(?:(?:to|in|on|at|during|last|this|earlier|later|further|also|[a-z]+ly)\b"
                          r"[^,.;:\"“”]{0,40}?(?:,\s*)?)?(?:that\b|:|[\"“])"
                          r"|\s+(?:he|she|they|we|it|I|there)\s+(?!to\b)[a-z]"
                          r"|\s+(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}(?:\s+[a-z]{3,}|\s+\d|\s*,))"
                          r"|\s+\d[\d,.]*\s*(?:%|percent|per\s+cent|points)", re.I)


# A quotation opening right after a quote-only cue ('continued, "', 'continued:' closing the sentence), or closing
# just before its speaker ('," he continued'). Each alternative is anchored and bounded: linear.
_QUOTE_NEXT = re.compile(r"\s*(?:[,:]\s*)?[\"“‘]|\s*:\s*$")
_QUOTE_BEFORE = re.compile(r"[,.!?—–-]\s*[\"”’]\s*(?:[\w.'’-]+\s+){0,6}$")


def _finding_subject(left_tail: str) -> bool:
    """A poll, a survey, data or records close the subject before "show"/"find": "A CNN/ORC poll last month
    showed", "Exit polling showed", "Polls there show" (the last four words, in one clause)."""
    tail = re.split(r"[,;:\"“”()]|\b(?:that|which|who|and|but)\b", left_tail)[-1]
    words = [w.lower().strip(".'’") for w in tail.split()[-4:]]
    return any(w in _FINDING_NOUNS or w == "polling" for w in words)


def _not_reporting(lw: str, lemma: str, right: str, left_word: str = "", left_tail: str = "") -> bool:
    """Cue words that report nothing here. "Want" states a wish, not a proposition. "Recall", "advise", "show",
    "find" and the bare "state"/"states" report only with a proposition after them ("recalled him from his
    post", "advising Clinton's campaign", "shows little inclination", "in neighboring states" do not). "Accused
    of" with no one accused before "of" is a passive: the accused is not the speaker. "Point" reports as
    "point out" only."""
    if lemma == "want":
        return True
    if lemma in cues.QUOTE_ONLY:
        return _QUOTE_NEXT.match(right) is None and _QUOTE_BEFORE.search(left_tail) is None
    if left_word in _COPULAS and not lw.endswith(("ed", "ing")) and lw not in ("said", "told", "thought", "known"):
        return True  # "Visitors are welcome to": after a copula a bare form is an adjective or a noun
    if lw == "called" and left_word.isalpha() and left_word not in _SUBJECT_PRONOUNS \
            and left_word not in _PERSON_WORDS and (right.lstrip()[:1] in "\"“" or right.lstrip()[:1].isupper()
                                                    and left_tail.rstrip().rsplit(None, 1)[-1:] == [left_word]
                                                    and not right.split(None, 1)[0].endswith(("'s", "’s"))):
        # 'a new online study called "Researching ..."', "proteins called F-actins" (a noun written in lower
        # case before it, a name after it: not "Bolton called Obama's ignorance ...", "the campaign called AP's
        # report a rush to judgment"): naming, not speech
        return True
    if lw == "informed" and right.split(None, 1)[:1] and right.split(None, 1)[0].lower().rstrip(",.") in _INFORMED_NOUNS:
        return True  # "informed sources", "informed officials": an adjective
    if lemma == "accuse" and right[:4].lower() == " of ":
        return True
    if lw == "described" and right[:4] == " as " and left_tail.rstrip().endswith(","):
        return True  # "the suspect, described as a white male, had a weapon": a description in apposition
    if lemma == "point":
        return not right.lower().startswith((" out", " to "))
    if lw in ("state", "states") and left_word in _BEFORE_STATES_NOUN:
        return True
    if lemma == "ask" and _ANONYMITY_REQUEST.match(right):
        return True  # "The MP, who asked not to be named, said ...": a request about the source, no proposition
    if lemma == "agree" and right[:4] == " to ":
        return True  # "agreed to vote to override": a commitment to act, no proposition
    if lw == "adding" and right[:4] in (" to ", " up "):
        return True  # "won the primary, adding to her lead": arithmetic, not speech
    if lemma in _KNOW_HOW and _INFINITIVE_NEXT.match(right):
        return True  # "Savvy buyers know to look at ...", "suggested to test": advice or a skill, no proposition
    if lemma == "add" and (left_word in _PERFECT_AUX or _QUANTITY_NEXT.match(right)) and _CLAUSE_NEXT.match(right) is None:
        return True  # "Yearout has added about 80 jobs to his company": a count added, not words
    if lw == "expected" and right[:4] == " to " and not _PASSIVE_AUX_BEFORE.search(left_tail[-30:]):
        return True  # "groups expected to bring 5,900 people", "Officials expected to announce": nobody expects it here
    if lemma == "call" and _REFLEXIVE_NEXT.match(right):
        return True  # "a group that calls itself Asawitri Media": naming
    if lemma == "charge" and _QUANTITY_NEXT.match(right):
        return True  # "Hedge funds typically charge 2 percent of assets": a price asked, not an accusation
    if lemma == "post" and (_MARKET_RESULT_NEXT.match(right) or _MARKET_RESULT_BEFORE.search(left_tail)):
        return True  # "the stock posting the largest daily gain", "the high was posted early Monday": figures
    if lemma in ("show", "find") and len(right.split()) <= 1:
        return False  # "..., records show.", "..., Fox found.": the content came first
    if lemma in ("show", "find") and (left_word in _FINDING_NOUNS or lw[:1] == "s" and _finding_subject(left_tail)):
        return False  # "The poll showed Mr. Trump leading", "A CNN poll last month showed": a finding with its content
    if lemma == "show" and not _finding_subject(left_tail) and not right.lstrip()[:5].lower().startswith("that"):
        return True  # "The Democratic party showed it had learned nothing": a judgement of the writer, not speech
    if lemma in ("recall", "advise", "show", "find", "maintain") or lw in ("state", "states"):
        return _CLAUSE_NEXT.match(right) is None
    if lw in _NOUN_PLURALS and len(right.split(None, 3)) >= 3 \
            and not right.lower().startswith((" responsibility", " credit")) and not _RELAY_NEXT.match(right):
        # (at the end, "..., the Chicago Tribune reports.", it is the verb)
        # "unemployment claims rose", "the reports suggest": a plural noun unless a proposition follows
        return _CLAUSE_NEXT.match(right) is None
    return False


# ", citing The National", ", quoting officials": the verb of saying goes on to its relay
_CITING_TAIL = re.compile(r"\s*,\s*(?:citing|quoting)\s+(?P<orig>[^,;:.\n\"“”]{2,80}?)\s*[.;]?\s*$", re.I)
_RELAY_NEXT = re.compile(r"\s*,\s*(?:citing|quoting|saying|adding)\b", re.I)
_COPULAS = frozenset("is are was were be been being am".split())
_KNOW_HOW = frozenset("know learn remember suggest recommend advise".split())
_INFINITIVE_NEXT = re.compile(r"\s+to\s+(?!(?:the|a|an|his|her|their|its|our|my|your|this|that|these|those|me|him|"
                              r"them|us|you|reporters|journalists)\b)[a-z]")
_PERFECT_AUX = frozenset("has have had having".split())
# A market result posted: "posting the largest daily gain", "posted a loss", "the high was posted"
_MARKET_RESULT_NEXT = re.compile(r"\s+(?:(?:a|an|the|its|their|his|her)\s+)?(?:[\w-]+\s+){0,3}?(?:gains?|loss(?:es)?|"
                                 r"profits?|revenues?|earnings|highs?|lows?|records?|increases?|declines?|drops?|"
                                 r"rises?|deficits?|surplus(?:es)?|growth|returns?)\b", re.I)
_MARKET_RESULT_BEFORE = re.compile(r"\b(?:high|low|gain|loss|profit|record|increase|decline|drop|rise)s?\s+"
                                   r"(?:was|were|has\s+been|had\s+been)\s+$", re.I)
_AMOUNT_WORD = re.compile(r"(?:half|a\s+(?:third|quarter|fifth|dozen|half)|one|two|three|four|five|six|seven|eight|nine|ten|"
                          r"a\s+hundred|a\s+thousand|dozens|hundreds|thousands|twice|double)\b", re.I)
_WH_NEXT = re.compile(r"\s+(?:whether|what|how|why|who|if|when|where)\b", re.I)
_REFLEXIVE_NEXT = re.compile(r"\s+(?:itself|himself|herself|themselves)\b")
_QUANTITY_NEXT = re.compile(r"\s+(?:(?:about|nearly|almost|roughly|around|some|over|another|more\s+than|at\s+least)\s+)?"
                            r"[$€£]?\d", re.I)
_ANONYMITY_REQUEST = re.compile(r"\s+(?:not\s+to\s+be\s+(?:named|identified|quoted)|for\s+anonymity|to\s+remain\s+"
                                r"anonymous|that\s+(?:his|her|their|its)\s+names?\s+not)\b", re.I)
_FINDING_NOUNS = word_set("claim_words.txt", "finding_nouns")
# Lowercase nouns for people who speak: 'the president called "a disgrace"' is speech, not naming.
_PERSON_WORDS = word_set("claim_words.txt", "person_words")
_FRONTED = frozenset("although though while whilst when as after before since if because once".split())
_INFORMED_NOUNS = word_set("claim_words.txt", "informed_nouns")
# Plural nouns as often as verbs: "unemployment claims rose", "hopes and dreams", "follow-up questions".
_NOUN_PLURALS = word_set("claim_words.txt", "noun_plurals")
# Before "states", these make it the noun: "in states that vote later", "across swing states".
_BEFORE_STATES_NOUN = word_set("claim_words.txt", "before_states_noun")


# "In a CBS News poll last month, ...", "In the latest survey by X, ...": a source that is a poll or a study
_IN_SOURCE = re.compile(r"In\s+(?P<sp>(?:the|a|an|its|their|his|her|this|that|one)\s+[^,;:()]{0,80}?\b"
                        r"(?:polls?|surveys?|study|studies|census|audit|tally|tallies|analysis|analyses|estimates?|"
                        r"findings|data)\b[^,;:()]{0,60}?),\s+(?P<rest>\S.*)", re.S)
# ", adding" or " - adding" / " — only saying": a dash instead of the comma before a continuation
_DASH_BEFORE = re.compile(r"\s(?:-|--|—|–)\s+(?:only\s+|also\s+|then\s+)?$")
# A name closing a clause after "by", "with" or "from": the antecedent of a following "which".
_TRAILING_MARK = re.compile(r"\[\d{1,3}\]$")
_NAME_AT_END = re.compile(r"\s((?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,5})$")
_AGENT_AT_END = re.compile(r"\s(?:by|with|from)\s+((?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,5})$")
# An impersonal passive before its cue: "It has been reported", "it is widely believed", "It's been said".
_IMPERSONAL = re.compile(r"(?:^|[\s,;:(\"“])it(?:['’]s|\s+(?:is|was|has|had|will|would|may|might|could|can|had))"
                         r"(?:\s+(?:been|be|being|also|widely|long|often|generally|commonly|now|already|reportedly))*"
                         r"\s+$", re.I)


def _impersonal_before(tail: str) -> bool:
    """``_IMPERSONAL`` found in ``tail``; most texts are ruled out first by holding no "it" at all."""
    if tail.isascii() and "it" not in tail.lower():
        return False
    return _IMPERSONAL.search(tail) is not None


_PASSIVE_AUX_BEFORE = re.compile(r"\b(?:is|are|was|were|been|be)\s+(?:[a-z]+ly\s+)?$", re.I)
_AS_IDIOM = re.compile(r"\bas\s+(?:they|you|we|people|everyone)\s+$", re.I)
_UNATTRIBUTED_PASSIVES = word_set("claim_words.txt", "unattributed_passives")
_HEDGE_ADVERB = re.compile(r"\b(?:reportedly|allegedly|purportedly|supposedly)\b", re.I)


def _is_participle(word: str) -> bool:
    low = word.lower()
    return low.endswith("ed") or low in ("said", "thought", "known", "told", "written", "shown", "felt", "found")


# 'Said Sara Jones, "...': a name or a definite noun phrase, a comma or colon, an opening quote mark
_SAID_FIRST = re.compile(r"\s+(?P<sp>(?:(?:the|a|an)\s+[\w-]|[A-Z])[^,.:;\"“”]{0,60}?)\s*[,:]\s*[\"“]")
# What follows an inverted cue: a name or a noun phrase with a determiner or a count ("said Sen. X", "said the
# aide", "said several observers"), or a bare plural closing the clause ("..., say oceanographers, but ...").
_INVERTED_RIGHT = re.compile(r"\s+(?:(?:the|a|an|one|another|several|many|some|most|both|two|three|four|five|six|"
                             r"seven|eight|nine|ten|dozens|hundreds|thousands)\s+[\w-]|[A-Z]"
                             r"|(?:[a-z][a-z-]{1,20}\s+)?[a-z][a-z-]{2,20}[^\Ws]s(?=\s*(?:[,.;]|$)))")


# Compiled here rather than by the re module's cache at their first use, which a report would pay for.
# The speaker after an inverted cue; the one after "according to"; where a passive's agent ends ("by X and
# Y"); whom a "told" addresses, before "that" or a comma, or as a name or a pronoun.
# After an inverted speaker, the interrupted clause going on: ", is the Pick 6", ", was approved"
_CLAUSE_RESUMES = re.compile(rf",\s+(?:{'|'.join(sorted(gz.FINITE_AUXILIARIES))})\s")
_SPEAKER_AFTER = re.compile(r"\s*((?:the\s+|a\s+|an\s+)?[^,.;:!?\"“”]{1,80}?)\s*(?:[,.;:!?]|\bin\b|\bon\b|$)", re.I)
_ACCORDING_SPEAKER = re.compile(r"([^,.;:!?]{1,160}?)\s*(?:,|[.;:!?]|$)")
_AGENT_CUT = re.compile(r"\s+(?:and|who|which|that|with)\s+")
_TOLD_WHOM = re.compile(r"\s*((?:the\s+|a\s+|an\s+)?[^,:;]{1,60}?)\s*(?:\bthat\b|:|,)\s*")
_TOLD_NAME = re.compile(r"\s*(?:the\s+)?(?:[A-Z][\w.'’-]*\s+){1,4}|\s*(?:reporters|him|her|them|us|me)\s+")


# Where or when something was said, set off by a comma before what was said: "said in a tweet, ...", "said on
# Monday, ...". At most six words, tried on 60 characters.
_OCCASION_FIRST = re.compile(
    r"\s*(?:in|on|during|via)\s(?:(?:a|an|the|his|her|their|its)\s)?(?:[^\s,.;:\"“”]+\s){0,2}"
    r"(?:tweet|statement|interview|post|posting|letter|email|e-mail|speech|message|video|op-ed|column|blog|release|"
    r"briefing|broadcast|memo|Twitter|Facebook|Instagram|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r",\s+(?![\"“'‘]|\w+ing\b)")


# What follows a verb like "disagree" or "argue" when it says how much or how often, not what: no content.
_DEGREE_ONLY = re.compile(r"\s*(?:a\s+lot|a\s+little|a\s+bit|strongly|sharply|vehemently|bitterly|often|sometimes|"
                          r"frequently|constantly|all\s+the\s+time)(?:[,.;]|\s+(?:with|about|over|on|especially)\b|\s*$)")


# "arguing over which way was up", "disagreed with the decision": a quarrel or a stance, not a proposition
_QUARREL_VERBS = frozenset({"argue", "disagree"})
_QUARREL_OBJECT = re.compile(r"\s*(?:over|about|with|among|between)\s")


# After a relative clause set off by commas ("X, who said ..., got the ruling"), the main clause's verb picks up
# again after a comma: the content ends there.
_MAIN_CLAUSE_RESUMES = re.compile(r",\s+(?:got|was|were|is|are|has|had|won|lost|left|went|took|made|became|came|gave|"
                                  r"kept|held|received|faced|remains|remained|stayed|declined|refused)\b")


def _relative_on_subject(left: str, sp: str) -> bool:
    """"May, who said", "The senator, who said": the relative clause describes a clause's subject (a name or a
    determiner and nouns, no verb), so the clause's own verb comes after it; not "He met Smith, who said"."""
    left = left.rstrip()
    if not left.endswith(", " + sp):
        return False
    words = left[:-len(sp) - 2].rsplit(",", 1)[-1].split()
    if not 0 < len(words) <= 5:
        return False
    if words[0].lower() in _SUBJECT_OPENERS:  # "The man": a determiner, then nouns and adjectives
        return not any(w.endswith("ed") or w.lower() in _VERB_WORDS for w in words[1:])
    return all(w[:1].isupper() for w in words)


# Titles written with a period: "said Dr. Sherine Abed" goes on past the period.
_TITLES = word_set("claim_words.txt", "titles")


def _is_title_or_initial(word: str) -> bool:
    w = word.strip(_WS).rstrip(".")
    return w.lower() in _TITLES or (len(w) == 1 and w.isupper()) or bool(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", w))


_OUTLET = re.compile(r"(?:the\s+)?[A-Z][\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|of|al|el))*")
_RELAY_CLAUSE = re.compile(r"\s+(?:who|which|that)\s+(?:spoke|talked|told|were\s+quoted\s+by|was\s+quoted\s+by)"
                           r"(?:\s+(?:to|with))?\s+(?P<relay>(?:the\s+)?[A-Z][^,.;:]{0,60})$")


def _outlet(text: str) -> str | None:
    """An outlet named at the start of ``text`` ("Shafaq News", "the Associated Press", "Reuters" after a
    cue): a capitalised run whose last word is a media head (News, Times, Agency, TV ...). People a speaker
    tells something are no relay; an outlet that is told is."""
    m = _OUTLET.match(text.lstrip())
    if not m:
        return None
    name = m.group().strip().rstrip(".")
    words = name.split()
    if not words or words[-1].lower() not in gz.MEDIA_HEADS and words[-1] not in gz.PLATFORMS:
        return None
    return name


def _past_title_periods(pattern: re.Pattern, text: str, start: int, end: int) -> int:
    """Where a speaker read by ``pattern`` from ``start`` ends, when the period after a title or an
    initial ("Mr.", "J.") does not end it: read on past up to four of them."""
    for _ in range(4):
        words = text[start:end].split()
        if not (text[end:end + 1] == "." and words and _is_title_or_initial(words[-1])):
            break
        more = pattern.match(text, end + 1)
        if not more or not more.group(1).strip():
            break
        end = more.end(1)
    return end


def _speaker_after(text: str) -> str | None:
    """Speaker written after an inverted cue: ', said the post.'"""
    m = _SPEAKER_AFTER.match(text)
    if not m:
        return None
    start = m.start(1)
    end = _past_title_periods(_SPEAKER_AFTER, text, start, m.end(1))  # "said Mr. Rhodes", "said J. Smith"
    sp = plausible_speaker(text[start:end])
    return sp if sp and len(sp.split()) <= 10 else None


# What may stand between a clause's subject and a verb of saying that is not the clause's first verb: a coordinated
# verb ("rushed everyone inside and said"), a verb taking it ("continued to say", "went on to say", "made a point
# of saying"), a preposition before its -ing form ("distanced himself by saying"). Anchored at the end and bounded.
_VERB_BEFORE_CUE = re.compile(r"(?P<and>,?\s(?:and|then)\s+)$"
                              r"|\s(?P<to>continued|continues|went\s+on|goes\s+on|proceeded|began|begins)\s+to\s+$"
                              r"|\s(?P<ing>by|made\s+a\s+point\s+of|makes\s+a\s+point\s+of)\s+$")
_SUBORDINATORS = frozenset("which who whom whose when whenever as while because although though if since that where "
                           "after before until unless once".split())


def _subject_across(left: str, lw: str) -> str | None:
    """'Ebeling reminisced about her days with Clinton, and said ...', 'Lewandowski continued to say ...', 'Bolton
    distanced himself from the movement by saying ...': the subject of the clause the cue's verb phrase belongs
    to. The form must fit what comes before it (a finite form after "and", the base after "to", -ing after "by")."""
    m = _VERB_BEFORE_CUE.search(left[-40:])
    if m is None or (m.group("and") is not None and (lw.endswith("ing") or lw == cues.FORMS.get(lw, lw))) \
            or (m.group("to") is not None and lw != cues.FORMS.get(lw, lw)) \
            or (m.group("ing") is not None and not lw.endswith("ing")):
        return None
    head = left[: len(left) - len(left[-40:]) + m.start()]
    if not head.strip() or any(ch in head for ch in "\"“”;:") \
            or any(cues.FORMS.get(c.group(1).lower()) in cues.SPEECH for c in cues.iter_cues(head)):
        return None  # ("said that he had voted ..., and cautioned": the verb may be the reported clause's)
    subj, at = _clause_subject(head)
    if subj and _SUBORDINATORS.intersection(head[at + len(subj):].lower().split()):
        # "Some in the crowd booed, and when Rubio thanked Miami and said", "as he did two years ago by announcing":
        # the verb may be a subordinate clause's; only "subject, verb phrase, cue" is read
        return None
    subj = _not_a_fragment(subj) if subj else None
    if not subj or len(subj.split()) > 8 or "," in subj or _RELATIVE.intersection(subj.lower().split()) \
            or subj.endswith(("'s", "’s")) \
            or _is_time_phrase(subj) or subj.split()[-1].lower() in _TIME_NOUNS | {"minutes", "hours", "seconds"}:
        return None  # "A few minutes later they ...": an adverbial the subject lies past
    return subj


class _SentenceState:
    """What the rules of one sentence share: its span and text, the cue spans a construction explained, the
    last speaker seen (for continuations), and how many rows there were before it (and before the cues)."""

    __slots__ = ("s", "e", "text", "low", "consumed", "n_start", "n_claims", "last_speaker")

    def __init__(self, s: int, e: int, text: str, low: str, n_start: int):
        self.s, self.e, self.text, self.low = s, e, text, low
        self.consumed: list[tuple[int, int]] = []
        self.n_start = self.n_claims = n_start
        self.last_speaker: tuple[str, int] | None = None


class _Cue:
    """One verb of saying in a sentence, with the text on either side; the speaker before it is worked out
    once, when a rule first asks."""

    __slots__ = ("m", "word", "lw", "lemma", "left", "right", "_speaker", "_adverbial")

    def __init__(self, m, text: str):
        self.m = m
        self.word = m.group(1)
        self.lw = self.word.lower()
        self.lemma = cues.FORMS.get(self.lw, self.lw)
        self.left = text[: m.start()]
        self.right = text[m.end():]
        self._speaker = None
        self._adverbial = None

    def speaker(self) -> tuple[str | None, str | None]:
        if self._speaker is None:
            self._speaker = _clean_speaker(self.left)
            if self._speaker[0] is None and self.lemma in cues.SPEECH and (name := _lone_ing_name(self.left)):
                self._speaker = (name, None)
            if self._speaker[0] is None and self.lemma in cues.SPEECH and (name := _subject_across(self.left, self.lw)):
                self._speaker = (name, None)
        return self._speaker

    def tail_is_adverbial(self) -> bool:
        """Only an adverbial follows the cue ("..., the sources added on Monday.")."""
        if self._adverbial is None:
            right = self.right
            right_words = right.strip(" .,;:!?\"”’").split(None, 8)  # nine words at most: enough to count to 8
            self._adverbial = len(right_words) <= 8 and bool(_TRAILING_ADVERBIAL.fullmatch(right)) \
                or _COMMA_SAID.match(right) is not None or _where_said_only(right)
        return self._adverbial


class _Extractor:
    def __init__(self, body: str, sentences: list[tuple[int, int]], quotes: list[Quote],
                 blocked: list[tuple[int, int]]):
        self.body = body
        self.sentences = sentences
        # Quotes come in body order and never overlap (see find_quotes), so their ends and closing marks
        # ascend as well: the look-ups below bisect instead of walking every quote for every cue.
        self.quotes = quotes
        self._quote_ends = [q.end for q in quotes]
        self._quote_closes = [q.close for q in quotes]
        self._quote_opens = [q.open for q in quotes]
        # Furniture and footnote spans sorted by start, with the furthest end reached so far: whether a
        # span overlaps (s, e) is one bisect, not a walk over every span for every sentence (a page of
        # separator lines made that quadratic).
        ordered = sorted(blocked)
        self._blocked_starts = [bs for bs, _ in ordered]
        self._blocked_reach: list[int] = []
        reach = -1
        for _, be in ordered:
            reach = max(reach, be)
            self._blocked_reach.append(reach)
        self.claims: list[RawClaim] = []
        self._claims_by_start: dict[int, list[RawClaim]] = {}  # a claim's start never moves once added

    # -- helpers -----------------------------------------------------------------------------
    def _is_blocked(self, s: int, e: int) -> bool:
        k = bisect.bisect_left(self._blocked_starts, e)  # the spans starting before e
        return k > 0 and self._blocked_reach[k - 1] > s

    def _extend_for_quotes(self, s: int, e: int) -> tuple[int, int]:
        """A content that opens a quote runs to the quote's end, even beyond its sentence."""
        quotes = self.quotes
        # a quote ending before the content cannot extend it, nor can one opening after it (nor any later one)
        for i in range(bisect.bisect_right(self._quote_ends, min(s, e)), len(quotes)):
            q = quotes[i]
            if q.open >= max(s, e):
                break
            if s <= q.open < e and q.end > e:
                e = q.end
            if q.open < s <= q.start + 1 and q.end > e:
                e = q.end
        return s, e

    def _add(self, s: int, e: int, speaker: str | None, cue: str | None, rule: str, conf: float,
             chain: list[str] | None = None, is_quote: bool = False, descriptor: str | None = None,
             speaker_pos: int = -1) -> RawClaim | None:
        s, e = _strip_span(self.body, s, e)
        if (dateline := place_dateline(self.body, s)) is not None:
            s = dateline.end()  # "JAKARTA (Reuters) - " says where the story was filed, not what it claims
        if speaker and speaker_pos >= 0 and self.body.startswith(speaker, speaker_pos) \
                and (dateline := place_dateline(self.body, speaker_pos)) is not None \
                and dateline.end() < speaker_pos + len(speaker):
            # "PORTLAND -- John W. Houston, managing director ..., announced": nor who claims it
            speaker, speaker_pos = speaker[dateline.end() - speaker_pos:], dateline.end()
        # a footnote mark closing the content ("... in Iraq.[1]") is the citation, not the claim: the span stops
        # before it (the text must stay a slice of the body), and the mark still follows the claim closely
        while e - s > 3 and self.body[e - 1] == "]":
            m = _TRAILING_MARK.search(self.body, max(s, e - 6), e)
            if m is None:
                break
            s, e = _strip_span(self.body, s, m.start())
        # a content that starts inside a quotation ends with it ("I think ...," he said); quotes ending
        # before the content are skipped
        for i in range(bisect.bisect_right(self._quote_ends, s), len(self.quotes)):
            q = self.quotes[i]
            if q.start + 1 < s < q.end < e and q.balanced:
                s, e = _strip_span(self.body, s, q.end)
                break
            if q.start > s:
                break
        if e - s < 8 or self._is_blocked(s, e) or self._is_duplicate(s, e):
            return None
        head = self.body[s:e].split(None, 3)
        if len(head) < 3:  # fewer than three words (counted up to three only)
            return None
        if head[0] in ("and", "or", "but", "nor") and rule != "orphan_quote":
            return None  # "... and can do": the tail of a coordination, not a proposition
        claim = RawClaim(s, e, speaker, cue, rule, conf, chain or ([speaker] if speaker else []),
                         is_quote, descriptor, speaker_pos)
        self.claims.append(claim)
        self._claims_by_start.setdefault(s, []).append(claim)
        return claim

    def _remove(self, claim: RawClaim) -> None:
        self.claims.remove(claim)
        same = self._claims_by_start.get(claim.start, [])
        if claim in same:
            same.remove(claim)
            if not same:
                del self._claims_by_start[claim.start]

    def _is_duplicate(self, s: int, e: int) -> bool:
        """A kept claim starts there, or ends there and starts within two characters."""
        by_start = self._claims_by_start
        if s in by_start:
            return True
        for start in (s - 2, s - 1, s + 1, s + 2):
            for c in by_start.get(start, ()):
                if c.end == e:
                    return True
        return False

    def _quote_closing_before(self, pos: int, lo: int) -> Quote | None:
        """The quote whose closing mark sits just before pos, separated only by commas/space."""
        quotes = self.quotes
        for i in range(bisect.bisect_left(self._quote_closes, pos) - 1, -1, -1):  # quotes closing before pos
            q = quotes[i]
            if q.close < pos and q.close >= lo - 1 and q.balanced and q.words >= 3:
                gap = self.body[q.close + 1:pos]
                if _GAP_AFTER_QUOTE.fullmatch(gap) or len(gap) > 80 and _NAMED_GAP_AFTER_QUOTE.fullmatch(gap):
                    return q
            if q.close < lo - 2000:
                break
        return None

    def run(self) -> list[RawClaim]:
        for s, e in self.sentences:
            if self._is_blocked(s, e):
                continue
            self._sentence(s, e)
        return self.claims

    # -- rules ---------------------------------------------------------------------------------
    # Each rule is one method named after the ``rule`` value of the rows it makes, tried in the order of the
    # lists below. A sentence rule sees the whole sentence; a cue rule sees one verb of saying and returns
    # True when it has dealt with that verb (made a row, or ruled it out), so later cue rules skip it.
    # Filters (``_skip_*``) make no row: they rule a cue out.

    def _sentence(self, s: int, e: int) -> None:
        text = self.body[s:e]
        if len(text) > 5000:  # not prose; a pathological single line. Keep the cost linear.
            text = text[:5000]
            e = s + 5000
        st = _SentenceState(s, e, text, text.lower(), len(self.claims))
        for rule in self._SENTENCE_RULES:
            rule(self, st)

    # 0. "Marco Rubio: I'm Not Interested In Being Vice President", 'Bush: "The mission is to destroy ISIS."': a
    # name before a colon opening a line (or a quotation) is who says the rest
    def _colon_attribution(self, st: _SentenceState) -> None:
        text, s = st.text, st.s
        if ":" not in text[:60]:
            return
        m = _COLON_SPEAKER.match(text)
        if m is None:
            return
        rest_at = m.start("rest")
        quoted = text[rest_at] in "\"“'‘"
        if not (quoted or s == 0 or self.body[s - 1] == "\n") or len(text[rest_at:].split()) < 4:
            return
        sp = m.group("sp")
        if not quoted and place_dateline(self.body, s) is not None:
            return  # "PERRIS: Woman ordered hit ..., police say": a dateline, and the police say it
        words = sp.split()
        first, last = words[0].lower(), words[-1].lower().rstrip(".")
        if len(sp) < 2 or first in _COLON_LABELS or last in _COLON_LABELS or last in _RUBRIC_WORDS \
                or first in _DISCOURSE or first in _PP_START or words[0] in gz.TITLE_CASE_FUNCTION_WORDS \
                or gz.is_place(sp) or gz.is_place(sp.title()) or first in gz.MONTHS or first in gz.WEEKDAYS:
            return  # "Related: ...", "Update: ...", "WASHINGTON: ...", "Among its accomplishments: ..."
        if last in gz.MEDIA_NOUNS or last in _GENERIC_HEADLINE_SPEAKERS:
            return  # a heading "Media: ..." or "Pro-Hizbullah Daily: ..." sums up what the paragraphs under it report
        cs, ce = self._extend_for_quotes(s + rest_at, st.e)
        if self.body[cs:ce].rstrip(_WS).endswith("?"):
            return  # "RAMOS: Secretary Clinton, do you think ...?": a question asserts nothing
        if self._add(cs, ce, sp, ":", "colon_attribution", 0.6, is_quote=quoted, speaker_pos=s + m.start("sp")):
            st.consumed.append((0, len(text)))  # the cues inside are the speaker's own words
            st.last_speaker = (sp, s + m.start("sp"))

    # 1. "X quotes Y as saying ..." / "X cited Y as saying that ..."
    def _chain_quotes_as_saying(self, st: _SentenceState) -> None:
        body, text, low, s, e = self.body, st.text, st.low, st.s, st.e
        for m in (_CHAIN_RE.finditer(text) if " as " in low and ("quot" in low or "cit" in low)
                  and cues.may_contain(text, _CHAIN_HINTS, low) else ()):
            relay_sp, _ = _clean_speaker(m.group("relay"))
            orig = m.group("orig").strip(_WS)
            if not relay_sp or not orig:
                continue
            after = m.end()
            rest = text[after:]
            chain = [orig]
            w = _WITH_RELAY.search(rest[:120])
            if w:
                chain.append(w.group("relay").strip(_WS + ".,;:"))
            chain.append(relay_sp)
            cue = f"{m.group('verb')} ... as saying"
            content_start = s + after
            tail = rest
            if w and w.start() <= 2:
                tail = rest[w.end():]
                content_start = s + after + w.end()
            if len(tail.strip(" .,;:\"”")) > 12 and len(tail.split()) >= 3:
                cs, ce = self._extend_for_quotes(_strip_that(body, content_start, e), e)
            else:
                # content before: "The move was approved, X quotes Y as saying in ... with Z."
                head_end = s + m.start("relay")
                q = self._quote_closing_before(head_end, s)
                cs, ce = (q.start, q.end) if q else (s, head_end)
            self._add(cs, ce, orig, cue, "chain_quotes_as_saying", 0.85, chain, speaker_pos=s + m.start("orig"))
            st.consumed.append((m.start(), m.end()))

    # 2. "X was quoted as saying ..."
    def _quoted_as_saying(self, st: _SentenceState) -> None:
        body, text, low, s, e = self.body, st.text, st.low, st.s, st.e
        for m in (_QUOTED_AS.finditer(text) if "quoted as" in low or "quoted by" in low else ()):
            sp, desc = _clean_speaker(m.group("sp"))
            if not sp:
                continue
            chain = [sp] + ([m.group("relay").strip()] if m.group("relay") else [])
            cs, ce = self._extend_for_quotes(_strip_that(body, s + m.end(), e), e)
            self._add(cs, ce, sp, "was quoted as saying", "quoted_as_saying", 0.8, chain, descriptor=desc,
                      speaker_pos=s + m.start("sp"))
            st.consumed.append((m.start(), m.end()))

    # 3. "according to X, ..." / "..., according to X."
    def _according_to(self, st: _SentenceState) -> None:
        text, low, s, e = st.text, st.low, st.s, st.e
        for m in (cues.ACCORDING_RE.finditer(text) if ("according" in low or " words of" in low or " as " in low)
                  and cues.may_contain(text, cues.ACCORDING_HINTS, low) else ()):
            rest = text[m.end():]
            sm = _ACCORDING_SPEAKER.match(rest)
            if not sm:
                continue
            sp_len = _past_title_periods(_ACCORDING_SPEAKER, rest, 0, sm.end(1))  # "according to Mr. Rhodes."
            sp = rest[:sp_len].strip(_WS)
            if len(sp.split()) > 12:
                sp = _head_noun_phrase(sp)
            relay = None
            rm = _RELAY_CLAUSE.search(sp) if " who " in sp or " which " in sp or " that " in sp else None
            if rm:
                # "according to informed sources who spoke to Shafaq News": the outlet relays the sources
                relay = _outlet(rm.group("relay")) or rm.group("relay").strip()
                sp = sp[:rm.start()]
            sp = plausible_speaker(sp) or _document_source(sp)
            if not sp or len(sp.split()) > 16:
                continue
            sp_end = m.end() + sp_len
            before = text[: m.start()].strip(" ,")
            after = text[sp_end:].strip(" ,.")
            if text[sp_end:sp_end + 1] == "," and len(before.split()) >= 3 and after \
                    and after.split(None, 1)[0].lower() in ("a", "an", "the") \
                    and len(after.split()) <= 8 and not any(ch in after for ch in ",;:\"“”"):
                after = ""  # "..., according to Ms. Epstein, a law professor.": who she is, not what she says
            if len(after.split()) >= 3 and not (after.split(None, 1)[0].lower() in ("and", "but", "or")
                                                and len(before.split()) >= 3):
                cs, ce = s + sp_end, e
            elif len(before.split()) >= 3:
                cs, ce = s, s + m.start()
                q = self._quote_closing_before(s + m.start(), s)
                if q:
                    cs, ce = q.start, q.end
            else:
                continue
            cs, ce = self._extend_for_quotes(cs, ce)
            self._add(cs, ce, sp, m.group(1).lower(), "according_to", 0.85, speaker_pos=s + m.end(),
                      chain=[sp, relay] if relay else None)
            st.consumed.append((m.start(), sp_end))

    # 4. passive: "Those talks were confirmed by a senior Iraqi MP"
    def _passive_by(self, st: _SentenceState) -> None:
        text, low, s, e = st.text, st.low, st.s, st.e
        for m in (_PASSIVE.finditer(text) if " by " in low and cues.may_contain(text, _PASSIVE_HINTS, low) else ()):
            sp = plausible_speaker(_AGENT_CUT.split(m.group("sp").strip(_WS))[0])
            if not sp or not sp[:1].isalpha():
                continue
            self._add(s, e, sp, f"{m.group('verb')} by", "passive_by", 0.7, speaker_pos=s + m.start("sp"))
            st.consumed.append((m.start(), m.end()))

    # 5. "what it said was ..."
    def _what_said_was(self, st: _SentenceState) -> None:
        text, low, s, e = st.text, st.low, st.s, st.e
        for m in (_WHAT_SAID.finditer(text) if "what " in low else ()):
            self._add(s + m.end(), e, plausible_speaker(m.group("sp")), f"what ... {m.group('verb')} was",
                      "what_said_was", 0.6,
                      speaker_pos=s + m.start("sp"))
            st.consumed.append((m.start(), m.end()))

    # 6. verbs of saying: each cue word goes through the cue rules in order
    def _verbs_of_saying(self, st: _SentenceState) -> None:
        st.n_claims = len(self.claims)
        for m in cues.iter_cues(st.text, st.low):
            if st.consumed and any(a <= m.start() < b for a, b in st.consumed):
                continue
            cu = _Cue(m, st.text)
            for rule in self._CUE_RULES:
                if rule(self, st, cu):
                    break

    # 'Said Sara Jones, "..."': a sentence-initial cue with its speaker after it; any other sentence-initial
    # verb is an imperative or a headline, not attribution
    def _cue_speaker_quote(self, st: _SentenceState, cu: _Cue) -> bool:
        if not (cu.word[:1].isupper() and cu.m.start() == 0):
            return False
        s, m = st.s, cu.m
        im = _SAID_FIRST.match(cu.right) if cu.lemma in cues.SPEECH else None
        if im and (sp := plausible_speaker(im.group("sp"))):
            at = s + m.end() + im.end() - 1
            k = bisect.bisect_left(self._quote_opens, at)
            q = self.quotes[k] if k < len(self.quotes) and self._quote_opens[k] == at else None
            if q is not None:
                self._add(q.start, q.end, sp, cu.word.lower(), "cue_speaker_quote", 0.85, is_quote=True,
                          speaker_pos=s + m.end() + im.start("sp"))
                st.last_speaker = (sp, s + m.end() + im.start("sp"))
        return True

    # Inside someone's quotation the quoted speaker asserts: '"The population has changed. I think she will carry the
    # state"', '"She thinks the tests are too much"', '"They have said no to everything"', '"People say ..."'. A
    # private state (think, believe, feel, know ...) or a cue whose subject is a third-person pronoun or names no one
    # makes no row of its own (the quotation's row, or the row of the quotation it continues, carries it). The quoted
    # speaker's own "I"/"we" and a named or described third party ('"The minister told us the road was closed"')
    # keep their rows: the first resolves to the quoted speaker, the second is a relay.
    def _skip_cue_in_quote(self, st: _SentenceState, cu: _Cue) -> bool:
        at = st.s + cu.m.start()
        k = bisect.bisect_right(self._quote_opens, at) - 1
        if not (k >= 0 and self.quotes[k].start <= at < self.quotes[k].end and self.quotes[k].balanced):
            return False
        if cu.lemma in _HEDGE_OPINION:
            return True
        sp = cu.speaker()[0]
        if sp and sp.lower() in ("i", "we"):
            return False  # '"I promise it will open in spring," the mayor said': the quoted speaker's own row
        words = (sp or "").split()
        if words and words[0].lower() in _UNNAMED_OPENERS:
            words = words[1:]  # "Some have said", "People say", "Many critics say": capitalised as the opening word
        return not any(w[:1].isupper() for w in words)

    # a modal before the cue ("would say"), a noun use ("a monthly report"), a verb that reports nothing here
    def _skip_not_a_cue(self, st: _SentenceState, cu: _Cue) -> bool:
        left, right, lw, lemma = cu.left, cu.right, cu.lw, cu.lemma
        if _MODAL_BEFORE.search(left[-12:]) and (lemma not in ("say",) or _NEGATION_BEFORE.search(left[-12:])):
            return True  # "would confirm", and "would not say whether ...": nothing asserted
        return _noun_use(cu.word, lemma, left, right, st.text) or _not_reporting(
            lw, lemma, right, left[-30:].rsplit(None, 1)[-1].lower() if left.strip() else "", left[-60:])

    # ", adding that ..." continues the last speaker of this sentence
    def _continuation(self, st: _SentenceState, cu: _Cue) -> bool:
        left, lw = cu.left, cu.lw
        medium = lw in cues.CONTINUATIONS and left.rstrip().rsplit(None, 1)[-1:] != [] \
            and left.rstrip().rsplit(None, 1)[-1].lower() in _STATEMENT_NOUNS
        if not ((lw in cues.CONTINUATIONS or lw.endswith("ing"))
                and (left.rstrip().endswith(",") or _DASH_BEFORE.search(left[-12:]) or medium)):
            return False
        # ("she released a statement saying ...": the statement's author continues, no comma needed)
        body, s, e, m = self.body, st.s, st.e, cu.m
        if st.last_speaker is None:
            # "Mr. Obama revised his plans in October, saying that ...": the subject of the clause
            subj, off = _clause_subject(left)
            if subj:
                st.last_speaker = (subj, s + off)
            else:
                prev = self.claims[-1] if self.claims else None
                if prev is None or prev.end < s - 400:
                    return True
                st.last_speaker = (prev.speaker or "", prev.speaker_pos)
        # the previous claim of this sentence ends where the continuation begins
        for c in reversed(self.claims):
            if c.start >= s and c.start < s + m.start() < c.end:
                c.end = _strip_span(body, c.start, s + left.rstrip(" ,").__len__())[1]
                if len(body[c.start:c.end].split(None, 2)) < 3:
                    # "the account wrote an update, saying ...": what is left is no proposition
                    self._remove(c)
                break
        cs = s + m.end()
        if cu.lemma == "tell":
            # "telling Reuters, ...", "telling the AP the vote ...": whom the speaker tells is no part of the content
            tm = _TOLD_WHOM.match(cu.right) or _TOLD_NAME.match(cu.right)
            cs += tm.end() if tm else 0
        cs, ce = self._extend_for_quotes(_strip_that(body, cs, e), e)
        self._add(cs, ce, st.last_speaker[0] or None, cu.word.lower(), "continuation", 0.7,
                  is_quote=body[cs - 1:cs] in "\"“", speaker_pos=st.last_speaker[1])
        return True

    # inverted after a quote: "...," said the post.
    def _quote_then_cue(self, st: _SentenceState, cu: _Cue) -> bool:
        s, m = st.s, cu.m
        q = self._quote_closing_before(s + m.start(), s)
        if q is None or cu.lemma not in cues.SPEECH:
            return False
        gap = self.body[q.close + 1: s + m.start()]
        between = gap.strip(_WS + ",")
        if between:
            # ('," Valdez Anderson, who works in Sacramento, said': the comma closing the clause stays)
            sp, desc = _clean_speaker(between + ", " if gap.rstrip().endswith(",") else between)
            sp = sp or _lone_ing_name(between)
        else:
            sp, desc = _speaker_after(cu.right), None
        if not sp:
            return False
        self._add(q.start, q.end, sp, cu.word.lower(), "quote_then_cue", 0.9, is_quote=True,
                  descriptor=desc, speaker_pos=s + m.start())
        st.last_speaker = (sp, s + m.start())
        return True

    # content first: "..., the sources added."
    def _content_then_cue(self, st: _SentenceState, cu: _Cue) -> bool:
        # (also "..., records show." and "..., Fox found.": findings reported after their content)
        citing = _CITING_TAIL.match(cu.right) if cu.lemma in cues.SPEECH else None
        if not ((cu.lemma in cues.SPEECH or cu.lemma in ("show", "find") and len(cu.right.split()) <= 1)
                and (citing or cu.tail_is_adverbial())):
            return False
        s, left = st.s, cu.left
        comma = left.rstrip().rfind(",")
        if not (comma > 0 and left[comma + 1:].strip(_WS)):
            return False
        sp, desc = _clean_speaker(left[comma + 1:])
        if not (sp and len(sp.split()) <= 8):
            return False
        cs, ce = s, s + comma
        told = _outlet(cu.right) if cu.lemma == "tell" else None
        original = plausible_speaker(citing.group("orig")) if citing else None
        if original and original != sp:
            # "..., Caliber.Az reports, citing The National.": The National said it, Caliber.Az relays it
            chain = [original, sp]
            sp, desc = original, None
        else:
            chain = [sp, told] if told and told != sp else None
        if cs < ce:
            self._add(cs, ce, sp, cu.word.lower(), "content_then_cue", 0.85, descriptor=desc, chain=chain,
                      speaker_pos=s + comma + 1)
            st.last_speaker = (sp, s + comma + 1)
        return True

    # content first, speaker after the cue: "..., said the senior MP."
    def _content_then_inverted_cue(self, st: _SentenceState, cu: _Cue) -> bool:
        if not (cu.lemma in cues.SPEECH and cu.tail_is_adverbial()):
            return False
        s, left = st.s, cu.left
        comma = left.rstrip().rfind(",")
        if not (comma > 0 and not left[comma + 1:].strip(_WS)):
            return False
        sp = _speaker_after(cu.right)
        if sp and sp.split(None, 1)[0].lower() in _LEADING_PREP:
            # "..., a spokeswoman, Anna White, said on Saturday.": the speaker came before the cue, set off by
            # commas with its role
            return self._content_then_set_off_speaker(st, cu, comma)
        if sp:
            self._add(s, s + comma, sp, cu.word.lower(), "content_then_inverted_cue", 0.8,
                      speaker_pos=s + cu.m.end())
            st.last_speaker = (sp, s + cu.m.end())
        return True

    def _content_then_set_off_speaker(self, st: _SentenceState, cu: _Cue, comma: int) -> bool:
        """"The tool helps in a crisis, a spokeswoman, Anna White, said on Saturday.": the content ends at the
        comma before the speaker's two parts (rule content_then_cue)."""
        s, left = st.s, cu.left
        first = left.rfind(",", 0, comma)
        before = left.rfind(",", 0, first) if first > 0 else -1
        if before <= 0:
            return False
        name, role = left[first + 1:comma].strip(_WS), left[before + 1:first].strip(_WS)
        if not (name[:1].isupper() and role.split(None, 1)[0].lower() in ("a", "an", "the", "his", "her", "their",
                                                                          "its") and len(role.split()) <= 8):
            return False
        sp, _desc = _clean_speaker(left[before + 1:comma + 1])
        if not (sp and sp[:1].isupper() and len(left[:before].split()) >= 3):
            return False
        self._add(s, s + before, sp, cu.word.lower(), "content_then_cue", 0.85, descriptor=role,
                  speaker_pos=s + first + 1 + (len(left[first + 1:comma]) - len(left[first + 1:comma].lstrip())))
        st.last_speaker = (sp, s + first + 1)
        return True

    # parenthetical: "The move, officials said, was approved."
    def _parenthetical_cue(self, st: _SentenceState, cu: _Cue) -> bool:
        left = cu.left
        pm = _PAREN_LEFT.search(left, max(0, len(left) - 80)) if cu.right.lstrip()[:1] == "," else None
        if not (pm and cu.lemma in cues.SPEECH):
            return False
        sp, desc = _clean_speaker(pm.group(1))
        if not (sp and len(sp.split()) <= 6):
            return False
        self._add(st.s, st.e, sp, cu.word.lower(), "parenthetical_cue", 0.75, descriptor=desc,
                  speaker_pos=st.s + pm.start(1))
        st.last_speaker = (sp, st.s + pm.start(1))
        return True

    # inverted after content: "..., said Sara Jones, a party strategist, in an interview." (rule
    # content_then_inverted_cue, as _content_then_inverted_cue, when the words after the speaker are more
    # than an adverbial)
    def _inverted_after_content(self, st: _SentenceState, cu: _Cue) -> bool:
        lemma, left, right, m, s = cu.lemma, cu.left, cu.right, cu.m, st.s
        if not (lemma in cues.SPEECH and lemma != "tell" and not cu.word.endswith("ing")):
            return False
        lt = left.rstrip()
        im = _INVERTED_RIGHT.match(right)
        seg = lt[:-1].rsplit(",", 1)[-1]
        sp = _speaker_after(right)
        # "Drought, wind and flooding topped ..., said the US Department of Defense.": whatever the left looks
        # like ("Drought, <an apposition>,"), a bare name ending the sentence after the cue is who said it
        bare = bool(sp) and right.find(sp) >= 0 and _TRAILING_ADVERBIAL.fullmatch(right, right.find(sp) + len(sp))
        # "..., say oceanographers, but ...": a bare plural after the cue is its subject; read the other way the
        # content would be the one word "oceanographers"
        plural = bool(im) and im.group()[-1:] == "s" and bool(sp) and sp.islower() and sp.endswith("s")
        if not (lt.endswith(",") and im and len(seg.split()) >= 4
                and (bare or plural or _clean_speaker(left)[1] is None)):
            return False
        if not (sp and not sp.split()[0].lower() in _SUBJECT_PRONOUNS | {"that"}):
            return False
        speaker_pos = s + m.end() + im.end() - len(im.group().lstrip())
        if _CLAUSE_RESUMES.match(right, right.find(sp) + len(sp)):
            # "One of the most popular offerings, said the owners, is the Pick 6": the cue interrupts the
            # clause; what was said is the whole sentence, as in "The move, officials said, was approved."
            self._add(s, st.e, sp, cu.word.lower(), "parenthetical_cue", 0.75, speaker_pos=speaker_pos)
        else:
            self._add(s, s + len(lt) - 1, sp, cu.word.lower(), "content_then_inverted_cue", 0.8,
                      speaker_pos=speaker_pos)
        st.last_speaker = (sp, s + m.end())
        return True

    # "The election, called after the death of ..., will go": "called" set off by a comma and followed by a
    # time preposition is a participle (called = held, summoned); nobody speaks. Other verbs there are speech
    # after an apposition ("Smegielski, ..., complained during").
    def _skip_called_participle(self, st: _SentenceState, cu: _Cue) -> bool:
        return cu.lw == "called" and cu.left.rstrip().endswith(",") and _PREPOSITION_NEXT.match(cu.right) is not None

    # "X is believed to ...", "The country is expected to ...": X is what the claim is about, not who says it.
    # Belief and report verbs make an unattributed, hedged claim of the sentence; any other passive with no
    # agent ("The episode was revealed last week") names what was said, not who said it (an agent after "by"
    # is _passive_by's).
    def _hedged_passive(self, st: _SentenceState, cu: _Cue) -> bool:
        left = cu.left
        if not (_is_participle(cu.word) and cu.lemma != "worry" and _PASSIVE_AUX_BEFORE.search(left[-30:])
                and not _impersonal_before(left[-40:])):
            return False
        if cu.right[:4] == " to " and cu.lemma in _UNATTRIBUTED_PASSIVES:
            self._add(st.s, st.e, None, cu.word.lower(), "hedged_passive", 0.45)
        return True

    # "as they say in baseball", "as you know": an idiom; after the speaker, "said to a crowd of about 500" and
    # "said of the vote" name the audience or the topic, not a proposition
    def _skip_idiom_or_audience(self, st: _SentenceState, cu: _Cue) -> bool:
        if _AS_IDIOM.search(cu.left[-14:]):
            return True
        right = cu.right
        if ":" in right or "“" in right or '"' in right:
            return False  # "said of Mr. Rubio: 'He is ...'": the content follows the colon
        if right[:7] == " about " and len(right.split(None, 8)) <= 7 and not _QUANTITY_NEXT.match(right, 6) \
                and not _AMOUNT_WORD.match(right, 7) and not _WH_NEXT.match(right, 6):
            # "we wrote about that too", "warned about the risks": a short topic, no proposition (a longer
            # one, or "about whether ...", often holds one)
            return True
        return cu.lw in ("said", "says") and (right[:4] == " to " and not right.lower().startswith(" to be")
                                              or right[:4] == " of ")

    # "It has been reported that ...", "It is widely believed that ...": a claim with no speaker
    def _impersonal_passive(self, st: _SentenceState, cu: _Cue) -> bool:
        if cu.speaker()[0]:
            return False
        if _is_participle(cu.word) and _impersonal_before(cu.left[-40:]):
            body = self.body
            cs, ce = self._extend_for_quotes(_strip_that(body, st.s + cu.m.end(), st.e), st.e)
            if len(body[cs:ce].split()) >= 3:
                self._add(cs, ce, None, cu.word.lower(), "impersonal_passive", 0.5)
        return True

    # speaker first: "Shafaq News reported that ..."
    def _speaker_cue_content(self, st: _SentenceState, cu: _Cue) -> bool:
        body, text, s, e = self.body, st.text, st.s, st.e
        m, word, lemma, left, right = cu.m, cu.word, cu.lemma, cu.left, cu.right
        sp, desc = cu.speaker()
        speaker_at = s + max(0, left.rfind(sp))
        if sp.lower() in _RELATIVE and lemma in _EVALUATIVE:
            return True  # "Clinton, who once praised the deal, said ...": background in a relative clause
        antecedent = None
        e_cap = None
        if sp.lower() in ("he", "she") and text.split(None, 1)[0].lower() in _FRONTED and "," in text[m.end():]:
            # "Although he said it was wild ..., Isaac stopped short of ...": the pronoun in a fronted
            # clause looks ahead to the main clause's subject
            main_at = text.index(",", m.end())
            main = text[main_at + 1:]
            subj = _not_a_fragment(plausible_speaker(_leading_subject(main.strip()))) if main.strip() else None
            if subj and subj.split()[-1][:1].isupper() and subj.lower() not in _SUBJECT_PRONOUNS:
                antecedent = subj
                e_cap = s + main_at  # the claim is the fronted clause's; the main clause is the narrator's
        elif sp.lower() in ("he", "she") and left.strip().lower() != sp.lower():
            # "Texas Sen. Ted Cruz is highlighting his win as he urges ...": a pronoun later in a sentence
            # whose subject is a named person is that person
            subj, _ = _clause_subject(left[: max(0, left.rfind(sp))])
            pm = _POSSESSOR.match(subj) if subj else None
            if pm:
                subj = pm.group(1)  # "Mrs. Clinton's Iraq war vote, which she said ...": the possessor
            subj = _not_a_fragment(subj) if subj else None
            if subj and subj.lower() not in _SUBJECT_PRONOUNS and subj.split()[-1][:1].isupper() \
                    and not subj.split()[-1].endswith("s") and subj.split()[0].lower() not in ("the", "a", "an"):
                antecedent = subj
        if e_cap is None and text.split(None, 1)[0].lower() in _FRONTED - {"as", "since"} and "," in text[m.end():] \
                and "," not in text[:m.start()]:
            # "When a TV station calls her cell, one woman shushes the room": what a fronted clause's speaker
            # says ends with the clause; the main clause after its comma is the narrator's (but "As Clinton
            # said in a tweet, women won't be punished": what follows is what she said)
            e_cap = s + text.index(",", m.end())
            clause = text[m.end():e_cap - s].split()
            if len(clause) < 4 or clause[0].lower() in _LEADING_PREP | {"to", "about", "out", "of"}:
                # "When he announced his candidacy in June 2015, ...", "After she wrote in a posting to
                # authors, ...": what is left names the occasion, not what was said
                st.last_speaker = (sp, speaker_at)
                return True
        if sp.lower() in _RELATIVE:
            at = max(left.rfind(", " + sp), left.rfind(" " + sp + " "))
            antecedent = _clean_speaker(left[:at])[0] if at > 0 else None
            if antecedent and len(antecedent.split()) > 3:
                # "the report published by Shafaq News, which quoted ...": the name closing the clause; a
                # whole clause ("The delegation arrived in Baghdad on Monday") is no antecedent
                am = _AGENT_AT_END.search(antecedent) or _NAME_AT_END.search(antecedent)
                antecedent = am.group(1) if am else _not_a_fragment(antecedent)
                if antecedent and len(antecedent.split()) > 6:
                    antecedent = None
            if antecedent and antecedent[:1].islower() and antecedent.split()[0].lower() not in _SUBJECT_OPENERS:
                antecedent = None  # "responding to pressure from labor unions": a clause, not who
        cs = s + m.end()
        told = _outlet(right) if lemma == "tell" else None
        if lemma == "tell":
            tm = _TOLD_WHOM.match(right)
            if tm:
                cs += tm.end()
            else:
                rm = _TOLD_NAME.match(right)
                cs += rm.end() if rm else 0
        if right[:4] == " of " and 0 < right.find(":") < 80:
            cs = s + m.end() + right.find(":") + 1  # "said of Mr. Rubio: ...": the content after the colon
        if (occasion := _OCCASION_FIRST.match(body, cs, min(e, cs + 60))) is not None:
            cs = occasion.end()  # "said in a tweet, women won't be punished": where it was said is not what
        cs = _strip_that(body, cs, e)
        cs, ce = self._extend_for_quotes(cs, e)
        if e_cap is not None and cs < e_cap < ce:
            ce = e_cap
        if sp.lower() in _RELATIVE and body[cs:cs + 1] not in "\"“" and _relative_on_subject(left, sp):
            resumptions = [r.start() for r in _MAIN_CLAUSE_RESUMES.finditer(body, cs, ce)]
            if resumptions:
                ce = resumptions[-1]  # "May, who said the Big Ten was out, got the ruling": the main clause is not said
        if _DEGREE_ONLY.match(body, cs, ce) or lemma in _QUARREL_VERBS and _QUARREL_OBJECT.match(body, cs, ce):
            st.last_speaker = (sp, speaker_at)
            return True  # "They disagree a lot, especially ...", "arguing over which way was up": no proposition
        if body[cs:ce].rstrip(_WS).endswith("?") and body[cs:cs + 1] not in "\"“":
            return True  # "do you think the attack could have been prevented?": a question asserts nothing
        if len(body[cs:ce].split()) < 3:
            st.last_speaker = (sp, s + max(0, len(left) - len(sp) - 1))
            return True
        claim = self._add(cs, ce, sp, word.lower(), "speaker_cue_content", 0.75 if lemma in cues.SPEECH else 0.55,
                          chain=[sp, told] if told and told != sp else None,
                          is_quote=body[cs - 1:cs] in "\"“" or body[cs:cs + 1] in "\"“", descriptor=desc,
                          speaker_pos=speaker_at)
        if claim and antecedent and antecedent.lower() not in _SUBJECT_PRONOUNS:
            claim.resolved = antecedent
        st.last_speaker = (sp, speaker_at)
        if claim and claim.is_quote:
            claim.start, claim.end = _strip_span(body, claim.start, claim.end)
        return True

    # 7. "In a CBS News poll last month, 52 percent backed X": with no other attribution in the sentence, the
    # poll, survey or study it opens with is the source of the rest
    def _in_source(self, st: _SentenceState) -> None:
        text, s, e = st.text, st.s, st.e
        if text[:3] == "In " and len(self.claims) == st.n_claims:
            pm = _IN_SOURCE.match(text)
            if pm and len(pm.group("rest").split()) >= 4:
                sp = _head_noun_phrase(pm.group("sp").strip(_WS))
                self._add(s + pm.start("rest"), e, sp, "in", "in_source", 0.6, speaker_pos=s + pm.start("sp"))

    # 8. "The convoy was reportedly hit ...": hedged reporting with no one named makes a claim with no speaker
    def _hedged_report(self, st: _SentenceState) -> None:
        text, low = st.text, st.low
        if len(self.claims) == st.n_start and ("edly" in low or "ly " in low):
            hm = _HEDGE_ADVERB.search(text)
            if hm and len(text.split()) >= 5:
                self._add(st.s, st.e, None, hm.group().lower(), "hedged_report", 0.4)

    _SENTENCE_RULES = (_colon_attribution, _chain_quotes_as_saying, _quoted_as_saying, _according_to, _passive_by, _what_said_was,
                       _verbs_of_saying, _in_source, _hedged_report)
    _CUE_RULES = (_cue_speaker_quote, _skip_cue_in_quote, _skip_not_a_cue, _continuation, _quote_then_cue,
                  _content_then_cue, _content_then_inverted_cue, _parenthetical_cue, _inverted_after_content, _skip_called_participle,
                  _hedged_passive, _skip_idiom_or_audience, _impersonal_passive, _speaker_cue_content)

    def _trailing_speaker(self, ps: int, pe: int) -> tuple[str, str, int] | None:
        """Who speaks in a sentence that ends with its cue: '"...," the statement said in part.', 'Sam Lau, a
        party spokesman, said in a statement.', 'Cruz continued:'. Only an adverbial may follow the cue; the
        speaker is the one the quotation before the cue was given, else the whole subject before the cue
        (a sentence holding anything else before its cue has content of its own). (speaker, cue, position)."""
        text = self.body[ps:pe]
        last = None
        for m in cues.iter_cues(text):
            last = m
        if last is None:
            return None
        cu = _Cue(last, text)
        if cu.lemma not in cues.SPEECH or not (cu.right.strip(" .:") == "" or cu.tail_is_adverbial()) \
                or _MODAL_BEFORE.search(cu.left[-12:]):
            return None
        if any(ch in cu.left for ch in "\"“”‘’") or cu.lemma in cues.QUOTE_ONLY and cu.right.strip() != ":":
            return None
        if self.body[max(0, ps - 3):ps].rstrip(" ")[-1:] in ("\"", "”", "’", "'"):
            return None  # '"Isn't that a bribe?" Trump asked.': the cue is the quotation's before it
        sp, _ = cu.speaker()
        if not sp or sp.lower() in _RELATIVE:
            return None
        at = cu.left.rfind(sp)
        pre = cu.left[:max(0, at)].strip()
        if pre and not (pre.endswith(",") and _opening_adverbial(pre[:-1])):
            return None  # "Or maybe Jeb Bush, Phil Musser says.": content before the speaker is this sentence's
        return sp, cu.lw, ps + max(0, at)

    # '"...," the statement said in part. "As a result, ..."', 'Pence continued:' over a quoted paragraph: a
    # quotation opening the sentence right after a sentence that ends with its cue goes on with that speaker's
    # words (in the same paragraph; after a colon, in the next)
    def quote_continued(self) -> None:
        body, sentences = self.body, self.sentences
        starts = [s for s, _ in sentences]
        for q in self.quotes:
            if q.words < 4 or not q.balanced or self._is_blocked(q.start, q.end):
                continue
            k = bisect.bisect_left(starts, q.open)
            if k == 0 or k >= len(starts) or starts[k] != q.open:
                continue
            ps, pe = sentences[k - 1]
            gap = body[pe:q.open]
            prev = body[ps:pe].rstrip()
            if gap.strip() or not prev or prev[-1] not in ".:" or ("\n" in gap and prev[-1] != ":"):
                continue
            if any(c.start <= q.start and q.end <= c.end + 2 for c in self.claims):
                continue
            found = self._trailing_speaker(ps, pe)
            if found:
                sp, cue, at = found
                self._add(q.start, q.end, sp, cue, "quote_continued", 0.8, is_quote=True, speaker_pos=at)

    def orphan_quotes(self) -> None:
        """A paragraph that is one long quote with no cue: the speaker is left empty (resolved later)."""
        body = self.body
        for q in self.quotes:
            if q.words < 8 or self._is_blocked(q.start, q.end):
                continue
            if any(c.start <= q.start and q.end <= c.end + 2 for c in self.claims):
                continue
            if any(q.start <= c.start and c.end <= q.end and c.rule in ("quote_then_cue",) for c in self.claims):
                continue
            if body[q.start:q.start + 13].lower().startswith("according to") and any(
                    q.start <= c.start < q.end and c.rule == "according_to" for c in self.claims):
                continue  # '"According to an article on Sitepoint, ...': the quotation says whose it is; one row
            line_start = body.rfind("\n", 0, q.open) + 1
            if body[line_start:q.open].strip():
                continue  # the quote is inside a sentence; not a stand-alone quotation
            self._add(q.start, q.end, None, None, "orphan_quote", 0.45, is_quote=True, speaker_pos=q.open)


def find_claims(body: str, sentences: list[tuple[int, int]], quotes: list[Quote],
                blocked: list[tuple[int, int]]) -> list[RawClaim]:
    ex = _Extractor(body, sentences, quotes, blocked)
    ex.run()
    ex.quote_continued()
    ex.orphan_quotes()
    ex.claims.sort(key=lambda c: (c.start, -c.end))
    return ex.claims


def _holds_quote(s: int, e: int, quotes: list[Quote] | None) -> bool:
    if not quotes:
        return False
    starts = [q.start for q in quotes] if len(quotes) < 64 else None
    lo = bisect.bisect_left(starts, s - 1) if starts is not None else 0
    for q in quotes[lo:]:
        if q.start >= e:
            break
        if q.balanced and s <= q.start + 1 and q.end <= e + 1 and q.words >= 3:
            return True
    return False


def to_extracted(body: str, raw: list[RawClaim], quotes: list[Quote] | None = None) -> list[ExtractedClaim]:
    out: list[ExtractedClaim] = []
    # The body lower-cased once, for the hint tests before the hedge and denial patterns; its slices stand
    # for lower-cased slices only where lower() keeps every position (it may lengthen a letter).
    low = body.lower() if raw else ""
    if len(low) != len(body):
        low = None
    # A body without any hedge (denial) hint has none in any part: its claims are not tested one by one.
    may_hedge = low is None or cues.may_contain(body, cues.HEDGE_HINTS, low)
    may_deny = low is None or cues.may_contain(body, cues.DENIAL_HINTS, low)
    for c in raw:
        text = body[c.start:c.end]
        cue_lemma = cues.FORMS.get(((c.cue or "").split() or [""])[0].lower(), "")
        hedged = (cue_lemma in cues.HEDGING
                  or may_hedge and (
                      cues.has_hedge_word(text[:300], low and low[c.start:min(c.end, c.start + 300)])
                      or (0 <= c.speaker_pos < c.start
                          and cues.has_hedge_word(body[max(0, c.speaker_pos - 5):c.speaker_pos + 80],
                                                  low and low[max(0, c.speaker_pos - 5):c.speaker_pos + 80]))))
        denial = (cue_lemma in cues.DENYING and not (0 <= c.speaker_pos < c.start and cues.NON_DENIAL.search(
                      body, c.speaker_pos, c.start))) \
            or (may_deny and cues.has_denial_word(text, low and low[c.start:c.end]))
        # a quotation of three words or more inside the content ('the deal was "dead in the water"') is quoted
        # speech too, as is a content opening on a quote mark after 'said, "'
        is_quote = c.is_quote or _holds_quote(c.start, c.end, quotes)
        out.append(ExtractedClaim(start=c.start, end=c.end, text=text, speaker=c.speaker, cue=c.cue,
                                  chain=list(c.chain), is_quote=is_quote, is_hedged=hedged,
                                  is_denial=denial, rule=c.rule, confidence=c.confidence,
                                  speaker_resolved=c.resolved, speaker_inferred=c.resolved is not None))
    # nesting: the smallest other claim that strictly contains this one
    _set_parents(out)
    return out


def _set_parents(out: list[ExtractedClaim]) -> None:
    """``parent`` = the smallest other claim that strictly contains a claim (ties: the earliest).

    One sort, then a sweep that keeps only the claims still open at the current start: O(n log n + n*d),
    d the nesting depth (a handful), instead of comparing every pair."""
    order = sorted(range(len(out)), key=lambda i: (out[i].start, -out[i].end, i))
    active: list[int] = []  # claims whose span reaches past the current start
    for i in order:
        c = out[i]
        active = [j for j in active if out[j].end >= c.start]  # an earlier end can contain nothing more
        best = None
        blen = 0
        clen = c.end - c.start
        for j in active:
            p = out[j]
            plen = p.end - p.start
            if (p.start <= c.start and c.end <= p.end and plen > clen
                    and (best is None or plen < blen or (plen == blen and j < best))):
                    best, blen = j, plen
        c.parent = best
        active.append(i)


_NESTED_PRONOUNS = {"he": "one", "she": "one", "it": "thing", "they": "many"}
_GENERIC_HEADLINE_SPEAKERS = word_set("claim_words.txt", "generic_headline_speakers")


def finalize(claims: list[ExtractedClaim], body: str, sentences: list[tuple[int, int]]) -> list[ExtractedClaim]:
    """One row per assertion, after speakers are resolved (coref.resolve).

    - A pronoun subject of a claim nested in another's content ("X said he believes ...", "the channel posted
      photos of what it said was ...") is the enclosing speaker; the nested row then repeats the enclosing
      assertion and is dropped, as is a nested row whose verb reports no speech ("... since Hamas rejected").
    - A row whose content is only another speaker's claim ("The daily added that informed sources confirmed
      ...") gives way to that claim, whose chain runs through it.
    - An "according to X" row that overlaps another row of its sentence without containing it ("According to
      the sources, ..., the MP said") gives way to it.
    - A report whose lede relays another outlet ("X quotes sources as saying in a conversation with Y") relays
      every claim in it: their chains end with the same relays.
    """
    if not claims:
        return claims
    _set_parents(claims)
    drop: set[int] = set()
    for i, c in enumerate(claims):
        if c.parent is None:
            continue
        p = claims[c.parent]
        kind = _NESTED_PRONOUNS.get((c.speaker or "").lower())
        p_name = p.speaker_resolved or p.speaker
        if kind and p_name and not p.is_quote and p_name.lower() not in _NESTED_PRONOUNS \
                and (kind != "many") == (not p_name.lower().endswith("s") or kind == "thing"):
            c.speaker_resolved, c.speaker_inferred = p_name, True
            c.chain = list(p.chain) or [p_name]
        c_name = c.speaker_resolved or c.speaker
        lemma = cues.FORMS.get(((c.cue or "").split() or [""])[0].lower(), "")
        if p.is_quote and (c.speaker or "").lower() in ("i", "we", "you") and lemma in _HEDGE_OPINION:
            # "I think ...", "you know ..." inside a quotation hedge the quoted speaker's own assertion, which
            # the quotation's row already carries
            drop.add(i)
            continue
        if not p.is_quote and (
                (c_name and p_name and c_name == p_name and c.rule in ("what_said_was", "according_to"))
                or (lemma and lemma not in cues.SPEECH)):
            drop.add(i)
            continue
        # the parent only carries this claim: its content opens with this claim's speaker and ends with it
        head = body[p.start:c.start]
        if c.speaker and abs(c.end - p.end) <= 2 and head.lstrip(" \"'“‘").startswith(c.speaker) \
                and len(head) <= len(c.speaker) + 60 and _is_source_phrase(c.speaker, body, c.start - len(head)):
            drop.add(c.parent)
            c.chain = list(c.chain) + [x for x in p.chain if x not in c.chain]
    for i, c in enumerate(claims):
        if c.parent is not None and i not in drop and c.parent not in drop:
            _end_before_coordinate(claims[c.parent], c, body)
    sent_of = _sentence_index(claims, sentences)
    for i, c in enumerate(claims):
        if c.rule != "according_to" or i in drop:
            continue
        for j, d in enumerate(claims):
            if j != i and j not in drop and sent_of[i] == sent_of[j] and d.start < c.end and c.start < d.end \
                    and not (c.start <= d.start and d.end <= c.end) and not (d.start <= c.start and c.end <= d.end):
                drop.add(i)
                break
    kept = [c for i, c in enumerate(claims) if i not in drop]
    _transcript_speakers(kept, body)
    _first_person_after_a_quote(kept, body)
    _carry_lede_relays(kept, sentences)
    for c in kept:
        c.parent = None
    _set_parents(kept)
    return kept


# A coordinated clause with its own speaker: "..., while Cruz said", "...; and some families said".
_COORDINATE_BEFORE = re.compile(r"(?:[,;]\s*(?:and|but|while|whereas|yet)|;)\s+$", re.I)


def _end_before_coordinate(p: ExtractedClaim, c: ExtractedClaim, body: str) -> None:
    """"Rubio suggested that A, while Cruz said that B": Rubio's content is A. A content that is not a quotation
    ends before a coordinated clause whose speaker has a row of its own (``c``, nested in ``p``), unless the cut
    would fall inside a quotation."""
    if p.rule in ("quote_then_cue", "orphan_quote", "cue_speaker_quote") or not c.speaker or c.start <= p.start:
        return
    at = body.rfind(c.speaker, p.start, c.start)
    if at < 0 or at - p.start > 2000:
        return
    m = _COORDINATE_BEFORE.search(body, max(p.start, at - 12), at)
    if m is None:
        return
    end = m.start()
    while end > p.start and body[end - 1] in _WS + ",;":
        end -= 1
    if len(body[p.start:end].split()) < 3 or _holds_open_quote(body[p.start:end]) \
            or body[max(0, p.start - 2):p.start].strip(" ")[-1:] in ("\"", "“", "'", "‘"):
        return  # (a content opening a quotation: the cut would fall inside it)
    p.end, p.text = end, body[p.start:end]


def _holds_open_quote(text: str) -> bool:
    """An opening quotation mark without its closing one: cutting there would split a quotation."""
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1 or text.count("''") % 2 == 1


_SOURCE_WORDS = word_set("claim_words.txt", "source_words")


def _is_source_phrase(speaker: str, body: str, at: int) -> bool:
    """ "informed sources", "officials", or a speaker set in quotation marks by the relaying outlet: a relayed
    source, whose own claim carries the relay in its chain (a named person's claim inside another's is reported
    speech the outer speaker asserts)."""
    words = speaker.lower().split()
    if words and words[-1] in _SOURCE_WORDS:
        return True
    return body[at:at + 1] in "\"“"


# A transcript line: "FALLIN: Well, I think ...", "RAMOS: Secretary Clinton, ...".
_TRANSCRIPT_LABEL = re.compile(r"[ \t]*([A-Z][A-Z.'’ -]{1,30}[A-Z.]):\s")


def _transcript_speakers(claims: list[ExtractedClaim], body: str) -> None:
    """In a transcript, the capitalised label opening a line is who speaks in it: its "I"/"we" and its
    unattributed rows are that speaker's."""
    for c in claims:
        sp = (c.speaker or "").lower()
        if not (sp in ("i", "we") or not sp) or (c.speaker_resolved and c.speaker_resolved.lower() not in ("i", "we")
                                                   and sp):
            continue
        line_start = body.rfind("\n", 0, c.start) + 1
        m = _TRANSCRIPT_LABEL.match(body, line_start, min(len(body), line_start + 40))
        if m and m.end() <= c.start + 1 and not gz.is_place(m.group(1).title()):
            label = m.group(1).strip()
            c.speaker_resolved, c.speaker_inferred = label, True
            c.chain = [label]


def _first_person_after_a_quote(claims: list[ExtractedClaim], body: str) -> None:
    """'"I don't know that I said it," Doherty said. "What I said was that ..."': an unresolved "I" or "we" in
    the same paragraph after someone's quotation, inside quotation marks, is that speaker still."""
    last_quote = None
    for c in claims:  # in body order
        if c.is_quote and c.speaker_resolved and c.speaker_resolved.lower() not in ("i", "we"):
            last_quote = c
            continue
        if last_quote is None or (c.speaker or "").lower() not in ("i", "we") or c.speaker_resolved:
            continue
        gap = body[last_quote.end:c.start]
        if "\n" not in gap and any(q in gap for q in "\"“"):
            c.speaker_resolved, c.speaker_inferred = last_quote.speaker_resolved, True
            c.chain = list(last_quote.chain) or [last_quote.speaker_resolved]


def _sentence_index(claims, sentences) -> list[int]:
    starts = [s for s, _ in sentences]
    return [bisect.bisect_right(starts, c.start) - 1 for c in claims]


def _carry_lede_relays(claims: list[ExtractedClaim], sentences) -> None:
    lede_end = sentences[min(2, len(sentences) - 1)][1] if sentences else 0
    # "Caliber.Az quotes sources as saying in a conversation with The National" opening a report: the report
    # retells another outlet's story, and every claim in it comes through both outlets
    lede = next((c for c in claims if c.rule == "chain_quotes_as_saying" and len(c.chain) >= 3
                 and c.start < lede_end), None)
    if lede is None:
        return
    relays = lede.chain[1:]
    for c in claims:
        if c is lede:
            continue
        if c.rule == "headline_lede" and (c.speaker or "").lower() in _GENERIC_HEADLINE_SPEAKERS:
            # "Media: ..." over a lede relayed from sources through outlets: those media, those sources
            c.speaker_resolved, c.speaker_inferred = lede.chain[0], True
            c.chain = list(lede.chain)
            continue
        name = c.speaker_resolved or c.speaker
        if not name:
            continue
        chain = list(c.chain) or [name]
        if chain[-len(relays):] != relays:
            c.chain = chain + [r for r in relays if r not in chain]
