"""Review comments, the draft queue, and soft deletion of articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kartoteka.model import ArticleStatus
from kartoteka.record import as_record
from kartoteka.store.accounts_tables import review_comments
from kartoteka.store.tables import article_revisions, articles


@dataclass(frozen=True, slots=True)
class ReviewComment:
    article_id: str
    revision: int
    author: str
    action: str
    comment: str
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return as_record(self)


class ReviewRepository:
    __slots__ = ("conn",)

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_comment(
        self, article_id: str, revision: int, author: str, action: str, comment: str, now: datetime
    ) -> None:
        self.conn.execute(
            insert(review_comments).values(
                article_id=article_id,
                revision=revision,
                author=author,
                action=action,
                comment=comment,
                created_at=now,
            )
        )

    def comments(self, article_id: str) -> list[ReviewComment]:
        rows = self.conn.execute(
            select(review_comments)
            .where(review_comments.c.article_id == article_id)
            .order_by(review_comments.c.pk)
        ).all()
        return [
            ReviewComment(
                r.article_id,
                r.revision,
                r.author,
                r.action,
                r.comment,
                r.created_at,
            )
            for r in rows
        ]

    def ids_with_status(self, status: ArticleStatus, limit: int = 100) -> list[str]:
        """Live (not deleted) articles in a status, oldest first: a queue is first come."""
        return list(
            self.conn.execute(
                select(articles.c.id)
                .where(articles.c.status == status.value, articles.c.deleted_at.is_(None))
                .order_by(articles.c.updated_at, articles.c.pk)
                .limit(limit)
            ).scalars()
        )

    def ids_with_hash(self, content_hash: str, exclude: str) -> list[str]:
        return list(
            self.conn.execute(
                select(articles.c.id).where(
                    articles.c.content_hash == content_hash, articles.c.id != exclude
                )
            ).scalars()
        )

    def ids_with_title(self, title: str, exclude: str, limit: int = 10) -> list[str]:
        return list(
            self.conn.execute(
                select(articles.c.id)
                .where(articles.c.title == title, articles.c.id != exclude)
                .limit(limit)
            ).scalars()
        )

    def deleted_at(self, article_id: str) -> datetime | None:
        found: datetime | None = self.conn.execute(
            select(articles.c.deleted_at).where(articles.c.id == article_id)
        ).scalar_one_or_none()
        return found

    def set_deleted(self, article_id: str, when: datetime | None) -> None:
        """Soft delete (a time) or restore (None); the row and its history stay."""
        self.conn.execute(
            update(articles).where(articles.c.id == article_id).values(deleted_at=when)
        )

    def ids_deleted(self, limit: int = 200) -> list[str]:
        """Soft-deleted articles, most recently deleted first (what an admin may restore)."""
        return list(
            self.conn.execute(
                select(articles.c.id)
                .where(articles.c.deleted_at.is_not(None))
                .order_by(articles.c.deleted_at.desc(), articles.c.pk.desc())
                .limit(limit)
            ).scalars()
        )

    def ids_submitted_by(self, created_by: str, limit: int = 200) -> list[str]:
        """Articles whose first revision this person wrote, newest first."""
        return list(
            self.conn.execute(
                select(articles.c.id)
                .join(article_revisions, article_revisions.c.article_pk == articles.c.pk)
                .where(
                    article_revisions.c.number == 1,
                    article_revisions.c.created_by == created_by,
                    articles.c.deleted_at.is_(None),
                )
                .order_by(articles.c.updated_at.desc(), articles.c.pk.desc())
                .limit(limit)
            ).scalars()
        )

    def submitted_by(self, article_id: str) -> str | None:
        return self.conn.execute(
            select(article_revisions.c.created_by)
            .join(articles, article_revisions.c.article_pk == articles.c.pk)
            .where(articles.c.id == article_id, article_revisions.c.number == 1)
        ).scalar_one_or_none()

    def exists(self, article_id: str) -> bool:
        return (
            self.conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).first()
            is not None
        )
