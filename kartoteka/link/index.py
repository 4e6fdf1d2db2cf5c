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

# A key that points at more names than this is consulted only when nothing rarer is.
COMMON_KEY = 1_000
_EDGE = 4


def token_keys(token: Token) -> list[str]:
    if token.connector or token.initial:
        return []
    keys = [f"t:{spelling}" for spelling in token.spellings]
    if len(token.skeleton) >= 3:
        keys.append(f"s:{token.skeleton}")
    main = token.spellings[0]
    if len(main) >= 6:
        keys.extend((f"p:{main[:_EDGE]}", f"e:{main[-_EDGE:]}"))
    return keys


def name_keys(name: AnalysedName) -> set[str]:
    """Keys of a name: distinctive tokens, or its class nouns when it has nothing else."""
    keys: set[str] = set()
    distinctive = [t for t in name.tokens if not t.concept and not t.connector]
    for token in distinctive or name.tokens:
        keys.update(token_keys(token))
    if len(name.tokens) >= 3:
        initials = "".join(t.spellings[0][0] for t in name.tokens if not t.connector)
        if len(initials) >= 3:
            keys.add(f"a:{initials}")
    if name.acronym:
        keys.add(f"a:{name.acronym}")
    return keys


class CandidateIndex:
    """Postings from key to name number; removals are skipped lazily."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._removed: set[int] = set()

    def add(self, number: int, keys: Iterable[str]) -> None:
        for key in keys:
            self._postings[key].append(number)

    def remove(self, number: int) -> None:
        self._removed.add(number)

    def candidates(self, keys: Iterable[str], limit: int) -> list[int]:
        """The ``limit`` names sharing the most (and rarest) keys with the query."""
        lists = sorted(
            (postings for key in set(keys) if (postings := self._postings.get(key))),
            key=len,
        )
        votes: dict[int, float] = defaultdict(float)
        for postings in lists:
            if len(postings) > COMMON_KEY and votes:
                break
            vote = 1.0 / math.log2(2 + len(postings))
            for number in postings:
                votes[number] += vote
        removed = self._removed
        best = heapq.nlargest(limit + len(removed & votes.keys()), votes.items(),
                              key=lambda item: item[1])
        return [number for number, _ in best if number not in removed][:limit]
