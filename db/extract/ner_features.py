"""Token features of the CRF entity recogniser: one definition for training (``bench.train_ner``) and tagging
(``db.extract.ner``), since a model only works on the features it was trained with.

Two feature sets, compared in bench/RESULTS.md: ``plain`` (the word, its case and suffix, the words beside it)
and ``rich`` (word shape, affixes, sentence position, two words of context each side with their shapes, and
membership of word lists: given names, places, countries, demonyms, organisation and outlet head words,
titles, months, and the name tokens of the OFAC sanctions lists shipped with the model).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import gazetteer as gz

_SHAPE_RUNS = re.compile(r"(.)\1+")
_ASCII_SHAPE = str.maketrans({**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
                              **{c: "x" for c in "abcdefghijklmnopqrstuvwxyz"}, **{c: "d" for c in "0123456789"}})


class Gazetteer:
    """The word lists a token is looked up in: the app's own lists plus the model's shipped name tokens."""

    def __init__(self, ofac_path: Path | None, person_tokens_path: Path | None = None,
                 lists_path: Path | None = None) -> None:
        self.ofac_person: frozenset[str] = frozenset()
        self.ofac_org: frozenset[str] = frozenset()
        if ofac_path is not None:
            person, org = set(), set()
            try:
                for line in ofac_path.read_text(encoding="utf-8").splitlines():
                    kind, _, token = line.partition("\t")
                    (person if kind == "P" else org).add(token)
            except OSError:  # a missing list costs features, never the app
                pass
            self.ofac_person, self.ofac_org = frozenset(person), frozenset(org)
        places = {p.lower() for p in gz.PLACES}
        # a multi-word place marks each of its words: "Saudi", "Arabia"
        self.place_words = frozenset(w for p in places for w in p.split())
        self.countries = frozenset(c.lower() for c in gz.COUNTRIES)
        self.given = frozenset(g.lower() for g in gz.GIVEN_NAMES)
        self.demonyms = frozenset(d.lower() for d in gz.DEMONYMS) | frozenset(d.lower() + "s" for d in gz.DEMONYMS)
        self.orgs = frozenset(o.lower() for o in gz.ORGANISATIONS)
        self.media = frozenset(w for m in gz.PLATFORMS for w in m.lower().split())
        self.org_heads = gz.ORG_HEADS | gz.ORG_HEADS_TRANSLITERATED
        self.months = gz.MONTHS | gz.WEEKDAYS

        # (feature, the words that have it), in the order the model was trained with
        self._lists: tuple[tuple[str, frozenset[str]], ...] = (
            ("g:given", self.given), ("g:place", self.place_words), ("g:country", self.countries),
            ("g:demonym", self.demonyms), ("g:org", self.orgs), ("g:orghead", self.org_heads),
            ("g:mediahead", frozenset(gz.MEDIA_HEADS)), ("g:platform", self.media),
            ("g:title", frozenset(gz.PERSON_TITLES) | frozenset(gz.TITLE_FILLERS)),
            ("g:lochead", frozenset(gz.LOC_HEADS)), ("g:month", self.months),
            ("g:ofacper", self.ofac_person), ("g:ofacorg", self.ofac_org))
        if lists_path is not None and lists_path.is_file():
            # the app's lists as they were when the model was trained (``write_lists``): editing a list for the
            # rules must not change what a trained model is given
            self._lists = (*read_word_lists(lists_path), *self._lists[-2:])
        if person_tokens_path is not None:
            # tokens of people's names from Wikidata (CC0): surnames and given names the app's lists lack
            try:
                words = frozenset(person_tokens_path.read_text(encoding="utf-8").split())
            except OSError:  # a missing list costs features, never the app
                words = frozenset()
            self._lists = (*self._lists, ("g:wdper", words))

    def flags(self, low: str) -> tuple[str, ...]:
        return tuple(feature for feature, words in self._lists if low in words)

    def write_lists(self, path: Path) -> None:
        """The app's word lists this gazetteer holds (not the OFAC or Wikidata tokens, which ship in files of
        their own), as "feature<TAB>word" lines, for ``lists_path``."""
        lines = [f"{feature}\t{word}" for feature, words in self._lists
                 if feature not in _OWN_FILE_FEATURES for word in sorted(words)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


_OWN_FILE_FEATURES = frozenset(("g:ofacper", "g:ofacorg", "g:wdper"))


def read_word_lists(path: Path) -> tuple[tuple[str, frozenset[str]], ...]:
    """``Gazetteer.write_lists``'s file: (feature, words) in the order written."""
    lists: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        feature, _, word = line.partition("\t")
        if word:
            lists.setdefault(feature, set()).add(word)
    return tuple((feature, frozenset(words)) for feature, words in lists.items())


