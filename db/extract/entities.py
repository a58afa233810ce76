"""Named entities (PERSON / ORG / LOC / MEDIA) from capitalisation, context cues and general gazetteers.

No names of particular people or groups are listed: a span's type comes from titles and roles before it,
organisation/outlet head words, apposition descriptors, the place lists and the given-name list.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from db.models import ExtractedEntity

from . import gazetteer as gz
from .names import name_key

_TOK = r"(?:(?:[A-Z]\.){2,}|(?:(?:al|el|ad|ash|as|at|az|an|ar|ul|ud|bin|ibn)-)?[A-Z][\w'’]*(?:[-.][A-Za-z][\w'’]*)*)"
_CONN = r"(?:of|of\s+the|and|the|de|del|da|al|el|bin|ibn|bint|abu|van|von|der|du|le|la|&|on)"
_SPAN = re.compile(rf"(?<![\w'’-]){_TOK}(?:[ \t]+(?:{_CONN}[ \t]+)?{_TOK})*")
_INNER_POSS = re.compile(r"(?:'s|’s)\s+(?=[A-Z])")
_AFFIX = re.compile(r"^(?:anti|pro|non|ex|post|pre)-", re.I)
_SUFFIX_COMPOUND = re.compile(r"-(?:backed|based|led|linked|affiliated|aligned|allied|funded|supported|made|born|"
                              r"controlled|run|owned|style|era|held|friendly|leaning)$", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_QUOTED_ACCOUNT = re.compile(
    r"[\"“](?P<name>[A-Z][^\"“”\n]{0,50}?),?[\"”],?\s+(?P<desc>(?:a|an|the)\s+[^,.;\n]{0,60}?\b(?:account|channel|page|"
    r"blog|outlet|website|site|group|user|handle)\b[^,.;\n]{0,30})")
# A lower-case adjective inside a facility name: "Baghdad international Airport", "Erbil civil Airport".
_LOWER_INSIDE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3}[ \t]+(?:international|national|regional|"
    r"central|general|municipal|military|civil|domestic)[ \t]+(?P<head>Airport|Air[ \t]+Base|Airbase|Airfield|"
    r"Port|Seaport|Harbou?r|Station|Terminal|Stadium|Hospital|Bridge|Crossing))\b")
_FACILITY_ORG = frozenset({"Hospital"})
_PLATFORM_X = re.compile(r"(?:\b(?:on|via|to|from)\s+|^)(X)(?=\s*(?:[,.;:)]|\s+(?:account|post|user|platform|"
                         r"page)|$|\s+\(formerly))", re.M)
_STOP_START = frozenset(
    """the a an in on at by for from with of to as and but or if when while after before since during
    according earlier later this that these those there here it its he she they we i you his her their our
    my your what which who whom whose where why how no not yes also however meanwhile moreover furthermore
    then thus so yet still although though because despite among between under over into through about
    senior some many most several another other such all both each every one two three first last next new
    please read click more print share follow sign subscribe related see note editor update watch
    neither nor either whether until unless once now even just only instead asked""".split()
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

_P0 = re.compile(r"(?:[A-Z]\.)+")
_P1 = re.compile(r"(?:al|el|bin|ibn|abu|Al|El|Bin|Ibn|Abu)(?:-|$)")
_P2 = re.compile(r"(?:[A-Z]\.?){3,6}")
_P3 = re.compile(r"^\s+(?:said|says|told|added|wrote)\b")
_P4 = re.compile(r"(\S+)(\s+|$)")
_P5 = re.compile(r"(?:\s+|^)(\S+)$")
_P6 = re.compile(r"(?:^|\n)[\"“‘'(\[]*$")
_P7 = re.compile(r"[A-Za-z]")

_THE = re.compile(r"^the\s+", re.I)
_WORDS = re.compile(r"[A-Za-z][\w'’-]*")


@dataclass
class _Cand:
    name: str
    start: int
    end: int
    votes: Counter = field(default_factory=Counter)
    descriptor: str | None = None
    titled: bool = False


def _is_headline(line: str) -> bool:
    if len(line) > 400 or line.rstrip().endswith((".", "!", "?", '"', "”")):
        return False
    words = _WORDS.findall(line)
    if len(words) < 4:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


def _type_votes(name: str, tokens: list[str], before: str, after: str, titled: bool) -> Counter:
    v: Counter = Counter()
    low = [t.lower().strip(".") for t in tokens]
    if name in gz.PLATFORMS:
        v["MEDIA"] += 5
    if gz.is_place(name) or gz.is_place(_THE.sub("", name)):
        v["LOC"] += 4
    if low[-1] in gz.MEDIA_HEADS and len(tokens) > 1:
        v["MEDIA"] += 3
    if any("." in t and not _P0.fullmatch(t) for t in tokens):
        v["MEDIA"] += 3  # a domain-like name: "Caliber.Az"
    if low[-1] in gz.ORG_HEADS and len(tokens) > 1:
        v["ORG"] += 3
    if low[0].replace("'", "").replace("’", "") in gz.ORG_HEADS_TRANSLITERATED or low[0] in gz.ORG_HEADS_TRANSLITERATED:
        v["ORG"] += 4
    if low[-1] in gz.LOC_HEADS and len(tokens) > 1:
        v["LOC"] += 3
    prev_words = before[-40:].lower().split()
    prev = prev_words[-1].strip(",;:(\"“") if prev_words else ""
    if before[-1:] == " " and prev in gz.MEDIA_NOUNS:
        v["MEDIA"] += 3
    if _APPOS_MEDIA.match(after[:90]):
        v["MEDIA"] += 3
    if titled or (before[-1:] == " " and prev in gz.PERSON_TITLES):
        v["PERSON"] += 3
    if tokens[0] in gz.GIVEN_NAMES and len(tokens) >= 2:
        v["PERSON"] += 3
    if 2 <= len(tokens) <= 5 and any(_P1.match(t) for t in tokens[1:]):
        v["PERSON"] += 2
    if _P2.fullmatch(name) and not gz.is_place(name):
        v["ORG"] += 2
    if len(tokens) == 1 and _ORG_ROLE_AFTER.match(after):
        v["ORG"] += 2
    if _LOC_AFTER.match(after):
        v["LOC"] += 3
    if _P3.match(after) and 2 <= len(tokens) <= 3:
        v["PERSON"] += 1
    if tokens[0] == "The" and len(tokens) <= 3 and not v:
        v["MEDIA"] += 2  # "The National", "The Guardian": newspapers are named this way
    if not v:
        v["PERSON" if 2 <= len(tokens) <= 3 else "ORG"] += 1
    return v


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
        if tok in gz.DEMONYMS and nxt:
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


def find_entities(body: str, sentences: list[tuple[int, int]], skip: list[tuple[int, int]],
                  extra: list[tuple[str, int, int, str]] | None = None) -> list[ExtractedEntity]:
    """``extra``: (name, start, end, type) mentions known from elsewhere (footnote sources)."""
    cands: list[_Cand] = []
    sent_starts = {s for s, _ in sentences}
    # line starts count as sentence starts as well
    taken: list[tuple[int, int]] = []

    def blocked(s: int, e: int) -> bool:
        return bool(skip) and any(a < e and s < b for a, b in skip)

    headline_lines: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", body):
        if _is_headline(m.group()):
            headline_lines.append((m.start(), m.end()))

    def in_headline(pos: int) -> bool:
        return any(a <= pos < b for a, b in headline_lines)

    for m in _QUOTED_ACCOUNT.finditer(body):
        c = _Cand(m.group("name").strip(), m.start("name"), m.start("name") + len(m.group("name").strip()))
        c.votes["MEDIA"] += 4
        c.descriptor = m.group("desc").strip()
        cands.append(c)
        taken.append((m.start(), m.end("name") + 2))
    if " international " in body or any(f" {w} " in body for w in ("national", "regional", "central", "general",
                                                                     "municipal", "military", "civil", "domestic")):
        for m in _LOWER_INSIDE.finditer(body):
            if blocked(m.start(), m.end()):
                continue
            ns = m.start("name")
            # drop an opening title or sentence word ("The", "At") the capitalised run may carry
            first = body[ns:m.end()].split()[0]
            if first.lower() in _STOP_START:
                ns += len(first) + 1
            c = _Cand(body[ns:m.end("name")], ns, m.end("name"))
            c.votes["ORG" if m.group("head") in _FACILITY_ORG else "LOC"] += 4
            cands.append(c)
            taken.append((ns, m.end("name")))
    for m in _PLATFORM_X.finditer(body):
        c = _Cand("X", m.start(1), m.end(1))
        c.votes["MEDIA"] += 4
        cands.append(c)
    for name, s, e, typ in extra or []:
        c = _Cand(name, s, e)
        c.votes[typ] += 3
        cands.append(c)

    for m in _SPAN.finditer(body):
        s, e = m.start(), m.end()
        if e - s > 120 or blocked(s, e) or (taken and any(a < e and s < b for a, b in taken)):
            continue
        # an inner possessive ends one name and starts another: "MEMRI's Jihad and Terrorism Threat Monitor"
        pm = _INNER_POSS.search(body, s, e)
        if pm:
            cands.append(_Cand(body[s:pm.start()], s, pm.start()))
            s = pm.end()
        # split hyphen compounds: "Iran-backed" -> "Iran", "Pro-Hizbullah" -> "Hizbullah"
        text = body[s:e]
        am = _AFFIX.match(text)
        if am:
            s += am.end()
        sm = _SUFFIX_COMPOUND.search(body[s:e].split()[0]) if body[s:e].split() else None
        if sm:
            rest = s + len(body[s:e].split()[0])
            if rest < e and body[rest:e].strip():
                ns = rest + len(body[rest:e]) - len(body[rest:e].lstrip())
                cands.append(_Cand(body[ns:e], ns, e))  # "Iran-backed Kata'ib X": keep "Kata'ib X" too
            e = s + sm.start()
        sent_start = s in sent_starts or s == 0 or body[max(0, s - 1)] == "\n" or \
            bool(_P6.search(body[max(0, s - 3):s]))
        # the prefix "anti-" may be lower case before the match: "anti-Iran"
        s, e, titled, _ = _trim(body, s, e, sent_start)
        if e <= s:
            continue
        name = body[s:e]
        if not _P7.search(name) or len(name) < 2 and name != "X":
            continue
        if name == "X":
            continue  # handled by the platform rule only
        tokens = name.split()
        # "Kuwait and Algeria": split on "and" unless the whole is one organisation
        if " and " in name and tokens[-1].lower() not in gz.ORG_HEADS | gz.MEDIA_HEADS:
            pos = s
            for part in name.split(" and "):
                ps = body.find(part, pos, e)
                if ps >= 0:
                    pos = ps + len(part)
                    ps, pe, ptitled, _ = _trim(body, ps, pos, ps == s and sent_start)
                    if pe > ps:
                        cands.append(_Cand(body[ps:pe], ps, pe, titled=ptitled))
            continue
        c = _Cand(name, s, e, titled=titled)
        if in_headline(s):
            c.votes["_headline"] += 1
        cands.append(c)

    for c in cands:
        tokens = c.name.split()
        if tokens and tokens[0] in ("and", "of", "the", "for", "&"):
            c.name = ""
            continue
        if not tokens or (len(tokens) == 1 and (c.name in gz.DEMONYMS or c.name.lower().strip(".") in gz.PERSON_TITLES)):
            c.name = ""
            continue
        before = body[max(0, c.start - 40):c.start]
        after = body[c.end:c.end + 90]
        _add_votes(c.votes, _type_votes(c.name, tokens, before, after, c.titled))
        am = _APPOS_MEDIA.match(after)
        if am and not c.descriptor:
            c.descriptor = am.group(1).strip()

    return _merge(body, cands)


def _add_votes(dst: Counter, src: Counter) -> None:
    """Counter.update without its Mapping checks (a hot path: called for every candidate)."""
    for k, n in src.items():
        dst[k] += n


def _merge(body: str, cands: list[_Cand]) -> list[ExtractedEntity]:
    groups: dict[str, list[_Cand]] = defaultdict(list)
    for c in cands:
        if c.name.split():
            groups[name_key(c.name)].append(c)
    # Names only ever seen in Title Case headlines and never in running text are too unsure to keep,
    # unless a gazetteer or a strong cue types them.
    keys = list(groups)
    typed: dict[str, Counter] = {}
    for k in keys:
        v: Counter = Counter()
        for c in groups[k]:
            _add_votes(v, c.votes)
        typed[k] = v
    # aliases: a shorter name that is the tail (surname) of a longer person name, or the head word of a
    # longer outlet/organisation name ("Shafaq" -> "Shafaq News"). Indexed, to stay linear.
    parent: dict[str, str] = {}
    tails: dict[str, str] = {}
    heads: dict[str, str] = {}
    for other in sorted(keys, key=lambda k: len(k.split())):
        orep = groups[other][0].name.split()
        v = typed[other]
        if len(orep) < 2:
            continue
        if v["PERSON"]:
            for n in (1, 2):
                if n < len(orep):
                    tails[name_key(" ".join(orep[-n:]))] = other
        if v["MEDIA"] or v["ORG"]:
            heads[name_key(orep[0])] = other
    for k in keys:
        rep = groups[k][0].name
        if gz.is_place(rep) or typed[k]["LOC"] >= 3:
            continue
        best = tails.get(k)
        if best is None and len(k.split()) == 1:
            best = heads.get(k)
        if best and best != k:
            parent[k] = best
    # parenthetical aliases: "Kata'ib Al-Imam Ali (Imam Ali Battalions)", "Monitor (JTTM)"
    ordered = sorted(cands, key=lambda c: c.start)
    for a, b in zip(ordered, ordered[1:]):
        gap = body[a.end:b.start]
        if gap in (" (", "(") and body[b.end:b.end + 1] == ")":
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

    merged: dict[str, list[_Cand]] = defaultdict(list)
    for k in keys:
        merged[root(k)].extend(groups[k])
    out: list[ExtractedEntity] = []
    for k, cs in merged.items():
        votes: Counter = Counter()
        for c in cs:
            _add_votes(votes, c.votes)
        headline_only = all(c.votes["_headline"] for c in cs)
        del votes["_headline"]
        strong = max(votes.values()) if votes else 0
        if headline_only:
            continue
        if strong <= 1 and len(cs[0].name.split()) == 1:
            continue  # a lone capitalised word with no evidence: too often a sentence start or a heading
        typ = max(("PERSON", "ORG", "LOC", "MEDIA"), key=lambda t: (votes[t], t == "ORG"))
        names = [c.name for c in cs]
        counts = Counter(names)
        canonical = max(counts, key=lambda n: (len(n.split()), counts[n], -len(n)))
        if k in groups:
            # prefer the root key's own longest spelling
            own = Counter(c.name for c in groups[k])  # counted once: a name can have thousands of mentions
            canonical = max(own, key=lambda n: (len(n.split()), own[n]))
        aliases = sorted({n for n in names if n != canonical})
        desc = next((c.descriptor for c in cs if c.descriptor), None)
        mentions = sorted({(c.start, c.end) for c in cs})
        conf = min(0.95, 0.4 + 0.1 * strong)
        out.append(ExtractedEntity(name=canonical, type=typ, aliases=aliases, mentions=mentions,
                                   rule="context" if strong >= 3 else "capitalisation", confidence=round(conf, 2),
                                   descriptor=desc))
    out.sort(key=lambda e: e.mentions[0] if e.mentions else (0, 0))
    return out
