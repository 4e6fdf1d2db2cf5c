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
from functools import cache

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

# Letters that, among the languages sharing a script, point to one of them.
_SERBIAN = set("ђћџљњјЂЋЏЉЊЈ")
_UKRAINIAN = set("їєґЇЄҐ")
_BELARUSIAN = set("ўЎ")
_I = set("іІ")  # Ukrainian and Belarusian
_YERY = set("ыэЫЭ")  # Russian and Belarusian
_KAZAKH = set("әғқңөұүһӘҒҚҢӨҰҮҺ")
_URDU = set("ٹڈڑںےھ")
_PERSIAN = set("پچژگکی")
_ARABIC = set("ةى")


@cache
def _letter_script(char: str) -> str:
    return _SCRIPTS.get(unicodedata.name(char, "").split(" ", 1)[0], "Zyyy")


def name_script(value: str) -> str | None:
    """The script most of the letters are written in, or None without letters."""
    counts: Counter[str] = Counter(_letter_script(c) for c in value if c.isalpha())
    if not counts:
        return None
    script, _count = counts.most_common(1)[0]
    return None if script == "Zyyy" else script


def name_language(value: str, script: str | None = None) -> str | None:
    """A language code when the letters leave no doubt, else None.

    Serbian letters win over the others: ``ј`` never occurs in Russian,
    while ``ы`` could come from a quoted Russian word in a Serbian name.
    """
    script = script if script is not None else name_script(value)
    letters = set(value)
    if script == "Cyrl":
        if letters & _SERBIAN:
            return "sr"
        if letters & _KAZAKH:
            return "kk"
        if letters & _UKRAINIAN:
            return "uk"
        if letters & _BELARUSIAN or (letters & _I and letters & _YERY):
            return "be"
        if letters & _I:
            return "uk"
        if letters & _YERY:
            return "ru"
    elif script == "Arab":
        if letters & _URDU:
            return "ur"
        if letters & _PERSIAN:
            return "fa"
        if letters & _ARABIC:
            return "ar"
    return None