def shape(token: str) -> str:
    """"Xxxx" → "Xx", "U.S." → "X.X.", "1990s" → "dx": character classes with runs collapsed."""
    head = token[:12]
    if head.isascii():  # the common case, by table: the same classes as below
        s = head.translate(_ASCII_SHAPE)
    else:
        s = "".join("X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c for c in head)
    return _SHAPE_RUNS.sub(r"\1", s)


def case_class(token: str) -> str:
    if token.istitle():
        return "title"
    if token.isupper():
        return "upper"
    if token.islower():
        return "lower"
    if token.isdigit():
        return "digit"
    return "mixed"


def read_word_clusters(path: Path) -> dict[str, tuple[str, str, str]]:
    """word key -> its (coarse, mid, fine) cluster ids, learnt without labels by ``bench.word_clusters``."""
    out: dict[str, tuple[str, str, str]] = {}
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 4:
                out[parts[0]] = (parts[1], parts[2], parts[3])
    except OSError:  # a missing list costs features, never the app
        pass
    return out


_DIGIT = re.compile(r"\d")


def cluster_key(token: str) -> str:
    """The form a word is clustered under (bench.word_clusters uses the same): lower case, digits as 0."""
    return _DIGIT.sub("0", token.lower())


def read_case_lexicon(path: Path) -> dict[str, str]:
    """word -> how it is written inside a sentence in the training text: "C" nearly always capitalised, "c"
    mostly, "m" either way, "l" nearly always lower case (written by ``bench.train_ner``)."""
    out: dict[str, str] = {}
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            word, _, cls = line.partition("\t")
            out[word] = cls
    except OSError:  # a missing list costs features, never the app
        pass
    return out


def sentence_casing(classes: list[str]) -> str:
    """"T" when most words of a sentence (past its first) are capitalised, "U" when most are all capitals,
    "l" when none is, "n" otherwise; ``classes`` are their ``case_class``es."""
    words = [c for c in classes if c in ("title", "upper", "lower", "mixed")]
    if len(words) < 3:
        return "n"
    upper = sum(c == "upper" for c in words)
    title = sum(c == "title" for c in words)
    if upper * 2 > len(words):
        return "U"
    if (title + upper) * 10 >= len(words) * 7:
        return "T"
    if title + upper == 0:
        return "l"
    return "n"


# lower-case words that may join capitalised words into one name ("University of Texas", "Bank for
# International Settlements", "Procter & Gamble"); "the" only after one of them ("Court of the District")
_RUN_JOINERS = frozenset(("of", "for", "de", "&", "-", "on"))
# the word lists whose membership of a run's first or last word is a feature of every word in the run
_RUN_FLAGS = frozenset(("g:orghead", "g:lochead", "g:mediahead", "g:place", "g:country", "g:given", "g:title",
                        "g:org", "g:platform"))


def _capitalised(token: str) -> bool:
    return token[:1].isupper()


def capitalised_runs(tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of capitalised words, joined across ``_RUN_JOINERS`` (and "the" after one)
    when a capitalised word follows: the candidate names of a sentence, whatever their length."""
    runs: list[tuple[int, int]] = []
    n = len(tokens)
    i = 0
    while i < n:
        if not _capitalised(tokens[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            if _capitalised(tokens[j]):
                j += 1
                continue
            k = j
            while k < n and (tokens[k].lower() in _RUN_JOINERS
                             or (tokens[k].lower() == "the" and tokens[k - 1].lower() in _RUN_JOINERS)):
                k += 1
            if k > j and k < n and _capitalised(tokens[k]):
                j = k + 1
                continue
            break
        runs.append((i, j))
        i = j
    return runs


class Featurizer:
    def __init__(self, kind: str, gazetteer: Gazetteer | None, case_lexicon: dict[str, str] | None = None,
                 clusters: dict[str, tuple[str, str, str]] | None = None, sentence_case: bool = False,
                 runs: bool = False, conj: bool = False, doc: bool = False) -> None:
        if kind not in ("plain", "rich"):
            raise ValueError(f"unknown feature set {kind!r}")
        self.kind = kind
        self.gazetteer = gazetteer
        # how a word is usually written mid-sentence: tells a capitalised sentence opener or a lower-case
        # name in informal text from what it looks like
        self.case_lexicon = case_lexicon
        # distributional classes of words, learnt without labels: a name the corpora never tagged shares a
        # class with names they did ("Ramadi" with "Fallujah")
        self.clusters = clusters
        # how the whole sentence is written (a Title Case headline, all capitals, all lower case): a
        # capital means less in a headline and more in a lower-case chat line
        self.sentence_case = sentence_case
        # features of the capitalised run a word is in (``capitalised_runs``): its last word and that word's
        # lists ("... Fair Housing Action Center" is an organisation from its first word on), its first word's
        # lists, its length, whether "of" joins it, the words just outside it ("X Y said", "by X Y")
        self.runs = runs and kind == "rich"
        # conjunctions of a word's shape with its neighbours' words and shapes ("the Xx", "Xx Inc.")
        self.conj = conj and kind == "rich"
        # what the other mentions of a word in the same document say about it (``document``)
        self.doc = doc and kind == "rich"
        # per-token work is done once per spelling: tokens recur within and across reports
        self._token = lru_cache(maxsize=200_000)(self._token_uncached)

    def _token_uncached(self, token: str) -> tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...],
                                                   tuple[str, ...], tuple[str, ...]]:
        """(lower-cased word, case class, the token's own features, and the features it gives the token 2
        after it, 1 after it, 1 before it and 2 before it): most of a sentence's features, built once."""
        low = token.lower()
        cc = case_class(token)
        if self.kind == "plain":
            return (low, cc, ("b", "w=" + low, "c=" + cc, "s3=" + low[-3:]), (), (f"-1w={low}", f"-1c={cc}"),
                    (f"1w={low}", f"1c={cc}"), ())
        sh = shape(token)
        flags = self.gazetteer.flags(low) if self.gazetteer is not None else ()
        if self.case_lexicon is not None:
            flags = (*flags, "cl=" + self.case_lexicon.get(low, "?"))
        own = ["b", "w=" + low, "c=" + cc, "sh=" + sh, "p2=" + low[:2], "p3=" + low[:3], "s2=" + low[-2:],
               "s3=" + low[-3:], "len=" + str(min(len(token), 8)), *flags]
        if "-" in token:
            own.append("hyphen")
        before: tuple[str, ...] = ()
        after: tuple[str, ...] = ()
        if self.clusters is not None:
            k = self.clusters.get(cluster_key(token))
            if k is None:
                own.append("k=?")
            else:
                own.extend((f"k1={k[0]}", f"k2={k[1]}", f"k3={k[2]}"))
                before = (f"-1k2={k[1]}", f"-1k3={k[2]}")
                after = (f"1k2={k[1]}", f"1k3={k[2]}")
        return (low, cc, tuple(own), (f"-2w={low}", f"-2sh={sh}"),
                (f"-1w={low}", f"-1sh={sh}", f"-1c={cc}", *(f"-1{g}" for g in flags), *before),
                (f"1w={low}", f"1sh={sh}", f"1c={cc}", *(f"1{g}" for g in flags), *after),
                (f"2w={low}", f"2sh={sh}"))

    def sentence(self, tokens: list[str]) -> list[list[str]]:
        n = len(tokens)
        ctx = [self._token(t) for t in tokens]
        out: list[list[str]] = []
        rich = self.kind == "rich"
        casing = sentence_casing([c[1] for c in ctx[1:]]) if rich and self.sentence_case else None
        for i in range(n):
            f = list(ctx[i][2])
            if i >= 2:
                f.extend(ctx[i - 2][3])
            if i >= 1:
                f.extend(ctx[i - 1][4])
                if rich:
                    f.append(f"-1w|w={ctx[i - 1][0]}|{ctx[i][0]}")
            if i + 1 < n:
                f.extend(ctx[i + 1][5])
                if rich:
                    f.append(f"w|+1w={ctx[i][0]}|{ctx[i + 1][0]}")
            if i + 2 < n:
                f.extend(ctx[i + 2][6])
            if casing is not None:
                f.append(f"sc={casing}|c={ctx[i][1]}")
            if self.conj:
                sh = ctx[i][2][3]
                prev = ctx[i - 1] if i >= 1 else None
                nxt = ctx[i + 1] if i + 1 < n else None
                f.append(f"-1w|sh={prev[0] if prev else '<s>'}|{sh}")
                f.append(f"sh|+1w={sh}|{nxt[0] if nxt else '</s>'}")
                f.append(f"-1sh|sh|+1sh={prev[2][3] if prev else '<s>'}|{sh}|{nxt[2][3] if nxt else '</s>'}")
            if rich:
                if i == 0:
                    f.append("BOS")
                    f.append("BOS_c=" + ctx[0][1])
                if i == n - 1:
                    f.append("EOS")
            out.append(f)
        if self.runs:
            self._run_features(tokens, ctx, out)
        return out

    def _run_features(self, tokens: list[str], ctx: list[tuple], out: list[list[str]]) -> None:
        n = len(tokens)
        for a, b in capitalised_runs(tokens):
            last, first = ctx[b - 1], ctx[a]
            feats = [f"rl={min(b - a, 5)}", "rend=" + last[0],
                     *("rendg=" + g for g in last[2] if g in _RUN_FLAGS),
                     *("rstartg=" + g for g in first[2] if g in _RUN_FLAGS),
                     "rnext=" + (ctx[b][0] if b < n else "</s>"), "rprev=" + (ctx[a - 1][0] if a > 0 else "<s>")]
            if any(ctx[k][0] == "of" for k in range(a, b)):
                feats.append("rof")
            for i in range(a, b):
                pos = "S" if b - a == 1 else "B" if i == a else "E" if i == b - 1 else "I"
                out[i].extend(feats)
                out[i].append("rpos=" + pos)


# words after which a capitalised word is a person, before which it is a person / an organisation / a place
_DOC_SAID = frozenset(("said", "says", "told", "added", "wrote", "asked", "argued", "stated", "announced"))
_DOC_LOC_PREP = frozenset(("in", "at", "from", "to", "near", "across", "into", "throughout"))


def document_features(featurizer: Featurizer, sentences: list[list[str]]) -> list[list[list[str]]]:
    """What the other mentions of each word in the document say about it, label-free (no first pass): whether
    the word is written capitalised / lower case elsewhere mid-sentence, whether elsewhere it is part of a
    longer capitalised run (its first / last word), and the cue words and word lists around its other
    capitalised mentions ("the X", "Mr. X", "X said", "in X", "X Corporation"). One dictionary per document:
    linear in its length."""
    gaz = featurizer.gazetteer
    # low -> list of (sentence, position, feature set) of each mention
    mentions: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
    for si, tokens in enumerate(sentences):
        n = len(tokens)
        runs = capitalised_runs(tokens)
        run_at: dict[int, tuple[int, int]] = {i: (a, b) for a, b in runs for i in range(a, b)}
        for i, tok in enumerate(tokens):
            if not tok[:1].isalpha():
                continue
            feats = set()
            cap = tok[:1].isupper()
            if i > 0:
                feats.add("d:cap" if cap else "d:low")
            if cap:
                a, b = run_at.get(i, (i, i + 1))
                if b - a > 1:
                    feats.add("d:runfirst" if i == a else "d:runlast" if i == b - 1 else "d:runmid")
                prev = tokens[i - 1].lower() if i > 0 else "<s>"
                nxt = tokens[i + 1].lower() if i + 1 < n else "</s>"
                if prev == "the":
                    feats.add("d:pthe")
                elif prev in _DOC_LOC_PREP:
                    feats.add("d:pin")
                if nxt in _DOC_SAID or nxt == "'s":
                    feats.add("d:n=" + ("said" if nxt in _DOC_SAID else "poss"))
                if gaz is not None:
                    if i > 0:
                        feats.update("d:p" + g for g in gaz.flags(prev) if g in _DOC_FLAGS)
                    if b < n and i == b - 1:
                        feats.update("d:n" + g for g in gaz.flags(nxt) if g in _DOC_FLAGS)
                    if b - a > 1 and i != b - 1:
                        feats.update("d:rl" + g for g in gaz.flags(tokens[b - 1].lower()) if g in _DOC_FLAGS)
            mentions.setdefault(tok.lower(), []).append((si, i, frozenset(feats)))
    out: list[list[list[str]]] = [[[] for _ in tokens] for tokens in sentences]
    for items in mentions.values():
        if len(items) < 2:
            continue
        items_used = items[:12]  # a frequent word: its first dozen mentions speak for it
        for si, i, _own in items:
            other: set[str] = set()
            for sj, j, feats in items_used:
                if sj != si or j != i:
                    other |= feats
            out[si][i].extend(sorted(other))
    return out


_DOC_FLAGS = frozenset(("g:given", "g:title", "g:orghead", "g:lochead", "g:mediahead"))
