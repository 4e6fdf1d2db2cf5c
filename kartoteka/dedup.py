"""Near-duplicate (repost) detection with MinHash LSH over word shingles.

A repost is the same text lightly edited: a "forwarded from" line added, a
link or hashtag dropped, a typo fixed, a sentence cut.  Texts are folded
(case and diacritics dropped), split into words and cut into overlapping
``SHINGLE_WORDS``-word shingles; two texts are reposts when the Jaccard
similarity of their shingle sets, estimated by MinHash, reaches the
threshold.

Pure: no storage.  ``signature`` returns bytes that storage persists;
``RepostIndex.from_pairs`` rebuilds the index from stored (id, signature)
pairs, so detection works across runs and processes.

The shingle size and default threshold were chosen by measurement
(``bench/repost_threshold.py --originals 300 --seed 7``: 300 originals, 40 %
of them short posts; 300 lightly edited copies that must find their
original; 600 same-topic articles sharing names, places and stock phrases,
half of them quoting a quarter of an original's sentences, that must find
nothing).  Through the LSH index, 4-word shingles at 0.4 gave precision 1.0
and recall 1.0 (0.35: one false positive; 0.45: two misses; 0.5: three).
3-word shingles peaked at F1 0.997, 5-word at 0.998, single words at 0.98.
The threshold sits where false positives have stopped and misses have not
begun, leaving room for heavier edits in real reposts.
Override it with ``KARTOTEKA_REPOST_THRESHOLD`` (a number between 0 and 1).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import methodcaller

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from kartoteka.text.normalize import strip_diacritics, words

NUM_PERM = 128
SHINGLE_WORDS = 4
SEED = 1
# datasketch 2 names its hashing scheme; stored signatures are only comparable within one.
SCHEME = "affine32"
DEFAULT_THRESHOLD = 0.4
THRESHOLD_ENV = "KARTOTEKA_REPOST_THRESHOLD"
# Signature layout: one version byte, then NUM_PERM little-endian uint32 hash values.
_VERSION = 1
_DTYPE = np.dtype("<u4")
_EMPTY_SIGNATURE = bytes([_VERSION]) + np.full(NUM_PERM, 0xFFFFFFFF, dtype=_DTYPE).tobytes()
_DIGEST = methodcaller("digest")


@dataclass(frozen=True, slots=True)
class RepostCandidate:
    """A stored article whose text is similar enough, with the estimated Jaccard similarity."""

    article_id: str
    similarity: float


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Overlapping ``size``-word runs of the folded text; a shorter text is one shingle."""
    # The words of ``fold(text)``, without collapsing its spaces first: words
    # are the same either way, and collapsing took a tenth of a signature.
    tokens = words(strip_diacritics(text).casefold())
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    # Runs of ``size`` words as tuples of shifted lists (the shortest ends them),
    # joined in C.
    return set(map(" ".join, zip(*(tokens[i:] for i in range(size)), strict=False)))


def signature(text: str, *, shingle_words: int = SHINGLE_WORDS) -> bytes:
    """The MinHash of ``text``'s shingles, serialised for storage (``1 + 4 * NUM_PERM`` bytes).

    What datasketch's ``MinHash(scheme="affine32")`` makes of the shingles
    with its default hash (the first four bytes of each one's SHA-1, read
    little-endian): every hash pre-mixed by MurmurHash3's finalizer, then
    ``a * h + b`` per permutation in 32-bit arithmetic, the least kept.
    Computed here in a few array operations over all shingles, without a
    MinHash object and a Python call per shingle on the way in (those took
    about 20 of a signature's 180 us).  A test holds it equal to datasketch's.
    """
    found = shingles(text, shingle_words)
    if not found:
        return _EMPTY_SIGNATURE
    # Shingles hold no line break (they are words and spaces): one encode, one split.
    encoded = "\n".join(found).encode("utf-8").split(b"\n")
    digests = b"".join(map(_DIGEST, map(hashlib.sha1, encoded)))
    hashes = (np.frombuffer(digests, dtype=np.uint8).reshape(-1, 20)[:, :4]
              .copy().view(_DTYPE).ravel().astype(np.uint32))
    a, b = _permutations()
    values: bytes = (_fmix32(hashes)[:, None] * a + b).min(axis=0).astype(_DTYPE).tobytes()
    return bytes([_VERSION]) + values


