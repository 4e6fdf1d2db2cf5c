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
    """Spaces and dashes between words are one space; other marks stay.

    Returned between two :data:`BOUNDARY` marks: the bounded key is then one
    join, and the plain key that bounded key without its marks.
    """
    marks = "".join(gap.translate(_DASHES).split())
    return BOUNDARY + (marks.translate(_APOSTROPHES) if marks else " ") + BOUNDARY


@dataclass(frozen=True, slots=True)
class KeyedText:
    """The keyed form of a text, its bounded form, and a map back to the text.

    ``bounded`` is ``key`` with :data:`BOUNDARY` around every word and gap.
    ``starts`` maps the bounded offset of a word's first character to the
    word's start in the original text, ``ends`` the offset just past its
    last character (its trailing mark) to the word's end.  A whole-word
    match of a bounded term at ``bounded[i:j]`` is thus ``starts[i + 1]``,
    ``ends[j - 1]``: two look-ups that cannot miss.
    """

    key: str
    bounded: str
    starts: dict[int, int]
    ends: dict[int, int]

    def span(self, key_start: int, key_end: int) -> tuple[int, int] | None:
        """Original span of a range of ``key``, or None unless it is whole words.

        Finds the bounded offsets by a scan: for tests and inspection, not
        for the look-ups, which work on bounded offsets directly.
        """
        marks = [i for i, c in enumerate(self.bounded) if c == BOUNDARY]
        # What follows mark m starts at key offset marks[m] - m.
        piece_starts = [at - m for m, at in enumerate(marks)]
        first = bisect_left(piece_starts, key_start)
        last = bisect_left(piece_starts, key_end)
        if (last == len(marks) or piece_starts[first] != key_start
                or piece_starts[last] != key_end):
            return None
        start = self.starts.get(marks[first] + 1)
        end = self.ends.get(marks[last])
        return None if start is None or end is None else (start, end)


_EMPTY = KeyedText("", "", {}, {})


def key_text(text: str) -> KeyedText:
    """Key a whole text (an article body or a registry name).

    Written with whole-list operations: this runs on every article.
    """
    pieces = _SPLIT.split(text)  # gap, word, gap, word, ..., gap
    words = pieces[1::2]
    if not words:
        return _EMPTY
    joined = [""] * (2 * len(words) - 1)
    joined[0::2] = map(key_word, words)
    joined[1::2] = map(_key_gap, pieces[2:-1:2])  # each within two marks
    bounded = BOUNDARY + "".join(joined) + BOUNDARY
    original = list(accumulate(map(len, pieces)))
    # at[2i]: where word i starts in bounded; at[2i + 1]: the mark just past it.
    at = list(accumulate(map(len, joined), initial=len(BOUNDARY)))
    return KeyedText(bounded.replace(BOUNDARY, ""), bounded,
                     dict(zip(at[0::2], original[0:-1:2], strict=True)),
                     dict(zip(at[1::2], original[1::2], strict=True)))


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
