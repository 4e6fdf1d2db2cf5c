"""An Aho-Corasick index of keyed terms that reports whole-word spans.

Shared by the gazetteer (registry names) and the country patterns (country
words): both key their terms with :func:`bounded_name`, scan a document's
bounded key once, and keep the longest non-overlapping whole-word matches.
Terms and text carry word-boundary marks, so every match the automaton
reports is whole words; no Python code runs for fragments inside words.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter
from typing import Generic, TypeAlias, TypeVar

import ahocorasick

from kartoteka.extract.keyed import BOUNDARY, KeyedText

V = TypeVar("V")


#: A term match: (start, end, values), the original-text span and the values
#: stored for its key.  A plain tuple: an article has a hundred or more, and
#: a named tuple's constructor (Python code) cost a tenth of extraction.
Hit: TypeAlias = tuple[int, int, tuple[V, ...]]


class KeyIndex(Generic[V]):
    """Bounded keys (see :func:`bounded_name`) to values; values may share a key."""

    def __init__(self) -> None:
        self._values: dict[str, list[V]] = {}
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, key: str, value: V) -> None:
        if not key.replace(BOUNDARY, "").strip():
            return
        self._values.setdefault(key, []).append(value)
        self._automaton = None

    def __len__(self) -> int:
        return len(self._values)

    @property
    def automaton(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for key, values in self._values.items():
                # Its words and gaps: one fewer than its marks.
                automaton.add_word(key, (key.count(BOUNDARY) - 1, tuple(values)))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def __getstate__(self) -> dict[str, object]:
        return {"values": self._values, "automaton": self.automaton}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._values = state["values"]  # type: ignore[assignment]
        self._automaton = state["automaton"]  # type: ignore[assignment]

    def find(self, keyed: KeyedText) -> list[Hit[V]]:
        """Every whole-word match, overlapping ones included, in order of their ends.

        Callers filter (case rules, ambiguity) and then pick with
        :func:`longest_first`.
        """
        if not self._values or not keyed.key:
            return []
        # A match ends on the trailing mark of a word, at ``last``, which is
        # where piece k = 2j + 1 (the gap after word j) starts; the match's
        # first word is ``pieces`` pieces earlier (see KeyedText): one
        # bisection per match.
        at, ends = keyed.bounded_starts, keyed.text_ends
        return [(ends[(k := bisect_left(at, last)) - pieces], ends[k], values)
                for last, (pieces, values) in self.automaton.iter(keyed.bounded)]


def longest_first(hits: list[Hit[V]]) -> list[Hit[V]]:
    """Keep the longest of overlapping hits (then the leftmost), in text order."""
    kept: list[Hit[V]] = []
    starts: list[int] = []  # kept spans never overlap, so sorted starts
    ends: list[int] = []    # give sorted ends too: a neighbour check suffices
    for hit in sorted(hits, key=_longest_then_leftmost):
        start, end, _ = hit
        i = bisect_right(starts, start)
        if (i and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kept.append(hit)
    kept.sort(key=_start)
    return kept


def _longest_then_leftmost(hit: Hit[V]) -> tuple[int, int]:
    return hit[0] - hit[1], hit[0]


_start = itemgetter(0)
