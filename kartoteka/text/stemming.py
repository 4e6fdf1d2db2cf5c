"""Word stems, so that a query in one word form finds every other form.

Snowball is the stemmer PostgreSQL's own ``russian`` and ``english`` text
search dictionaries run, and PyStemmer is Snowball compiled to C: a stem made
here for SQLite's index, for related materials or for a query is the lexeme
PostgreSQL makes of the same word, which keeps both backends' results equal.
pymorphy3 lemmas were the alternative; they are slower per word (a dictionary
look-up and a parse per form) and unknown names come back unchanged anyway,
while Snowball conflates the case forms of names too («Косово», «Косова»).

Which stemmer a word gets follows PostgreSQL's ``russian`` configuration:
within an article in a language we stem, a word written in ASCII letters
takes the English stemmer and any other word the Russian one (which leaves
Latin letters alone, so ``Vučić`` is only unaccented).  So a Russian article
quoting "attacks" is found by "attack", and an English one quoting «боевиков»
by «боевик».  Text in a
language we do not stem keeps plain folding.

Before stemming, a word is lower-cased, ``ё`` becomes ``е`` and Latin
diacritics go (``Vučić`` → ``vucic``), as ``unaccent`` does in front of the
PostgreSQL stemmer; ``й`` stays, since Russian endings depend on it.  A word
with a digit in it (``F16``, ``ак47``, ``2022``) is only prepared, never
stemmed: PostgreSQL's parser calls it a ``numword`` and sends it to ``simple``.

The Snowball release matters: Snowball 3.0 changed English stems
("international" → ``internat``, where 2.x and PostgreSQL 13–17 give
``intern``), so PyStemmer is held below 3 (its 2.2 wheels carry Snowball 2.x).
On 3,623 distinct words of the sample and test articles both stemmers then
give the same stem for every word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = [
    "STEMMED_LANGUAGES",
    "is_stemmed_language",
    "prepare_word",
    "query_stems",
    "stem_word",
    "stem_words",
]

# The languages whose articles are indexed by stem: our authors write these.
STEMMED_LANGUAGES = frozenset({"en", "ru"})

_EXTRA_FOLDS = str.maketrans(
    {"ß": "ss", "đ": "d", "ł": "l", "ø": "o", "ı": "i", "ħ": "h", "æ": "ae", "œ": "oe",
     "þ": "th", "ð": "d", "ё": "е"}
)
_KEEP = frozenset("йЙ")


def is_stemmed_language(language: str | None) -> bool:
    return language in STEMMED_LANGUAGES


@lru_cache(maxsize=65536)
def prepare_word(word: str) -> str:
    """Lower case without diacritics, keeping ``й`` (as ``unaccent`` does)."""
    lowered = word.casefold().translate(_EXTRA_FOLDS)
    if lowered.isascii():
        return lowered
    out: list[str] = []
    for ch in lowered:
        if ch in _KEEP:
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


@lru_cache(maxsize=4)
def _stemmer(algorithm: str) -> Any:
    import Stemmer  # PyStemmer

    stemmer = Stemmer.Stemmer(algorithm)
    stemmer.maxCacheSize = 100_000
    return stemmer


def stem_word(word: str, language: str | None) -> str:
    """The stem of one word of an article in ``language``; folded if unstemmed."""
    prepared = prepare_word(word)
    if language not in STEMMED_LANGUAGES or not word.isalpha():
        return prepared
    # PostgreSQL's parser calls a word of ASCII letters an ``asciiword`` (English
    # stemmer) and any other a ``word`` (Russian stemmer), before unaccent runs.
    algorithm = "english" if word.isascii() else "russian"
    return str(_stemmer(algorithm).stemWord(prepared))


# Stems by word as written: words repeat (a few thousand make most of any
# text), and a dictionary look-up is cheaper than preparing and stemming again.
# Every stemmed language gives a word the same stem (its script decides).
_STEMS: dict[str, str] = {}
_STEMS_HELD = 500_000


def stem_words(words: Iterable[str], language: str | None) -> list[str]:
    """Stems of many words at once; the same as :func:`stem_word` one by one."""
    if language not in STEMMED_LANGUAGES:
        return [prepare_word(w) for w in words]
    if len(_STEMS) > _STEMS_HELD:
        _STEMS.clear()
    words = list(words)
    stems: list[str | None] = list(map(_STEMS.get, words))
    if None in stems:  # a word not seen yet (a search in C: most texts have none)
        for n, stem in enumerate(stems):
            if stem is None:
                stems[n] = _STEMS[words[n]] = stem_word(words[n], language)
    return stems  # type: ignore[return-value]  # every None was filled


def query_stems(words: Iterable[str]) -> list[str]:
    """Stems of query words, as an article in any stemmed language holds them.

    Every stemmed language picks the stemmer by the word's script, so one
    list serves them all; a query does not know its articles' languages.
    """
    return stem_words(words, min(STEMMED_LANGUAGES))
