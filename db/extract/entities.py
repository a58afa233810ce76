"""Named entities (PERSON / ORG / LOC / MEDIA) from capitalisation, context cues, general gazetteers and the
trained recogniser's spans (``db.extract.ner``; how the two combine is ``db.extract.model_votes``).

No names of particular people or groups are listed: a span's type comes from titles and roles before it,
organisation/outlet head words, apposition descriptors, the place lists, the given-name list and the model.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from db.models import ExtractedEntity

from . import gazetteer as gz
from . import vetoes
from .cues import may_contain
from .casing import capitalised_only_at_starts, uncased_guess, well_cased
from .model_votes import MODEL_ORG, SURE, combine
from .names import name_key
from .place_datelines import place_dateline
from .shared_surnames import share_surnames

# A capitalised run: tokens (initials "U.S.", or a capital with an optional article prefix "al-", "bin-") joined
# by white space and connectors. Written plainly, that is _SPAN_PLAIN: not preceded by a word character,
# _TOK, then more tokens. _SPAN finds the same runs faster (the tests compare the two): it opens with the
# first token's capital, so that the engine skips from capital to capital instead of trying every position,
# and looks behind that capital for the conditions on what precedes the run, or for an article prefix that
# starts it (group p2 or p3: two or three letters). _runs gives the runs' spans.
_TAIL = r"[\w'’]*(?:[-.][A-Za-z][\w'’]*)*"  # what follows a token's capital
_TOK = rf"(?:(?:[A-Z]\.){{2,}}|(?:(?:al|el|ad|ash|as|at|az|an|ar|ul|ud|bin|ibn)-)?[A-Z]{_TAIL})"
_CONN = r"(?:of|of\s+the|and|the|de|del|da|al|el|bin|ibn|bint|abu|van|von|der|du|le|la|&|on)"
_MORE_TOKENS = rf"(?:[ \t]+(?:{_CONN}[ \t]+)?{_TOK})*"
_SPAN_PLAIN = rf"(?<![\w'’-]){_TOK}{_MORE_TOKENS}"
_SPAN = re.compile(rf"[A-Z](?:(?<![\w'’-].)(?:\.(?:[A-Z]\.)+|{_TAIL})"
                   rf"|(?<=(?<![\w'’-])(?P<p2>al|el|ad|as|at|az|an|ar|ul|ud)-.){_TAIL}"
                   rf"|(?<=(?<![\w'’-])(?P<p3>ash|bin|ibn)-.){_TAIL}){_MORE_TOKENS}")
_INNER_POSS = re.compile(r"(?:'s|’s)\s+(?=[A-Z])")
# An office named after its holder's role: "Sheriff's Office", "Attorney General's Office", "Coroner's Department"
_ROLE_OFFICE = re.compile(r"(?:Sheriff|Attorney|General|Marshal|Coroner|Governor|Mayor|Minister|President|Comptroller|"
                          r"Auditor|Treasurer|Prosecutor|Clerk|Examiner|Controller|Assessor|Recorder|Chancellor)"
                          r"(?:'s|’s)[ \t]+(?:Office|Department|Dept\.)")
_AFFIX = re.compile(r"^(?:anti|pro|non|ex|post|pre)-", re.I)
_SUFFIX_COMPOUND = re.compile(r"-(?:backed|based|led|linked|affiliated|aligned|allied|funded|supported|made|born|"
                              r"controlled|run|owned|style|era|held|friendly|leaning)$", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_QUOTED_ACCOUNT = re.compile(
    r"[\"“](?P<name>[A-Z][^\"“”\n]{0,50}?),?[\"”],?\s+(?P<desc>(?:a|an|the)\s+[^,.;\n]{0,60}?\b(?:account|channel|page|"
    r"blog|outlet|website|site|group|user|handle)\b[^,.;\n]{0,30})")
# What every _QUOTED_ACCOUNT match holds (a closing quote, then an article): a quick scan for it first, as
# the full pattern is slow to fail at every quotation.
_QUOTE_THEN_ARTICLE = re.compile(r"[\"”],?\s+(?:a|an|the)\s")
# A lower-case adjective inside a facility name: "Baghdad international Airport", "Erbil civil Airport".
_LOWER_INSIDE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3}[ \t]+(?:international|national|regional|"
    r"central|general|municipal|military|civil|domestic)[ \t]+(?P<head>Airport|Air[ \t]+Base|Airbase|Airfield|"
    r"Port|Seaport|Harbou?r|Station|Terminal|Stadium|Hospital|Bridge|Crossing))\b")
_FACILITY_ORG: frozenset[str] = frozenset()  # a hospital is a place, as every other facility here
# What a facility name with a lower-case adjective must contain (its head word, then the adjective before
# it): checked first, as the full pattern is slow to run over a whole body.
_FACILITY_HEAD_HINTS = ("Air", "Port", "Seaport", "Harbo", "Station", "Terminal", "Stadium", "Hospital", "Bridge",
                        "Crossing")
_LOWER_INSIDE_CORE = re.compile(r"(?:international|national|regional|central|general|municipal|military|civil|"
                                r"domestic)[ \t]+(?:Airport|Air[ \t]+Base|Airbase|Airfield|Port|Seaport|Harbou?r|"
                                r"Station|Terminal|Stadium|Hospital|Bridge|Crossing)\b")
_X_AFTER = r"(?=\s*(?:[,.;:)]|\s+(?:account|post|user|platform|page)|$|\s+\(formerly))"
# (the lookahead: a match starts with one of these letters, the quick test first)
_PLATFORM_X = re.compile(rf"(?=[ovtfX])(?:\b(?:on|via|to|from)\s+|^)(X){_X_AFTER}", re.M)
# An "X" followed as _PLATFORM_X wants: found far faster (a literal first), and needed by every match.
_X_HINT = re.compile(rf"X{_X_AFTER}", re.M)
_STOP_START = frozenset(
    """the a an in on at by for from with of to as and but or if when while after before since during
    according earlier later this that these those there here it its he she they we i you his her their our
    my your what which who whom whose where why how no not yes also however meanwhile moreover furthermore
    then thus so yet still although though because despite among between under over into through about
    senior some many most several another other such all both each every one two three first last next new
    please read click more print share follow sign subscribe related see note editor update watch
    neither nor either whether until unless once now even just only instead asked following""".split()
)
_ORG_ROLE_AFTER = re.compile(r"^(?:'s?|’s?)?\s*(?:political\s+|military\s+|top\s+|senior\s+)?(?:leaders?|leadership|"
                             r"officials?|members?|movement|spokes(?:man|woman|person)|office|offices|headquarters|"
                             r"fighters|militants|commanders?|delegation|chief|representatives?|group|bureau)\b", re.I)
_LOC_AFTER = re.compile(r"^\s+(" + "|".join(sorted(gz.LOC_HEADS)) + r")\b")
_MEDIA_BEFORE = re.compile(r"\b(" + "|".join(sorted(gz.MEDIA_NOUNS)) + r")\s+$", re.I)
_PERSON_BEFORE = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(gz.PERSON_TITLES, key=len, reverse=True))
                            + r")\s+$", re.I)
_APPOS_MEDIA = re.compile(r"^,\s+((?:a|an|the)?\s*[^,.;\n]{0,50}?\b(?:news|website|site|daily|newspaper|outlet|"
                          r"channel|agency|broadcaster|account|magazine|tv|television|radio|blog)\b[^,.;\n]{0,20}),", re.I)

# Every _APPOS_MEDIA match holds one of these (lower case).
_APPOS_HINTS = ("news", "site", "daily", "outlet", "channel", "agency", "broadcaster", "account", "magazine", "tv",
                "television", "radio", "blog")
_DOMAIN_LIKE = re.compile(r"[A-Za-z0-9]\.[A-Za-z]{2}")
_PLACE_PREPOSITIONS = frozenset("of in from near outside".split())
# Words that make the outlet head word after them part of another body's name ("US Airways Express",
# "Princeton University Press", "Paley Center for Media")
_NOT_BEFORE_OUTLET = gz.ORG_HEADS | {"airways", "airlines"}
_PLACE_AFTER = re.compile(r", ((?:[A-Z][\w'’-]* ?){1,3})(?=[,.;)]|$)")
_P1 = re.compile(r"(?:al|el|bin|ibn|abu|Al|El|Bin|Ibn|Abu)(?:-|$)")
_P2 = re.compile(r"(?:[A-Z]\.?){3,6}")
_P3 = re.compile(r"^\s+(?:said|says|told|added|wrote)\b")
_P4 = re.compile(r"(\S+)(\s+|$)")
_P5 = re.compile(r"(?:\s+|^)(\S+)$")
_P6 = re.compile(r"(?:^|\n)[\"“‘'(\[]*$")
_P7 = re.compile(r"[A-Za-z]")

_THE = re.compile(r"^the\s+", re.I)
_TITLE_FUNC = gz.TITLE_CASE_FUNCTION_WORDS
_TITLE_FUNC_RE = re.compile(r"\s(?:" + "|".join(sorted(_TITLE_FUNC, key=len, reverse=True)) + r")\s")
_TITLE_RUN_MAX = 6  # tokens: a longer run holding a capitalised function word is a title, not a name
_TOKEN = re.compile(r"\S+")
_LINE = re.compile(r"[^\n]+")
_WORDS = re.compile(r"[A-Za-z][\w'’-]*")


class _Votes(dict):
    """Votes per type, a missing type counting 0: a Counter without its Python-level ``__init__``."""

    def __missing__(self, key: str) -> int:
        return 0


@dataclass(slots=True)
class _Cand:
    name: str
    start: int
    end: int
    # votes a rule gave it before its context is read ("_headline" counts a mention in a Title Case
    # headline); None for most mentions, which get theirs from the name and its context only
    votes: dict[str, int] | None = None
    descriptor: str | None = None
    titled: bool = False


def _is_headline(line: str) -> bool:
    # a closing quote mark or bracket may end a headline ('Outlet: Office To Open "With Approvals"'); a full
    # stop before it still ends a sentence
    if len(line) > 400 or line.rstrip().rstrip("\"”’')]").endswith((".", "!", "?", ",")):
        return False
    words = _WORDS.findall(line)
    if len(words) < 4:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


_STATE_WORDS = frozenset({"state", "republic", "kingdom", "emirate", "sultanate", "principality"})


@lru_cache(maxsize=65536)
def _name_votes(name: str) -> tuple[tuple[str, int], ...]:
    """The votes a name earns by itself (gazetteers, head words, shape); cached, as names recur."""
    tokens = name.split()
    v = _Votes()
    low = [t.lower().strip(".") for t in tokens]
    if name in gz.PLATFORMS:
        v["MEDIA"] += 5
    if name in gz.ORGANISATIONS:
        v["ORG"] += 4
    if ("'" in name or "’" in name) and name.endswith(("Office", "Department", "Dept.")) and _ROLE_OFFICE.search(name):
        v["ORG"] += 4  # "Yamhill County Sheriff's Office": an office, whatever the model reads in it
    if gz.is_place(name) or (name[:3].lower() == "the" and gz.is_place(_THE.sub("", name))):
        v["LOC"] += 4
    if low[-1] in gz.MEDIA_HEADS and len(tokens) > 1 and not any(w in _NOT_BEFORE_OUTLET for w in low[:-1]):
        v["MEDIA"] += 3  # not after an organisation's head word: "US Airways Express" is a carrier
    if any(_DOMAIN_LIKE.search(t) for t in tokens):
        v["MEDIA"] += 3  # a domain-like name: "Caliber.Az" (not "Co.", "Jr." or "U.S.")
    if low[-1] in gz.ORG_HEADS and len(tokens) > 1:
        v["ORG"] += 3
    if len(tokens) > 2 and low[1] == "of":
        if low[0] in gz.ORG_HEADS:
            v["ORG"] += 3  # "Council of Ministers", "Ministry of Interior"
        elif low[0] in _STATE_WORDS:
            v["LOC"] += 3  # "State of Palestine", "Kingdom of Saudi Arabia"
    if low[0].replace("'", "").replace("’", "") in gz.ORG_HEADS_TRANSLITERATED or low[0] in gz.ORG_HEADS_TRANSLITERATED:
        v["ORG"] += 4
    if low[-1] in gz.LOC_HEADS and len(tokens) > 1:
        # a street, village or hospital named after a person is still a place
        v["LOC"] += 5 if low[-1] in gz.UNAMBIGUOUS_LOC_HEADS else 3
    if tokens[0] in gz.GIVEN_NAMES and len(tokens) >= 2:
        v["PERSON"] += 3
    if 2 <= len(tokens) <= 5 and any(_P1.match(t) for t in tokens[1:]):
        v["PERSON"] += 2
    if _P2.fullmatch(name) and not gz.is_place(name):
        v["ORG"] += 2
    return tuple(v.items())


def _listed(name: str) -> bool:
    """Whether a word list is sure of the name by itself (a listed place, organisation or platform)."""
    return max((v for _, v in _name_votes(name)), default=0) >= SURE


@lru_cache(maxsize=65536)
def _name_profile(name: str) -> tuple[str, int, tuple[tuple[str, int], ...], tuple[str, int], int] | None:
    """All that typing a mention needs of its name alone, once per spelling: None for no name at all (a
    function word first, a lone demonym or title), else (name key, number of tokens, the name's own votes,
    the vote it gets when neither name nor context says anything, number of words of the key)."""
    tokens = name.split()
    if not tokens or tokens[0] in ("and", "of", "the", "for", "&"):
        return None
    if len(tokens) == 1 and (name in gz.DEMONYMS or name.lower().strip(".") in gz.PERSON_TITLES):
        return None
    if len(tokens) == 2 and tokens[0] == "The" and tokens[1] in gz.DEMONYMS:
        return None  # "The Palestinian movement Hamas", "The Iraqi government": no outlet's name
    if len(tokens) == 2 and tokens[0] in vetoes.COMPASS and tokens[1] in gz.DEMONYMS:
        return None  # "West African", "North Korean": a people's adjective, no place
    n = len(tokens)
    # "The National", "The Guardian": newspapers are named this way
    fallback = ("MEDIA", 2) if tokens[0] == "The" and n <= 3 else ("PERSON" if 2 <= n <= 3 else "ORG", 1)
    key = name_key(name)
    return key, n, _name_votes(name), fallback, len(key.split())


def _tally(body: str, c: _Cand, n_tokens: int, own: tuple[tuple[str, int], ...], fallback: tuple[str, int],
           t: dict[str, int]) -> None:
    """Add one mention's votes to ``t``, its name's running total: the name's own votes plus those of its
    context (the word before it, an apposition after it), or ``fallback`` when neither says anything, plus
    the votes a rule gave the mention. Totals are all the merge reads, so no per-mention dict is built."""
    get = t.get
    for k, n in own:
        t[k] = get(k, 0) + n
    evidence = bool(own)
    start, end = c.start, c.end
    after = body[end:end + 90]
    title_before = False
    if start and body[start - 1] == " ":
        prev_words = body[max(0, start - 40):start].lower().rsplit(None, 1)
        prev = prev_words[-1].strip(",;:(\"“") if prev_words else ""
        if prev in gz.MEDIA_NOUNS:
            t["MEDIA"] = get("MEDIA", 0) + 3
            evidence = True
        title_before = prev in gz.PERSON_TITLES
        # "of Opelika, Alabama,", "in Albuquerque, New Mexico.": a town, then the state or country it is in;
        # more than the model's vote (it read "Opelika" as a person)
        if prev in _PLACE_PREPOSITIONS and after[:2] == ", " and (pm := _PLACE_AFTER.match(after)) \
                and gz.is_place(pm.group(1).strip()):
            t["LOC"] = get("LOC", 0) + 5
            evidence = True
    # the pattern opens with a comma and holds one of its head words: both are tested first, as it is slow to fail
    am = _APPOS_MEDIA.match(after) if after[:1] == "," and may_contain(after, _APPOS_HINTS) else None
    if am:
        t["MEDIA"] = get("MEDIA", 0) + 3
        evidence = True
        if not c.descriptor:
            c.descriptor = am.group(1).strip()
    if (dateline := place_dateline(body, start)) and dateline.end("place") == end:
        t["LOC"] = get("LOC", 0) + 5  # "TRENTON — ...": where the story was filed
        evidence = True
    if c.titled or title_before:
        t["PERSON"] = get("PERSON", 0) + 3
        evidence = True
    if n_tokens == 1 and _ORG_ROLE_AFTER.match(after):
        t["ORG"] = get("ORG", 0) + 2
        evidence = True
    if after[:1].isspace():  # both patterns open with white space
        if _LOC_AFTER.match(after):
            t["LOC"] = get("LOC", 0) + 3
            evidence = True
        if 2 <= n_tokens <= 3 and _P3.match(after):
            t["PERSON"] = get("PERSON", 0) + 1
            evidence = True
    if not evidence:
        k, n = fallback
        t[k] = get(k, 0) + n
    if c.votes:
        for k, n in c.votes.items():
            t[k] = get(k, 0) + n


# Heads of organisation names that are names themselves: "Lebanese Hezbollah" is Hezbollah.
_NAMED_ORG_HEADS = frozenset({"hezbollah", "hizballah", "hizbullah", "taliban"})


def _demonym_in_org_name(demonym: str, rest: str) -> bool:
    """Whether a demonym belongs to the organisation name it opens: "Syrian Democratic Forces",
    "Iraqi Communist Party", "Iraqi Foreign Ministry" (whose ministry it is matters). "Islamic"
    always does ("Islamic State", "Islamic Resistance Movement", "Islamic Jihad")."""
    if demonym == "Islamic":
        return True
    last = rest.split()[-1].lower().rstrip(".,")
    return last in gz.ORG_HEADS and last not in _NAMED_ORG_HEADS


_OF_THE = re.compile(r"of\s+(?:the\s+)?(?=[A-Z])")


def _common_noun_before_of(word: str) -> bool:
    """A sentence's capitalised first word before "of (the) X" that only the sentence capitalised:
    "Fighters", "Members", "Residents". Not an organisation ("Ministry of Interior"), a state
    ("State of Palestine"), a title ("Secretary of State") or a given name."""
    low = word.lower()
    return (word[1:].islower() and low not in gz.ORG_HEADS and low not in _STATE_WORDS
            and low not in gz.PERSON_TITLES and low not in gz.TITLE_FILLERS and word not in gz.GIVEN_NAMES
            and not gz.is_place(word))


def _trim(body: str, s: int, e: int, sent_start: bool) -> tuple[int, int, bool, bool]:
    """Trim function words, demonyms, titles and possessives from a capitalised span."""
    titled = False
    demonym = False
    while s < e:
        m = _P4.match(body[s:e])
        if not m:
            break
        tok = m.group(1)
        low = tok.lower().rstrip(".")
        nxt = body[s + m.end():e]
        if (sent_start and low in _STOP_START) or low in gz.MONTHS or low in gz.WEEKDAYS:
            s += m.end()
            sent_start = False
            continue
        if sent_start and (of := _OF_THE.match(nxt)) and _common_noun_before_of(tok):
            s += m.end() + of.end()  # "Fighters of the Islamic State said": the group is the name
            sent_start = False
            continue
        if tok in gz.DEMONYMS and nxt and not _demonym_in_org_name(tok, nxt):
            s += m.end()
            demonym = True
            continue
        if (low in gz.PERSON_TITLES or low in gz.TITLE_FILLERS) and nxt and nxt[:1].isupper() \
                and nxt.split()[-1].lower() not in gz.ORG_HEADS:
            titled = titled or low in gz.PERSON_TITLES
            s += m.end()
            continue
        break
    text = body[s:e]
    pm = _POSSESSIVE.search(text)
    if pm and len(text) > 2:
        e -= len(pm.group())
    # trailing months/weekdays ("Baghdad June") and trailing connectors
    while True:
        m = _P5.search(body[s:e])
        if not m or s >= e:
            break
        low = m.group(1).lower().rstrip(".")
        if low in gz.MONTHS or low in gz.WEEKDAYS or low in ("of", "and", "the", "for", "&", "on", "de", "al"):
            e = s + m.start()
            continue
        break
    return s, e, titled, demonym


# A capitalised run is analysed once per spelling (and sentence-start flag): the same runs recur in a
# report and across reports, and the analysis below reads nothing outside the run.
@lru_cache(maxsize=65536)
def _split_compounds(text: str) -> tuple[tuple[tuple[int, int], ...], int, int]:
    """Split off the names a capitalised run holds besides its core: an inner possessive ends one name and
    starts another ("MEMRI's Jihad and Terrorism Threat Monitor"), a hyphen compound keeps what follows it
    ("Iran-backed Kata'ib X": "Kata'ib X") and an affix is dropped ("Pro-Hizbullah" -> "Hizbullah").

    Returns the side names as (start, end) offsets into ``text`` and the core span, still to be trimmed."""
    side: list[tuple[int, int]] = []
    s, e = 0, len(text)
    pm = _INNER_POSS.search(text)
    om = _ROLE_OFFICE.match(text, text.rfind(" ", 0, pm.start()) + 1) if pm else None
    if om:
        # "Yamhill County Sheriff's Office Project Lifesaver Team": the office is one name, what follows another
        rest = text[om.end():].lstrip()
        if rest:
            side.append((len(text) - len(rest), len(text)))
        e = om.end()
    elif pm:
        side.append((0, pm.start()))
        s = pm.end()
    am = _AFFIX.match(text[s:e])
    if am:
        s += am.end()
    words = text[s:e].split()
    sm = _SUFFIX_COMPOUND.search(words[0]) if words else None
    if sm:
        rest = s + len(words[0])
        if rest < e and text[rest:e].strip():
            side.append((rest + len(text[rest:e]) - len(text[rest:e].lstrip()), e))
        e = s + sm.start()
    elif len(words) > 1 and (lm := _SUFFIX_COMPOUND.search(words[-1])) and text[s:e].endswith(lm.group()):
        e -= len(lm.group())  # "the Abu Dhabi-based newspaper": the place is the name
    return tuple(side), s, e


@lru_cache(maxsize=65536)
def _title_pieces(text: str) -> tuple[tuple[int, int], ...]:
    """A Title Case run cut at its capitalised function words ("Photos Of Faction Leaders At Reported Hamas
    Office" -> "Photos", "Faction Leaders", "Reported Hamas Office"), as (start, end) offsets into ``text``;
    the function words themselves are dropped."""
    pieces: list[tuple[int, int]] = []
    start = end = -1
    for t in _TOKEN.finditer(text):
        if t.group() in _TITLE_FUNC:
            if start >= 0:
                pieces.append((start, end))
            start = -1
            continue
        if start < 0:
            start = t.start()
        end = t.end()
    if start >= 0:
        pieces.append((start, end))
    return tuple(pieces)


_LIST_HEADS = gz.ORG_HEADS | gz.MEDIA_HEADS


@lru_cache(maxsize=65536)
def _names_in_core(core: str, sent_start: bool) -> tuple[tuple[int, int, bool, bool], ...]:
    """The names in a run's core once trimmed, as (start, end, titled, whole) offsets into ``core``; a list
    ("Kuwait and Algeria") gives one name per member, not whole."""
    s, e, titled, _ = _trim(core, 0, len(core), sent_start)
    if e <= s:
        return ()
    name = core[s:e]
    if not _P7.search(name) or len(name) < 2 and name != "X":
        return ()
    if name == "X":
        return ()  # handled by the platform rule only
    # "Kuwait and Algeria": split on "and" unless the whole is one organisation
    if " and " in name and name.split()[-1].lower() not in _LIST_HEADS:
        parts = []
        pos = s
        for part in name.split(" and "):
            ps = core.find(part, pos, e)
            if ps >= 0:
                pos = ps + len(part)
                ps, pe, ptitled, _ = _trim(core, ps, pos, ps == s and sent_start)
                if pe > ps:
                    parts.append((ps, pe, ptitled, False))
        return tuple(parts)
    return ((s, e, titled, True),)


# Opening marks a line or sentence may start with before a name (as _P6 has them).
_OPENING_MARKS = frozenset("\"“‘'([")


@lru_cache(maxsize=65536)
def _run_names(run: str, sent_start: bool) -> tuple[tuple[int, int, bool, bool], ...]:
    """The names a capitalised run holds, once per spelling: (start, end, titled, doubtful) offsets into the
    run, the side names of ``_split_compounds`` first, then those of its trimmed core. ``doubtful``: the name
    takes a headline's doubt when the run is in one (side names and a whole core do, list members do not).

    ``sent_start`` says whether the run opens a sentence. A core that does not open the run never does:
    only an inner possessive or an affix moves it, and a sentence starts after white space, never after an
    "'s " inside a run or a hyphen."""
    side, cs, ce = _split_compounds(run)
    out = [(a, b, False, True) for a, b in side]
    for a, b, titled, whole in _names_in_core(run[cs:ce], sent_start and cs == 0):
        out.append((cs + a, cs + b, titled, whole))
    return tuple(out)


def find_entities(body: str, sentences: list[tuple[int, int]], skip: list[tuple[int, int]],
                  extra: list[tuple[str, int, int, str]] | None = None,
                  model_spans: list | None = None, model_threshold: float = 0.0) -> list[ExtractedEntity]:
    """``extra``: (name, start, end, type) mentions known from elsewhere (footnote sources);
    ``model_spans``: the trained recogniser's spans (``db.extract.ner.NerSpan``), None to use the rules alone;
    ``model_threshold``: the confidence a model span needs to add a name of its own."""
    cands: list[_Cand] = []
    sent_starts = {s for s, _ in sentences}
    taken: list[tuple[int, int]] = []

    def blocked(s: int, e: int) -> bool:
        return bool(skip) and any(a < e and s < b for a, b in skip)

    headline_starts: list[int] = []  # lines, in body order
    headline_ends: list[int] = []
    after_datelines: set[int] = set()  # "BEAVERTON -- The Comcast Foundation": a sentence opens after the dateline
    for m in _LINE.finditer(body):
        if _is_headline(m.group()):
            headline_starts.append(m.start())
            headline_ends.append(m.end())
        if m.group()[:1].isupper() and (dateline := place_dateline(body, m.start())) is not None:
            after_datelines.add(dateline.end())

    def in_headline(pos: int) -> bool:
        i = bisect.bisect_right(headline_starts, pos) - 1
        return i >= 0 and pos < headline_ends[i]

    for m in (_QUOTED_ACCOUNT.finditer(body) if _QUOTE_THEN_ARTICLE.search(body) else ()):
        c = _Cand(m.group("name").strip(), m.start("name"), m.start("name") + len(m.group("name").strip()),
                  {"MEDIA": 4})
        c.descriptor = m.group("desc").strip()
        cands.append(c)
        taken.append((m.start(), m.end("name") + 2))
    if any(h in body for h in _FACILITY_HEAD_HINTS) and _LOWER_INSIDE_CORE.search(body):
        for m in _LOWER_INSIDE.finditer(body):
            if blocked(m.start(), m.end()):
                continue
            ns = m.start("name")
            # drop an opening title or sentence word ("The", "At") the capitalised run may carry
            first = body[ns:m.end()].split()[0]
            if first.lower() in _STOP_START:
                ns += len(first) + 1
            cands.append(_Cand(body[ns:m.end("name")], ns, m.end("name"),
                               {"ORG" if m.group("head") in _FACILITY_ORG else "LOC": 4}))
            taken.append((ns, m.end("name")))
    for m in (_PLATFORM_X.finditer(body) if "X" in body and _X_HINT.search(body) else ()):
        cands.append(_Cand("X", m.start(1), m.end(1), {"MEDIA": 4}))
    for name, s, e, typ in extra or []:
        cands.append(_Cand(name, s, e, {typ: 3}))

    def at_sentence_start(pos: int) -> bool:
        # line starts count as sentence starts as well
        if pos in sent_starts or pos == 0 or pos in after_datelines or body[pos - 2:pos] == ": ":
            return True  # (a colon opens a clause: "Now we know: The FBI fueled ...")
        ch = body[pos - 1]
        # _P6 can only match when the character before is a line break or an opening mark
        return ch == "\n" or (ch in _OPENING_MARKS and _P6.search(body[max(0, pos - 3):pos]) is not None)

    def add_run(s: int, run: str, headline: bool) -> None:
        for a, b, titled, doubtful in _run_names(run, at_sentence_start(s)):
            cands.append(_Cand(run[a:b], s + a, s + b, {"_headline": 1} if doubtful and headline else None,
                               titled=titled))

    for s, e in _runs(body):
        if (skip and blocked(s, e)) or (taken and any(a < e and s < b for a, b in taken)):
            continue
        run = body[s:e]
        headline = bool(headline_starts) and in_headline(s)
        if " " in run and _TITLE_FUNC_RE.search(run) and (
                headline or len(run.split()) > _TITLE_RUN_MAX or _whole_line(body, s, e)):
            # a Title Case title, not a name: keep the names between its function words, as unsure as the
            # names of a headline
            for a, b in _title_pieces(run):
                if b - a <= 120:
                    add_run(s + a, run[a:b], True)
            continue
        if e - s > 120:
            continue
        add_run(s, run, headline)

    if model_spans is not None:
        if well_cased(body, sentences):
            model_spans = [sp for sp in model_spans if not uncased_guess(body[sp.start:sp.end], _listed)]
            common = capitalised_only_at_starts(body, cands, model_spans, at_sentence_start, _listed)
            if common:
                model_spans = [sp for sp in model_spans if body[sp.start:sp.end] not in common]
                cands = [c for c in cands if c.name not in common or c.votes]
        cands = combine(body, cands, model_spans, blocked, _name_votes, _new_cand, model_threshold,
                        in_headline if headline_starts else _nowhere,
                        lambda s, e: _context_cue(body, s, e))
        share_surnames(body, cands, _listed)

    # Type votes are added up per name key as the mentions are read: the merge needs only the totals.
    groups: dict[str, list[_Cand]] = {}
    typed: dict[str, dict[str, int]] = {}
    shape: dict[str, tuple[int, int]] = {}  # words of the key, tokens of the group's first name
    for c in cands:
        profile = _name_profile(c.name)
        if profile is None:
            c.name = ""
            continue
        key, n_tokens, own, fallback, key_words = profile
        t = typed.get(key)
        if t is None:
            t = typed[key] = {}
            groups[key] = [c]
            shape[key] = (key_words, n_tokens)
        else:
            groups[key].append(c)
        _tally(body, c, n_tokens, own, fallback, t)

    return _merge(body, cands, groups, typed, shape)


def _context_cue(body: str, start: int, end: int) -> bool:
    """The words around a name type it: a title or an outlet noun right before it, a place head after it."""
    after = body[end:end + 40]
    if after[:1].isspace() and _LOC_AFTER.match(after):
        return True
    if start and body[start - 1] == " ":
        prev = body[max(0, start - 40):start].lower().rsplit(None, 1)
        word = prev[-1].strip(",;:(\"“") if prev else ""
        return word in gz.PERSON_TITLES or word in gz.MEDIA_NOUNS
    return False


def _nowhere(pos: int) -> bool:
    return False


def _new_cand(name: str, start: int, end: int, votes: dict[str, int] | None, descriptor: str | None,
              titled: bool) -> _Cand:
    return _Cand(name, start, end, votes, descriptor, titled)


def _runs(body: str):
    """(start, end) of every capitalised run, as ``re.finditer(_SPAN_PLAIN, body)`` gives them."""
    for m in _SPAN.finditer(body):
        s, e = m.span()
        if s and body[s - 1] == "-":  # only an article prefix comes before a capital with a hyphen
            s = m.start("p2") if m.start("p2") >= 0 else m.start("p3")
        yield s, e


def _whole_line(body: str, s: int, e: int) -> bool:
    """The span is all its line holds (white space aside)."""
    ls = body.rfind("\n", 0, s) + 1
    le = body.find("\n", e)
    return not body[ls:s].strip() and not body[e:le if le >= 0 else len(body)].strip()


def _sum_votes(many: Iterable[dict[str, int]]) -> dict[str, int]:
    """The votes of many names added up."""
    total: dict[str, int] = {}
    get = total.get
    for votes in many:
        for k, n in votes.items():
            total[k] = get(k, 0) + n
    return total


def _merge(body: str, cands: list[_Cand], groups: dict[str, list[_Cand]], typed: dict[str, dict[str, int]],
           shape: dict[str, tuple[int, int]]) -> list[ExtractedEntity]:
    """``groups``: the mentions per name key, in the order of their first candidate; ``typed``: their summed votes;
    ``shape``: the number of words of each key and of its first mention's name."""
    keys = list(groups)
    # aliases: a shorter name that is the tail (surname) of a longer person name, or the head word of a
    # longer outlet/organisation name ("Shafaq" -> "Shafaq News"). Indexed, to stay linear.
    parent: dict[str, str] = {}
    tails: dict[str, str] = {}
    middles: dict[str, str] = {}
    heads: dict[str, str] = {}
    for other in sorted(keys, key=lambda k: shape[k][0]):
        orep = groups[other][0].name.split()
        if len(orep) < 2:
            continue
        v = typed[other]
        if v.get("_headline", 0) == len(groups[other]):
            continue  # a name seen only in headlines is too unsure to take others as its aliases
        if v.get("PERSON"):
            for n in (1, 2):
                if n < len(orep):
                    tails[name_key(" ".join(orep[-n:]))] = other
            if len(orep) == 3 and orep[1][:1].isupper() and not orep[1].endswith(".") \
                    and v["PERSON"] > max(v.get("ORG", 0), v.get("LOC", 0), v.get("MEDIA", 0)) \
                    and orep[-1].lower() not in gz.ORG_HEADS and orep[-1].lower() not in gz.LOC_HEADS:
                # "Guadalupe Salinas Hernández" is "Salinas" (the father's surname, then the mother's), and
                # "Hillary Rodham Clinton" "Rodham"; a last name elsewhere goes first
                middles.setdefault(name_key(orep[1]), other)
        if v.get("MEDIA") or v.get("ORG"):
            heads[name_key(orep[0])] = other
    for k in keys:
        rep = groups[k][0].name
        if gz.is_place(rep) or typed[k].get("LOC", 0) >= 3:
            continue
        best = tails.get(k)
        if best is None and shape[k][0] == 1:
            best = heads.get(k) or (middles.get(k) if typed[k].get("PERSON") else None)
        if best and best != k:
            parent[k] = best
    # parenthetical aliases: "Kata'ib Al-Imam Ali (Imam Ali Battalions)", "Monitor (JTTM)"
    ordered = sorted(cands, key=_START)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start - a.end in (1, 2) and body[a.end:b.start] in (" (", "(") and body[b.end:b.end + 1] == ")":
            if gz.is_place(a.name) != gz.is_place(b.name):
                # "the Islamic Movement in Iraq (Kataib al-Imam Ali)": the bracket names the movement,
                # not the place that ends the phrase before it ("Myanmar (Burma)" still pairs).
                continue
            ka, kb = name_key(a.name), name_key(b.name)
            if ka != kb and kb not in parent:
                parent[kb] = parent.get(ka, ka)

    def root(k: str) -> str:
        seen = set()
        while k in parent and k not in seen:
            seen.add(k)
            k = parent[k]
        return k

    members: dict[str, list[str]] = defaultdict(list)  # root key -> the keys merged into it
    for k in keys:
        members[root(k) if k in parent else k].append(k)
    out: list[ExtractedEntity] = []
    for k, ks in members.items():
        entity = _entity(k, ks, groups, typed, shape[ks[0]][1])
        if entity is not None:
            out.append(entity)
    out.sort(key=lambda e: e.mentions[0] if e.mentions else (0, 0))
    return out


_START = attrgetter("start")


def _entity(k: str, ks: list[str], groups: dict[str, list[_Cand]], typed: dict[str, dict[str, int]],
            first_tokens: int) -> ExtractedEntity | None:
    """The entity of root key ``k`` and the keys ``ks`` merged into it (``k`` among them when it has mentions
    of its own), or None when the evidence is too thin. ``first_tokens``: the tokens of the first name of
    ``ks[0]``."""
    # Names only ever seen in Title Case headlines and never in running text are too unsure to keep,
    # unless a gazetteer or a strong cue types them. (A mention carries at most one "_headline" vote.)
    if len(ks) == 1:  # most entities have one spelling: no sums to make
        cs = groups[ks[0]]
        votes = typed[ks[0]]
        if votes.get("_headline", 0) == len(cs):
            return None
        votes = dict(votes)
    else:
        if all(typed[key].get("_headline", 0) == len(groups[key]) for key in ks):
            return None
        cs = [c for key in ks for c in groups[key]]
        votes = _sum_votes(typed[key] for key in ks)
    votes.pop("_headline", None)
    model_org = votes.pop(MODEL_ORG, 0)
    # the model's ORG for a name the rules call an outlet: an outlet it is. More than the 2 a mention gets
    # for opening with "The" is needed ("The United Nations" is no outlet).
    if model_org and votes.get("MEDIA", 0) > 2 * len(cs):
        votes["MEDIA"] += model_org
    strong = max(votes.values()) if votes else 0
    if strong <= 1 and first_tokens == 1:
        return None  # a lone capitalised word with no evidence: too often a sentence start or a heading
    # the type with most votes; ORG wins a tie, then the first of PERSON, LOC, MEDIA
    person, org, loc = votes.get("PERSON", 0), votes.get("ORG", 0), votes.get("LOC", 0)
    top = max(person, org, loc, votes.get("MEDIA", 0))
    typ = "ORG" if org == top else "PERSON" if person == top else "LOC" if loc == top else "MEDIA"
    if typ == "PERSON" and any(ch.isdigit() for ch in cs[0].name):
        return None  # "Airbus A320", "Viking 1": a model or a craft, no one's name
    if len(cs) == 1:  # one mention: its name is the canonical one, with no aliases
        c = cs[0]
        canonical, aliases, desc, mentions = c.name, [], c.descriptor or None, [(c.start, c.end)]
    else:
        if k in groups:
            # prefer the root key's own longest spelling (each spelling counted once: a name can have
            # thousands of mentions)
            own: dict[str, int] = {}
            for c in groups[k]:
                own[c.name] = own.get(c.name, 0) + 1
            canonical = max(own, key=lambda n: (len(n.split()), own[n]))
        else:
            counts: dict[str, int] = {}
            for c in cs:
                counts[c.name] = counts.get(c.name, 0) + 1
            canonical = max(counts, key=lambda n: (len(n.split()), counts[n], -len(n)))
        aliases = sorted({c.name for c in cs} - {canonical})
        desc = next((c.descriptor for c in cs if c.descriptor), None)
        mentions = sorted({(c.start, c.end) for c in cs})
    conf = min(0.95, 0.4 + 0.1 * strong)
    return ExtractedEntity(name=canonical, type=typ, aliases=aliases, mentions=mentions,
                           rule="context" if strong >= 3 else "capitalisation", confidence=round(conf, 2),
                           descriptor=desc)
