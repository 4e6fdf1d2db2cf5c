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

_SPACE = re.compile(r"\s+")
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
    decomposed = unicodedata.normalize("NFKD", text)
    basic, astral = _combining_marks()
    decomposed = basic.sub("", decomposed)
    if _ASTRAL.search(decomposed):
        decomposed = astral.sub("", decomposed)
    return decomposed


@lru_cache(maxsize=1)
def _combining_marks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Every character with a combining class, found once (~50 ms): those of the
    Basic Multilingual Plane, which ``re`` matches by a bitmap, and the others,
    which it would check one range at a time, five times slower."""
    marks = [chr(p) for p in range(sys.maxunicode + 1) if unicodedata.combining(chr(p))]
    basic = "".join(re.escape(m) for m in marks if m <= "\uffff")
    astral = "".join(re.escape(m) for m in marks if m > "\uffff")
    return re.compile(f"[{basic}]+"), re.compile(f"[{astral}]+")


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces."""
    return collapse_spaces(strip_diacritics(text).casefold())


def collapse_spaces(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


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
