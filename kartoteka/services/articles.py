"""Reading articles: one with its history, or a filtered page of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kartoteka.i18n import Message
from kartoteka.model import Article, ArticleStatus, Revision
from kartoteka.services.export import article_record
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database


class ArticleNotFound(LookupError):
    def __init__(self, article_id: str) -> None:
        super().__init__(Message("no article with id %(id)r", id=article_id))
        self.article_id = article_id


@dataclass(slots=True)
class ArticleDetail:
    article: Article
    revisions: list[Revision]
    reposts: list[Article] = field(default_factory=list)
    original: Article | None = None

    def as_dict(self) -> dict[str, Any]:
        data = article_record(self.article)
        data.update(
            {
                "ingested_at": self.article.ingested_at.isoformat(),
                "content_hash": self.article.content_hash,
                "status": self.article.status.value,
                "revision": self.article.revision,
                "revisions": len(self.revisions),
                "original_id": self.article.original_id,
                "reposts": [
                    {
                        "id": r.id,
                        "author": r.author.handle if r.author else None,
                        "source": r.source,
                        "published_at": r.published_at.isoformat() if r.published_at else None,
                    }
                    for r in self.reposts
                ],
            }
        )
        return data


def get_article(
    db: Database, article_id: str, *, include_unpublished: bool = True
) -> ArticleDetail:
    with db.read() as conn:
        repo = ArticleRepository(conn)
        article = repo.get(article_id)
        if article is None:
            raise ArticleNotFound(article_id)
        if not include_unpublished and (
            article.status is not ArticleStatus.PUBLISHED or repo.is_deleted(article_id)
        ):
            # The public sees neither a draft nor a soft-deleted article.
            raise ArticleNotFound(article_id)
        return _detail(repo, article, include_unpublished)


def article_detail(db: Database, article: Article, *, include_unpublished: bool) -> ArticleDetail:
    """``get_article`` for an article already loaded and checked (the web page's
    visibility rule has read it): the rest without reading it again."""
    with db.read() as conn:
        return _detail(ArticleRepository(conn), article, include_unpublished)


def _detail(repo: ArticleRepository, article: Article, include_unpublished: bool) -> ArticleDetail:
    reposts = [
        r
        for r in repo.reposts_of(article.id)
        if include_unpublished or r.status is ArticleStatus.PUBLISHED
    ]
    original = repo.get(article.original_id) if article.original_id else None
    if original is not None and not (
        include_unpublished or original.status is ArticleStatus.PUBLISHED
    ):
        original = None
    return ArticleDetail(article, repo.revisions(article.id), reposts, original)


def list_articles(
    db: Database, flt: ArticleFilter | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[Article], int]:
    with db.read() as conn:
        repo = ArticleRepository(conn)
        return repo.list(flt, limit, offset), repo.count(flt)
