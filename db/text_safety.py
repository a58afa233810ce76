"""Making untrusted text safe to show in a terminal.

Reports come from adversaries. Anything that could drive the terminal (ESC sequences: ANSI
colours, OSC 52 clipboard writes, OSC 8 links, title changes, DCS) or reorder what the analyst
reads (bidi overrides: "Trojan Source") is made visible instead of being passed on. Markup
safety is a separate matter: the UI renders text as ``Content``, never as markup.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except TAB and LF, DEL, and the C1 range.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates, plus marks and zero-width characters that hide text.
_INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")
_INVISIBLE_NAMES = {
    "\u061c": "ALM", "\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u200e": "LRM", "\u200f": "RLM",
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO", "\u2060": "WJ",
    "\u2061": "FA", "\u2062": "IT", "\u2063": "IS", "\u2064": "IP", "\u2066": "LRI", "\u2067": "RLI",
    "\u2068": "FSI", "\u2069": "PDI", "\ufeff": "BOM", "\ufff9": "IAA", "\ufffa": "IAS", "\ufffb": "IAT",
}


def _show_control(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<{code:02X}>"  # C1: no picture exists, show the byte value


def visible(text: str, *, keep_newlines: bool = True, show_invisible: bool = True) -> str:
    """The text with every control character made visible and nothing able to reach the terminal.

    Zero-width joiners inside emoji sequences are kept only when ``show_invisible`` is False;
    by default every invisible format character is shown by name, since a hidden character in
    a name ("Hanі\u200byeh") is exactly what an analyst needs to see.
    """
    if not text:
        return ""
    # U+2028/U+2029 separate lines and paragraphs, but the terminal draws nothing for them: the
    # words on either side ran together. One character for one, so spans into the text still fit.
    if not keep_newlines:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
        text = text.replace("\u2028", " ").replace("\u2029", " ")
    else:
        text = text.replace("\r\n", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL.sub(_show_control, text)
    if show_invisible:
        text = _INVISIBLE.sub(lambda m: f"\u27e8{_INVISIBLE_NAMES[m.group()]}\u27e9", text)
    else:
        text = _INVISIBLE.sub("", text)
    # Lone surrogates cannot be encoded for the terminal.
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text


# JSON may carry these raw inside strings; as \uXXXX escapes the data stays exact and the terminal safe.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")


def json_dumps(obj, *, indent: int | None = None) -> str:
    """``json.dumps`` whose output is safe to print: C0 is escaped by json itself, and DEL, C1,
    bidi controls and invisible characters are escaped here. Lone surrogates become U+FFFD."""
    import json

    text = json.dumps(obj, ensure_ascii=False, indent=indent, default=str)
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text


MAX_MARKS = 3  # combining marks kept on one letter: enough for any script, not for "zalgo" text


def one_line(text: str | None, limit: int | None = None) -> str:
    """Visible text on one line, optionally cut with an ellipsis after ``limit`` letters (a letter
    with its combining marks counts once: a "zalgo" title of 80 letters each carrying 50 marks
    showed as one letter and "…"). Runs of more than MAX_MARKS marks on a letter are cut."""
    line = " ".join(visible(text or "", keep_newlines=False).split())
    if not _has_marks(line):
        if limit is not None and len(line) > limit:
            return line[: max(0, limit - 1)] + "\u2026"
        return line
    total = sum(1 for character in line if not _is_mark(character))
    room = max(0, limit - 1) if limit is not None and total > limit else total
    kept, letters, marks = [], 0, 0
    for character in line:
        if _is_mark(character):
            marks += 1
            if marks <= MAX_MARKS and letters:
                kept.append(character)
            continue
        if letters == room:
            kept.append("\u2026")
            break
        marks = 0
        letters += 1
        kept.append(character)
    return "".join(kept)


def _is_mark(character: str) -> bool:
    """A mark drawn on the letter before it (no width of its own): what "zalgo" text piles up."""
    return unicodedata.category(character) in ("Mn", "Me")


def _has_marks(text: str) -> bool:
    return any(_is_mark(character) for character in text)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def field_line(value: object) -> str:
    """One untrusted field as it leaves the app in a document (a citation, an export, a STIX bundle):
    what ``one_line`` shows, for any value ("" for None). The one rule everywhere: a control character
    or a hidden format character (U+200B, U+200F, a bidi override) is shown, never passed on nor
    silently dropped, since a hidden character in a name is what an analyst needs to see."""
    if value is None:
        return ""
    return one_line(value if isinstance(value, str) else str(value))
