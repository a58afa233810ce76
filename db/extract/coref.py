"""Resolve anaphoric speakers ("the account", "the daily", "the sources", "he", "they") to the nearest
fitting earlier speaker or entity mention."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from operator import itemgetter

from db.models import ExtractedClaim, ExtractedEntity

from . import gazetteer as gz
from .wordlists import word_set

_MEDIA_CLASS = frozenset(gz.MEDIA_NOUNS | {"post", "article", "report", "outlet", "online outlet", "tweet"})
_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
_PRONOUNS_PLURAL = frozenset({"they", "them"})
_PRONOUNS_THING = frozenset({"it"})
_RELATIVE = frozenset({"who", "which"})
# How far back an orphan quotation looks for the speaker it continues: about two paragraphs of news.
_ORPHAN_QUOTE_REACH = 1200
_FIRST_PERSON = frozenset({"i", "we", "me", "us"})
_ALL_PRONOUNS = _PRONOUNS_PERSON | _PRONOUNS_PLURAL | _PRONOUNS_THING | _RELATIVE | _FIRST_PERSON
_DEFINITE = re.compile(r"^(?:the|this|that|these|those|another)\s+(?:[\w-]+\s+){0,3}?(?P<head>[\w-]+)$", re.I)


def _is_capitalised_word(word: str) -> bool:
    """Capitalised and not all capitals: a word of a name ("Times"), not an acronym noun ("MP")."""
    return word[:1].isupper() and any(ch.islower() for ch in word[1:])


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


_WORD = re.compile(r"[\w-]+")


@lru_cache(maxsize=16384)
def _stemmed_words(name: str, descriptor: str) -> frozenset[str]:
    """The words of an earlier speaker or mention and its descriptor; cached, as every definite speaker
    ("the daily") is compared with all of them."""
    return frozenset(_stem(w) for w in _WORD.findall((name + " " + descriptor).lower()))


# How far back (characters) a pronoun or a description looks for an earlier speaker before settling for a
# mention: a speaker of the last paragraphs is the likelier antecedent than a name mentioned in passing.
_SPEAKER_WINDOW = 1500
# An account or a channel speaks on a platform; the platform is where it spoke, not who.
_SPEAKING_ACCOUNTS = word_set("claim_words.txt", "speaking_accounts")
_PERSON_TYPES = ("PERSON",)
_ACTOR_TYPES = ("ORG", "MEDIA")


# Singular nouns for a person speaking in office or in a role: "the director said ... He added".
_PERSON_NOUNS = word_set("claim_words.txt", "person_nouns")
_MALE_NOUNS = word_set("claim_words.txt", "male_person_nouns")
_FEMALE_NOUNS = word_set("claim_words.txt", "female_person_nouns")
_ANY_PERSON_NOUNS = _PERSON_NOUNS | _MALE_NOUNS | _FEMALE_NOUNS
# Heads of a description that names a body, an outlet or a place: "the airline" takes up AirAsia, never
# "airline boss Tony Fernandes", whose words only contain the head as a modifier.
_NON_PERSON_HEADS = frozenset(_stem(w) for w in gz.ORG_HEADS | gz.MEDIA_NOUNS | gz.LOC_HEADS | frozenset(
    "airline carrier firm manufacturer operator embassy regime country state company".split()))
_QUOTE_MARK = re.compile(r"[\"“”]")
_GENDERED = re.compile(r"\b(?:(he|his|him|himself)|(she|her|hers|herself))\b", re.I)
_MALE_TITLES = ("Mr.", "Mr ", "Sir ", "Lord ", "King ", "Prince ")
_FEMALE_TITLES = ("Mrs.", "Ms.", "Mrs ", "Ms ", "Miss ", "Lady ", "Dame ", "Queen ", "Princess ", "Baroness ")


def _genders(body: str, entities: list[ExtractedEntity]) -> dict[str, str]:
    """Each person's gender as the text shows it: a title before a mention, or the first gendered pronoun
    after it ("Chastain ... for her role"). Only a clear majority counts; no list of first names."""
    out: dict[str, str] = {}
    if not body:
        return out
    # A pronoun after another person's name, or inside a quotation, is as likely theirs ("Chastain said the
    # director 'left it free ... because he doesn't want'"): the window for a name stops at either.
    person_starts = sorted(s for e in entities if e.type == "PERSON" for s, _ in e.mentions)
    for e in entities:
        if e.type != "PERSON":
            continue
        male = female = 0
        for s, t in e.mentions[:20]:
            before = body[max(0, s - 5):s]
            if before.endswith(_MALE_TITLES):
                male += 2
            elif before.endswith(_FEMALE_TITLES):
                female += 2
            k = bisect.bisect_right(person_starts, s)
            limit = min(len(body), t + 150, person_starts[k] if k < len(person_starts) else len(body))
            quote = _QUOTE_MARK.search(body, t, limit)
            m = _GENDERED.search(body, t, quote.start() if quote else limit)
            if m:
                male += m.group(1) is not None
                female += m.group(2) is not None
        if male > 2 * female:
            gender = "m"
        elif female > 2 * male:
            gender = "f"
        else:
            continue
        for name in [e.name, *e.aliases]:
            out[name] = gender
    return out


_UNNAMED_OPENINGS = frozenset({"the", "a", "an", "one", "another"})
UNSURE = 1  # a speaker read as a person from its shape alone (truthy, unlike False)
# Words after which an unnamed speaker's head noun has been said: "a source close to the probe", "an
# official familiar with the talks", "the spokesman for the ministry".
_POSTMODIFIERS = frozenset("close familiar with for of at in from who inside within involved knowledgeable briefed "
                           "speaking".split())


def _head_noun(words: list[str]) -> str:
    """A description's head noun, lower case: the last word, or the last before its postmodifier ("a
    source close to the probe")."""
    for k, word in enumerate(words[1:5], 1):
        if word.lower() in _POSTMODIFIERS and k > 1:
            return words[k - 1].lower()
    return words[-1].lower()


