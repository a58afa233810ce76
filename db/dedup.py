"""Content hashes (exact duplicates) and MinHash band keys (near-duplicates: one story relayed
by another outlet with light rewording).

One-permutation MinHash: every word 3-shingle is hashed once and falls in one of
``BUCKETS`` buckets whose minimum is kept; bands of ``BAND_SIZE`` bucket minima are the
lookup keys. Two texts with Jaccard similarity J share at least one band with probability
1 - (1 - J**3)**8: 0.66 at J = 0.5, 0.97 at J = 0.7, next to nothing for unrelated texts.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass

BUCKETS = 24
BAND_SIZE = 3
BANDS = BUCKETS // BAND_SIZE
NEAR_DUPLICATE_THRESHOLD = 0.5  # estimated Jaccard of word 3-shingles
MIN_SHINGLES = 12  # shorter texts are too small to call near-duplicates
_WORD = re.compile(r"\w+", re.UNICODE)
_EMPTY = (1 << 64) - 1
_EMPTY_HASHER = hashlib.blake2b(digest_size=8)


def content_hash(title: str, body: str) -> str:
    """Equal for the same content whatever its white space or Unicode composition."""
    text = " ".join(unicodedata.normalize("NFC", body).split())
    if not text:
        text = "title:" + " ".join(unicodedata.normalize("NFC", title).split())
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def signature(body: str) -> list[int] | None:
    """The MinHash bucket minima of the body's word 3-shingles, or None for a text too short.

    The values are stored (as band keys in ``report_fingerprints``) and compared with those of
    later imports: changing the shingle hash would need every stored fingerprint recomputed.
    (Each shingle's hash is the little-endian 64-bit BLAKE2b of its UTF-8 words joined by one
    space. Computed here from a copied empty hasher and unpacked all at once: ~20% less CPU than
    a hasher built and converted per shingle, and the same values.)
    """
    words = _WORD.findall(body.casefold())
    if len(words) < MIN_SHINGLES + 2:
        return None
    encoded = " ".join(words).encode("utf-8", "surrogatepass").split(b" ")  # no word holds a space
    shingles = set(map(b" ".join, zip(encoded, encoded[1:], encoded[2:], strict=False)))
    digests = []
    for shingle in shingles:
        hasher = _EMPTY_HASHER.copy()
        hasher.update(shingle)
        digests.append(hasher.digest())
    minima = [_EMPTY] * BUCKETS
    for value in struct.unpack(f"<{len(digests)}Q", b"".join(digests)):
        bucket = value % BUCKETS
        if value < minima[bucket]:
            minima[bucket] = value
    return minima


@dataclass(frozen=True)
class Fingerprint:
    """What the store needs to recognise a report it already holds (``content_hash``) or an
    earlier version of its story (``signature``); computed apart from storing so the importer
    can do it in its worker processes."""

    content_hash: str
    signature: list[int] | None


def fingerprint(title: str, body: str) -> Fingerprint:
    return Fingerprint(content_hash(title, body), signature(body))


def band_keys(sig: list[int]) -> list[tuple[int, int]]:
    """(band number, band value) pairs; band values fit SQLite's signed 64-bit integers."""
    keys = []
    for band in range(BANDS):
        part = sig[band * BAND_SIZE:(band + 1) * BAND_SIZE]
        if _EMPTY in part:
            continue
        digest = hashlib.blake2b(repr(part).encode(), digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "little", signed=True)))
    return keys


def similarity(a: list[int], b: list[int]) -> float:
    pairs = [(x, y) for x, y in zip(a, b, strict=False) if x != _EMPTY or y != _EMPTY]
    if not pairs:
        return 0.0
    return sum(1 for x, y in pairs if x == y) / len(pairs)
