"""Snippets with the words a query matched, marked in the text as written.

The search index holds stems, so it cannot point at «Ливии» when the query
was «Ливия»: the page of results is highlighted here instead, the same way
on both backends.  Each word of the article is compared in the form the
index gave it (its stem in a language we stem, else its folded form) with
the query's terms; an exact (quoted) term marks only its exact form, a
prefix the words that begin so.  Spans given by the caller (an entity's
mentions, when the query was widened to that entity) are marked too.

The snippet is the window of ``SNIPPET_WORDS`` words with the most marked
words, starting a little before the first of them, with ``…`` where the
text goes on.  Marks are ``HIT_START``/``HIT_END``, characters that never
occur in real text; the caller escapes the text and turns them into tags.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from kartoteka.text.query import ParsedQuery
from kartoteka.text.search_forms import WORD, exact_forms
from kartoteka.text.stemming import is_stemmed_language, stem_words

HIT_START = "\u27e6"
HIT_END = "\u27e7"
ELLIPSIS = "…"
SNIPPET_WORDS = 24
# Hits further into a very long article are not looked for: the snippet of a
# 10 MB document would otherwise cost more than the search.
SCAN_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Highlight:
    """What marks a word of an article in one language."""

    keys: frozenset[str]  # index forms (stems or folded words) of bare terms
    exact: frozenset[str]  # exact forms of quoted terms
    prefixes: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.keys or self.exact or self.prefixes)


def highlight_for(query: ParsedQuery, language: str | None) -> Highlight:
    """The words to mark in an article in ``language`` for ``query``'s positive terms."""
    stemmed = is_stemmed_language(language)
    keys: set[str] = set()
    exact: set[str] = set()
    prefixes: list[str] = []
    for term in query.positive:
        if term.prefix:
            exact.update(term.words[:-1])
            prefixes.append(term.words[-1])
        elif term.exact:
            exact.update(term.words)
        else:
            keys.update(term.stems if stemmed else term.words)
    return Highlight(frozenset(keys), frozenset(exact), tuple(prefixes))


def snippet(
    text: str,
    language: str | None,
    highlight: Highlight,
    spans: Sequence[tuple[int, int]] = (),
    size: int = SNIPPET_WORDS,
) -> str:
    """A window of ``text`` with its marked words between HIT_START and HIT_END."""
    scanned = text[:SCAN_CHARS]
    marks = sorted(
        _matches(scanned, language, highlight) + [s for s in spans if s[0] < len(scanned)]
    )
    # Only the words around the best place are read: up to ``size`` after it and
    # enough before it for a quarter of the window (or more near the end).
    anchor = _anchor(marks, size)
    after = list(islice(WORD.finditer(scanned, anchor), size))
    back = max(0, anchor - size * _CHARS_PER_WORD)
    before = list(WORD.finditer(scanned, back, anchor))[1 if back else 0 :]  # whole words only
    keep = min(len(before), max(size // 4, size - len(after)))
    words = before[len(before) - keep :] + after[: size - keep]
    if not words:
        return text[:200]
    pieces: list[str] = [ELLIPSIS] if WORD.search(scanned, 0, words[0].start()) else []
    # The marks that can reach into the window: none starts after it, and a
    # mark (a mention span) is never longer than a few hundred characters.
    near = marks[
        bisect_left(marks, (words[0].start() - 500, 0)) : bisect_left(marks, (words[-1].end(), 0))
    ]
    marked = [any(s < w.end() and w.start() < e for s, e in near) for w in words]
    position = words[0].start()
    n = 0
    while n < len(words):
        if not marked[n]:
            n += 1
            continue
        last = n
        # Neighbouring marked words separated by spaces are one mark ("Kosovo Liberation Army").
        while last + 1 < len(words) and marked[last + 1] and not scanned[
            words[last].end() : words[last + 1].start()
        ].strip():
            last += 1
        pieces.append(scanned[position : words[n].start()])
        pieces.append(HIT_START + scanned[words[n].start() : words[last].end()] + HIT_END)
        position = words[last].end()
        n = last + 1
    pieces.append(scanned[position : words[-1].end()])
    if WORD.search(scanned, words[-1].end()) or len(text) > len(scanned):
        pieces.append(ELLIPSIS)
    return "".join(pieces)


# Roughly how many characters a word takes with its space, to look back far enough.
_CHARS_PER_WORD = 20


def _matches(
    text: str, language: str | None, highlight: Highlight
) -> list[tuple[int, int]]:
    """Spans of the words ``highlight`` marks.

    Only words that begin as a key, exact form or prefix does are looked at,
    found with ``str.find`` on a lower-cased copy of the text with Latin
    diacritics and ``ё`` folded (which keeps every offset).  A stem is its
    word's beginning but for the last letter (Snowball cuts endings and may
    change a last "y" to "i" or undouble a last letter), so all of it but
    its last letter must be there."""
    if highlight.is_empty:
        return []
    heads = {k[: max(1, min(len(k) - 1, _HEAD))] for k in highlight.keys}
    heads.update(w[:_HEAD] for w in (*highlight.exact, *highlight.prefixes))
    folded = _fold_in_place(text)
    found: set[tuple[int, int]] = set()
    for head in heads:
        at = folded.find(head)
        while at != -1:
            if at == 0 or not folded[at - 1].isalnum():
                word = WORD.match(folded, at)
                if word is not None:
                    found.add(word.span())
            at = folded.find(head, at + 1)
    if not found:
        return []
    spans = sorted(found)
    words = [text[s:e] for s, e in spans]
    forms = exact_forms(words)
    if highlight.keys and is_stemmed_language(language):
        keys = stem_words(words, language)
    else:
        keys = forms
    return [
        span
        for span, form, key in zip(spans, forms, keys, strict=True)
        if key in highlight.keys
        or form in highlight.exact
        or any(form.startswith(p) for p in highlight.prefixes)
    ]


# Letters of a key looked for in the text before a word is compared in full.
_HEAD = 6


def _anchor(marks: list[tuple[int, int]], size: int) -> int:
    """Where the window with the most marks begins (its first mark), 0 if none."""
    if not marks:
        return 0
    starts = [s for s, _ in marks]
    reach = size * 6  # about the characters of ``size`` words
    best, count = starts[0], 0
    for n, start in enumerate(starts):
        inside = bisect_left(starts, start + reach) - n
        if inside > count:
            best, count = start, inside
    return best


@lru_cache(maxsize=1)
def _folding_table() -> dict[int, str]:
    """Latin letters with diacritics (and ``ё``) to their base letter, one for one."""
    table: dict[int, str] = {ord(k): v for k, v in _ONE_FOR_ONE.items()}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00), 0x401, 0x451]:
        letter = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base != letter:
            table[code] = base.lower()
    return table


_ONE_FOR_ONE = {"đ": "d", "ł": "l", "ø": "o", "ı": "i", "ħ": "h", "ð": "d"}


def _fold_in_place(text: str) -> str:
    """Lower case without diacritics, every character where it was (``й`` stays)."""
    return text.replace("\u0130", "I").lower().translate(_folding_table())
