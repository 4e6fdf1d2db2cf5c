"""Text normalisation shared by hashing, search and matching.

Folding keeps the script (Cyrillic stays Cyrillic) but drops case and
diacritics, so ``Vučić`` and ``Vucic`` compare equal.  Transliteration
across scripts belongs to the name matcher, not here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
# Letters that NFKD does not decompose but readers expect to fold.
_EXTRA_FOLDS = str.maketrans(
    {"ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i",
     "ħ": "h", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d"}
)


def strip_diacritics(text: str) -> str:
    """Remove combining marks, keeping ``й`` and ``ё`` readable as ``и``/``е``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
