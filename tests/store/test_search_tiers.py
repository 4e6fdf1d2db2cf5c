"""Ranking tiers: the latest matches are ranked first, by score, then the ones before.

Tiers of 3 over 7 articles whose scores are known from how often they say
the word (every body is ten words long)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kartoteka.model import ArticleDraft
from kartoteka.services.ingest import IngestService
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.search import SearchPage, search_articles
from kartoteka.text.query import parse_query

# Times "militia" is said by article a1 .. a7, stored in that order.
SAID = (3, 1, 5, 2, 4, 7, 6)
# Tier 0: a7, a6, a5 by score; tier 1: a4, a3, a2; tier 2: a1.
TIERED = ["a6", "a7", "a5", "a3", "a4", "a2", "a1"]
BY_SCORE = ["a6", "a7", "a3", "a5", "a1", "a4", "a2"]


@pytest.fixture
def said_db(db: Database) -> Database:
    service = IngestService(db)
    for n, times in enumerate(SAID, start=1):
        body = " ".join(["militia"] * times + ["harbour"] * (10 - times))
        service.store(
            ArticleDraft(
                title=f"a{n}", body=body, source=f"test://{n}", language="en",
                published_at=datetime(2020, 1, n, tzinfo=UTC),
            )
        )
    return db


def page(db: Database, limit: int, offset: int = 0, tier: int = 3) -> SearchPage:
    with db.read() as conn:
        return search_articles(
            conn, parse_query("militia"), ArticleFilter(), limit, offset, tier=tier
        )


def titles(found: SearchPage) -> list[str]:
    return [h.title for h in found.hits]


def test_fewer_matches_than_a_tier_rank_by_score_alone(said_db: Database) -> None:
    found = page(said_db, 10, tier=1000)
    assert titles(found) == BY_SCORE
    assert (found.total, found.total_is_exact) == (7, True)


def test_latest_tier_first_then_the_ones_before(said_db: Database) -> None:
    found = page(said_db, 10)
    assert titles(found) == TIERED
    assert (found.total, found.total_is_exact) == (7, True)


def test_a_full_window_gives_a_lower_bound(said_db: Database) -> None:
    found = page(said_db, 2)
    assert titles(found) == ["a6", "a7"]
    assert (found.total, found.total_is_exact) == (4, False)


def test_pages_follow_one_order_without_gaps(said_db: Database) -> None:
    seen: list[str] = []
    for offset in range(0, 8, 2):
        seen += titles(page(said_db, 2, offset))
    assert seen == TIERED
    past = page(said_db, 2, 10)
    assert (titles(past), past.total) == ([], 7)
