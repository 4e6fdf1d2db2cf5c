"""Which writing system a name is in, and its language where the letters decide it.

Scripts are ISO 15924 codes (``Latn``, ``Cyrl``, ``Arab``…), taken from the
Unicode names of the letters.  A language is given only when letters unique
to it appear (Serbian ``ђ``, Ukrainian ``ї``, Persian ``پ``…): the matcher
uses the script to pick a romanisation, and a wrong language would mislead
it more than no language.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

# The first word of a letter's Unicode name, to its ISO 15924 code.
_SCRIPTS = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "THAI": "Thai",
    "CJK": "Hani",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "HANGUL": "Kore",
    "ETHIOPIC": "Ethi",
    "SYRIAC": "Syrc",
}

# Letters that belong to one language among those sharing a script.
_LANGUAGE_LETTERS: tuple[tuple[str, str], ...] = (
    ("sr", "ђћџљњјЂЋЏЉЊЈ"),
    ("uk", "їєґіЇЄҐІ"),
    ("be", "ўЎ"),
    ("kk", "әғқңөұүһӘҒҚҢӨҰҮҺ"),
    ("ru", "ыэъЫЭЪ"),
    ("ur", "ٹڈڑںےھ"),
    ("fa", "پچژگکی"),
    ("ar", "ةى"),
)


def name_script(value: str) -> str | None:
    """The script most of the letters are written in, or None without letters."""
    counts: Counter[str] = Counter()
    for char in value:
        if not char.isalpha():
            continue
        first = unicodedata.name(char, "").split(" ", 1)[0]
        counts[_SCRIPTS.get(first, "Zyyy")] += 1
    if not counts:
        return None
    script, _count = counts.most_common(1)[0]
    return None if script == "Zyyy" else script


def name_language(value: str, script: str | None = None) -> str | None:
    """A language code when the letters leave no doubt, else None.

    Serbian letters win over Russian ones: ``ј`` never occurs in Russian,
    while ``ы`` could come from a quoted Russian word in a Serbian name.
    """
    script = script if script is not None else name_script(value)
    if script not in ("Cyrl", "Arab"):
        return None
    for language, letters in _LANGUAGE_LETTERS:
        if any(char in letters for char in value):
            return language
    return None
