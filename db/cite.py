"""Citations for reports and claims: pure functions over ``db.models``, no database.

    cite_report(report, style, *, accessed=None, container=None) -> str
    cite_claim(claim, report, style, *, accessed=None, container=None) -> str

``STYLES`` maps each style id to a label, in the order the UI should offer them.

Which field goes where
---------------------
* Organisation: ``Source.name`` is the short name ("MEMRI", "Caliber.Az"); ``Source.full_name``, when set, is
  the written-out name ("Middle East Media Research Institute"). Chicago writes both as
  "Middle East Media Research Institute (MEMRI)" when they differ (and the full name does not already contain
  the short one); APA, MLA, BibTeX and RIS use the full name; Markdown and the intel line use the short name.
* Author: ``Report.author``. Without one, the organisation stands as the author (Chicago, APA, BibTeX); MLA
  starts with the title instead, as MLA 9 asks when the author would repeat the publisher. RIS never invents an
  ``AU`` (Zotero would import the organisation as a person); the organisation goes in ``PB``.
* Container: the series or section the report appeared in ("Jihad and Terrorism Threat Monitor"):
  ``Report.container``, or the ``container=`` keyword, which wins when given (pass ``""`` to suppress it).
* Date: ``Report.published`` is ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (a time part is ignored);
  anything else counts as undated. Undated: "n.d." (Chicago, APA, Markdown, intel), omitted (MLA, BibTeX, RIS).
* Access date: ``accessed=``. MLA, BibTeX (``urldate``), RIS (``Y2``) and the intel line print it whenever it
  is given; Chicago and APA only for an undated report (CMOS 14.233; APA's "Retrieved ... from").
* Descriptor (intel style): ``Source.affiliation`` ("anti-Iran Iraqi news website").

Untrusted text
--------------
Every string field may come from an adversary. Nothing here raises on any ``str`` content (only on an unknown
style id); each field is flattened to one line; the output never holds C0 controls other than tab and
newline, DEL, C1 controls, lone surrogates or the bidi embeddings/overrides/isolates U+202A-202E and
U+2066-2069, because citations go to the clipboard and the terminal. Markdown text is escaped and only
http(s) URLs become links; BibTeX special characters are escaped.

Capitalisation
--------------
``title_case`` (Chicago, MLA) follows CMOS 8.159: capitalise the first and last words, the first word after a
colon, and every word except articles, prepositions, "as", "to" and the conjunctions and/but/for/or/nor
(up/down/out/off are capitalised: in headlines they are mostly verb particles). Words that are all capitals
("US", "MEMRI", "X") or carry inner capitals ("McDonald", "iPhone") are kept; each part of a hyphenated
compound is treated as a word ("Iran-Backed", "Out-of-Date").

``sentence_case`` (APA) cannot know every proper noun, so it first decides how the headline was written:

1. Already in sentence case (some ordinary words start lowercase): the capitals the author chose mid-title are
   proper nouns; only the first word and the first word after a colon are capitalised.
2. In title case (nearly every word capitalised): a word is lowercased when it is a common English word
   (``COMMON_WORDS``, with plural/-ed/-ing/-er/-ly forms), else it is kept as a probable proper noun. When the
   report body is given as ``hint`` it wins over the list: a word seen lowercase in running text is common, a
   word only ever seen capitalised mid-sentence is a name. A courtesy/office title before a kept name stays
   capitalised ("Prime Minister Mohammed ...").
3. All capitals: words are first reduced to capitalised form (short non-dictionary words stay as acronyms),
   then rule 2 applies.

Known limits: a name made of common words ("White House", "Islamic State") is lowercased in a title-cased
headline unless the body shows it capitalised.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from db.models import CREDIBILITY_LABELS, RELIABILITY_LABELS, Claim, Report, Source

__all__ = [
    "STYLES",
    "cite_report",
    "cite_claim",
    "chain_text",
    "title_case",
    "sentence_case",
    "strip_controls",
    "bibtex_escape",
    "parse_partial_date",
]

STYLES: dict[str, str] = {
    "chicago-note": "Chicago (note)",
    "chicago-bib": "Chicago (bibliography)",
    "apa": "APA 7",
    "mla": "MLA 9",
    "bibtex": "BibTeX",
    "ris": "RIS (Zotero, EndNote)",
    "markdown": "Markdown link",
    "intel": "Intelligence source line",
}

# --- sanitising ---------------------------------------------------------------------------

_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_WS_RE = re.compile(r"\s+")


def strip_controls(text: str) -> str:
    """Remove C0 (except tab and newline), DEL, C1, bidi overrides/isolates and lone surrogates."""
    return _CONTROL_RE.sub("", text)


def _field(value: object) -> str:
    """One untrusted field as a clean single line ("" for None)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    # Control characters become spaces first so "a\x00b" does not glue words together; then whitespace
    # (including U+2028/2029 and the newlines of a pasted title) collapses to single spaces.
    value = _CONTROL_RE.sub(" ", value)
    return _WS_RE.sub(" ", value).strip()


# --- dates --------------------------------------------------------------------------------

