"""Reading the English NER corpora of ``shared/data/ner`` (see its README) as PERSON / ORG / LOC in IOB2.

One definition for training (``bench.train_ner``) and scoring (``bench.extraction --ner``), so that both
read a file and map its tags the same way.

Layouts, told apart line by line:
- UNER ``.iob2``: ``id<TAB>token<TAB>tag<TAB>...`` with ``#`` comment lines;
- most others: ``token<TAB>tag`` (``#`` comment lines in the derived Re-DocRED and GUM files);
- wikigold: ``token<SPACE>tag`` in IOB1, with ``-DOCSTART-`` lines;
- WNUT-17 dev begins with a byte order mark, hence ``utf-8-sig``.
Sentences are separated by blank lines; a document marker (``# newdoc``, ``# doc =``, ``-DOCSTART-``) also
ends a document, which ``read_documents`` keeps so a dev set can be cut by document.
"""

from __future__ import annotations

from pathlib import Path

TYPES = ("PERSON", "ORG", "LOC")

# The README's mapping table, keyed by the lower-cased tag name of every corpus; anything else is O.
TAG_MAP = {
    "per": "PERSON", "person": "PERSON", "politician": "PERSON",
    "org": "ORG", "organisation": "ORG", "organization": "ORG", "corporation": "ORG", "group": "ORG",
    "politicalparty": "ORG",
    "loc": "LOC", "location": "LOC", "country": "LOC",
}

Sentence = tuple[list[str], list[str]]  # tokens, IOB2 tags over TYPES


def _token_and_tag(line: str) -> tuple[str, str] | None:
    """(token, raw tag) of one token line, or None for a line that is no token."""
    if "\t" in line:
        cols = line.split("\t")
        if len(cols) >= 3 and cols[0].isdigit():  # UNER: id, token, tag, annotation flags
            return cols[1], cols[2]
        if len(cols) >= 2:
            return cols[0], cols[-1] if len(cols) == 2 else cols[1]
        return None
    cols = line.rsplit(" ", 1)  # wikigold: the token never holds the last space
    if len(cols) == 2:
        return cols[0], cols[1]
    return None


def map_tag(raw: str) -> tuple[str, str | None]:
    """("B"/"I"/"O", mapped type or None) of a raw tag such as ``B-politicalparty`` or ``I-MISC``."""
    raw = raw.strip()
    if len(raw) < 3 or raw[1] != "-" or raw[0] not in "BI":
        return "O", None
    typ = TAG_MAP.get(raw[2:].lower())
    return (raw[0], typ) if typ else ("O", None)


def to_iob2(prefixes_types: list[tuple[str, str | None]]) -> list[str]:
    """IOB2 tags from (prefix, type) pairs: an I- that does not continue a span of its type starts one, which
    turns IOB1 (wikigold) into IOB2 and repairs spans whose first tag was mapped away."""
    tags: list[str] = []
    prev: str | None = None
    for prefix, typ in prefixes_types:
        if typ is None:
            tags.append("O")
        elif prefix == "B" or prev != typ:
            tags.append("B-" + typ)
        else:
            tags.append("I-" + typ)
        prev = typ
    return tags


def read_documents(path: str | Path) -> list[list[Sentence]]:
    """The file's sentences grouped by document (a file without markers is one document)."""
    docs: list[list[Sentence]] = [[]]
    tokens: list[str] = []
    doc_marker = ""
    pairs: list[tuple[str, str | None]] = []

    def end_sentence() -> None:
        if tokens:
            docs[-1].append((list(tokens), to_iob2(pairs)))
            tokens.clear()
            pairs.clear()

    with open(path, encoding="utf-8-sig") as f:
        for raw_line in f:
            line = raw_line.rstrip("\r\n")
            if not line.strip():
                end_sentence()
                continue
            if line.startswith("-DOCSTART-") or line.startswith("# newdoc") or line.startswith("# doc ="):
                end_sentence()
                # Re-DocRED repeats "# doc = <title>" before every sentence of a document
                if docs[-1] and (line.startswith("-DOCSTART-") or line != doc_marker):
                    docs.append([])
                doc_marker = line
                continue
            if line.startswith("#") and ("\t" not in line or line.startswith("# ")) and "=" in line:
                continue  # a comment (a "#" token is "#<TAB>O")
            tt = _token_and_tag(line)
            if tt is None:
                continue
            tokens.append(tt[0])
            pairs.append(map_tag(tt[1]))
    end_sentence()
    return [d for d in docs if d]


def read_sentences(path: str | Path) -> list[Sentence]:
    return [s for doc in read_documents(path) for s in doc]


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) token spans of IOB2 tags, end exclusive."""
    out: list[tuple[int, int, str]] = []
    start, typ = -1, None
    for i, t in enumerate(tags + ["O"]):
        if typ is not None and (t == "O" or t.startswith("B-") or t[2:] != typ):
            out.append((start, i, typ))
            typ = None
        if t.startswith("B-") or (t.startswith("I-") and typ is None):
            start, typ = i, t[2:]
    return out
