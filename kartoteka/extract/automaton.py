"""An Aho-Corasick index of keyed terms that reports whole-word spans.

Shared by the gazetteer (registry names) and the country patterns (country
words): both key their terms with :func:`key_name`, scan a document's keyed
text once, and keep the longest non-overlapping whole-word matches.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from kartoteka.extract.keyed import KeyedText

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Hit(Generic[V]):
    """Original-text span of a term match, with the values stored for its key."""

    start: int
    end: int
    values: tuple[V, ...]


class KeyIndex(Generic[V]):
    """Keys (already keyed terms) to values; several values may share a key."""

    def __init__(self) -> None:
        self._values: dict[str, list[V]] = {}
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, key: str, value: V) -> None:
        if not key.strip():
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
                automaton.add_word(key, (len(key), tuple(values)))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def __getstate__(self) -> dict[str, object]:
        return {"values": self._values, "automaton": self.automaton}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._values = state["values"]  # type: ignore[assignment]
        self._automaton = state["automaton"]  # type: ignore[assignment]

    def find(self, keyed: KeyedText) -> Iterator[Hit[V]]:
        """Every whole-word match, overlapping ones included.

        Callers filter (case rules, ambiguity) and then pick with
        :func:`longest_first`.
        """
        if not self._values or not keyed.key:
            return
        starts, ends = keyed.starts, keyed.ends
        for last, (length, values) in self.automaton.iter(keyed.key):
            start = starts.get(last + 1 - length)
            if start is not None:
                end = ends.get(last + 1)
                if end is not None:
                    yield Hit(start, end, values)


def longest_first(hits: list[Hit[V]]) -> list[Hit[V]]:
    """Keep the longest of overlapping hits (then the leftmost), in text order."""
    kept: list[Hit[V]] = []
    starts: list[int] = []  # kept spans never overlap, so sorted starts
    ends: list[int] = []    # give sorted ends too: a neighbour check suffices
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        i = bisect_right(starts, hit.start)
        if (i and ends[i - 1] > hit.start) or (i < len(starts) and starts[i] < hit.end):
            continue
        starts.insert(i, hit.start)
        ends.insert(i, hit.end)
        kept.append(hit)
    return sorted(kept, key=lambda h: h.start)