_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$")
_MONTHS = [calendar.month_name[i] for i in range(13)]
_MONTHS_ABBR = [calendar.month_abbr[i] for i in range(13)]
# MLA 9 abbreviates months longer than four letters.
_MONTHS_MLA = ["", "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None


def parse_partial_date(value: object) -> PartialDate | None:
    """``"2024-06-24"``, ``"2024-06"``, ``"2024"`` (time part ignored); None for anything else."""
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(value)
    if not m:
        return None
    year = int(m.group(1))
    if year < 1:
        return None
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return PartialDate(year, month, day)


def _us_date(d: PartialDate) -> str:  # June 24, 2024
    if d.month is None:
        return str(d.year)
    if d.day is None:
        return f"{_MONTHS[d.month]} {d.year}"
    return f"{_MONTHS[d.month]} {d.day}, {d.year}"


def _apa_date(d: PartialDate | None) -> str:  # 2024, June 24
    if d is None:
        return "n.d."
    if d.month is None:
        return str(d.year)
    if d.day is None:
        return f"{d.year}, {_MONTHS[d.month]}"
    return f"{d.year}, {_MONTHS[d.month]} {d.day}"


def _mla_date(d: PartialDate) -> str:  # 24 June 2024
    parts = [str(d.day)] if d.day else []
    if d.month:
        parts.append(_MONTHS_MLA[d.month])
    parts.append(str(d.year))
    return " ".join(parts)


def _day_month_year(d: PartialDate, months: list[str]) -> str:  # 13 Jun 2024 / 24 June 2024
    parts = [str(d.day)] if d.day else []
    if d.month:
        parts.append(months[d.month])
    parts.append(str(d.year))
    return " ".join(parts)


def _ris_date(d: PartialDate) -> str:  # 2024/06/24/  (RIS: YYYY/MM/DD/other, parts may be empty)
    month = f"{d.month:02d}" if d.month else ""
    day = f"{d.day:02d}" if d.day else ""
    return f"{d.year:04d}/{month}/{day}/"


def _iso(d: PartialDate) -> str:
    out = f"{d.year:04d}"
    if d.month:
        out += f"-{d.month:02d}"
        if d.day:
            out += f"-{d.day:02d}"
    return out


def _accessed(value: object) -> PartialDate | None:
    return parse_partial_date(value) if value is not None else None


# --- capitalisation ---------------------------------------------------------------------------

# Lowercase in Chicago/MLA title case unless first, last or after a colon.
_ARTICLES = {"a", "an", "the"}
_COORD = {"and", "but", "for", "or", "nor"}
_PREPOSITIONS = {
    "about", "above", "across", "after", "against", "along", "amid", "amidst", "among", "amongst", "around",
    "at", "atop", "before", "behind", "below", "beneath", "beside", "besides", "between", "beyond", "by",
    "despite", "during", "except", "for", "from", "in", "inside", "into", "like", "near", "of", "on", "onto",
    "outside", "over", "past", "per", "since", "than", "through", "throughout", "till", "to", "toward",
    "towards", "under", "underneath", "unlike", "until", "unto", "upon", "versus", "via", "vs", "v", "with",
    "within", "without", "amid",
}
_SMALL_WORDS = _ARTICLES | _COORD | _PREPOSITIONS | {"as", "en", "vs."}

# A generic list of common English words (not names), used by sentence_case to decide whether a capitalised
# word in a title-cased headline is an ordinary word. Base forms; -s/-es/-ed/-ing/-er/-ly forms are derived.
# Deliberately absent: months and weekdays, and words that are also country or common personal names
# (turkey, china, jordan, chad, may, march, bill, will ...).
COMMON_WORDS = frozenset(
    """
    a an the and but or nor for so yet as if than then that this these those there here where when while
    whether because although though unless until since after before once how what which who whom whose why
    i me my mine myself you your yours yourself he him his himself she her hers herself it its itself we our
    ours ourselves they them their theirs themselves one ones someone anyone everyone nobody somebody
    something anything everything nothing each every either neither both all any some many much more most
    few fewer less least several such other another same own no not only also even still just very too
    quite rather almost already again ever never always often sometimes soon now today tonight tomorrow
    yesterday ago later early late far away back forward together alone else instead perhaps maybe
    is am are was were be been being have has had having do does did done doing can could shall should
    would must might ought need needs
    about above across after against along amid among around at before behind below beneath beside between
    beyond by despite down during except from in inside into like near of off on onto out outside over past
    per round through throughout to toward towards under underneath unlike up upon via with within without
    anti pro non pre post ex self co counter multi semi sub super ultra mid inter
    new old good bad great big small large little long short high low young top bottom first last next
    final main major minor key full empty open close closed free hard easy true false real right left wrong
    best worst better worse own public private national international local regional global foreign domestic
    political military civil civilian social economic financial religious ethnic armed secret official
    unofficial former current future recent possible likely unlikely potential suitable alternative senior
    junior general special common clear certain sure safe unsafe secure dangerous serious severe heavy light
    strong weak fresh latest further total direct indirect deadly fatal violent peaceful hostile friendly
    rival allied joint single double multiple various whole entire human natural legal illegal unknown
    known anonymous informed unnamed alleged apparent online daily weekly monthly annual nuclear strategic
    tactical chemical critical crucial vital urgent massive huge tiny wide broad deep near nearby remote
    north south east west northern southern eastern western central middle upper lower inner outer
    black white red green blue yellow dark
    go goes went gone come came become became get got give gave take took make made see saw seen know knew
    think thought say said tell told ask call find found keep kept let put run ran set show shown turn move
    leave left bring brought begin began begun hold held stand stood hear heard meet met pay paid send sent
    build built buy bought fall fell fight fought lose lost win won lead led read write wrote written speak
    spoke spoken seek sought sell sold rise rose risen draw drew drawn break broke broken choose chose
    feel felt hit hurt cut shut spread strike struck drive drove driven fly flew flown grow grew grown
    throw threw thrown wear wore
    accept accuse achieve acknowledge act add address admit adopt advance affect affiliate agree aid aim
    allege allow announce answer appeal appear apply appoint approve argue arm arrest arrive assassinate
    assess assist attack attempt attend back ban base bar battle bear beat believe blame block bomb boost
    brief call cancel capture carry cause celebrate change charge check cite claim clash collapse command
    comment commit compare complain complete concern condemn confirm confront connect consider contact
    continue control convict cooperate cover crack create cross cut damage deal debate decide declare
    defeat defend delay deliver demand deny deploy describe destroy detain develop die discuss dismiss
    displace dispute drop ease end enter escalate escape establish evacuate examine expand expect explain
    explode expose extend face fail fear file fire flee focus follow force form free fund gain gather
    govern guard halt handle happen head help hide hire host house identify ignore impose improve include
    increase inform injure inaugurate insist intend intercept investigate invite involve issue join judge
    jump kill kidnap launch learn like link list live load lock look manage mark matter mean mediate mention
    monitor mount name need negotiate note notice obtain occupy occur offer oppose order organise organize
    own pass plan play plead pledge post prepare present press prevent probe promise protect protest prove
    provide publish pull push raid raise reach react receive recognise recognize record recover recruit
    reduce refuse reject release rely remain remove renew repeat replace reply report represent request
    require rescue resign resist respond restore retain return reveal review ring risk rule sanction save
    score search secure seize sentence serve settle share shell shoot sign signal slam spark spend split
    start state stay step stop storm strike study suffer suggest support surge suspect suspend target
    test threaten track trade train transfer travel treat trigger try urge use vote wage wait walk want
    warn watch welcome wish withdraw wonder work worry wound
    account action activist address administration adviser advisor affair age agency agenda agreement aid
    aide air aircraft airport airstrike alert alliance alternative ambassador analysis analyst anniversary
    answer area arm army arrest article assault assembly asset attack attempt attention authority axis
    background balance ban bank base basis battle battalion bid bill blast blockade board body bomb bombing
    border branch brigade budget building bureau business cabinet call camp campaign candidate capital car
    case cause ceasefire cell center centre chairman chance channel charge chief child children citizen
    city claim clash class cleric coalition code command commander comment commission committee community
    company condition conference conflict congress contact content context contract control cooperation
    corruption council country court cover crime crisis crowd cyber damage data day deal death debate
    decision defence defense delegation demand democracy department deputy detail development diplomat
    director disaster discussion dispute district document drone duty economy effort election element elite
    embassy emergency enemy energy envoy escalation evidence exchange executive exercise expert explosion
    faction fact family fighter fighting figure fire fleet force form front fund funeral future gas general
    government governor group growth guard guest gunman hand head headquarters health hearing history home
    hospital hostage hour house idea image impact incident information infrastructure inquiry intelligence
    interest interior interview investigation issue job journalist judge justice killing land law lawmaker
    leader leadership level life line list lot man market matter mayor media meeting member men message
    militant militia minister ministry mission month morning movement murder nation navy network news night
    note number offensive office officer official operation opinion opposition order organisation
    organization outlet pact parliament part party past peace people period person photo picture place
    plan plant platform player point police policy port position post power premier president press
    prime prince prison prisoner process program programme project proposal protest province public
    question race raid rank rate reason rebel record reform refugee region regime relation report
    representative republic request research resistance resolution response result right risk road rocket
    role rule rumour rumor safety sanction school sea seat secretary security series service session share
    ship shooting side siege site situation society soldier source speaker spokesman spokesperson
    spokeswoman state statement station status step strategy street strike struggle student study summit
    support supporter suspect system talk target tax team tension term territory terror terrorism terrorist
    test thing threat time town trade troop truce trust truth unit union unrest update video view village
    violence visit vote war warning water way weapon week wing woman women word world year zone
    due pressure convoy checkpoint drill missile launcher artillery tank truck vehicle plane jet helicopter
    boat vessel tanker cargo shipment supply smuggling smuggler ammunition explosive device mine hostage
    captive detainee jail trial verdict appeal protester rally demonstration riot curfew lockdown blackout
    outage shortage fuel oil price inflation currency loan donor grant funding investment contract
    negotiation mediator mediation tour trip invitation reception ceremony opening closing inauguration
    memorial burial wedding birth injury casualty victim survivor witness resident neighbourhood
    neighborhood suburb shelter tent mosque church temple shrine clinic bridge highway harbour harbor
    crossing gate wall fence tunnel outpost barracks compound tower palace consulate handle page feed
    website blog podcast broadcast footage clip recording leak file letter denial doubt fear hope
    accusation allegation
    """.split()
)

# A capitalised common word directly before a kept name keeps its capital ("Prime Minister Mohammed").
_TITLES_BEFORE_NAMES = frozenset(
    """president vice prime minister deputy secretary general sheikh sheik ayatollah imam king queen prince
    princess emir senator governor commander chief mr mrs ms dr sir lord lady pope cardinal bishop rabbi
    colonel major captain lieutenant sergeant admiral judge justice ambassador mayor chairman speaker
    foreign defence defense interior""".split()
)

_SUBTITLE_END = (":", "?", "!", "\u2014", ".")  # the next word starts a subtitle
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_CHAR = re.compile(r"\w")


def _letters(word: str) -> str:
    return "".join(_LETTER_RE.findall(word))


def _is_all_caps(word: str) -> bool:
    letters = _letters(word)
    return bool(letters) and letters.isupper()


def _has_inner_caps(word: str) -> bool:
    """"McDonald", "iPhone", "O'Brien": a capital after the first letter, not all capitals."""
    letters = _letters(word)
    if len(letters) < 2 or letters.isupper():
        return False
    return any(c.isupper() for c in letters[1:])


def _cap_first(word: str) -> str:
    for i, c in enumerate(word):
        if c.isalpha():
            return word[:i] + c.upper() + word[i + 1 :]
    return word


def _lower_first(word: str) -> str:
    for i, c in enumerate(word):
        if c.isalpha():
            return word[:i] + c.lower() + word[i + 1 :]
    return word


def _stems(word: str) -> list[str]:
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    out = [w]
    for suffix, repl in (
        ("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""),
        ("ing", "e"), ("ers", ""), ("er", ""), ("ly", ""), ("ship", ""), ("ment", ""), ("ness", ""),
        ("ation", "e"), ("ion", "e"), ("ion", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            base = w[: -len(suffix)] + repl
            out.append(base)
            if len(base) > 2 and base[-1] == base[-2] and not repl:  # planned -> plan
                out.append(base[:-1])
    return out


def is_common_word(word: str) -> bool:
    return any(s in COMMON_WORDS for s in _stems(word))


@dataclass(frozen=True)
class _Evidence:
    lower: frozenset[str]
    capitalised: frozenset[str]


_HINT_WORD_RE = re.compile(r"[^\W\d_][^\W\d_'\u2019]*")


@lru_cache(maxsize=16)
def _evidence(hint: str) -> _Evidence:
    """How words are written in running text: seen lowercase, or seen capitalised mid-sentence only."""
    lower: set[str] = set()
    caps: set[str] = set()
    for line in hint[:300_000].splitlines():
        words = _HINT_WORD_RE.findall(line)
        long_words = [w for w in words if len(w) >= 4]
        if len(long_words) >= 2 and sum(w[0].isupper() for w in long_words) >= 0.7 * len(long_words):
            continue  # a title-cased heading says nothing about proper nouns
        for m in _HINT_WORD_RE.finditer(line):
            w = m.group(0)
            if len(w) < 3:
                continue
            before = line[: m.start()].rstrip()
            if w.islower():
                lower.add(w)
            elif w[0].isupper() and (len(w) == 1 or w[1:].islower()):
                if before and before[-1] not in ".!?:\"\u201c\u2018'([" and not before.endswith("..."):
                    caps.add(w.lower())
    return _Evidence(frozenset(lower), frozenset(caps - lower))


def _split_token(token: str) -> tuple[str, str, str]:
    r"""(leading non-word characters, the core, trailing ones). Scanned from both ends: the pattern
    ``^(\W*)(.*?)(\W*)$`` tried its tail at every character of the core, quadratic in "x::::...a"."""
    start, end = 0, len(token)
    while start < end and not _WORD_CHAR.match(token, start):
        start += 1
    while end > start and not _WORD_CHAR.match(token, end - 1):
        end -= 1
    return token[:start], token[start:end], token[end:]


def _subtitle_starts(tokens: list[str]) -> set[int]:
    starts = {0}
    for i, tok in enumerate(tokens[:-1]):
        bare = tok.rstrip("\"'\u201d\u2019)]")
        if bare.endswith(".") and ("." in bare[:-1] or len(_letters(bare)) <= 3):
            continue  # "U.S.", "Mr.", "Dr.": an abbreviation, not the end of a sentence
        if bare.endswith(_SUBTITLE_END) or tok in ("\u2014", "-", "\u2013", "|"):
            starts.add(i + 1)
    return starts


def _start_words(tokens: list[str]) -> set[int]:
    """The tokens that open the title or a subtitle: the first with letters from each start."""
    first_word = _first_word_indexes(tokens)
    return {s if first_word[s] is None else first_word[s] for s in _subtitle_starts(tokens)}


def _first_word_indexes(tokens: list[str]) -> list[int | None]:
    """For each index, the first token at or after it that has letters (None past the last): one
    pass from the end, where a scan from every subtitle start was quadratic in a title of dashes."""
    out: list[int | None] = [None] * len(tokens)
    following = None
    for i in range(len(tokens) - 1, -1, -1):
        if _letters(tokens[i]):
            following = i
        out[i] = following
    return out


_SHORT_ACRONYMS = frozenset({"US", "UK", "UN", "EU", "USA", "UAE", "NATO", "ISIS", "IS", "TV"})


def _is_shouting(tokens: list[str]) -> bool:
    words = [_letters(t) for t in tokens]
    long_words = [w for w in words if len(w) >= 4]
    return len(long_words) >= 2 and all(w.isupper() for w in long_words)


def _unshout(tokens: list[str]) -> list[str]:
    out = []
    for tok in tokens:
        lead, core, trail = _split_token(tok)
        parts = []
        for part in core.split("-"):
            letters = _letters(part)
            if letters.isupper() and (
                part in _SHORT_ACRONYMS or (len(letters) <= 3 and not is_common_word(part) and len(letters) > 1)
            ):
                parts.append(part)
            else:
                parts.append(_cap_first(part.lower()))
        out.append(lead + "-".join(parts) + trail)
    return out


def title_case(title: str) -> str:
    """Headline-style capitalisation (CMOS 8.159), see the module docstring."""
    title = _field(title)
    tokens = title.split(" ") if title else []
    if not tokens:
        return title
    if _is_shouting(tokens):
        tokens = _unshout(tokens)
    starts = _start_words(tokens)
    last = max((i for i, t in enumerate(tokens) if _letters(t)), default=len(tokens) - 1)
    out = []
    for i, tok in enumerate(tokens):
        lead, core, trail = _split_token(tok)
        force = i in starts or i == last
        parts = core.split("-")
        new_parts = []
        for j, part in enumerate(parts):
            if not _letters(part) or _is_all_caps(part) and len(_letters(part)) > 1 or _has_inner_caps(part):
                new_parts.append(part)
            elif part.lower() in _SMALL_WORDS and not (force and j == 0) and not (
                force and j == len(parts) - 1 and i == last and len(parts) == 1
            ):
                new_parts.append(part.lower())
            else:
                new_parts.append(_cap_first(part))
        out.append(lead + "-".join(new_parts) + trail)
    return " ".join(out)


def _looks_title_cased(tokens: list[str], starts: set[int]) -> bool:
    caps = lower = 0
    for i, tok in enumerate(tokens):
        if i in starts:
            continue
        _, core, _ = _split_token(tok)
        for part in core.split("-"):
            letters = _letters(part)
            if not letters or part.lower() in _SMALL_WORDS or _has_inner_caps(part):
                continue
            if letters[0].isupper():
                caps += 1
            else:
                lower += 1
    return caps > 0 and lower <= caps * 0.15


def sentence_case(title: str, hint: str | None = None) -> str:
    """Sentence-style capitalisation (APA 7), see the module docstring. ``hint``: the report body."""
    title = _field(title)
    tokens = title.split(" ") if title else []
    if not tokens:
        return title
    if _is_shouting(tokens):
        tokens = _unshout(tokens)
    starts = _start_words(tokens)
    if not _looks_title_cased(tokens, starts):
        # Written in sentence case already: keep the author's capitals, fix the starts.
        return " ".join(_cap_first(t) if i in starts else t for i, t in enumerate(tokens))
    ev = _evidence(hint) if hint else None

    def keep(part: str) -> bool:
        letters = _letters(part)
        if not letters:
            return True
        if len(letters) == 1:
            return letters != "A" and letters != "a"  # "X", "I", "U" stay; the article goes lowercase
        if _is_all_caps(part) or _has_inner_caps(part):
            return True
        if not letters[0].isupper():
            return True  # already lowercase: leave it
        low = part.lower()
        if ev is not None:
            bare = _letters(low)
            if bare in ev.lower or low in ev.lower:
                return False
            if bare in ev.capitalised:
                return True
        return not is_common_word(part)

    # Decide right to left so a title before a kept name can see that the next word is kept.
    decided: list[list[str]] = [[] for _ in tokens]
    next_kept_name = False
    for i in range(len(tokens) - 1, -1, -1):
        lead, core, trail = _split_token(tokens[i])
        parts = core.split("-")
        new_parts = []
        for j, part in enumerate(parts):
            if i in starts and j == 0:
                new_parts.append(_cap_first(part))
                continue
            if keep(part):
                new_parts.append(part)
            elif (
                j == len(parts) - 1
                and next_kept_name
                and _letters(part).lower() in _TITLES_BEFORE_NAMES
                and not trail
            ):
                new_parts.append(part)
            else:
                new_parts.append(_lower_first(part))
        decided[i] = [lead, "-".join(new_parts), trail]
        letters = _letters(new_parts[0]) if new_parts else ""
        if not letters or lead:
            next_kept_name = False
        elif i in starts:
            next_kept_name = letters[0].isupper() and not is_common_word(parts[0])
        else:
            next_kept_name = letters[0].isupper()
    return " ".join("".join(d) for d in decided)


# --- names ----------------------------------------------------------------------------------

_NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "abd", "van", "von", "de", "da", "di", "del", "der", "la", "le", "du", "dos", "das"}
_ORG_WORDS = {
    "news", "agency", "institute", "ministry", "center", "centre", "media", "times", "post", "press", "tv",
    "network", "foundation", "group", "council", "office", "service", "staff", "desk", "team", "editorial",
    "editors", "board", "reuters", "association", "university", "committee", "channel", "radio", "daily",
}


def _person_parts(name: str) -> tuple[str, list[str]] | None:
    """(surname, given names) when ``name`` looks like one person's name, else None."""
    if any(ch in name for ch in ",&;/|@()[]\"") or " and " in f" {name.lower()} ":
        return None
    words = name.split()
    if not 2 <= len(words) <= 5:
        return None
    for w in words:
        letters = _letters(w)
        if not letters or any(c.isdigit() for c in w) or w.lower().strip(".") in _ORG_WORDS:
            return None
        if not (w[0].isupper() or w.lower().rstrip("-") in _NAME_PARTICLES):
            return None
    cut = len(words) - 1
    for k in range(1, len(words) - 1):
        if words[k].lower().strip("-") in _NAME_PARTICLES:
            cut = k
            break
    return " ".join(words[cut:]), words[:cut]


def _invert(name: str) -> str:  # Chicago: "Doe, Jane"
    p = _person_parts(name)
    return f"{p[0]}, {' '.join(p[1])}" if p else name


def _apa_name(name: str) -> str:  # APA: "Doe, J. M."
    p = _person_parts(name)
    if not p:
        return name
    initials = " ".join(
        "-".join(f"{_letters(seg)[0]}." for seg in g.split("-") if _letters(seg)) for g in p[1] if _letters(g)
    )
    return f"{p[0]}, {initials}" if initials else p[0]


# --- the fields of a citation ----------------------------------------------------------------


@dataclass
class _Fields:
    title: str
    raw_title: str
    author: str
    org_short: str
    org_full: str
    org_long: str
    container: str
    url: str
    date: PartialDate | None
    accessed: PartialDate | None
    affiliation: str
    reliability: str
    credibility: int
    kind: str
    language: str
    tags: list[str]
    body: str


def _org_names(source: Source | None) -> tuple[str, str, str]:
    if source is None:
        return "", "", ""
    short = _field(source.name)
    full = _field(source.full_name) or short
    if not short:
        short = full
    if short and full and short.casefold() != full.casefold() and short.casefold() not in full.casefold():
        long = f"{full} ({short})"
    else:
        long = full
    return short, full, long


def _grade_letter(value: object) -> str:
    v = _field(value).upper()
    return v if v in RELIABILITY_LABELS else "F"


def _grade_digit(value: object) -> int:
    try:
        v = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 6
    return v if v in CREDIBILITY_LABELS else 6


def _fields(report: Report, accessed: object, container: object) -> _Fields:
    short, full, long = _org_names(report.source)
    raw_title = _field(report.title)
    src = report.source
    return _Fields(
        title=raw_title or "Untitled",
        raw_title=raw_title,
        author=_field(report.author),
        org_short=short,
        org_full=full,
        org_long=long,
        container=_field(container if container is not None else getattr(report, "container", None)),
        url=_field(report.url).replace(" ", "%20"),
        date=parse_partial_date(report.published),
        accessed=_accessed(accessed),
        affiliation=_field(src.affiliation) if src else "",
        reliability=_grade_letter(src.reliability) if src else "F",
        credibility=_grade_digit(report.credibility),
        kind=_field(src.kind).lower() if src else "",
        language=_field(report.language),
        tags=[t for t in (_field(t) for t in (report.tags or []) if isinstance(t, str)) if t],
        body=report.body if isinstance(report.body, str) else "",
    )


# --- joining with Chicago punctuation ----------------------------------------------------------

Part = tuple[str, str, bool]  # (prefix, text, quoted)


def _join(parts: list[Part], sep: str = ",", end: str = ".") -> str:
    """Join elements with ``sep``, quoted titles taking the punctuation inside the quotes and a title that
    ends in ? or ! taking none (CMOS 6.119); never doubles a period."""
    parts = [p for p in parts if p[1]]
    out = []
    for i, (prefix, text, quoted) in enumerate(parts):
        punct = end if i == len(parts) - 1 else sep
        if quoted:
            if text.endswith(("?", "!")) or (punct == "." and text.endswith(".")):
                seg = f'"{text}"'
            else:
                seg = f'"{text}{punct}"'
        else:
            if text.endswith(("?", "!", punct)) or (punct == "." and text.endswith(('."', '?"', '!"'))):
                seg = text
            else:
                seg = text + punct
        out.append(prefix + seg)
    return " ".join(out)


def _end(text: str, punct: str = ".") -> str:
    if not text or text.endswith((".", "?", "!", '."', '?"', '!"', ".*", "?*", "!*")):
        return text
    return text + punct


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.casefold().strip(" .") == b.casefold().strip(" .")


# --- report citations -------------------------------------------------------------------------


def _chicago_note_parts(f: _Fields, *, org_first: bool = True) -> list[Part]:
    title = title_case(f.title)
    date_s = _us_date(f.date) if f.date else "n.d."
    acc = f"accessed {_us_date(f.accessed)}" if f.accessed and not f.date else ""
    parts: list[Part] = []
    if f.author:
        parts += [("", f.author, False), ("", title, True), ("", f.container, False)]
        if not _same(f.org_long, f.container):
            parts.append(("", f.org_long, False))
    elif org_first:
        parts += [("", f.org_long, False), ("", title, True), ("", f.container, False)]
    else:
        parts += [("", title, True), ("", f.org_long, False)]
        if not _same(f.org_long, f.container):
            parts.append(("", f.container, False))
    parts += [("", date_s, False), ("", acc, False), ("", f.url, False)]
    return parts


def _chicago_bib(f: _Fields) -> str:
    title = title_case(f.title)
    head = _invert(f.author) if f.author else f.org_long
    site = [f.container] if f.container else []
    if f.author and f.org_long and not _same(f.org_long, f.container):
        site.append(f.org_long)
    site.append(_us_date(f.date) if f.date else "n.d.")
    blocks: list[Part] = [("", head, False), ("", title, True), ("", ", ".join(s for s in site if s), False)]
    if f.accessed and not f.date:
        blocks.append(("", f"Accessed {_us_date(f.accessed)}", False))
    blocks.append(("", f.url, False))
    return _join(blocks, sep=".", end=".")


def _italic(text: str) -> str:
    return "*" + text.replace("\\", "\\\\").replace("*", "\\*") + "*"


def _apa(f: _Fields) -> str:
    title = sentence_case(f.title, f.body)
    author = _apa_name(f.author) if f.author else f.org_full
    if f.container:
        site = f.container
        short = f.org_short
        if short and short.isupper() and " " not in short and not _same(short, f.org_full) and short not in site:
            site = f"{short} {site}"
    else:
        site = f.org_full
    if _same(site, author):
        site = ""
    title_s = _end(_italic(title))
    if author:
        out = f"{_end(author)} ({_apa_date(f.date)}). {title_s}"
    else:
        out = f"{title_s} ({_apa_date(f.date)})."
    if site:
        out += f" {_end(site)}"
    if f.url:
        if f.accessed and not f.date:
            out += f" Retrieved {_us_date(f.accessed)}, from {f.url}"
        else:
            out += f" {f.url}"
    return out


def _mla_url(url: str) -> str:
    return re.sub(r"^https?://", "", url, flags=re.I)


def _mla(f: _Fields) -> str:
    title = title_case(f.title)
    parts: list[Part] = []
    if f.author:
        parts.append(("", _invert(f.author), False))
    head = _join(parts + [("", title, True)], sep=".", end=".")
    elems = []
    if f.container:
        elems.append(_italic(f.container))
        if f.org_full and not _same(f.org_full, f.container):
            elems.append(f.org_full)
    elif f.org_full:
        elems.append(_italic(f.org_full))
    if f.date:
        elems.append(_mla_date(f.date))
    if f.url:
        elems.append(_mla_url(f.url))
    out = head
    if elems:
        out += " " + _end(", ".join(elems))
    if f.accessed:
        out += f" Accessed {_mla_date(f.accessed)}."
    return out


# BibTeX ---------------------------------------------------------------------------------------

# BibTeX counts braces before TeX sees a backslash: "\}" still closes a group, so a report field
# holding "}, title = {x" ended the field and wrote fields of its own. Every escape here is brace-
# balanced: a value holds only the braces it was given by this module, in pairs.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile(r"[\\{}&%$#_~^]")


def bibtex_escape(text: str) -> str:
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_ESCAPES[m.group(0)], text)


def _bibtex_url(url: str) -> str:
    return (
        url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20").replace('"', "%22")
    )


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_.lower())


def bibtex_key(report: Report) -> str:
    """``source-year-firstword``: "memri-2024-outlet", "caliberaz-nd-media"."""
    short, _, _ = _org_names(report.source)
    source = _slug(short) or _slug(_field(report.author).split(" ")[-1] if report.author else "") or "anon"
    d = parse_partial_date(report.published)
    year = str(d.year) if d else "nd"
    word = ""
    for w in _field(report.title).split(" "):
        s = _slug(w)
        if s and s not in _ARTICLES:
            word = s
            break
    key = "-".join(p for p in (source[:30], year, word[:20]) if p)
    return key if word else f"{key}-{_slug(str(report.id)) or 'x'}"


def _bibtex(f: _Fields, report: Report, extra: list[tuple[str, str]] | None = None) -> str:
    fields: list[tuple[str, str]] = []
    if f.author:
        fields.append(("author", bibtex_escape(f.author)))
    elif f.org_full:
        fields.append(("author", "{" + bibtex_escape(f.org_full) + "}"))  # corporate author: no name parsing
    fields.append(("title", "{" + bibtex_escape(f.title) + "}"))  # protect the headline's capitals
    if f.org_long:
        fields.append(("organization", bibtex_escape(f.org_long)))
    if f.container:
        fields.append(("note", bibtex_escape(f.container)))
    if f.date:
        fields.append(("date", _iso(f.date)))
        fields.append(("year", str(f.date.year)))
    if f.url:
        fields.append(("url", _bibtex_url(f.url)))
    if f.accessed:
        fields.append(("urldate", _iso(f.accessed)))
    if f.language:
        fields.append(("langid", bibtex_escape(f.language)))
    fields.extend(extra or [])
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{bibtex_key(report)},\n{body}\n}}\n"


