"""Soft deletion of articles: nothing is hard-deleted from the web app.

An editor deletes (the article disappears from every public and editorial
list); an admin restores.  Both are audited with ``deleted_at`` before and
after, and the article's revisions are never touched.
"""

from __future__ import annotations

from datetime import datetime

from kartoteka.auth.ratelimit import Clock, utc_now
from kartoteka.auth.roles import Action, Actor
from kartoteka.model import Article
from kartoteka.services.articles import ArticleNotFound
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database
from kartoteka.store.review import ReviewRepository


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class DeletionService:
    def __init__(self, db: Database, *, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    def delete(self, actor: Actor, article_id: str) -> datetime:
        actor.require(Action.DELETE_ARTICLES)
        return self._set(actor, article_id, self.clock(), "article.delete")

    def restore(self, actor: Actor, article_id: str) -> None:
        actor.require(Action.RESTORE_DELETED)
        self._set(actor, article_id, None, "article.restore")

    def deleted(self, actor: Actor, limit: int = 200) -> list[Article]:
        """What an admin may restore, most recently deleted first."""
        actor.require(Action.RESTORE_DELETED)
        with self.db.read() as conn:
            ids = ReviewRepository(conn).ids_deleted(limit)
            found = ArticleRepository(conn).get_many(ids)
        return [found[i] for i in ids if i in found]

    def _set(self, actor: Actor, article_id: str, when: datetime | None, action: str) -> datetime:
        now = self.clock()
        with self.db.transaction() as conn:
            repo = ReviewRepository(conn)
            if not repo.exists(article_id):
                raise ArticleNotFound(article_id)
            before = repo.deleted_at(article_id)
            if (before is None) == (when is None):
                state = "not deleted" if before is None else "already deleted"
                raise ValueError(f"article {article_id} is {state}: nothing to do")
            repo.set_deleted(article_id, when)
            AuditLog(conn).record(
                now,
                actor.label,
                action,
                "article",
                article_id,
                {"deleted_at": _iso(before)},
                {"deleted_at": _iso(when)},
            )
        return now
