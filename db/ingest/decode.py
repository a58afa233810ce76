"""Bytes -> str for imported files, and the refusal of files that are not text.

Order of trust: a byte-order mark, then an encoding the file declares (XML declaration,
HTML ``<meta charset>``), then UTF-8, then charset-normalizer's guess, then cp1252 with
replacement. The result is always a valid ``str``: never ``surrogateescape`` junk, because
the body is stored in SQLite and rendered later.
"""

from __future__ import annotations

import codecs
import re

from .errors import IngestError

# Signatures of common binary formats, so the reason can say what the file looks like.
# Signatures made only of printable ASCII ("GIF89a", "ID3") could begin a real text, so
# those need a NUL byte near the start as well (see describe_binary).
_MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF media file (WebP, WAV or AVI)"),
    (b"%PDF-", "a PDF document (convert it to text first)"),
    (b"PK\x03\x04", "a ZIP archive (or a DOCX/XLSX/EPUB document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (DOC/XLS)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_XML_DECLARED = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)

# Share of control characters (other than tab, newlines, form feed) above which a file
# is treated as binary even when it decodes.
_MAX_CONTROL_SHARE = 0.10
_SNIFF_BYTES = 64 * 1024


def describe_binary(data: bytes) -> str | None:
    """What binary format ``data`` looks like, or None when it may be text."""
    has_early_nul = b"\x00" in data[:64]
    for magic, what in _MAGIC_NUMBERS:
        if not data.startswith(magic):
            continue
        looks_like_words = magic.isascii() and magic.decode("ascii").isprintable()
        if looks_like_words and magic != b"%PDF-" and not has_early_nul:
            continue
        return what
    return None


def detect_bom(data: bytes) -> tuple[str, int] | None:
    """(encoding, BOM length) when ``data`` starts with a byte-order mark."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _guess_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows a NUL in every other byte for Latin-script text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.9 and even_nuls < 0.1:
        return "utf-16-le"
    if even_nuls > 0.9 and odd_nuls < 0.1:
        return "utf-16-be"
    return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding named by an XML declaration or an HTML meta tag, if Python knows it."""
    head = data[:4096]
    match = _XML_DECLARED.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        encoding = codecs.lookup(name).name
    except LookupError:
        return None
    # A page saved as UTF-8 often still says UTF-16 in its meta tag: only trust
    # single-byte or ASCII-compatible multi-byte declarations here (UTF-16/32 have BOMs).
    if encoding.startswith(("utf-16", "utf-32")):
        return None
    return encoding


# Single-byte Latin encodings that statistics cannot tell apart on a short text: a few
# accented words in Portuguese come out as cp1250 ("Săo Paulo"). Western European text
# is the common case, so any of these guesses is read as cp1252 instead.
_LATIN_LOOKALIKES = frozenset(
    "cp1250 cp1254 cp1257 cp850 cp858 iso8859_2 iso8859_3 iso8859_4 iso8859_9 iso8859_10 "
    "iso8859_13 iso8859_14 iso8859_15 iso8859_16 latin_1 mac_latin2 mac_roman mac_iceland".split()
)


def _guess_with_charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only needed for non-UTF-8 files

    best = from_bytes(data[: 1024 * 1024]).best()
    if best is None:
        return None
    return "cp1252" if best.encoding in _LATIN_LOOKALIKES else best.encoding


def decode_text(data: bytes) -> str:
    """Decode file bytes to text, or raise IngestError when the file is not text."""
    if not data.strip():
        raise IngestError("empty file")
    binary = describe_binary(data)
    if binary:
        raise IngestError(f"not text: looks like {binary}")

    bom = detect_bom(data)
    if bom:
        encoding, skip = bom
        text = data[skip:].decode(encoding, errors="replace")
    else:
        encoding = _guess_bomless_utf16(data) if b"\x00" in data[:4096] else None
        if encoding:
            text = data.decode(encoding, errors="replace")
        elif b"\x00" in data:
            raise IngestError("not text: contains NUL bytes (a binary file?)")
        else:
            text = _decode_without_bom(data)

    _reject_mostly_control(text)
    return text


def _decode_without_bom(data: bytes) -> str:
    declared = declared_encoding(data)
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration lies; fall through to UTF-8 and guessing
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guessed = None
    try:
        guessed = _guess_with_charset_normalizer(data)
    except Exception:  # a guessing library must never stop an import
        guessed = None
    for encoding in (guessed, declared, "cp1252"):
        if not encoding:
            continue
        try:
            return data.decode(encoding, errors="replace")
        except LookupError:
            continue
    return data.decode("utf-8", errors="replace")


# C0 controls but white space (\t \n \v \f \r), DEL and the C1 controls; a regex scans several
# times faster than a Python loop over the characters, on every report imported
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _reject_mostly_control(text: str) -> None:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return
    if len(_CONTROL_CHARACTER.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE:
        raise IngestError("not text: mostly control characters (a binary file?)")


_SURROGATES = re.compile("[\ud800-\udfff]")


def valid_str(value: str) -> str:
    """Replace lone surrogates (from JSON ``\\ud800`` escapes, say) one for one with U+FFFD.

    One for one, so character offsets into the body stay valid.
    """
    return _SURROGATES.sub("\ufffd", value)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR -> LF; nothing else in the text changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