# RIS ----------------------------------------------------------------------------------------

_NEWS_KINDS = {"outlet", "agency"}


def _ris(f: _Fields, extra: list[tuple[str, str]] | None = None) -> str:
    news = f.kind in _NEWS_KINDS
    lines: list[tuple[str, str]] = [("TY", "NEWS" if news else "ELEC"), ("TI", f.title)]
    if f.author:
        au = _invert(f.author)
        lines.append(("AU", au))
    t2 = f.container or f.org_full
    if t2:
        lines.append(("T2", t2))
    if f.org_full and not (news and _same(f.org_full, t2)):
        lines.append(("PB", f.org_full))
    if f.date:
        lines.append(("PY", f"{f.date.year:04d}"))
        lines.append(("DA", _ris_date(f.date)))
    if f.url:
        lines.append(("UR", f.url))
    if f.accessed:
        lines.append(("Y2", _ris_date(f.accessed)))
    if f.language:
        lines.append(("LA", f.language))
    for tag in f.tags:
        lines.append(("KW", tag))
    lines.extend(extra or [])
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


# Markdown -----------------------------------------------------------------------------------

_MD_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>|])")
_SAFE_URL_RE = re.compile(r"^https?://[^\s<>]+$", re.I)


def md_escape(text: str) -> str:
    """Backslash-escape Markdown syntax in untrusted text (and a leading "#" that would make a heading)."""
    out = _MD_ESCAPE_RE.sub(r"\\\1", text)
    return "\\" + out if out.startswith(("#", "+ ", "- ", "= ")) else out