def _fmix32(hashes: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix for ``affine32``), in place."""
    hashes ^= hashes >> np.uint32(16)
    hashes *= np.uint32(0x85EBCA6B)
    hashes ^= hashes >> np.uint32(13)
    hashes *= np.uint32(0xC2B2AE35)
    hashes ^= hashes >> np.uint32(16)
    return hashes


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures."""
    a, b = _hashvalues(first), _hashvalues(second)
    if _is_empty(a) or _is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def repost_threshold() -> float:
    """The threshold from ``KARTOTEKA_REPOST_THRESHOLD``, or the measured default."""
    raw = os.environ.get(THRESHOLD_ENV, "").strip()
    if not raw:
        return DEFAULT_THRESHOLD
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise ValueError(
            f"{THRESHOLD_ENV}={raw!r} is not a number between 0 and 1 "
            f"(exclusive); unset it to use the default {DEFAULT_THRESHOLD}"
        )
    return value


class RepostIndex:
    """An LSH index of article signatures that answers "which stored texts is this like?"."""

    def __init__(self, threshold: float | None = None) -> None:
        self.threshold = repost_threshold() if threshold is None else threshold
        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, np.ndarray] = {}

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, bytes]], threshold: float | None = None
    ) -> RepostIndex:
        """An index holding the stored (article id, signature) pairs."""
        index = cls(threshold)
        for article_id, stored in pairs:
            index.add(article_id, stored)
        return index

    def add(self, article_id: str, stored: bytes) -> None:
        """Index one article; adding an id again replaces its signature."""
        values = _hashvalues(stored)
        if article_id in self._signatures:
            self.remove(article_id)
        self._signatures[article_id] = values
        if not _is_empty(values):
            self._lsh.insert(article_id, _lean(values))

    def remove(self, article_id: str) -> None:
        values = self._signatures.pop(article_id, None)
        if values is not None and not _is_empty(values):
            self._lsh.remove(article_id)

    def query(self, stored: bytes) -> list[RepostCandidate]:
        """Indexed articles at or above the threshold, most similar first."""
        values = _hashvalues(stored)
        if _is_empty(values):
            return []
        found = []
        for article_id in self._lsh.query(_lean(values)):
            score = float(np.count_nonzero(self._signatures[article_id] == values)) / NUM_PERM
            if score >= self.threshold:
                found.append(RepostCandidate(article_id, score))
        found.sort(key=lambda c: (-c.similarity, c.article_id))
        return found

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures


def _hashvalues(stored: bytes) -> np.ndarray:
    if len(stored) != 1 + 4 * NUM_PERM or stored[0] != _VERSION:
        raise ValueError(
            f"not a kartoteka repost signature (version {_VERSION}, "
            f"{1 + 4 * NUM_PERM} bytes); recompute it with dedup.signature"
        )
    return np.frombuffer(stored, dtype=_DTYPE, offset=1)


def _is_empty(values: np.ndarray) -> bool:
    """MinHash of no shingles: every value at its maximum.  Empty texts match nothing."""
    return bool(np.all(values == np.iinfo(np.uint32).max))


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def band_keys(stored: bytes, threshold: float | None = None) -> list[tuple[int, str]]:
    """LSH band keys of a signature, for an index kept in the database.

    The banding (``b`` bands of ``r`` rows) is the one datasketch chooses for
    the threshold, so a database look-up by (band, key) finds the same
    candidates as :class:`RepostIndex`, without rebuilding anything in memory.
    """
    _hashvalues(stored)  # refuses what is no signature
    if stored == _EMPTY_SIGNATURE:  # every value at its maximum, as _is_empty tells
        return []
    bands, rows = _banding(repost_threshold() if threshold is None else threshold)
    # Each band's values as stored (little-endian uint32s after the version
    # byte), sliced from the bytes themselves: the same bytes as the array's
    # slices give, without making an array and its bytes per band.
    width = 4 * rows
    return [
        (band, hashlib.blake2b(stored[1 + band * width : 1 + (band + 1) * width],
                       digest_size=8).hexdigest())
        for band in range(bands)
    ]


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The seed's permutations ``(a, b)`` as datasketch draws them, drawn once."""
    permutations: np.ndarray = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    permutations = permutations.astype(np.uint32)
    permutations.setflags(write=False)  # shared by every signature: nobody may change it
    return permutations


@lru_cache(maxsize=8)
def _banding(threshold: float) -> tuple[int, int]:
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)
