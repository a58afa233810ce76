"""How the trained recogniser's spans and the capitalisation rules' candidates combine.

The model proposes PERSON / ORG / LOC spans and its type counts as a vote worth more than a head word or a
shape, so it wins unless a word list is sure of the name (a listed place, organisation or platform). The rules
keep what the model cannot know: outlets (MEDIA; the model's ORG vote for a name the rules call an outlet
goes to MEDIA), platform accounts, footnote sources, aliases. A capitalised run the model saw no name in is
dropped unless a word list, a head word ("Ministry"), a given name, a title, a cue around it ("the
al-Radhwaniyah area") or a rule vouches for it, and
where the model cut a run differently ("Macmillan CEO John Sargent": "Macmillan", "John Sargent") the
model's cut is kept unless a word list knows the run. Measured on UNER EWT dev documents through the whole
finder (bench/ner_app.py), see bench/RESULTS.md.
Every proposal, from either side, passes ``vetoes.check`` first.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Protocol

from . import gazetteer as gz
from . import vetoes
from .casing import lower_case_words

MODEL_VOTE = 4
_CONNECTOR_NEXT = re.compile(r"[ \t]+(?:on|of|and|the)[ \t]")
_CONNECTOR_BEFORE = re.compile(r"[ \t](?:on|of|and|the)[ \t]+$")
_CONTRACTION = re.compile(r"n['’]t\b")
_INNER_INITIAL = re.compile(r"(?<=[a-z] )[A-Z]\. +(?=[A-Z])")  # "John W. Houston", not "U.S. Army" or "J. Smith"
# Own votes at which a word list is sure of a name (gazetteer hits give 4-5, head words and shapes 2-3): the
# name's type and cut stand whatever the model says.
SURE = 4
# Own votes at which a name the model does not see is still kept (an organisation's head word, a given name).
VOUCHED = 3
# The key under which a model's ORG vote is also remembered: an outlet is an organisation, so when the rules
# find an outlet the model's ORG vote supports MEDIA.
MODEL_ORG = "_model_org"


class _Span(Protocol):
    start: int
    end: int
    type: str
    confidence: float


def combine(body: str, cands: list, model_spans: list[_Span], blocked: Callable[[int, int], bool],
            own_votes: Callable[[str], tuple[tuple[str, int], ...]], make: Callable, threshold: float,
            in_headline: Callable[[int], bool], context_cue: Callable[[int, int], bool]) -> list:
    """The candidates with the model's votes added, the model's names added and junk dropped.

    A model span below ``threshold`` (its confidence) only votes on a candidate the rules found with the same
    bounds; at or above it, it also adds names and replaces the rules' cut of a run.

    ``cands``: the rules' candidates (objects with name, start, end, votes, descriptor, titled);
    ``own_votes(name)``: the votes a name earns by itself; ``make(name, start, end, votes, descriptor,
    titled)``: a new candidate; ``context_cue(start, end)``: whether the words around a name type it (a
    title or outlet noun before it, "area" or "province" after it); ``in_headline(pos)``: whether ``pos`` lies in a Title Case headline, where a
    name the model adds is as doubtful as the rules' names there (kept only if running text names it too)."""
    proposals: list[vetoes.CheckedName] = []
    weak: dict[tuple[int, int], str] = {}
    for sp in model_spans:
        if blocked(sp.start, sp.end):
            continue
        if sp.confidence >= threshold:
            proposals.extend(vetoes.check(body, sp.start, sp.end, sp.type))
        else:
            weak[(sp.start, sp.end)] = sp.type
    proposals.sort(key=lambda n: n.start)
    weak_starts = sorted(weak)
    sure_surnames = {body[n.start:n.end] for n in proposals if n.type == "PERSON" and " " not in body[n.start:n.end]}
    lower_words = _LowerWords(body)
    starts = [n.start for n in proposals]
    exact = {(n.start, n.end): n for n in proposals}
    used: set[tuple[int, int]] = set()
    kept = bytearray(len(body))  # characters a kept candidate covers (spans are short: linear in all)
    out = []

    def overlapping(s: int, e: int) -> list[vetoes.CheckedName]:
        # proposals do not overlap one another, so only those starting before ``e`` and the one just
        # before ``s`` can overlap
        i = max(0, bisect.bisect_left(starts, s) - 1)
        found = []
        while i < len(proposals) and proposals[i].start < e:
            if proposals[i].end > s:
                found.append(proposals[i])
            i += 1
        return found

    for c in cands:
        if not c.name:
            continue
        ruled = bool(c.votes) and any(k != "_headline" for k in c.votes)
        # a short name opening with "The" the rules read as an outlet ("The National"), before "The" is trimmed
        outlet_like = c.name.startswith("The ") and c.name.count(" ") <= 2
        if not ruled:  # a rule's own vote (outlet account, facility, footnote source) vouches for it
            checked = vetoes.check(body, c.start, c.end, None)
            if not checked:
                continue
            n0 = checked[0]
            if (n0.start, n0.end) != (c.start, c.end) and not outlet_like:  # an outlet's "The" is its own
                c = make(body[n0.start:n0.end], n0.start, n0.end, None, n0.descriptor or c.descriptor,
                         c.titled or n0.titled)
        if not ruled and any(_split_at_an_initial(body, n, c) for n in overlapping(c.start, c.end)):
            continue  # "John W. Houston": the rules' run broke at the initial and "Houston" alone is a place
        own = dict(own_votes(c.name))
        # a word list, an outlet head word or a domain-like name, a place head word ("Street"), a rule's vote
        sure = (max(own.values(), default=0) >= SURE or own.get("MEDIA", 0) >= 3 or ruled
                or c.name.rsplit(None, 1)[-1].lower() in gz.UNAMBIGUOUS_LOC_HEADS)
        if sure and not ruled and " of " in c.name and any(_person_opens(n, c) for n in overlapping(c.start, c.end)):
            sure = False  # "Kevin Swanson of Morro Bay": a person from a place, not one place
        hit = exact.get((c.start, c.end))
        if hit is None and body.startswith(("The ", "the "), c.start):
            hit = exact.get((c.start + 4, c.end))  # "The National", "the Guardian": the outlet's own "The"
        if hit is None and (c.start, c.end) in weak:
            if not sure:
                _vote(c, weak[(c.start, c.end)])
            out.append(c)
            kept[c.start:c.end] = b"\1" * (c.end - c.start)
            continue
        if hit is not None:
            used.add((hit.start, hit.end))
            if not sure or own.get(hit.type, 0) >= SURE:
                _vote(c, hit.type)
            if hit.descriptor and not c.descriptor:
                c.descriptor = hit.descriptor
            c.titled = c.titled or hit.titled
            out.append(c)
            kept[c.start:c.end] = b"\1" * (c.end - c.start)
            continue
        vouched = (max(own.values(), default=0) >= VOUCHED or c.titled or outlet_like
                   or context_cue(c.start, c.end))
        if not vouched and _full_name_of_a_sure_surname(c, sure_surnames, overlapping(c.start, c.end), lower_words) \
                and not in_headline(c.start):
            _vote(c, "PERSON")
            out.append(c)
            kept[c.start:c.end] = b"\1" * (c.end - c.start)
            continue
        if sure or (vouched and not overlapping(c.start, c.end)):
            out.append(c)
            kept[c.start:c.end] = b"\1" * (c.end - c.start)
            continue
        # nothing vouches for the run: the model's reading of it stands, and a run it saw no name in is no
        # name; but where the model cut the run at a connector ("Guadalupe Salinas Hernández on Facebook"), the
        # piece it read as a name below its threshold has the run's capitals to vouch for it as well
        for n in _pieces_cut_at_a_connector(body, c, weak_starts, weak):
            # (a person, or a name a word list knows: other doubtful pieces were as often wrong as right)
            piece_own = dict(own_votes(body[n.start:n.end]))
            if not any(kept[n.start:n.end]) and (piece_own.get(n.type, 0) >= SURE or (
                    n.type == "PERSON" and max(piece_own.values(), default=0) < SURE)):
                piece = make(body[n.start:n.end], n.start, n.end, None, n.descriptor, n.titled)
                _vote(piece, n.type)
                out.append(piece)
                kept[n.start:n.end] = b"\1" * (n.end - n.start)
    for n in proposals:
        span = (n.start, n.end)
        if span in used or any(kept[n.start:n.end]):
            continue
        c = make(body[n.start:n.end], n.start, n.end, {"_headline": 1} if in_headline(n.start) else None,
                 n.descriptor, n.titled)
        _vote(c, n.type)
        out.append(c)
    for c in out:
        # a person's title before the name, trimmed off it by either side, describes the person
        if not c.descriptor and (c.titled or (c.votes and c.votes.get("PERSON"))):
            c.descriptor = vetoes.title_before(body, c.start)
    return out