def _md_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def _md_date(d: PartialDate | None) -> str:
    return _day_month_year(d, _MONTHS) if d else "n.d."


def _md_link(f: _Fields) -> str:
    text = md_escape(f.title)
    if f.url and _SAFE_URL_RE.match(f.url):
        return f"[{text}]({_md_url(f.url)})"
    if f.url:  # not http(s): show it, do not link it
        return f"*{text}* ({md_escape(f.url)})"
    return f"*{text}*"


def _markdown(f: _Fields) -> str:
    elems = [md_escape(f.org_short) if f.org_short else "", _md_link(f), _md_date(f.date)]
    out = _end(", ".join(e for e in elems if e))
    if f.accessed:
        out += f" Accessed {_md_date(f.accessed)}."
    return out


# Intel --------------------------------------------------------------------------------------


def _intel_body(f: _Fields) -> str:
    org = f.org_short or f.org_full or "Unknown source"
    if f.affiliation and not _same(f.affiliation, org):
        org = f"{org} ({f.affiliation})"
    elems = [org]
    if f.raw_title:
        elems.append(f'"{f.raw_title}"')
    elems.append(_day_month_year(f.date, _MONTHS_ABBR) if f.date else "n.d.")
    if f.url:
        elems.append(f"<{f.url}>")
    out = ", ".join(elems)
    if f.accessed:
        out += f" (accessed {_day_month_year(f.accessed, _MONTHS_ABBR)})"
    return _end(out)