def _unnamed_person(words: list[str]) -> bool:
    """A description whose head noun is a person's."""
    return _head_noun(words) in _ANY_PERSON_NOUNS or words[-1].lower() in _ANY_PERSON_NOUNS


def _noun_gender(name: str) -> str | None:
    """"m" or "f" for a description headed by a gendered noun ("the boyfriend", "his wife")."""
    words = name.split()
    if len(words) < 2 or words[0].lower() not in _UNNAMED_OPENINGS:
        return None
    head = _head_noun(words)
    return "m" if head in _MALE_NOUNS else "f" if head in _FEMALE_NOUNS else None


def _ends_with_person(name: str, types: dict) -> bool:
    """"airline boss Tony Fernandes": a title or a role, then a name typed PERSON."""
    words = name.split()
    return any(types.get(" ".join(words[-n:])) == "PERSON" for n in (1, 2, 3) if len(words) > n)


def _find(before, sp: str, low: str, pos: int, types: dict, genders: dict | None = None) -> tuple | None:
    """The history entry a speaker as written refers to, or None. ``types`` maps an entity name to its type;
    ``genders`` a person's name to "m" or "f" where the text shows it."""
    def person_speaker(h):
        if h[3] != "SPEAKER" or h[1].lower() in _ALL_PRONOUNS and h[2] == h[1]:
            return False
        if h[1].lower() in _PRONOUNS_PERSON:
            return True  # a "he"/"she" already resolved: a person whatever the name's type
        name = h[2].split()
        if name and name[0] in gz.GIVEN_NAMES and len(name) >= 2:
            return True  # "Oscar Isaac": a given name makes a person even where the name was typed otherwise
        t = types.get(h[2]) or types.get(h[1])
        if t:
            return t == "PERSON"
        if len(name) >= 2 and name[0].lower() in _UNNAMED_OPENINGS and _unnamed_person(name):
            return True  # "the director", "a senior official", "a source close to the probe"
        # a named speaker, one word or a title and a name, not a plural group ("officials") or a thing
        if len(name) == 1 and len(name[0]) > 1 and name[0].isupper():
            return False  # an acronym ("SIGAR", "USAID"): a body, whom "he" does not take up
        if not (name and name[-1][:1].isupper() and not name[-1].lower().endswith("s")
                and name[0].lower() not in ("the", "a", "an")):
            return False
        return UNSURE if len(name) == 1 else True  # (one word no entity is named by: "Kwanzaa [praises]")

    if low in _PRONOUNS_PERSON:
        # A pronoun is a person: the latest speaker who is a person, if recent (the one a report goes on
        # quoting), else the latest person named. Never a place or an organisation, nor a person of the
        # other gender as far as the text shows it.
        want = "m" if low in ("he", "him") else "f"
        genders = genders or {}

        def agrees(h):
            g = genders.get(h[2]) or genders.get(h[1])
            if g is None:
                name = h[2] + " "
                if name.startswith(_MALE_TITLES):
                    g = "m"
                elif name.startswith(_FEMALE_TITLES):
                    g = "f"
                else:
                    words = h[2].split()
                    # the name's last word ("Mueller"), or its first two when more follows ("David Mueller
                    # previously lost his countersuit", a fragment read as a speaker)
                    g = (genders.get(words[-1]) or genders.get(" ".join(words[:2])) or _noun_gender(h[2])
                         ) if words else None
            return g is None or g == want

        named_since = None  # the latest person named after the speakers looked at so far
        for h in before:
            if pos - h[0] >= _SPEAKER_WINDOW:
                break
            if named_since is None and h[3] == "PERSON" and agrees(h):
                named_since = h
            if (kind := person_speaker(h)) and agrees(h):
                # a speaker no list or type knows as a person ("Kwanzaa praises ...") yields to a person
                # named since: "When Karenga was asked ..., he said"
                return named_since if kind is UNSURE and named_since is not None else h
        return next((h for h in before if h[3] == "PERSON" and agrees(h)), None)
    if low in _PRONOUNS_PLURAL:
        return next((h for h in before if h[3] == "SPEAKER" and h[1].lower().endswith("s")
                     and h[1].lower() not in _PRONOUNS_PLURAL), None)
    if low in _RELATIVE:
        # "X, who said ...": the nearest name written before the pronoun; a person for "who", an organisation
        # or an outlet for "which" - never a place
        want = ("PERSON", "SPEAKER") if low == "who" else ("ORG", "MEDIA", "SPEAKER")
        return next((h for h in before if h[3] in want and h[1].lower() not in _ALL_PRONOUNS
                     and types.get(h[2]) != "LOC"), None)
    if low in _PRONOUNS_THING:
        # "It" goes on with a body or an outlet that spoke lately ("the account alleged that Hamas leader
        # Ismail Haniyeh had rejected ... It described the office as ...": the account), else the one named last
        mentioned = None
        for h in before:
            if not (h[3] in ("MEDIA", "ORG", "SPEAKER")
                    and h[1].lower() not in _PRONOUNS_PERSON | _PRONOUNS_PLURAL | _FIRST_PERSON
                    and h[2].lower() not in _FIRST_PERSON
                    and types.get(h[2]) not in ("LOC", "PERSON")):
                continue
            if h[3] == "SPEAKER" and pos - h[0] < _SPEAKER_WINDOW and types.get(h[2]) in _ACTOR_TYPES:
                return h  # (a named body or outlet: not "many economists", "Mr. Autor", "the company")
            mentioned = mentioned or h
            if pos - h[0] >= _SPEAKER_WINDOW:
                break
        return mentioned
    m = _DEFINITE.match(sp)
    if m and _is_capitalised_word(m.group("head")):
        m = None  # "The Financial Times", "The National": a name, not "the times" taking up "Time Warner"
    if m and not sp[:1].isupper() or (m and sp.split()[0].lower() in ("the", "another")):
        head = _stem(m.group("head").lower()) if m else ""
        fallback = None
        for h in before:
            words = _stemmed_words(h[1], h[4])
            if h[1].lower() == low:
                continue
            media = head in _MEDIA_CLASS and (h[3] == "MEDIA" or words & _MEDIA_CLASS)
            if (head in words or media) and head in _NON_PERSON_HEADS and (h[3] == "PERSON" or person_speaker(h)
                                                                          or _ends_with_person(h[2], types)):
                continue  # a body is not the person named after its name ("the airline" / "airline boss X")
            if head in words or media:
                if media and head not in _SPEAKING_ACCOUNTS:
                    return h  # "the daily", "the article": the outlet named last
                # an earlier speaker is what "the account", "the sources", "the senior MP" take up; a bare mention
                # ("MP" inside "a senior Iraqi MP", the platform "X" an account posts on) only when none fits
                if h[3] == "SPEAKER":
                    return h
                fallback = fallback or h
        return fallback
    return None


