"""Title case (Chicago, MLA) and sentence case (APA) of untrusted headlines, linear in their length.

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

import re
from dataclasses import dataclass
from functools import lru_cache

from .common import _field

# Lowercase in Chicago/MLA title case unless first, last or after a colon.
_ARTICLES = {"a", "an", "the"}
_COORD = {"and", "but", "for", "or", "nor"}
_PREPOSITIONS = {
    "about", "above", "across", "after", "against", "along", "amid", "amidst", "among", "amongst", "around",
    "at", "atop", "before", "behind", "below", "beneath", "beside", "besides", "between", "beyond", "by",
    "despite", "during", "except", "for", "from", "in", "inside", "into", "like", "near", "of", "on", "onto",
    "outside", "over", "past", "per", "since", "than", "through", "throughout", "till", "to", "toward",
    "towards", "under", "underneath", "unlike", "until", "unto", "upon", "versus", "via", "vs", "v", "with",
    "within", "without",
}
_SMALL_WORDS = _ARTICLES | _COORD | _PREPOSITIONS | {"as", "en", "vs."}
# The Arabic article before a name, written lowercase by the author ("al-Sudani"): lowercase in a title too
# (as CSL processors leave it), except where the title or a subtitle starts.
_ARABIC_ARTICLES = frozenset({"al", "el"})

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
        if c.isdigit():
            return word  # "1990s", "10th": a number's letters stay as written
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
            elif (w[0].isupper() and (len(w) == 1 or w[1:].islower()) and before
                  and before[-1] not in ".!?:\"\u201c\u2018'([" and not before.endswith("...")):
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


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr gen col lt sgt capt maj rep sen gov rev no vs fr prof pres adm cmdr brig".split())
_DASH_TOKENS = ("\u2014", "-", "\u2013", "|")


def _subtitle_starts(tokens: list[str], *, after_dash: bool = True) -> set[int]:
    """Where the title and its subtitles start. A dash starts one in headline style (CMOS) but not in
    sentence style: APA capitalises after a colon, and "Hamas office \u2013 to what end?" keeps "to"."""
    starts = {0}
    for i, tok in enumerate(tokens[:-1]):
        bare = tok.rstrip("\"'\u201d\u2019)]")
        if bare.endswith(".") and ("." in bare[:-1] or _letters(bare).lower() in _ABBREVIATIONS):
            continue  # "U.S.", "Mr.", "Dr.": an abbreviation, not the end of a sentence ("Was Bad. The ...")
        if (after_dash and (bare.endswith("\u2014") or tok in _DASH_TOKENS)
                or bare.endswith(_SUBTITLE_END) and not bare.endswith("\u2014")):
            starts.add(i + 1)
    return starts


def _start_words(tokens: list[str], *, after_dash: bool = True) -> set[int]:
    """The tokens that open the title or a subtitle: the first with letters from each start."""
    first_word = _first_word_indexes(tokens)
    return {s if first_word[s] is None else first_word[s] for s in _subtitle_starts(tokens, after_dash=after_dash)}


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


def _words(title: str) -> list[str]:
    """The title's words as both styles start from: a title in capitals (shouted) lowered first."""
    tokens = title.split(" ") if title else []
    return _unshout(tokens) if tokens and _is_shouting(tokens) else tokens


def title_case(title: str) -> str:
    """Headline-style capitalisation (CMOS 8.159), see the module docstring."""
    title = _field(title)
    tokens = _words(title)
    if not tokens:
        return title
    starts = _start_words(tokens)
    # the last word, a number included: "Dies at 90" keeps "at" (a number is capitalised as it is)
    last = max((i for i, t in enumerate(tokens) if _WORD_CHAR.search(t)), default=len(tokens) - 1)
    out = []
    for i, tok in enumerate(tokens):
        lead, core, trail = _split_token(tok)
        force = i in starts or i == last
        parts = core.split("-")
        new_parts = []
        for j, part in enumerate(parts):
            if not _letters(part) or _is_all_caps(part) and len(_letters(part)) > 1 or _has_inner_caps(part):
                new_parts.append(part)
            elif (j == 0 and len(parts) > 1 and part in _ARABIC_ARTICLES and i not in starts
                  and parts[1][:1].isupper()):
                new_parts.append(part)  # "al-Jadriya", "al-Sudani": the article of a name stays as written
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


def _is_capitalised_common(token: str) -> bool:
    _, core, _ = _split_token(token)
    letters = _letters(core)
    return (len(letters) > 1 and letters[0].isupper() and letters[1:].islower()
            and (core.lower() in _SMALL_WORDS or is_common_word(core)))


def sentence_case(title: str, hint: str | None = None) -> str:
    """Sentence-style capitalisation (APA 7), see the module docstring. ``hint``: the report body."""
    title = _field(title)
    tokens = _words(title)
    if not tokens:
        return title
    starts = _start_words(tokens, after_dash=False)
    if not _looks_title_cased(tokens, starts):
        # Written in sentence case already: keep the author's capitals, fix the starts; a common word
        # the author capitalised after a dash ("\u2013 To what end?") is not a name.
        after_dash = {i + 1 for i, t in enumerate(tokens[:-1]) if t in _DASH_TOKENS}
        return " ".join(_cap_first(t) if i in starts
                        else _lower_first(t) if i in after_dash and _is_capitalised_common(t) else t
                        for i, t in enumerate(tokens))
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
            if keep(part) or (
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


