"""Ranking tiers: the latest matches are ranked first, by score, then the ones before.

Tiers of 3 over 7 articles whose scores are known from how often they say
the word (every body is ten words long)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kartoteka.model import ArticleDraft
from kartoteka.services.ingest import IngestService
from kartoteka.store import search as store_search
from kartoteka.store import search_index
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.search import SearchPage, latest_matches, search_articles
from kartoteka.store.tables import articles
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


@pytest.mark.parametrize("bounded", [False, True])
def test_ranges_of_the_latest_articles_find_what_one_scan_does(
    db: Database, monkeypatch: pytest.MonkeyPatch, bounded: bool
) -> None:
    """Searched a range of the latest articles at a time (``_bounded``), or all at once."""
    service = IngestService(db)
    said = {1, 2, 3, 5, 30, 44}  # "militia" in old articles mostly: the first range has one
    for n in range(1, 46):
        words = ["militia"] * (n % 4 + 1) if n in said else ["harbour"]
        service.store(
            ArticleDraft(
                title=f"b{n}", body=" ".join(words + ["quay"] * 5), source=f"test://b/{n}",
                language="en", published_at=datetime(2021, 1, 1, tzinfo=UTC),
                countries=["xk" if n % 2 else "rs"],
            )
        )
    monkeypatch.setattr(search_index, "bounded_scans", lambda conn: bounded)
    # First ranges of 2 x window + 1 articles: 45 articles take each path (found at
    # once, widened, dropped).
    monkeypatch.setattr(store_search, "FIRST_SPAN", 2)

    def run(limit: int, offset: int) -> tuple[list[str], int, bool]:
        found = page(db, limit, offset, tier=1)
        return titles(found), found.total, found.total_is_exact

    assert run(1, 0) == (["b44"], 2, False)
    assert run(2, 1) == (["b30", "b5"], 4, False)
    assert run(1, 5) == (["b1"], 6, True)
    with db.read() as conn:
        latest = latest_matches(conn, parse_query("militia"), ArticleFilter(), [], 2)
    pks = _pks(db)
    assert latest == [pks[44], pks[30], pks[5]]
    # PostgreSQL walks a country's articles first within a range (country_first)
    with db.read() as conn:
        in_xk = [
            titles(search_articles(conn, parse_query("militia"), ArticleFilter(country="xk"),
                                   1, offset, tier=1))
            for offset in range(4)
        ]
    assert in_xk == [["b5"], ["b3"], ["b1"], []]


def _pks(db: Database) -> dict[int, int]:
    with db.read() as conn:
        rows = conn.execute(select(articles.c.pk, articles.c.title)).all()
    return {int(title[1:]): int(pk) for pk, title in rows if title.startswith("b")}