def _surnames(entities: list[ExtractedEntity]) -> dict[str, str]:
    """A person's last name -> the person, for last names only one person of the report has."""
    found: dict[str, str | None] = {}
    for e in entities:
        words = e.name.split()
        if e.type == "PERSON" and len(words) >= 2:
            found[words[-1]] = e.name if found.get(words[-1], e.name) == e.name else None
    return {k: v for k, v in found.items() if v}


def _surname_before(body: str, pos: int, surnames: dict[str, str]) -> str | None:
    """The person whose last name is written just before ", who" at ``pos``: "Both times, May, who said"."""
    if not surnames or body[pos - 2:pos] != ", ":
        return None
    words = body[max(0, pos - 40):pos - 2].split()
    return surnames.get(words[-1]) if words else None


def _relays(chain: list[str]) -> list[str]:
    return list(chain[1:]) if chain else []


def resolve(claims: list[ExtractedClaim], speaker_pos: list[int], entities: list[ExtractedEntity],
            body: str = "") -> None:
    # earlier candidates: (position, text as written, resolved name, type, descriptor, chain of that claim)
    history: list[tuple] = []
    for e in entities:
        desc = (e.descriptor or "").lower()
        for s, _ in e.mentions:
            history.append((s, e.name, e.name, e.type, desc, None))
    name_info = {e.name: e for e in entities}
    alias_to = {a: e for e in entities for a in e.aliases}
    types = {e.name: e.type for e in entities}
    for e in entities:
        for a in e.aliases:
            types.setdefault(a, e.type)
    genders = _genders(body, entities)
    surnames = _surnames(entities)
    history.sort(key=itemgetter(0))
    positions = [h[0] for h in history]  # history's positions, kept in step: bisect without a key function
    # Claims are taken in the order of their speakers' positions, so the speakers registered for later
    # anaphora are appended in order: a list of their own, never an insertion into the mentions (which
    # moved every later mention, for every claim: quadratic in a long report).
    speakers: list[tuple] = []
    speaker_positions: list[int] = []
    order = sorted(range(len(claims)), key=lambda i: (speaker_pos[i], i))
    for i in order:
        c = claims[i]
        pos = speaker_pos[i]
        sp = (c.speaker or "").strip()
        low = sp.lower()
        before = _Before(history, bisect.bisect_left(positions, pos),
                         speakers, bisect.bisect_left(speaker_positions, pos))
        resolved = None
        antecedent = None
        if c.speaker_resolved and c.speaker_inferred and types.get(c.speaker_resolved) != "LOC":
            resolved = c.speaker_resolved  # the extractor saw the antecedent ("X, who said"), not a place
        elif not sp:
            if not c.is_quote:
                resolved = None  # unattributed hedged reporting stays unattributed
            else:
                # an orphan quote continues the last speaker who is named (an unresolved "I" names no one)
                antecedent = next((h for h in before if h[3] == "SPEAKER" and h[2].lower() not in _ALL_PRONOUNS),
                                  None)
                if antecedent is not None and pos - antecedent[0] > _ORPHAN_QUOTE_REACH:
                    antecedent = None  # a speaker pages back is not who goes on speaking: nobody known
        elif low == "who" and (named := _surname_before(body, pos, surnames)):
            resolved = named  # "May, who said ...": the person whose last name stands before the pronoun
        else:
            c.speaker_resolved, c.speaker_inferred = None, False
            antecedent = _find(before, sp, low, pos, types, genders)
        if antecedent is not None:
            resolved = antecedent[2]
        ent = name_info.get(sp) or alias_to.get(sp)
        if ent is None and sp[:4] in ("The ", "the "):
            ent = name_info.get(sp[4:]) or alias_to.get(sp[4:])  # "The Financial Times" is "Financial Times"
        if resolved is None and ent is None and sp[:1].isupper() and low not in _ALL_PRONOUNS:
            ent = _person_in(sp, name_info, alias_to)  # "Poet Philip Larkin", "Dan Richter of Demand Media"
        if resolved is None and ent is not None and ent.name != sp:
            resolved = ent.name
        # relays named by a description ("The online outlet cited ...") are the outlet they describe
        if c.chain and len(c.chain) > 1:
            c.chain = [c.chain[0]] + [_relay_name(r, before, pos, types) for r in c.chain[1:]]
        if resolved:
            # the name as the entities know it: "Sharpton" taken up by "who" is "Al Sharpton" like the rest
            known = name_info.get(resolved) or alias_to.get(resolved)
            resolved = known.name if known is not None and types.get(known.name) != "LOC" else resolved
        if resolved and resolved != sp:
            c.speaker_resolved = resolved
            c.speaker_inferred = True
            relays = _relays(antecedent[5]) if antecedent is not None and antecedent[5] else []
            if not c.chain or c.chain == [c.speaker]:
                c.chain = [resolved] + [r for r in relays if r != resolved]
            elif c.chain[0] == c.speaker:
                c.chain = [resolved] + [r for r in c.chain[1:] if r != resolved]
        elif sp and low in _ALL_PRONOUNS and not (c.speaker_resolved and c.speaker_inferred):
            # a pronoun with no person or organisation to refer to stays unresolved: no name is made up
            c.speaker_resolved = None
            c.chain = []
        else:
            c.speaker_resolved = sp or None
        # register this speaker (resolved, with any descriptor words and its chain) for later anaphora
        if sp:
            desc = ""
            e2 = name_info.get(sp)
            if e2 and e2.descriptor:
                desc = e2.descriptor.lower()
            speaker_positions.append(pos)
            speakers.append((pos, sp, c.speaker_resolved or sp, "SPEAKER", desc, list(c.chain)))
    # "I"/"we" inside a quotation is the person quoted: the speaker of the enclosing claim
    for c in claims:
        if c.parent is not None and (c.speaker or "").strip().lower() in _FIRST_PERSON:
            outer = claims[c.parent]
            # "I don't know that I said ...": through the quoted speaker's own first-person claims to the quote
            hops = 0
            while (outer.speaker or "").strip().lower() in _FIRST_PERSON and outer.parent is not None and hops < 8:
                outer = claims[outer.parent]
                hops += 1
            name = outer.speaker_resolved or outer.speaker
            if outer.is_quote and name and name.lower() not in _FIRST_PERSON:
                c.speaker_resolved = name
                c.speaker_inferred = True
                c.chain = list(outer.chain) or [name]
    # nested claims: the chain continues through the enclosing claim's chain
    for c in claims:
        if c.parent is not None:
            outer = claims[c.parent].chain
            if outer and c.chain and c.chain[-1:] != outer[-1:]:
                c.chain = c.chain + [x for x in outer if x not in c.chain]


