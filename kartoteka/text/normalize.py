"""Text normalisation shared by hashing, search and matching.

Folding keeps the script (Cyrillic stays Cyrillic) but drops case and
diacritics, so ``Vučić`` and ``Vucic`` compare equal.  Transliteration
across scripts belongs to the name matcher, not here.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)
# Letters that NFKD does not decompose but readers expect to fold.
_EXTRA = {"ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i",
          "ħ": "h", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d"}
_EXTRA_FOLDS = str.maketrans(_EXTRA)
_EXTRA_LETTERS = re.compile(f"[{''.join(_EXTRA)}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def strip_diacritics(text: str) -> str:
    """Remove combining marks, keeping ``й`` and ``ё`` readable as ``и``/``е``."""
    if text.isascii():
        return text  # nothing to decompose, fold or remove
    if _EXTRA_LETTERS.search(text):
        text = text.translate(_EXTRA_FOLDS)
    # A pattern substitution, not a check per character: that was the largest
    # cost of storing an article (story terms, search forms and repost shingles
    # all fold its text).
    decomposed = _basic_marks().sub("", unicodedata.normalize("NFKD", text))
    if _ASTRAL.search(decomposed):
        decomposed = _astral_marks().sub("", decomposed)
    return decomposed


def _marks(first: int, last: int) -> re.Pattern[str]:
    """Runs of the characters in ``first..last`` that have a combining class."""
    found = (chr(p) for p in range(first, last + 1) if unicodedata.combining(chr(p)))
    return re.compile(f"[{''.join(re.escape(m) for m in found)}]+")


@lru_cache(maxsize=1)
def _basic_marks() -> re.Pattern[str]:
    """The combining marks of the Basic Multilingual Plane, which ``re`` matches
    by a bitmap (found once, ~5 ms)."""
    return _marks(0, 0xFFFF)


@lru_cache(maxsize=1)
def _astral_marks() -> re.Pattern[str]:
    """The combining marks beyond it, which ``re`` would check one range at a
    time (five times slower, so kept apart).  Found only once a text has such
    a character: going through the other million code points took ~60 ms at
    the start of every process, as long as folding 1,500 articles."""
    return _marks(0x10000, sys.maxunicode)


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces."""
    return collapse_spaces(strip_diacritics(text).casefold())


def collapse_spaces(text: str) -> str:
    # ``str.split`` and the pattern ``\s`` take the same characters for space
    # (both ask ``Py_UNICODE_ISSPACE``); splitting is four times faster than
    # substituting every single space by a space.
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def clean_text(text: str) -> str:
    """Normalise line endings and Unicode form, drop NULs and trailing spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\x00", "").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def content_hash(title: str, body: str) -> str:
    """A hash of what a reader sees, insensitive to whitespace and Unicode form."""
    normal = collapse_spaces(unicodedata.normalize("NFC", f"{title}\n{body}"))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()
