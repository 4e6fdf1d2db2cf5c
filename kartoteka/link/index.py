"""A candidate index: which registry names could a query name be?

Each name is filed under keys of three kinds: its tokens' spellings, their
phonetic skeletons and their edge n-grams (first and last four letters, which
survive a single typo on the other end), plus the initials of long names for
acronym queries.  A query collects the names that share its keys, rare keys
counting more, and only the best few are scored in full.  Class nouns and
connectors are not keys: they would point at half the registry.

At 100k entities / 500k names (bench/match.py) collecting the votes takes
about a quarter of a query's time; the rest is scoring the 15 best names.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from kartoteka.link.analysis import AnalysedName, Token

#: A key's postings: the numbers of the names filed under it, sorted.
Postings: TypeAlias = npt.NDArray[np.int64]

# Postings longer than this only add votes to candidates that rarer keys proposed.
LONG_POSTINGS = 64
_EDGE = 4


def token_keys(token: Token) -> tuple[list[str], list[str]]:
    """A token's keys: its spellings and skeleton first, edge n-grams as a fallback."""
    if token.connector or token.initial:
        return [], []
    keys = [f"t:{spelling}" for spelling in token.spellings]
    main = token.spellings[0]
    # A two-consonant skeleton is a key only for a longer word: "Shebab" meets "Shabaab".
    if len(token.skeleton) >= 3 or (len(token.skeleton) == 2 and len(main) >= 5):
        keys.append(f"s:{token.skeleton}")
    edges = [f"p:{main[:_EDGE]}", f"e:{main[-_EDGE:]}"] if len(main) >= 6 else []
    return keys, edges


def _identity_tokens(name: AnalysedName) -> list[Token]:
    """Distinctive tokens, or the class nouns of a name that has nothing else."""
    distinctive = [t for t in name.tokens if not t.concept and not t.connector]
    return distinctive or list(name.tokens)


def _acronym_key(name: AnalysedName) -> str | None:
    if name.acronym:
        return f"a:{name.acronym}"
    if len(name.tokens) >= 3:
        initials = "".join(t.spellings[0][0] for t in name.tokens if not t.connector)
        if len(initials) >= 3:
            return f"a:{initials}"
    return None


def name_keys(name: AnalysedName) -> set[str]:
    """Every key a registry name is filed under."""
    keys: set[str] = set()
    for token in _identity_tokens(name):
        primary, edges = token_keys(token)
        keys.update(primary)
        keys.update(edges)
    acronym = _acronym_key(name)
    if acronym:
        keys.add(acronym)
    return keys


def query_keys(name: AnalysedName) -> list[tuple[list[str], list[str]]]:
    """A query's keys, token by token: (primary keys, fallback keys)."""
    groups = [token_keys(token) for token in _identity_tokens(name)]
    acronym = _acronym_key(name)
    if acronym:
        groups.append(([acronym], []))
    return groups


class CandidateIndex:
    """Postings from key to name number.

    Postings grow as Python lists; a query reads them as sorted NumPy arrays,
    made on first use, so that collecting votes over a few thousand names
    costs a sort in C rather than a dictionary update per name.  Names are
    numbered in increasing order, which keeps every posting list sorted.
    Removed names are dropped from a key's array when it is next made.
    """

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._arrays: dict[str, Postings] = {}
        self._removed: set[int] = set()
        self._last = -1

    def add(self, number: int, keys: Iterable[str]) -> None:
        if number <= self._last:
            raise ValueError(f"name number {number} added after {self._last}: "
                             "number names in increasing order")
        self._last = number
        for key in keys:
            self._postings[key].append(number)
            self._arrays.pop(key, None)

    def remove(self, number: int) -> None:
        self._removed.add(number)
        self._arrays.clear()  # removals are rare editorial events

    def _array(self, key: str) -> Postings:
        found = self._arrays.get(key)
        if found is None:
            numbers = self._postings[key]
            if self._removed:
                numbers[:] = [n for n in numbers if n not in self._removed]
            found = self._arrays[key] = np.array(numbers, dtype=np.int64)
        return found

    def candidates(self, groups: Iterable[tuple[list[str], list[str]]], limit: int) -> list[int]:
        """The ``limit`` names sharing the most (and rarest) keys with the query.

        A token's edge n-grams are consulted only when none of its spellings or
        its skeleton is in the index, i.e. when it is probably misspelt.  Rare
        keys propose candidates; once there are enough, a common key ("Nikolai")
        only adds its vote to those already proposed.  Equal votes rank the
        earlier-indexed name first.
        """
        postings = self._postings
        chosen: set[str] = set()
        for primary, fallback in groups:
            found = [key for key in primary if key in postings]
            chosen.update(found or [key for key in fallback if key in postings])
        arrays = [a for a, _ in sorted(((self._array(k), k) for k in chosen),
                                       key=lambda pair: (pair[0].size, pair[1])) if a.size]
        if not arrays or limit <= 0:
            return []
        # Every short posting proposes; long ones too while fewer than `limit` are proposed.
        proposing = next((k for k, a in enumerate(arrays) if a.size > LONG_POSTINGS),
                         len(arrays)) or 1
        names, votes = _count_votes(arrays[:proposing])
        while proposing < len(arrays) and names.size < limit:
            proposing += 1
            names, votes = _count_votes(arrays[:proposing])
        for array in arrays[proposing:]:
            at = np.minimum(np.searchsorted(array, names), array.size - 1)
            votes[array[at] == names] += _vote(array.size)
        return _top(names, votes, limit)


def _vote(postings: int) -> float:
    """A shared key's vote: rare keys say more."""
    return 1.0 / math.log2(2 + postings)


def _count_votes(arrays: list[Postings]) -> tuple[Postings, npt.NDArray[np.float64]]:
    """The distinct names in sorted postings, with the sum of their keys' votes."""
    if len(arrays) == 1:
        return arrays[0], np.full(arrays[0].size, _vote(arrays[0].size))
    numbers = np.concatenate(arrays)
    weights = np.repeat([_vote(a.size) for a in arrays], [a.size for a in arrays])
    # A stable sort adds each name's votes in key order, so equal key sets tie exactly.
    order = np.argsort(numbers, kind="stable")
    numbers, weights = numbers[order], weights[order]
    first = np.empty(numbers.size, dtype=np.bool_)
    first[0] = True
    np.not_equal(numbers[1:], numbers[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return numbers[starts], np.add.reduceat(weights, starts)


def _top(names: Postings, votes: npt.NDArray[np.float64], limit: int) -> list[int]:
    """The ``limit`` best-voted names, best first; ties go to the lower number."""
    if names.size > 4 * limit:
        # Keep the best ``limit`` (lowest numbers among the last tied) before sorting.
        cut = np.partition(votes, names.size - limit)[names.size - limit]
        above = np.flatnonzero(votes > cut)
        tied = np.flatnonzero(votes == cut)[: limit - above.size]
        chosen = np.sort(np.concatenate((above, tied)))
        names, votes = names[chosen], votes[chosen]
    # Names are in ascending order, and a stable sort keeps it among equal votes.
    order = np.argsort(-votes, kind="stable")[:limit]
    best: list[int] = names[order].tolist()
    return best