def _intel_grade(reliability: str, credibility: int) -> str:
    return f"Source {reliability}, information {credibility}."


# --- claims ---------------------------------------------------------------------------------


def _claim_chain(claim: Claim) -> list[str]:
    chain = claim.chain if isinstance(claim.chain, (list, tuple)) else []
    out = [c for c in (_field(x) for x in chain) if c]
    if not out:
        who = _field(claim.speaker_resolved) or _field(claim.speaker)
        if who:
            out = [who]
    # drop immediate repeats ("The National", "The National")
    dedup: list[str] = []
    for c in out:
        if not dedup or not _same(dedup[-1], c):
            dedup.append(c)
    return dedup


def _is_source(name: str, f: _Fields) -> bool:
    return any(_same(name, n) for n in (f.org_short, f.org_full, f.org_long) if n)


def chain_text(chain: list[str], *, last_via: bool = True) -> str:
    """["informed Iraqi sources", "The National", "Caliber.Az"] ->
    "informed Iraqi sources, quoted by The National, via Caliber.Az" (originator first)."""
    chain = [c for c in (_field(x) for x in chain) if c]
    if not chain:
        return ""
    out = [chain[0]]
    for i, c in enumerate(chain[1:], start=1):
        out.append(("via " if last_via and i == len(chain) - 1 else "quoted by ") + c)
    return ", ".join(out)


