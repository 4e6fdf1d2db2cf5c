"""The query set of the search benchmark, and the naive ranking it is compared with.

Classes of query (issue 15): words in a large share of the articles
(``common``: each in 7-24% of them at 1M, with their plural stems), field terms and names
(``normal``: from a tenth of a percent to a few percent; a country name is
widened to the articles linked to the country), filler words deep in the
vocabulary (``rare``), two words, phrases, prefixes, Russian word forms,
filters (country, language, date) and pages 11 and 51 of common words.

The naive ranking is what search did before ranking tiers: score every
match, then sort (``naive_ranking`` swaps it in for a block).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Integer, Select, cast, literal, select

from bench import russian_forms
from bench.corpus import COUNTRIES, FIELD, NAMES, SyntheticCorpus
from kartoteka.model import Widening
from kartoteka.store import search as store_search
from kartoteka.store.articles import ArticleFilter
from kartoteka.text.query import ParsedQuery

COMMON_WORDS = (
    "government forces group year police security attack report state people killed "
    "military operation area support leader border war"
).split()
PREFIXES = ("terror*", "milit*", "kidnap*", "insurg*", "traffick*", "separat*", "Pri*", "Bel*")


class Query:
    """One timed search: its class, text, filter and page."""

    def __init__(
        self, kind: str, text: str, flt: ArticleFilter | None = None, offset: int = 0
    ) -> None:
        self.kind, self.text, self.offset = kind, text, offset
        self.flt = flt or ArticleFilter()

    def __repr__(self) -> str:
        return f"{self.kind}:{self.text}@{self.offset}"


def query_set(seed: int, per_kind: int, with_russian: bool) -> list[Query]:
    rng = random.Random(seed)
    rare_words = SyntheticCorpus(seed).words[12_000:]
    topical = FIELD + NAMES
    since = datetime(2022, 1, 1, tzinfo=UTC)
    made: list[Query] = []
    for _ in range(per_kind):
        common, other = rng.choice(COMMON_WORDS), rng.choice(topical)
        made += [
            Query("common", common),
            Query("normal", rng.choice(topical)),
            Query("rare", rng.choice(rare_words)),
            Query("two-word", f"{rng.choice(COMMON_WORDS + topical)} {other}"),
            Query("phrase", f'"{other} {rng.choice(COMMON_WORDS)}"'),
            Query("prefix", rng.choice(PREFIXES)),
            Query("filter-country", common, ArticleFilter(country=rng.choice(COUNTRIES))),
            Query("filter-lang", common, ArticleFilter(language="en")),
            Query("filter-date", common, ArticleFilter(since=since)),
            Query("page-11", common, offset=200),
            Query("page-51", common, offset=1000),
        ]
        if with_russian:
            made.append(Query("russian", rng.choice(list(russian_forms.NOUNS))))
    return made


def _naive_candidates(
    conn: Connection,
    query: ParsedQuery,
    flt: ArticleFilter,
    widenings: Sequence[Widening],
    window: int,
    tier_size: int,
    lower: int | None = None,
    every: bool = False,
) -> Select[Any] | None:
    assert lower is None, "the naive ranking's window is every match"
    matched = store_search.matching(conn, query, flt, widenings)
    if matched is None:
        return None
    every = matched.subquery("every")
    return select(every.c.pk, every.c.score, cast(literal(0), Integer).label("tier"))


@contextmanager
def naive_ranking() -> Iterator[None]:
    """Within the block, search scores and sorts every match (one tier of them all)."""
    saved = store_search.ranked_candidates, store_search.ranking_window
    store_search.ranked_candidates = _naive_candidates  # type: ignore[assignment]
    store_search.ranking_window = lambda limit, offset, tier: 2**62  # type: ignore[assignment]
    try:
        yield
    finally:
        store_search.ranked_candidates, store_search.ranking_window = saved
