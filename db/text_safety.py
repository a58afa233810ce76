"""Making untrusted text safe to show in a terminal.

Reports come from adversaries. Anything that could drive the terminal (ESC sequences: ANSI
colours, OSC 52 clipboard writes, OSC 8 links, title changes, DCS) or reorder what the analyst
reads (bidi overrides: "Trojan Source") is made visible instead of being passed on. Markup
safety is a separate matter: the UI renders text as ``Content``, never as markup.
"""

from __future__ import annotations

import re

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
    if not keep_newlines:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    else:
        text = text.replace("\r\n", "\n")
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


def one_line(text: str | None, limit: int | None = None) -> str:
    """Visible text on one line, optionally cut with an ellipsis."""
    line = " ".join(visible(text or "", keep_newlines=False).split())
    if limit is not None and len(line) > limit:
        return line[: max(0, limit - 1)] + "\u2026"
    return line


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True
