"""A candidate index: which registry names could a query name be?

Each name is filed under keys of three kinds: its tokens' spellings, their
phonetic skeletons and their edge n-grams (first and last four letters, which
survive a single typo on the other end), plus the initials of long names for
acronym queries.  A query collects the names that share its keys, rare keys
counting more, and only the best few are scored in full.  Class nouns and
connectors are not keys: they would point at half the registry.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable

from kartoteka.link.analysis import AnalysedName, Token

# Postings longer than this only add votes to candidates that rarer keys proposed.
LONG_POSTINGS = 64
_EDGE = 4


def token_keys(token: Token) -> tuple[list[str], list[str]]:
    """A token's keys: its spellings and skeleton first, edge n-grams as a fallback."""
    if token.connector or token.initial:
        return [], []
    keys = [f"t:{spelling}" for spelling in token.spellings]
    if len(token.skeleton) >= 3:
        keys.append(f"s:{token.skeleton}")
    main = token.spellings[0]
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
    """Postings from key to name number; removals are skipped lazily."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._sets: dict[str, frozenset[int]] = {}  # long postings, for membership tests
        self._removed: set[int] = set()

    def add(self, number: int, keys: Iterable[str]) -> None:
        for key in keys:
            self._postings[key].append(number)
            self._sets.pop(key, None)

    def remove(self, number: int) -> None:
        self._removed.add(number)

    def _as_set(self, key: str) -> frozenset[int]:
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = frozenset(self._postings[key])
        return found

    def candidates(self, groups: Iterable[tuple[list[str], list[str]]], limit: int) -> list[int]:
        """The ``limit`` names sharing the most (and rarest) keys with the query.

        A token's edge n-grams are consulted only when none of its spellings or
        its skeleton is in the index, i.e. when it is probably misspelt.  Rare
        keys propose candidates; once there are enough, a common key ("Nikolai")
        only adds its vote to those already proposed.
        """
        postings = self._postings
        chosen: set[str] = set()
        for primary, fallback in groups:
            found = [key for key in primary if key in postings]
            chosen.update(found or [key for key in fallback if key in postings])
        votes: dict[int, float] = {}
        get = votes.get
        for key in sorted(chosen, key=lambda k: len(postings[k])):
            numbers = postings[key]
            vote = 1.0 / math.log2(2 + len(numbers))
            if len(votes) >= limit and len(numbers) > LONG_POSTINGS:
                members = self._as_set(key)
                for number in votes:
                    if number in members:
                        votes[number] += vote
                continue
            for number in numbers:
                votes[number] = get(number, 0.0) + vote
        removed = self._removed
        extra = len(removed & votes.keys()) if removed else 0
        best = heapq.nlargest(limit + extra, votes, key=votes.__getitem__)
        return [number for number in best if number not in removed][:limit]