_UNNAMED_MARKERS = ("unnamed", "anonymous", "unidentified", "undisclosed")


def _cms_chain_parts(relays: list[str]) -> list[Part]:
    """Last relay first: The National, citing unnamed "informed Iraqi sources"."""
    parts: list[Part] = []
    for i, name in enumerate(reversed(relays)):
        prefix = "citing " if i else ""
        if name[:1].islower():  # a description, not a name
            desc = re.sub(r"^(the|a|an)\s+", "", name, flags=re.I) or name
            if not any(m in desc.lower() for m in _UNNAMED_MARKERS):
                prefix += "unnamed "
            parts.append((prefix, desc, True))
        else:
            parts.append((prefix, name, False))
    return parts


def _excerpt(text: str, limit: int = 120) -> str:
    t = _field(text).strip("\"'\u201c\u201d\u2018\u2019 ")
    if len(t) <= limit:
        return t
    cut = t[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "\u2026"


def _capitalise_start(text: str) -> str:
    return _cap_first(text) if text[:1].islower() or (text[:1] in "\"'" and text[1:2].islower()) else text


# --- public API -----------------------------------------------------------------------------


def _check_style(style: str) -> None:
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; expected one of {', '.join(STYLES)}")


def cite_report(
    report: Report, style: str, *, accessed: date | None = None, container: str | None = None
) -> str:
    """The citation of ``report`` in ``style`` (a key of ``STYLES``).

    ``accessed``: the access date, printed where the style uses one. ``container``: the series or section the
    report appeared in ("Jihad and Terrorism Threat Monitor"); defaults to ``report.container``.
    BibTeX and RIS return a complete record ending in a newline; the other styles one line.
    """
    _check_style(style)
    f = _fields(report, accessed, container)
    if style == "chicago-note":
        out = _capitalise_start(_join(_chicago_note_parts(f)))
    elif style == "chicago-bib":
        out = _chicago_bib(f)
    elif style == "apa":
        out = _apa(f)
    elif style == "mla":
        out = _mla(f)
    elif style == "bibtex":
        out = _bibtex(f, report, [("annotation", f"Admiralty grade {f.reliability}{f.credibility}")])
    elif style == "ris":
        out = _ris(f, [("N1", f"Admiralty grade {f.reliability}{f.credibility}")])
    elif style == "markdown":
        out = _markdown(f)
    else:  # intel
        out = f"{_intel_body(f)} {_intel_grade(f.reliability, f.credibility)}"
    return strip_controls(out)


def cite_claim(
    claim: Claim,
    report: Report,
    style: str,
    *,
    accessed: date | None = None,
    container: str | None = None,
) -> str:
    """The citation of ``claim`` (made in ``report``): who said it, through whom, then the report.

    ``claim.chain`` is originator first, each relay after; when empty, ``speaker_resolved`` or ``speaker``
    stands alone. A last relay equal to the report's source is not repeated where the report is cited after it.
    Markdown and intel quote a short excerpt of the claim; intel grades with the claim's credibility and the
    source's reliability.
    """
    _check_style(style)
    f = _fields(report, accessed, container)
    chain = _claim_chain(claim)
    relays = chain[:-1] if chain and _is_source(chain[-1], f) else chain
    relays = [r for r in relays if not _is_source(r, f)] if len(relays) > 1 else relays
    cred = _grade_digit(claim.credibility)
    excerpt = _excerpt(claim.text)
    full_chain = list(chain)
    if f.org_short and not (full_chain and _is_source(full_chain[-1], f)):
        full_chain.append(f.org_short)

    if style == "chicago-note":
        parts = _cms_chain_parts(relays)
        report_parts = _chicago_note_parts(f, org_first=False)
        if parts:
            first = next(p for p in report_parts if p[1])
            idx = report_parts.index(first)
            report_parts[idx] = ("quoted in " + first[0], first[1], first[2])
        out = _capitalise_start(_join(parts + report_parts))
    elif style == "chicago-bib":
        bib = _chicago_bib(f)
        out = f"{_capitalise_start(_join(_cms_chain_parts(relays)))} Quoted in {bib}" if relays else bib
    elif style == "apa":
        ref = _apa(f)
        out = f"{_capitalise_start(chain_text(relays, last_via=False))}, as cited in {ref}" if relays else ref
    elif style == "mla":
        ref = _mla(f)
        out = f"{_end(_capitalise_start(chain_text(relays, last_via=False)))} Quoted in {ref}" if relays else ref
    elif style == "bibtex":
        extra = [("annotation", bibtex_escape(f"Admiralty grade {f.reliability}{cred}"))]
        if full_chain:
            extra.insert(0, ("addendum", bibtex_escape(chain_text(full_chain))))
        if excerpt:
            extra.insert(0, ("abstract", bibtex_escape(excerpt)))
        out = _bibtex(f, report, extra)
    elif style == "ris":
        extra = []
        if excerpt:
            extra.append(("AB", excerpt))
        if full_chain:
            extra.append(("N1", "Attribution: " + chain_text(full_chain)))
        extra.append(("N1", f"Admiralty grade {f.reliability}{cred}"))
        out = _ris(f, extra)
    elif style == "markdown":
        head = f"\u201c{md_escape(excerpt)}\u201d" if excerpt else ""
        who = md_escape(chain_text(full_chain)) if full_chain else ""
        tail = ", ".join(e for e in (_md_link(f), _md_date(f.date)) if e)
        lead = " \u2014 ".join(e for e in (head, who) if e)
        out = _end(f"{lead}: {tail}" if lead else tail)
        if f.accessed:
            out += f" Accessed {_md_date(f.accessed)}."
    else:  # intel
        head = f"\u201c{excerpt}\u201d" if excerpt else ""
        who = chain_text(full_chain)
        lead = " \u2014 ".join(e for e in (head, who) if e)
        out = f"{lead}; {_intel_body(f)}" if lead else _intel_body(f)
        out += " " + _intel_grade(f.reliability, cred)
    return strip_controls(out)
