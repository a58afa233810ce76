"""The search language: free words plus ``key:value`` filters.

``haniya status:new grade:A-C cred:1-3 type:person source:"Shafaq News" from:2024-06-01 to:2024-06-30
tag:baghdad stance:refutes``. Parsing never raises anything but :class:`QueryError`, whose
message is fit to show as it is; no part of a query is ever pasted into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .models import ENTITY_TYPES, REPORT_STATUSES, STANCES

FILTER_KEYS = {
    "status": "status", "is": "status",
    "grade": "grade", "rel": "grade", "reliability": "grade",
    "cred": "cred", "credibility": "cred",
    "type": "type",
    "source": "source", "src": "source",
    "from": "from", "since": "from", "after": "from",
    "to": "to", "until": "to", "before": "to",
    "tag": "tag",
    "stance": "stance",
    "in": "kind", "kind": "kind",
}
KINDS = {"report": "report", "reports": "report", "claim": "claim", "claims": "claim",
         "entity": "entity", "entities": "entity"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$", re.ASCII)  # "２０２４" is no date for SQLite
_TOKEN = re.compile(r'\s*(?:([A-Za-z]+):)?("([^"]*)"?|\S+)')
MAX_QUERY_LENGTH = 500


class QueryError(ValueError):
    """A query that cannot be run; the message says what to fix."""


@dataclass
class Query:
    text: str = ""  # the free words, in order
    words: list[str] = field(default_factory=list)
    statuses: tuple[str, ...] = ()
    reliability: tuple[str, ...] = ()
    credibility: tuple[int, ...] = ()
    types: tuple[str, ...] = ()
    source: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    tag: str | None = None
    stance: str | None = None
    kinds: tuple[str, ...] = ()  # restrict to reports / claims / entities

    @property
    def has_filters(self) -> bool:
        return bool(self.statuses or self.reliability or self.credibility or self.types or self.source
                    or self.date_from or self.date_to or self.tag or self.stance or self.kinds)

    def wants(self, kind: str) -> bool:
        if self.kinds:
            return kind in self.kinds
        if self.types:
            return kind == "entity"
        if self.stance or self.credibility:
            return kind in ("claim", "report") if not self.stance else kind == "claim"
        if kind == "entity":
            return not (self.statuses or self.reliability or self.source or self.date_from or self.date_to or self.tag)
        return True


def parse_query(raw: str) -> Query:
    # A paste can carry NULs and undecodable bytes (lone surrogates): neither can reach SQLite.
    raw = raw.replace("\x00", " ").encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if len(raw) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is {len(raw)} characters long; keep it under {MAX_QUERY_LENGTH}")
    query = Query()
    words: list[str] = []
    position = 0
    while position < len(raw):
        match = _TOKEN.match(raw, position)
        if not match or match.end() == position:
            break
        position = match.end()
        key, token, quoted = match.group(1), match.group(2), match.group(3)
        value = quoted if quoted is not None else token
        if key and key.lower() in FILTER_KEYS:
            _apply_filter(query, FILTER_KEYS[key.lower()], value.strip(), key)
        elif not key and token.endswith(":") and token[:-1].lower() in FILTER_KEYS:
            written = token[:-1]
            raise QueryError(f"{written}: needs a value, e.g. {written}:{_EXAMPLES[FILTER_KEYS[written.lower()]]}")
        else:
            text = f"{key}:{value}" if key else value
            words.extend(w for w in re.split(r"\s+", text.strip('"')) if w)
    query.words = words
    query.text = " ".join(words)
    return query


def _apply_filter(query: Query, key: str, value: str, written: str) -> None:
    if not value:
        raise QueryError(f"{written}: needs a value, e.g. {written}:{_EXAMPLES[key]}")
    if key == "status":
        statuses = tuple(v.lower() for v in value.split(","))
        bad = [s for s in statuses if s not in REPORT_STATUSES]
        if bad:
            raise QueryError(f"status:{bad[0]} is not a status; use {', '.join(REPORT_STATUSES)}")
        query.statuses = statuses
    elif key == "grade":
        query.reliability = _letter_range(value)
    elif key == "cred":
        query.credibility = _digit_range(value)
    elif key == "type":
        types = tuple(v.upper() for v in value.split(","))
        types = tuple({"PEOPLE": "PERSON", "ORGANISATION": "ORG", "ORGANIZATION": "ORG", "PLACE": "LOC",
                       "LOCATION": "LOC", "OUTLET": "MEDIA"}.get(t, t) for t in types)
        bad = [t for t in types if t not in ENTITY_TYPES]
        if bad:
            raise QueryError(f"type:{bad[0].lower()} is not an entity type; use person, org, loc or media")
        query.types = types
    elif key == "source":
        query.source = value
    elif key in ("from", "to"):
        if not _DATE.match(value):
            raise QueryError(f"{written}:{value} is not a date; write it as 2024-06-01 (or 2024-06, 2024)")
        if key == "from":
            query.date_from = value
        else:
            query.date_to = value
    elif key == "tag":
        query.tag = value
    elif key == "stance":
        stance = {"support": "supports", "refute": "refutes", "for": "supports", "against": "refutes"}.get(
            value.lower(), value.lower())
        if stance not in STANCES:
            raise QueryError(f"stance:{value} is not a stance; use supports, refutes or neutral")
        query.stance = stance
    elif key == "kind":
        kinds = tuple(KINDS.get(v.lower(), "") for v in value.split(","))
        if "" in kinds:
            raise QueryError(f"in:{value} is not a kind; use reports, claims or entities")
        query.kinds = kinds


_EXAMPLES = {"status": "new", "grade": "A-C", "cred": "1-3", "type": "person", "source": '"Shafaq News"',
             "from": "2024-06-01", "to": "2024-06-30", "tag": "baghdad", "stance": "refutes", "kind": "claims"}


def _letter_range(value: str) -> tuple[str, ...]:
    letters = "ABCDEF"
    out: list[str] = []
    for part in value.upper().split(","):
        if re.fullmatch(r"[A-F]-[A-F]", part):
            a, b = sorted((letters.index(part[0]), letters.index(part[2])))
            out += list(letters[a:b + 1])
        elif re.fullmatch(r"[A-F]", part):
            out.append(part)
        else:
            raise QueryError(f"grade:{value} is not a reliability grade; use a letter A-F or a range like A-C")
    return tuple(dict.fromkeys(out))


def _digit_range(value: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in value.split(","):
        if re.fullmatch(r"[1-6]-[1-6]", part):
            a, b = sorted((int(part[0]), int(part[2])))
            out += list(range(a, b + 1))
        elif re.fullmatch(r"[1-6]", part):
            out.append(int(part))
        else:
            raise QueryError(f"cred:{value} is not a credibility grade; use a digit 1-6 or a range like 1-3")
    return tuple(dict.fromkeys(out))
