"""Two spellings of one name, or two names?  The rule for aligned Latin words.

Within one alphabet, a consonant added, dropped or changed usually makes
another name ("Lavrenov" / "Lavrov", "Albanese" / "Albano"), while the
differences transliteration makes do not ("Thachi" / "Thaçi", "Kouffa" /
"Koufa", "Doku" / "Dokka").  The scorer treats a pair of the first kind as
unaligned, which caps the score below the linking threshold.
"""

from __future__ import annotations

import re

from kartoteka.link.analysis import Token
from kartoteka.link.romanise import explained, is_latin, to_latin


def another_name(a: Token, b: Token, person: bool) -> bool:
    """Whether two aligned Latin words are two names rather than two spellings of one.

    No transliteration rule ties "Lavrenov" to "Lavrov", "Scholze" to "Scholz" or
    "Jamaat" to "Jemaah": in one alphabet such a difference is usually another
    name.  A shortened or prefixed form ("Siraj" / "Sirajuddin", "Ghaly" /
    "Aghaly") is not, nor a base form the romaniser derives (a fused article,
    a plural, a possessive).
    """
    key = (a.serial, b.serial, person)
    known = _ANOTHER.get(key)
    if known is None:
        if len(_ANOTHER) > 200_000:
            _ANOTHER.clear()
        known = _ANOTHER[key] = a.text != b.text and (
            (is_latin(a.text) and is_latin(b.text)
             and _another_word(a.text, b.text, person, a.spellings, b.spellings))
            # Chinese, Japanese and Korean names one character apart are two people,
            # and so are their romanisations: pinyin spells each character one way.
            or (bool(_CJK.search(a.text) or _CJK.search(b.text))
                and a.spellings_set.isdisjoint(b.spellings_set))
        )
    return known


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Verdicts by token serials (tokens are interned, so pairs recur across queries).
_ANOTHER: dict[tuple[int, int, bool], bool] = {}


def _another_word(a: str, b: str, person: bool, spelt_a: tuple[str, ...],
                  spelt_b: tuple[str, ...]) -> bool:
    la, lb = to_latin(a), to_latin(b)
    if la + "e" == lb or lb + "e" == la:
        return True  # "Scholz" / "Scholze", which folding alone would tie
    if spelt_a[0] != spelt_b[0] and not set(spelt_a).isdisjoint(spelt_b):
        return False  # a base form ties them: "Eddine" / "Dine", "Arkanovi" / "Arkan's"
    if any(len(x) >= 4 and _consonants(x) == _consonants(y) for x in spelt_a for y in spelt_b):
        return False  # base forms a vowel apart: "Tigrovi" (tigr) / "Tigers" (tiger)
    if la.startswith(lb) or lb.startswith(la) or la.endswith(lb) or lb.endswith(la):
        return False
    if not person and la.rstrip("s") == lb.rstrip("s"):
        return False
    return not explained(a, b)


def _consonants(folded: str) -> str:
    return "".join(c for c in folded if c not in "aeiou")
