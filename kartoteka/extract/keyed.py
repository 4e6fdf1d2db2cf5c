"""Text reduced to matching keys, with a map back to the original offsets.

Gazetteer and country look-ups run over this *keyed* form: words are case-
and diacritic-folded, Cyrillic words are replaced by their dictionary lemma
(so «Сербии» and «Сербия» give the same key), runs of spaces and hyphens
become one space, and other punctuation is kept so that a name never
matches across a full stop.  Registry names are keyed by the same function,
so both sides agree whatever the lemmatiser decides.

Because every key word stands for exactly one word of the original text,
a match that starts and ends on key-word boundaries maps back to an exact
character span.  The look-ups scan a *bounded* form of the key, with a
:data:`BOUNDARY` mark before and after every word and gap, and compile their
terms in the same form: a term can then only match whole words, so the
automaton reports no match inside a word for Python code to discard (with a
large registry most raw matches were such fragments).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
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
KEYING_VERSION = "3"
# Marks word and gap edges in the bounded key.  It is whitespace to
# ``str.split``, so a gap's key (see ``_key_gap``) never holds it.
BOUNDARY = "\x1f"


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_PROPER_TAGS = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"})
_PERSONAL_TAGS = frozenset({"Name", "Surn", "Patr"})
_FINAL_VOWELS = "аяоеиыуюйь"


class _Memo(dict[str, str]):
    """Computed values by argument, read in C: ``map(memo.__getitem__, words)``.

    Python code runs only for an argument not seen yet (``__missing__``):
    half the cost of an ``lru_cache`` wrapper, whose hits reorder its list.
    Emptied when full, which bounds memory and costs one refill.
    """

    def __init__(self, compute: Callable[[str], str], limit: int) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, argument: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        value = self[argument] = self.compute(argument)
        return value


def key_word(word: str) -> str:
    """The key of one word (memoised; see :func:`_key_word`)."""
    return _WORD_KEYS[word]


def _key_word(word: str) -> str:
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


def _key_gap(gap: str) -> str:
    """Spaces and dashes between words are one space; other marks stay.

    Returned between two :data:`BOUNDARY` marks: the bounded key is then one
    join, and the plain key that bounded key without its marks.
    """
    marks = "".join(gap.translate(_DASHES).split())
    return BOUNDARY + (marks.translate(_APOSTROPHES) if marks else " ") + BOUNDARY


_WORD_KEYS = _Memo(_key_word, 200_000)
_GAP_KEYS = _Memo(_key_gap, 4096)


@dataclass(frozen=True, slots=True)
class KeyedText:
    """The keyed form of a text, its bounded form, and a map back to the text.

    ``bounded`` is ``key`` with :data:`BOUNDARY` around every word and gap.
    Piece ``k`` of the text (word ``i`` is piece ``2i``, the gap after it
    ``2i + 1``) starts at ``bounded_starts[k]`` in the bounded key and ends
    at ``text_ends[k]`` in the text.  A whole-word match at ``bounded[i:j]``
    (marks included) runs from the start of the word that begins at
    ``i + 1`` to the end of the word whose trailing mark is ``j - 1``, which
    :meth:`text_offset` finds by bisection: cheaper than building offset
    dictionaries for every word of every article, as there are far fewer
    matches than words.
    """

    key: str
    bounded: str
    bounded_starts: list[int]
    text_ends: list[int]

    def text_offset(self, bounded_offset: int) -> int:
        """Where a word starts in the text, given its start in ``bounded``,
        or where it ends, given its trailing mark."""
        return self.text_ends[bisect_left(self.bounded_starts, bounded_offset)]

    def span(self, key_start: int, key_end: int) -> tuple[int, int] | None:
        """Original span of a range of ``key``, or None unless it is whole words.

        For tests and inspection: the look-ups work on bounded offsets.
        """
        # Marks before piece k: k + 1 before a word (k even), k before a gap,
        # which starts at its own leading mark (k odd).
        key_starts = [at - k - 1 + k % 2 for k, at in enumerate(self.bounded_starts)]
        first = bisect_left(key_starts, key_start)
        last = bisect_left(key_starts, key_end)
        if (last == len(key_starts) or key_starts[first] != key_start or first % 2
                or key_starts[last] != key_end or not last % 2):
            return None
        return self.text_ends[first], self.text_ends[last]


_EMPTY = KeyedText("", "", [], [])


def key_text(text: str) -> KeyedText:
    """Key a whole text (an article body or a registry name).

    Written with whole-list operations: this runs on every article.
    """
    pieces = _SPLIT.split(text)  # gap, word, gap, word, ..., gap
    words = pieces[1::2]
    if not words:
        return _EMPTY
    joined = [""] * (2 * len(words) - 1)
    joined[0::2] = map(_WORD_KEYS.__getitem__, words)
    joined[1::2] = map(_GAP_KEYS.__getitem__, pieces[2:-1:2])  # each within two marks
    bounded = BOUNDARY + "".join(joined) + BOUNDARY
    # Piece k of ``joined`` starts at bounded_starts[k]; the last entry is the
    # final mark.  text_ends[k] is where piece k of the text ends (the
    # text's pieces start with a gap, so that is word i's start for k = 2i
    # and its end for k = 2i + 1).
    return KeyedText(bounded.replace(BOUNDARY, ""), bounded,
                     list(accumulate(map(len, joined), initial=len(BOUNDARY))),
                     list(accumulate(map(len, pieces))))


@lru_cache(maxsize=65_536)
def key_name(name: str) -> str:
    """The key of a registry name, a table term or a mention's text.

    Cached: linking keys the same few mention texts in every article.
    """
    return key_text(name).key


@lru_cache(maxsize=65_536)
def bounded_name(name: str) -> str:
    """The bounded key of a term (a registry name or a country word)."""
    return key_text(name).bounded
