"""Text reduced to matching keys, with a map back to the original offsets.

Gazetteer and country look-ups run over this *keyed* form: words are case-
and diacritic-folded, Cyrillic words are replaced by their dictionary lemma
(so «Сербии» and «Сербия» give the same key), runs of spaces and hyphens
become one space, and other punctuation is kept so that a name never
matches across a full stop.  Registry names are keyed by the same function,
so both sides agree whatever the lemmatiser decides.

Because every key word stands for exactly one word of the original text,
a match that starts and ends on key-word boundaries maps back to an exact
character span: that is also our word-boundary check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any

from kartoteka.text.normalize import strip_diacritics

_SPLIT = re.compile(r"(\w+)")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_DASHES = str.maketrans({c: " " for c in "-‐‑‒–—―"})
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼ`´"})
# Bumped whenever keying changes, so that cached automata are rebuilt.
KEYING_VERSION = "2"


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_PROPER_TAGS = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"})
_PERSONAL_TAGS = frozenset({"Name", "Surn", "Patr"})
_FINAL_VOWELS = "аяоеиыуюйь"


@lru_cache(maxsize=200_000)
def key_word(word: str) -> str:
    """The key of one word: its folded form, or a lemma stem if Cyrillic.

    pymorphy3 looks at the word alone, so a given word always gets the same
    key, in an article as in a registry name.  A capitalised word is read as
    a name where the dictionary allows («Того» is Togo, «Пригожин» a
    surname); a lower-case one as a common word («волков» of «волк»).
    pymorphy3 guesses the lemmas of foreign names unevenly (Вучич → вучича,
    Вучичем → вучич), so the lemma's final vowel, й or ь is dropped: both
    become «вучич».
    """
    if not _CYRILLIC.search(word):
        return strip_diacritics(word).casefold()
    parses = _morph().parse(word.casefold().replace("ё", "е"))
    if word[0].isupper():
        best = next((p for p in parses if _PROPER_TAGS & p.tag.grammemes), parses[0])
    else:
        best = next((p for p in parses if not _PERSONAL_TAGS & p.tag.grammemes), parses[0])
    lemma = str(best.normal_form).replace("ё", "е")
    if len(lemma) > 3 and lemma[-1] in _FINAL_VOWELS:
        lemma = lemma[:-1]
    return strip_diacritics(lemma)


@lru_cache(maxsize=4096)
def _key_gap(gap: str) -> str:
    """Spaces and dashes between words are one space; other marks stay."""
    marks = "".join(gap.translate(_DASHES).split())
    return marks.translate(_APOSTROPHES) if marks else " "


@dataclass(frozen=True, slots=True)
class KeyedText:
    """The keyed form of a text plus, per word, where its key starts and ends.

    ``starts`` maps the key offset where a word starts to the word's start
    in the original text, ``ends`` the key offset where it ends to its end:
    two dictionary look-ups check and map a match.
    """

    key: str
    starts: dict[int, int]
    ends: dict[int, int]

    def span(self, key_start: int, key_end: int) -> tuple[int, int] | None:
        """Original span of a key range, or None unless it is whole words."""
        start = self.starts.get(key_start)
        if start is None:
            return None
        end = self.ends.get(key_end)
        return None if end is None else (start, end)


def key_text(text: str) -> KeyedText:
    """Key a whole text (an article body or a registry name).

    Written with whole-list operations: this runs on every article.
    """
    pieces = _SPLIT.split(text)  # gap, word, gap, word, ..., gap
    words = pieces[1::2]
    if not words:
        return KeyedText("", {}, {})
    joined = [""] * (2 * len(words) - 1)
    joined[0::2] = map(key_word, words)
    joined[1::2] = map(_key_gap, pieces[2:-1:2])
    original = list(accumulate(map(len, pieces)))
    offsets = [0, *accumulate(map(len, joined))]
    return KeyedText("".join(joined), dict(zip(offsets[0::2], original[0:-1:2], strict=True)),
                     dict(zip(offsets[1::2], original[1::2], strict=True)))


@lru_cache(maxsize=65_536)
def key_name(name: str) -> str:
    """The key of a registry name, a table term or a mention's text.

    Cached: linking keys the same few mention texts in every article.
    """
    return key_text(name).key
