"""An assertion and its denial across reports, found by what they are about rather than their words.

The rule (its first version, and why it changed, are in bench/RESULTS.md): a denial D
contradicts an assertion A of another report when

1. **D denies an event**: the extractor flagged D as a denial (the cue is outside the span:
   "denied that ...", "called ... baseless") and D's text names an event frame
   (``event_frames``), or D's text negates one ("no approval has been issued", "approved
   nothing": a negation within ``NEGATION_REACH`` words of the frame's word). A stray "no" ("no
   meaningful contact", "could not verify them") denies nothing, and neither does a report that
   someone rejected or refused something (an event of its own) unless the extractor flagged it;
2. **same event**: A's main event (``main_event``: the frame of its first event word) is one D
   denies, or the two were matched word for word as opposites when placed in their families;
3. **same actors**: the names in A's own words are named by D or by the opening paragraph of
   D's report (where news writing says who and where; a quote often names nobody): at least
   three of them, or two when the texts also share two content words (one, when the two were
   matched word for word as opposites);
4. **about the same thing**: their texts share a content word beyond the frame's ("office",
   "leadership"), unless they were matched word for word as opposites;
5. **dates near**: D published at most ``WINDOW_DAYS`` after A, or ``BEFORE_DAYS`` before it (a
   denial weeks before a claim does not answer it); an undated report is allowed, ranked lower;
6. **an independent speaker**: D is not of A's outlet, D's chain does not name A's outlet as its
   source (a report of the assertion is no denial of it), nor A's chain D's.

One denying origin (a denial's relays, or one named speaker told by several outlets) is offered
once per asserting origin (an outlet and the reports repeating it): the suggestions module keeps
the earliest denial and the originator's own claim.

Suggestions are ranked by that evidence and say it: "denial by a government spokesperson (Iraqi
News Wire, 2024-06-14) of Shafaq News's claim: same actors Hamas, Baghdad; same event: opening,
approval; 1 day apart".
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import json
import re
import sqlite3
from dataclasses import dataclass

from ..identity.keys import normalise_name
from .event_frames import frame_words, frames_of
from .origins import ANONYMOUS, GENERIC_ATTRIBUTIONS
from .propositions import STOPWORDS, fact_tokens, is_negative, stem

WINDOW_DAYS = 45
TOLD_AGAIN_DAYS = 7  # one event told twice is told within days; the same kind of event weeks apart is another
BEFORE_DAYS = 10
NEGATION_REACH = 3
NEGATORS = frozenset("no not never nothing none nobody neither nor".split())
MIN_ACTORS = 2
ACTORS_WITHOUT_SHARED_WORD = 3  # names of the assertion a denial must name when they share one content word only
CANDIDATE_REPORTS = 60  # reports read as candidates for one claim: naming its entities, nearest in date first
MAX_PER_CLAIM = 6

_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_NAME = re.compile(r"\b[A-Z][\w'’-]{2,}")
_MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday".split())


@dataclass
class Context:
    claim_id: int
    report_id: int
    source_id: int | None
    source_name: str | None
    published: str | None
    text: str
    chain: list[str]
    negative: bool
    actors: dict[str, str]  # key -> the name as written
    frames: frozenset[str]
    words: frozenset[str]  # lower-case content stems of the claim's sentence, frame words left out
    entity_ids: frozenset[int] = frozenset()  # the entities among the actors, to find candidates by
    denied: frozenset[str] = frozenset()  # the frames a denial denies (empty for an assertion)
    repeats: frozenset[int] = frozenset()  # sources the claim repeats (``claim_relays``): its origin is theirs
    relayed: bool = False  # its report repeats another in its family's origin tree
    origin_reports: frozenset[int] = frozenset()  # the reports it traces back to (set when traced)
    flagged: bool = False  # the extractor flagged it as a denial
    own_actors: frozenset[str] = frozenset()  # the names inside the claim itself
    lede_actors: frozenset[str] = frozenset()  # the names of the report's opening paragraph

    @property
    def echo(self) -> bool:
        """It says it repeats unnamed reports ("the reports said", "regional media"): an echo of
        an unknown origin, against which a denial is not offered (it is offered against origins)."""
        return bool(self.chain) and GENERIC_ATTRIBUTIONS.match(self.chain[0].strip()) is not None

    @property
    def who(self) -> str:
        return self.chain[0] if self.chain else (self.source_name or f"report {self.report_id}")

    @property
    def outlet(self) -> str:
        return self.source_name or f"report {self.report_id}"


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _paragraph_at(body: str, at: int) -> tuple[int, int]:
    start = 0
    for m in _PARAGRAPH.finditer(body):
        if m.start() >= at:
            return start, m.start()
        start = m.end()
    return start, len(body)


def _lede(body: str) -> tuple[int, int]:
    """The opening paragraph that says something (a dateline or a byline line alone is skipped)."""
    start = 0
    for m in _PARAGRAPH.finditer(body):
        if len(body[start:m.start()].strip()) >= 60:
            return start, m.start()
        start = m.end()
    return start, len(body)


def _names(body: str, start: int, end: int, mentions: list[tuple[int, int, str, int]],
           ids: set[int] | None = None) -> dict[str, str]:
    """Names in ``body[start:end]``: an entity's mention counts as the entity (Haniyya and
    Haniyeh are one), another capitalised word as itself, unless it only opens a sentence
    ("Within forty-eight hours")."""
    out: dict[str, str] = {}
    covered = []
    for m_start, m_end, name, entity_id in mentions:
        if m_start >= start and m_end <= end:
            out[normalise_name(name)] = name
            covered.append((m_start, m_end))
            if ids is not None:
                ids.add(entity_id)
    covered.sort()
    starts = [a for a, _ in covered]
    reach = list(itertools.accumulate((b for _, b in covered), max))  # furthest end so far: one bisect per word
    for m in _NAME.finditer(body, start, end):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and reach[i] > m.start():
            continue
        before = body[max(0, m.start() - 3):m.start()].rstrip()
        if not before or before[-1] in ".!?:\"“\n":
            continue  # a sentence's first word is capitalised whatever it is
        word = m.group(0).rstrip("'’").removesuffix("'s").removesuffix("’s")
        key = word.casefold()
        if key in STOPWORDS or key in _MONTHS_DAYS or len(key) < 3:
            continue
        out.setdefault(normalise_name(word), word)
    return out


_TOKEN = re.compile(r"[\w'’]+")


def denied_frames(text: str, flagged: bool) -> frozenset[str]:
    """The event frames a claim denies: those its first sentence names when the extractor flagged
    it as a denial (the span is what is denied), else those a negation reaches."""
    if flagged and is_negative(text, True):
        return frames_of(_first_sentence(text))
    words = [w.casefold() for w in _TOKEN.findall(text)]
    # Not flagged, only a negation denies: "X rejected the offer" reports an event of its own
    negations = [i for i, w in enumerate(words) if w in NEGATORS or w.endswith("n't")]
    if not negations:
        return frozenset()
    reached = set()
    for n in negations:  # linear: each negation reaches a fixed number of words
        reached.update(range(max(0, n - NEGATION_REACH), n + NEGATION_REACH + 1))
    out = set()
    for i in sorted(reached):
        if i < len(words):
            out |= frames_of(" ".join(words[i:i + 2]))  # the word and a two-word cue it opens ("set up")
    return frozenset(out)


def spelled(stems: frozenset[str] | set[str], text: str) -> list[str]:
    """The words of ``text`` the stems stand for, as written ("offic" -> "office")."""
    out = {}
    for word in _TOKEN.findall(text):
        key = stem(word.casefold())
        if key in stems and key not in out:
            out[key] = word.casefold()
    return [out.get(k, k) for k in sorted(stems)]


def _content(text: str) -> frozenset[str]:
    skip = {stem(w) for w in frame_words(text)}
    return frozenset(w for w in fact_tokens(text) if w not in skip)


def load_contexts(conn: sqlite3.Connection, claim_ids: list[int], cache: dict | None = None) -> dict[int, Context]:
    """The claims' contexts; ``cache`` (claim id -> Context) keeps them across calls of one pass."""
    out: dict[int, Context] = {}
    if cache is not None:
        out.update({i: cache[i] for i in claim_ids if i in cache})
        claim_ids = [i for i in claim_ids if i not in cache]
    bodies: dict[int, tuple[str, list]] = {}
    for i in range(0, len(claim_ids), 500):
        chunk = claim_ids[i:i + 500]
        rows = conn.execute(
            f"""SELECT c.id, c.report_id, r.source_id, s.name, r.published, c.text, c.chain, c.is_denial, c.start, c."end"
                FROM claims c JOIN reports r ON r.id = c.report_id LEFT JOIN sources s ON s.id = r.source_id
                WHERE c.id IN ({','.join('?' * len(chunk))})""", chunk).fetchall()
        for cid, report_id, source_id, source_name, published, text, chain, denial, start, end in rows:
            if report_id not in bodies:
                body = conn.execute("SELECT body FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
                mentions = conn.execute(
                    """SELECT m.start, m."end", e.name, e.id FROM mentions m JOIN entities e ON e.id = m.entity_id
                       WHERE m.report_id = ?""", (report_id,)).fetchall()
                bodies[report_id] = (body, mentions)
            body, mentions = bodies[report_id]
            negative = is_negative(text, bool(denial))
            ids: set[int] = set()
            if body[start:end] != text:
                start, end = 0, 0  # a claim whose span no longer indexes the body: its own text only
                names = own_names = lede_names = _names(text, 0, len(text), [])
            else:
                p_start, p_end = _paragraph_at(body, start)
                l_start, l_end = _lede(body)
                own_names = _names(body, start, end, mentions)
                names = _names(body, p_start, p_end, mentions, ids)
                lede_names = _names(body, l_start, l_end, mentions, ids)
                names.update({k: v for k, v in lede_names.items() if k not in names})
            repeats = frozenset(r[0] for r in conn.execute("SELECT source_id FROM claim_relays WHERE claim_id = ?", (cid,)))
            out[cid] = Context(cid, report_id, source_id, source_name, published, text, json.loads(chain or "[]"),
                               negative, names, frames_of(text), _content(text), frozenset(ids),
                               denied_frames(text, bool(denial)) if negative else frozenset(), repeats,
                               own_actors=frozenset(own_names), lede_actors=frozenset(lede_names),
                               flagged=bool(denial))
            if cache is not None:
                cache[cid] = out[cid]
    return out


def _day(published: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


def _days_apart(a: Context, b: Context) -> int | None:
    da, db = _day(a.published), _day(b.published)
    return None if da is None or db is None else abs((da - db).days)


_FILLER = frozenset("a an the of its his her their senior".split())
# A role alone names nobody: "a spokesman" of two outlets is two people until an owner ("the
# government's spokesman") or a name says otherwise.
_ROLES = frozenset("""spokesman spokeswoman spokesperson official officials minister mp lawmaker commander source
sources member members leader leaders aide adviser advisor analyst diplomat witness witnesses resident residents
channel account statement""".split())


def same_named_speaker(a: str, b: str) -> bool:
    """One named speaker told two ways: "a government spokesperson", "The government's
    spokesperson", "The Iraqi government". Anonymous speakers ("the official", "informed
    sources") are never assumed to be one."""
    if ANONYMOUS.search(normalise_name(a)) or ANONYMOUS.search(normalise_name(b)):
        return False
    if normalise_name(a) == normalise_name(b):
        return True

    def nouns(text: str) -> set[str]:
        return {w.removesuffix("'s").removesuffix("’s") for w in _TOKEN.findall(text)
                if w[:1].islower() and w not in _FILLER} - _ROLES

    return bool(nouns(a) & nouns(b))


def _names_outlet(chain: list[str], outlet: str | None) -> bool:
    if not outlet:
        return False
    wanted = normalise_name(outlet)
    return any(wanted and wanted in normalise_name(element) for element in chain)


@dataclass
class Contradiction:
    denial: Context
    assertion: Context
    score: float
    reason: str


def judge(denial: Context, assertion: Context, matched_as_opposites: bool = False) -> Contradiction | None:
    """The rule of the module's docstring; None when the pair does not meet it."""
    if not (denial.denied or (denial.flagged and matched_as_opposites)) or assertion.negative:
        return None
    if denial.report_id == assertion.report_id or assertion.echo:
        return None
    if main_event(assertion.text) not in denial.denied and not matched_as_opposites:
        return None  # "held discussions on opening an office" asserts talks: "no approval" does not deny them
    if denial.source_id is not None and denial.source_id == assertion.source_id:
        return None
    if _names_outlet(denial.chain, assertion.source_name) or _names_outlet(assertion.chain, denial.source_name):
        return None
    days = _days_apart(denial, assertion)
    if days is not None and days > (WINDOW_DAYS if _day(denial.published) >= _day(assertion.published) else BEFORE_DAYS):
        return None
    frames = denial.denied & assertion.frames
    if not frames and not matched_as_opposites:
        return None
    # The assertion's own actors, named by the denial or by its report's opening (a quote often
    # names nobody: "No Palestinian faction has applied ..." under a lede naming Hamas and Baghdad).
    named = assertion.own_actors & (denial.own_actors | denial.lede_actors)
    actors = [assertion.actors.get(k, k) for k in sorted(named)]
    shared = denial.words & assertion.words
    if not shared and not matched_as_opposites:
        return None
    enough = len(actors) >= ACTORS_WITHOUT_SHARED_WORD or (len(actors) >= MIN_ACTORS and len(shared) >= 2)
    if not enough and not (matched_as_opposites and actors):
        return None  # word for word, one shared name is enough: the words already say it is one story
    score = min(len(actors), 5) + 2 * min(len(shared), 3) + 2 * len(frames) + 3 * matched_as_opposites
    score += 2 if days is None else max(0.0, 3 - days / 10)
    event = ", ".join(sorted(frames)) or "the same words, one denying them"
    when = "undated" if days is None else ("same day" if days == 0 else f"{days} day{'s' if days > 1 else ''} apart")
    about = f"; both about {', '.join(spelled(shared, assertion.text)[:3])}" if shared else ""
    reason = (f"denial by {denial.who} ({denial.outlet}, {denial.published or 'undated'}) of {assertion.outlet}'s claim: "
              f"same actors {', '.join(actors[:4])}; same event: {event}{about}; {when}")
    return Contradiction(denial, assertion, score, reason)


_PROSPECTIVE = re.compile(r"\b(?:will|would|shall|going to|about to|set to|expected to|preparing|prepares?|plans?|"
                          r"planned|planning|intends?|intended|intending|could|may|might)\b", re.IGNORECASE)


def _first_sentence(text: str) -> str:
    first = _SENTENCE.match(text)
    return first.group(0) if first else text


def prospective(text: str) -> bool:
    """The claim's first sentence says something will or may happen, rather than that it did:
    "is preparing to open an office" and "opened an office" are two propositions."""
    return _PROSPECTIVE.search(_first_sentence(text)) is not None


def main_event(text: str) -> str | None:
    """The frame of the first event word of the claim's first sentence: "held discussions on
    opening an office" is talks, "opened an office" an opening."""
    for word in _TOKEN.findall(_first_sentence(text).casefold()):
        frames = frames_of(word + " ")
        if frames:
            return min(frames)
    return None


def same_event(a: Context, b: Context) -> tuple[float, str] | None:
    """Two assertions telling one event (a second, independent telling: corroboration): both
    assert (neither denies nor says it echoes unnamed reports), have one main event
    (``main_event``) in one mood (``prospective``), name at least ``MIN_ACTORS`` of the same
    actors in their own words, share a content word beyond the frame's, and are dated within
    ``TOLD_AGAIN_DAYS``. Returns (score, reason) or None."""
    if a.negative or b.negative or a.echo or b.echo or a.report_id == b.report_id:
        return None
    frames = a.frames & b.frames
    if not frames or main_event(a.text) != main_event(b.text) or prospective(a.text) != prospective(b.text):
        return None
    if a.source_id is not None and a.source_id == b.source_id:
        return None
    if _names_outlet(a.chain, b.source_name) or _names_outlet(b.chain, a.source_name):
        return None
    actors = [a.actors.get(k, k) for k in sorted(a.own_actors & b.own_actors)]
    if len(actors) < MIN_ACTORS:
        return None
    shared = a.words & b.words
    if not shared:
        return None
    days = _days_apart(a, b)
    if days is not None and days > TOLD_AGAIN_DAYS:
        return None
    score = min(len(actors), 5) + 2 * min(len(shared), 3) + 2 * len(frames) + (2 if days is None else max(0.0, 3 - days / 10))
    when = "undated" if days is None else ("same day" if days == 0 else f"{days} day{'s' if days > 1 else ''} apart")
    return score, (f"the same event told by an independent origin, {b.who} ({b.outlet}, {b.published or 'undated'}): "
                   f"same actors {', '.join(actors[:4])}; same event: {', '.join(sorted(frames))}; both about "
                   f"{', '.join(spelled(shared, a.text)[:3])}; {when}")


def candidate_claims(conn: sqlite3.Connection, context: Context) -> list[int]:
    """Claims of other reports near in date naming one of the claim's actors (by entity), else
    near in date: the nearest ``CANDIDATE_REPORTS`` reports."""
    day = _day(context.published)
    low = (day - datetime.timedelta(days=WINDOW_DAYS)).isoformat() if day else "0000"  # either side: D or A
    high = (day + datetime.timedelta(days=WINDOW_DAYS)).isoformat() + "~" if day else "9999"
    anchor = context.published or ""
    entity_ids = sorted(context.entity_ids)
    order = "ORDER BY abs(julianday(substr(coalesce(r.published, ?), 1, 10)) - julianday(substr(?, 1, 10)))"
    reports: list[int] = []
    if entity_ids:
        reports = [r[0] for r in conn.execute(
            f"""SELECT r.id FROM reports r WHERE r.id != ? AND (r.published IS NULL OR r.published BETWEEN ? AND ?)
                AND r.id IN (SELECT report_id FROM mentions WHERE entity_id IN ({','.join('?' * len(entity_ids))}))
                {order} LIMIT ?""",
            [context.report_id, low, high, *entity_ids, anchor, anchor or "2000-01-01", CANDIDATE_REPORTS])]
    if len(reports) < CANDIDATE_REPORTS:  # names the extractor did not make entities: the nearest reports in date
        reports += [r[0] for r in conn.execute(
            f"""SELECT r.id FROM reports r WHERE r.id != ? AND (r.published IS NULL OR r.published BETWEEN ? AND ?)
                {order} LIMIT ?""", (context.report_id, low, high, anchor, anchor or "2000-01-01",
                                     CANDIDATE_REPORTS - len(reports)))]
    chosen = list(dict.fromkeys(reports))
    out: list[int] = []
    for i in range(0, len(chosen), 500):
        chunk = chosen[i:i + 500]
        out += [r[0] for r in conn.execute(
            f"SELECT id FROM claims WHERE report_id IN ({','.join('?' * len(chunk))}) AND rejected = 0", chunk)]
    return out
