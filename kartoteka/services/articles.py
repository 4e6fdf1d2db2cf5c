"""Reading articles: one with its history, or a filtered page of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kartoteka.i18n import Message
from kartoteka.ingest.jsonl import AUTHOR_COLUMNS
from kartoteka.model import Article, ArticleStatus, Revision
from kartoteka.record import as_record
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database


class ArticleNotFound(LookupError):
    def __init__(self, article_id: str) -> None:
        super().__init__(Message("no article with id %(id)r", id=article_id))
        self.article_id = article_id


# What ``show`` says of each repost: where the same text was posted, by whom, when.
REPOST_KEYS = ("id", "author", "source", "published_at")


@dataclass(slots=True)
class ArticleDetail:
    article: Article
    revisions: list[Revision]
    reposts: list[Article] = field(default_factory=list)
    original: Article | None = None

    def as_dict(self) -> dict[str, Any]:
        """Every field of the article (the author as the export's columns), then
        the history: the revision count and the reposts' provenance."""
        return {
            **as_record(self.article, flatten=AUTHOR_COLUMNS),
            "revisions": len(self.revisions),
            "reposts": [
                {key: value for key, value in as_record(r, flatten=AUTHOR_COLUMNS).items()
                 if key in REPOST_KEYS}
                for r in self.reposts
            ],
        }


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