def _person_in(sp: str, name_info: dict, alias_to: dict) -> ExtractedEntity | None:
    """The person a speaker names after a role ("Poet Philip Larkin", "Ranger Supervisor Robert Colligan") or
    before where they work ("Dan Richter of Demand Media"): the speaker's last two or three words, or its
    words before "of", when they are a person's name or alias."""
    words = sp.split()
    head = sp.split(" of ", 1)[0].split()
    parts = [words[-n:] for n in (3, 2) if len(words) > n] + ([head] if head and len(head) < len(words) else [])
    for part in parts:
        e = name_info.get(" ".join(part)) or alias_to.get(" ".join(part))
        if e is not None and e.type == "PERSON":
            return e
    return None


def _relay_name(relay: str, before, pos: int, types: dict) -> str:
    """A relay written as a description ("The online outlet", "the daily") is the outlet named before it."""
    low = relay.strip().lower()
    m = _DEFINITE.match(relay.strip())
    if not m or low.split()[0] not in ("the", "this", "that"):
        return relay
    head = _stem(m.group("head").lower())
    if head not in _MEDIA_CLASS:
        return relay
    for h in before:
        if h[1].lower() == low:
            continue
        if h[3] == "MEDIA" or types.get(h[2]) == "MEDIA" or _stemmed_words(h[1], h[4]) & _MEDIA_CLASS:
            return h[2]
    return relay


# How far back an antecedent is looked for, in mentions and speakers: far beyond any antecedent a
# reader would take up, and what keeps a search that finds nothing from costing the whole report.
_LOOKBACK = 600


class _Before:
    """The entity mentions ``mentions[:k]`` and the speakers ``speakers[:j]`` newest first (a speaker
    before a mention at the same position, the later speaker first), at most _LOOKBACK of them,
    without copying either list for every claim."""

    __slots__ = ("mentions", "k", "speakers", "j")

    def __init__(self, mentions: list, k: int, speakers: list, j: int):
        self.mentions, self.k, self.speakers, self.j = mentions, k, speakers, j

    def __iter__(self):
        mentions, speakers = self.mentions, self.speakers
        i, j = self.k - 1, self.j - 1
        for _ in range(_LOOKBACK):
            if j >= 0 and (i < 0 or speakers[j][0] >= mentions[i][0]):
                yield speakers[j]
                j -= 1
            elif i >= 0:
                yield mentions[i]
                i -= 1
            else:
                return
