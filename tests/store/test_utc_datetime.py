"""Moments come back aware and in UTC from both backends, whatever zone went in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from kartoteka.model import ArticleDraft
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.tables import articles


def test_moments_are_read_back_as_aware_utc(db: Database) -> None:
    belgrade = timezone(timedelta(hours=1))
    published = datetime(2024, 3, 1, 13, 30, tzinfo=belgrade)
    ingested = datetime(2024, 3, 2, 9, 0, tzinfo=UTC)
    with db.transaction() as conn:
        ArticleRepository(conn).insert(
            "a-1", ArticleDraft(title="T", body="B", source="s", published_at=published),
            "hash", ingested)
    with db.read() as conn:
        row = conn.execute(select(articles.c.published_at, articles.c.ingested_at)).one()
        article = ArticleRepository(conn).get("a-1")
    assert row.published_at == published and row.published_at.tzinfo is not None
    assert row.published_at.utcoffset() == timedelta(0)
    assert row.ingested_at == ingested and row.ingested_at.utcoffset() == timedelta(0)
    assert article is not None and article.published_at == published
    assert article.published_at.utcoffset() == timedelta(0)  # type: ignore[union-attr]