def _pieces_cut_at_a_connector(body: str, c, weak_starts: list[tuple[int, int]],
                               weak: dict[tuple[int, int], str]) -> list[vetoes.CheckedName]:
    """The model's doubtful names that open or close the rules' run ``c`` and stop at one of its connectors
    ("on", "of", "and", "the"), checked by the vetoes."""
    found = []
    i = bisect.bisect_left(weak_starts, (c.start, c.start))
    while i < len(weak_starts) and weak_starts[i][0] < c.end:
        s, e = weak_starts[i]
        i += 1
        if e > c.end or (s, e) == (c.start, c.end):
            continue
        if ((s == c.start and _CONNECTOR_NEXT.match(body, e, c.end)
             or e == c.end and _CONNECTOR_BEFORE.search(body, max(c.start, s - 12), s))
                and not _CONTRACTION.search(body, s, e)):  # "Don’t Trust the Voting Machines" is a headline
            found.extend(vetoes.check(body, s, e, weak[(s, e)]))
    return found


def _full_name_of_a_sure_surname(c, sure_surnames: set[str], overlaps: list[vetoes.CheckedName],
                                 lower_words: _LowerWords) -> bool:
    """Whether the rules' run ``c`` is the full name of a person the model is sure of by surname alone:
    "Star defensive tackle Ndamukong Suh", where the model reads "Suh" later on (and carried that reading to
    this mention's last word only). Not when a word before the surname is a common word ("Is Craig",
    "Apparently Lindsey", "Team Trump", "Presidents Obama", "Democrat Hillary Clinton")."""
    words = c.name.split()
    return (2 <= len(words) <= 3 and words[-1] in sure_surnames
            and all(w[:1].isupper() and w.isalpha() for w in words)
            and all((n.start, n.end) == (c.end - len(words[-1]), c.end) for n in overlaps)
            and not any(_common_word(w, lower_words.get()) for w in words[:-1]))


