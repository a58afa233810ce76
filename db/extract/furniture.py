"""Site furniture: subscription notices, "Read More", "click here", login prompts, about-us blurbs.

Returns spans of whole lines. Claims are never taken from inside furniture. Each span carries a kind:
"nav" (pure interface text: no names worth keeping), "credits" (who reported, wrote and edited the piece:
its staff, not the story's people and places; a copyright line is one too: its holder is the publisher,
already the report's source) or "notice"/"about" (may still name the publisher).
"""

from __future__ import annotations

import bisect
import re

from .cues import CASE_ODDITIES

_NAV = re.compile(
    r"^\W*(?:read more|read the full (?:story|article)|continue reading|click here|print|share|share this"
    r"(?: article)?|tweet|email|comments?|advertisement|sponsored|related(?: articles| stories)?:?|"
    r"more from .{0,40}|follow us.{0,60}|sign up.{0,80}|subscribe.{0,80}|back to top|skip to content|"
    r"log ?in|sign ?in|register|menu|home|next|previous|loading\.*|\.|-|–|—)\W*$",
    re.I,
)
_NOTICE = re.compile(
    r"complimentary offering|subscription information|available to (?:our )?subscribers|"
    r"(?:log ?in|sign ?in) or (?:register|sign up|subscribe)|click here|subscribe (?:now|today|to)|"
    r"all rights reserved|©|copyright \d{4}|cookies? (?:policy|settings)|privacy policy|terms of (?:use|service)|"
    r"sign up for (?:our|the) newsletter|to continue reading|already a subscriber|support our journalism|"
    r"this (?:article|story) (?:was|is) (?:originally )?(?:published|available)|"
    r"follow us on|download (?:our|the) app",
    re.I,
)
# Cheap substring pre-check: the notice alternation is only run when one of these occurs at all.
_TRIGGERS = ("offering", "subscri", "log in", "login", "sign in", "signin", "click here", "rights reserved", "©",
             "copyright", "cookie", "privacy", "terms of", "newsletter", "continue reading", "support our",
             "originally", "published", "available", "follow us", "download")
# "(Additional reporting by A and B in JAKARTA; Writing by C; Editing by D)": an anchored prefix, linear.
_CREDITS = re.compile(r"^\W{0,3}(?:additional\s+)?(?:reporting|writing|editing|compiled|edited|written|reported)"
                      r"(?:\s+and\s+\w+)?\s+by\s", re.I)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|copyright\s|all\s+rights\s+reserved", re.I)
_LINE = re.compile(r"[^\n]+")
_LEADING_THE = re.compile(r"^\s*the\s+", re.I)


def _is_short_heading(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and not text.rstrip().endswith((".", "?", "!", ":", ","))


def _lines_with_notice(low: str, lines: list[tuple[int, int, str]]) -> set[int]:
    """Indices of the lines holding a notice phrase; ``low`` is the body in lower case, position for position.

    Every notice phrase holds a trigger word and none spans a line break, so the (slow) notice alternation
    runs only on the lines where a trigger word starts. Letters a case-insensitive regex equates with ASCII
    ones although lower() leaves them alone ("ſ", "ı", "İ") defeat that test: the whole body is scanned then.
    """
    if not any(t in low for t in _TRIGGERS):
        return set()
    if CASE_ODDITIES.search(low):
        hits = [m.start() for m in _NOTICE.finditer(low)]
        return {i for i, (s, e, _) in enumerate(lines) if _any_between(hits, s, e)}
    triggers = sorted(at for t in _TRIGGERS for at in _occurrences(low, t))
    return {i for i, (s, e, _) in enumerate(lines) if _any_between(triggers, s, e) and _NOTICE.search(low, s, e)}


def _any_between(ascending: list[int], lo: int, hi: int) -> bool:
    i = bisect.bisect_left(ascending, lo)
    return i < len(ascending) and ascending[i] < hi


def _occurrences(text: str, word: str):
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def find_furniture(body: str) -> list[tuple[int, int, str]]:
    lines = [(m.start(), m.end(), m.group()) for m in _LINE.finditer(body) if m.group().strip()]
    spans: list[tuple[int, int, str]] = []
    n = len(lines)
    last_notice = -1
    low = body.lower()
    if len(low) != len(body):  # rare letters whose lower case is longer: positions would shift
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in body)
    notice_lines = _lines_with_notice(low, lines)
    for i, (s, e, text) in enumerate(lines):
        has_notice = i in notice_lines
        if len(text) > 2000:  # a notice is short; skip giant single-line bodies cheaply
            continue
        if len(text) <= 80 and _NAV.match(text):
            spans.append((s, e, "nav"))
        elif _CREDITS.match(text) or (has_notice and len(text) <= 200 and _COPYRIGHT.search(text)):
            spans.append((s, e, "credits"))
        elif has_notice and len(text.split()) <= 60:
            spans.append((s, e, "notice"))
            last_notice = i
    # About-us blurb: after a notice in the last part of the text, a short heading "X" followed by a
    # paragraph that starts by naming X ("The X monitors ...") describes the publisher, not the news.
    if last_notice >= 0 and last_notice >= n // 2:
        for i in range(last_notice + 1, n - 1):
            s, e, heading = lines[i]
            if not _is_short_heading(heading):
                continue
            name = _LEADING_THE.sub("", heading.strip()).lower()
            ns, ne, para = lines[i + 1]
            if name and _LEADING_THE.sub("", para.strip()).lower().startswith(name):
                spans.append((s, e, "about"))
                spans.append((ns, ne, "about"))
    spans.sort()
    return spans
