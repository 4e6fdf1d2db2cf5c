"""What a feed lists: the most recently added visible articles, optionally
only those a search matches.

Feeds order by when an article entered the knowledge base (``ingested_at``),
not by its publication date: a subscriber wants what is new here, and an
archive ingested today is new even if it was published years ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from kartoteka.store import search_index
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.tables import articles
from kartoteka.text.query import ParsedQuery


@dataclass(frozen=True, slots=True)
class FeedRow:
    article_id: str
    updated_at: datetime


def newest_articles(
    conn: Connection, flt: ArticleFilter, limit: int, query: ParsedQuery | None = None
) -> list[FeedRow]:
    """Newest additions first; with ``query``, only articles it matches (any rank)."""
    statement = select(articles.c.id, articles.c.updated_at).where(*flt.conditions())
    if query is not None:
        matched = search_index.search_select(conn, query).subquery("matched")
        statement = statement.where(articles.c.pk.in_(select(matched.c.pk)))
    rows = conn.execute(
        statement.order_by(articles.c.ingested_at.desc(), articles.c.pk.desc()).limit(limit)
    ).all()
    return [FeedRow(r.id, r.updated_at) for r in rows]