class _LowerWords:
    """The words a text writes in lower case, read once and only if asked."""

    def __init__(self, body: str) -> None:
        self.body, self._words = body, None

    def get(self) -> set[str]:
        if self._words is None:
            self._words = lower_case_words(self.body)
        return self._words


_PARTY_WORDS = frozenset("republican democrat democratic conservative liberal labour tory socialist".split())


def _common_word(word: str, lower_words: set[str]) -> bool:
    """A word the text writes in lower case somewhere, a title or a plural, or one the recogniser's training
    text writes in lower case at least as often as not (its case lexicon)."""
    from .ner import model  # (loaded once; no model, no lexicon)

    low = word.lower()
    if (low in gz.PERSON_TITLES or low.endswith(("s", "ly")) or not word[1:].islower() or low in _PARTY_WORDS
            or word in gz.DEMONYMS or low in lower_words):
        return True  # ("AG", "Interestingly", "Republican", "FlagShareLikeReplyMari")
    m = model()
    lexicon = m.featurizer.case_lexicon if m is not None else None
    return bool(lexicon) and lexicon.get(low) in ("l", "m")


def _person_opens(name: vetoes.CheckedName, c) -> bool:
    """Whether the model's person ``name`` opens the run ``c`` and stops short of its end ("Kevin Swanson" of
    "Kevin Swanson of Morro Bay")."""
    return name.type == "PERSON" and name.start == c.start and name.end < c.end


def _split_at_an_initial(body: str, name: vetoes.CheckedName, c) -> bool:
    """Whether ``c`` is a piece of the model's person ``name`` that the rules' capitalised run lost at the
    period of a middle initial ("John W." and "Houston" of "John W. Houston"): the model's cut is the name."""
    return (name.type == "PERSON" and name.start <= c.start and c.end <= name.end
            and (name.start, name.end) != (c.start, c.end)
            and _INNER_INITIAL.search(body, name.start, name.end) is not None)


def _vote(c, typ: str | None) -> None:
    if typ is None:
        return
    votes = dict(c.votes) if c.votes else {}
    votes[typ] = votes.get(typ, 0) + MODEL_VOTE
    if typ == "ORG":
        votes[MODEL_ORG] = votes.get(MODEL_ORG, 0) + MODEL_VOTE
    c.votes = votes
