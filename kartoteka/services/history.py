"""The history of an article or entity: revisions, review decisions, audit entries.

Also the one rule for who may see an article at all, which the web layer
applies to every article page, history and diff view.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from kartoteka.auth.roles import Action, Actor
from kartoteka.model import Article, ArticleStatus, Revision
from kartoteka.services.articles import ArticleNotFound
from kartoteka.services.revisions import revision_diff
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.audit import AuditEntry, AuditLog
from kartoteka.store.database import Database
from kartoteka.store.review import ReviewComment, ReviewRepository


@dataclass(slots=True)
class ArticleHistory:
    article: Article
    revisions: list[Revision]
    comments: list[ReviewComment]
    audit: list[AuditEntry]  # empty for readers who may not see the audit log


def may_view(actor: Actor, article: Article, deleted: bool, submitted_by: str | None) -> bool:
    """Published and live: everyone.  Otherwise editors, or the person who submitted it."""
    if deleted:
        return actor.can(Action.RESTORE_DELETED)
    if article.status is ArticleStatus.PUBLISHED:
        return True
    if actor.can(Action.READ_DRAFTS):
        return True
    return actor.role is not None and submitted_by is not None and submitted_by == actor.label


def visible_article(db: Database, actor: Actor, article_id: str) -> Article:
    """The article if this actor may see it, else ArticleNotFound (never 'forbidden',
    which would confirm that a draft exists)."""
    with db.read() as conn:
        article, _deleted = _load(conn, actor, article_id)
    return article


def article_history(db: Database, actor: Actor, article_id: str) -> ArticleHistory:
    """Revisions for everyone who may see the article; review comments only for
    editors and the submitter; audit entries only for editors."""
    with db.read() as conn:
        article, _deleted = _load(conn, actor, article_id)
        reviews = ReviewRepository(conn)
        editor = actor.can(Action.READ_DRAFTS)
        own = actor.role is not None and reviews.submitted_by(article_id) == actor.label
        return ArticleHistory(
            article,
            ArticleRepository(conn).revisions(article_id),
            reviews.comments(article_id) if editor or own else [],
            AuditLog(conn).for_object("article", article_id) if editor else [],
        )


def diff_revisions(db: Database, actor: Actor, article_id: str, old: int, new: int) -> str:
    history = article_history(db, actor, article_id)
    by_number = {r.number: r for r in history.revisions}
    if old not in by_number or new not in by_number:
        raise ValueError(
            f"article {article_id} has revisions 1 to {len(history.revisions)}, not {old} and {new}"
        )
    return revision_diff(by_number[old], by_number[new])


def entity_history(db: Database, actor: Actor, entity_id: str) -> list[AuditEntry]:
    """Audit entries about an entity (merges, aliases, edits), oldest first."""
    actor.require(Action.READ_PUBLISHED)
    with db.read() as conn:
        return AuditLog(conn).for_object("entity", entity_id)


def audit_trail(
    db: Database, actor: Actor, limit: int = 100, before_pk: int | None = None
) -> list[AuditEntry]:
    """The whole audit log, newest first, for admins."""
    actor.require(Action.READ_AUDIT_LOG)
    with db.read() as conn:
        return AuditLog(conn).recent(limit, before_pk)


def _load(conn: Connection, actor: Actor, article_id: str) -> tuple[Article, bool]:
    article = ArticleRepository(conn).get(article_id)
    if article is None:
        raise ArticleNotFound(article_id)
    reviews = ReviewRepository(conn)
    deleted = reviews.deleted_at(article_id) is not None
    if not may_view(actor, article, deleted, reviews.submitted_by(article_id)):
        raise ArticleNotFound(article_id)
    return article, deleted
