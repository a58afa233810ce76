"""The place dateline that opens a news story's first paragraph: "JAKARTA (Reuters) - ", "TRENTON —",
"NEW ORLEANS - ", "WASHINGTON, D.C., Dec 30 (AP) -- ", "PERRIS: ".

It says where the story was filed: the place is a place (not an organisation), it is not part of the
first claim's text, and it is not a speaker ("PERRIS: Woman ordered hit ..., police say" is said by police).
"""

from __future__ import annotations

import re

# Matched only where a line starts, over at most ~120 characters: every repetition is bounded, so the
# match is linear in what it reads. The place is in capitals ("JAKARTA", "NEW ORLEANS", "ST. LOUIS"),
# its first word at least two letters; a region ("N.J.", "Calif.", "D.C."), a date ("Dec 30") and the
# agency in brackets may follow; then a dash or a colon.
PLACE_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]*){0,3})"
    r"(?:,\s[A-Z][A-Za-z.]{0,12}(?:\s[A-Z][A-Za-z.]{0,12})?)?"
    r"(?:,\s[A-Z][a-z]{2,8}\.?\s\d{1,2})?"
    r"(?:\s?\([A-Z][\w .&'-]{0,30}\))?"
    r"\s?(?P<mark>—|–|--|-|:)\s+(?=\S)")


def place_dateline(body: str, pos: int) -> re.Match[str] | None:
    """The place dateline starting at ``pos`` (a line's start), or None."""
    if pos and body[pos - 1] != "\n":
        return None
    m = PLACE_DATELINE.match(body, pos, min(len(body), pos + 120))
    if m is None or not any(ch.isalpha() for ch in m.group("place")[1:]):
        return None
    if m.group("mark") == ":" and "(" not in m.group():
        # "NATO: ..." / "RAMOS: ..." speak: a label alone before a colon is a dateline only when the
        # line goes on to say who says it ("PERRIS: Woman ordered hit ..., police say")
        line_end = body.find("\n", m.end())
        line = body[m.end():line_end if line_end >= 0 else len(body)]
        if not _ENDS_IN_ATTRIBUTION.search(line[-80:]):
            return None
    return m


# ", police say" / ", officials said" closing a headline or a sentence: at most five words before the cue
_ENDS_IN_ATTRIBUTION = re.compile(r",\s(?:[\w.'’-]+\s){1,5}(?:says?|said|claims?|claimed|reports?|reported)[.!?]?\s*$")
