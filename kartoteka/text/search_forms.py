"""The words of a text as the search index holds them: exact forms and stems.

The index keeps two forms of every word of an article, in the same order:

* the **exact** form: lower case, Latin diacritics and ``ё`` folded, ``й``
  kept (:func:`~kartoteka.text.stemming.prepare_word`, what PostgreSQL's
  ``unaccent`` does), so ``"Косова"`` in quotes finds that form only;
* the **stem** (:func:`~kartoteka.text.stemming.stem_words`) for an article in
  a language we stem, else the exact form again, so ``Ливия`` finds
  ``Ливии`` and ``Ливию`` and a text in any other language keeps plain folding.

A word is a run of letters and digits (``[^\\W_]+``): the underscore and
every mark or symbol separate words, as both SQLite's ``unicode61`` tokenizer
and PostgreSQL's parser treat them.  Both lists have one entry per word, so a
phrase is at the same positions in each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from kartoteka.text.stemming import prepare_word, stem_words

WORD = re.compile(r"[^\W_]+")


class IndexedText(NamedTuple):
    """Space-separated forms of a text's words, one per word, in order."""

    exact: str
    stems: str


def words(text: str) -> list[str]:
    """The words of ``text`` as the index splits it."""
    return WORD.findall(text)


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each word, for highlighting the original text."""
    for found in WORD.finditer(text):
        yield found.start(), found.end()


# The exact form of each word as written: one look-up per word, where deciding
# and folding each again was a third of making an article's search forms.
_EXACT: dict[str, str] = {}
_EXACT_HELD = 100_000  # words (some 7 MB)


def exact_forms(found: list[str]) -> list[str]:
    if len(_EXACT) > _EXACT_HELD:
        _EXACT.clear()
    forms: list[str | None] = list(map(_EXACT.get, found))
    if None in forms:
        for n, form in enumerate(forms):
            if form is None:
                word = found[n]
                forms[n] = _EXACT[word] = word.lower() if word.isascii() else prepare_word(word)
    return forms  # type: ignore[return-value]  # every None was filled


def indexed_text(text: str, language: str | None) -> IndexedText:
    """The exact forms and the stems of every word of ``text``."""
    found = words(text)
    return IndexedText(" ".join(exact_forms(found)), " ".join(stem_words(found, language)))


def query_words(text: str) -> list[str]:
    """The words of a typed query, in the Unicode form stored text has (NFC)."""
    return words(unicodedata.normalize("NFC", text))
