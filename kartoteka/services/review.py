"""Submissions and their review: contributors submit drafts, editors decide.

A submission is stored as a draft under a key of its own, so it can never
overwrite a published article that happens to share its source; drafts are
invisible to the public because every public read filters on status.  Each
decision is a review comment plus an audit entry with the status before
and after.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kartoteka.auth.ratelimit import Clock, utc_now
from kartoteka.auth.roles import Action, Actor, PermissionDenied
from kartoteka.i18n import Message
from kartoteka.ingest.base import Input, ItemError, ReadOptions, Skipped
from kartoteka.ingest.detect import detect_format
from kartoteka.ingest.fields import hashtags_in, urls_in
from kartoteka.ingest.formats import reader_for
from kartoteka.model import Article, ArticleDraft, ArticleStatus, Revision
from kartoteka.services.articles import ArticleNotFound
from kartoteka.services.ingest import IngestService, Outcome
from kartoteka.services.placeholders import submitted_draft
from kartoteka.services.revisions import revision_diff
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database
from kartoteka.store.review import ReviewComment, ReviewRepository

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ReviewAction(StrEnum):
    PUBLISH = "publish"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


_RESULT = {
    ReviewAction.PUBLISH: ArticleStatus.PUBLISHED,
    ReviewAction.REQUEST_CHANGES: ArticleStatus.CHANGES_REQUESTED,
    ReviewAction.REJECT: ArticleStatus.REJECTED,
}
_DECIDABLE = {ArticleStatus.DRAFT, ArticleStatus.CHANGES_REQUESTED}


class ReviewError(ValueError):
    """A submission or decision that cannot be made; the message says why."""


@dataclass(frozen=True, slots=True)
class Submission:
    """One stored draft, or (``duplicate_of``) text the database already holds."""

    article_id: str
    outcome: Outcome
    duplicate_of: str | None = None


@dataclass(slots=True)
class UploadResult:
    submissions: list[Submission] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    skipped: int = 0


@dataclass(slots=True)
class ReviewItem:
    """What an editor sees for one draft."""

    article: Article
    submitted_by: str | None
    revisions: list[Revision]
    diff: str  # unified diff of the latest revision against the one before ("" if first)
    duplicates: list[str]  # ids of articles with the same text or the same title
    comments: list[ReviewComment]


def _state(article: Article) -> dict[str, object]:
    return {"status": article.status.value, "revision": article.revision}


class ReviewService:
    def __init__(
        self,
        db: Database,
        *,
        ingest: IngestService,
        clock: Clock = utc_now,
        new_key: Callable[[], str] = lambda: f"submission:{uuid.uuid4()}",
    ) -> None:
        self.db = db
        self.ingest = ingest  # the process's one (services.wiring): extraction included
        self.clock = clock
        self.new_key = new_key

    # --- submitting -------------------------------------------------------------------

    def submit_text(
        self, actor: Actor, title: str, markdown: str, *, countries: list[str] | None = None
    ) -> Submission:
        """A Markdown submission from the web form."""
        actor.require(Action.SUBMIT)
        if not title.strip() or not markdown.strip():
            raise ReviewError(Message("a submission needs a title and some text"))
        draft = ArticleDraft(
            title=title.strip(),
            body=markdown.strip(),
            source="submission",
            countries=[c.lower() for c in countries or []],
            hashtags=hashtags_in(markdown),
            links=urls_in(markdown),
        )
        return self._store(actor, draft)

    def submit_file(
        self, actor: Actor, filename: str, data: bytes, fmt: str = "auto"
    ) -> UploadResult:
        """An uploaded file in any format a reader exists for; each item is a draft."""
        actor.require(Action.SUBMIT)
        if len(data) > MAX_UPLOAD_BYTES:
            raise ReviewError(
                Message(
                    "%(file)s is larger than %(mib)s MiB",
                    file=filename,
                    mib=MAX_UPLOAD_BYTES // 2**20,
                )
            )
        if not data.strip():
            raise ReviewError(Message("%(file)s is empty", file=filename))
        item = Input(origin=filename, data=data)
        reader = reader_for(detect_format(item) if fmt == "auto" else fmt)
        result = UploadResult()
        for read in reader.read(item, ReadOptions()):
            if isinstance(read, ItemError):
                result.errors.append(read)
            elif isinstance(read, Skipped):
                result.skipped += 1
            else:
                try:
                    result.submissions.append(self._store(actor, read))
                except ValueError as exc:
                    result.errors.append(ItemError(read.source, f"not stored: {exc}"))
        return result

    def _store(self, actor: Actor, draft: ArticleDraft) -> Submission:
        draft.extra["submitted_key"] = draft.key()  # the reader's own key, kept for provenance
        draft.source_key = self.new_key()
        article_id, outcome = self.ingest.store(
            draft, status=ArticleStatus.DRAFT, created_by=actor.label
        )
        if outcome is Outcome.UNCHANGED:  # the same text is already stored
            return Submission(article_id, outcome, duplicate_of=article_id)
        self._audit(actor, "article.submit", article_id, None, {"status": "draft"})
        return Submission(article_id, outcome)

    def resubmit(self, actor: Actor, article_id: str, title: str, markdown: str) -> Submission:
        """A new revision of a draft, e.g. after changes were requested."""
        article = self._article(article_id)
        self._require_owner_or(actor, article_id, Action.EDIT_ARTICLES)
        if article.status not in _DECIDABLE:
            raise ReviewError(
                Message(
                    "article %(id)s is %(status)s, not a draft",
                    id=article_id,
                    status=article.status.value,
                )
            )
        draft = ArticleDraft(
            title=title.strip(),
            body=markdown.strip(),
            source=article.source,
            source_key=article.source_key,
            hashtags=hashtags_in(markdown),
            links=urls_in(markdown),
        )
        _id, outcome = self.ingest.store(draft, created_by=actor.label, article_id=article_id)
        with self.db.transaction() as conn:
            ArticleRepository(conn).set_status(article_id, ArticleStatus.DRAFT)
        after = self._article(article_id)
        self._audit(actor, "article.resubmit", article_id, _state(article), _state(after))
        return Submission(article_id, outcome)

    def my_submissions(self, actor: Actor) -> list[Article]:
        actor.require(Action.SUBMIT)
        with self.db.read() as conn:
            ids = ReviewRepository(conn).ids_submitted_by(actor.label)
            found = ArticleRepository(conn).get_many(ids)
        return [found[i] for i in ids if i in found]

    # --- reviewing --------------------------------------------------------------------

    def queue(self, actor: Actor, limit: int = 50) -> list[ReviewItem]:
        """Drafts waiting for a decision, oldest first."""
        actor.require(Action.REVIEW)
        with self.db.read() as conn:
            ids = ReviewRepository(conn).ids_with_status(ArticleStatus.DRAFT, limit)
        return [self.item(actor, article_id) for article_id in ids]

    def item(self, actor: Actor, article_id: str) -> ReviewItem:
        actor.require(Action.READ_DRAFTS)
        with self.db.read() as conn:
            repo = ArticleRepository(conn)
            reviews = ReviewRepository(conn)
            article = repo.get(article_id)
            if article is None:
                raise ArticleNotFound(article_id)
            revisions = repo.revisions(article_id)
            duplicates = reviews.ids_with_hash(article.content_hash, article_id)
            duplicates += [
                i for i in reviews.ids_with_title(article.title, article_id) if i not in duplicates
            ]
            return ReviewItem(
                article=article,
                submitted_by=reviews.submitted_by(article_id),
                revisions=revisions,
                diff=revision_diff(revisions[-2], revisions[-1]) if len(revisions) > 1 else "",
                duplicates=duplicates,
                comments=reviews.comments(article_id),
            )

    def decide(
        self, actor: Actor, article_id: str, action: ReviewAction, comment: str = ""
    ) -> Article:
        actor.require(Action.PUBLISH if action is ReviewAction.PUBLISH else Action.REVIEW)
        comment = comment.strip()
        if action is ReviewAction.REQUEST_CHANGES and not comment:
            raise ReviewError(
                Message("say what should change: requesting changes needs a comment")
            )
        now = self.clock()
        with self.db.transaction() as conn:
            repo = ArticleRepository(conn)
            before = repo.get(article_id)
            if before is None:
                raise ArticleNotFound(article_id)
            if ReviewRepository(conn).deleted_at(article_id) is not None:
                raise ReviewError(
                    Message(
                        "article %(id)s is deleted: an admin must restore it first",
                        id=article_id,
                    )
                )
            allowed = _DECIDABLE if action is ReviewAction.REJECT else {ArticleStatus.DRAFT}
            if before.status not in allowed:
                raise ReviewError(
                    Message(
                        "article %(id)s is %(status)s: cannot %(action)s",
                        id=article_id,
                        status=before.status.value,
                        action=action.value,
                    )
                )
            repo.set_status(article_id, _RESULT[action])
            ReviewRepository(conn).add_comment(
                article_id, before.revision, actor.label, action.value, comment, now
            )
            after = {**_state(before), "status": _RESULT[action].value, "comment": comment}
            AuditLog(conn).record(
                now,
                actor.label,
                f"article.{action.value}",
                "article",
                article_id,
                _state(before),
                after,
            )
            updated = repo.get(article_id)
        assert updated is not None
        if action is ReviewAction.PUBLISH:
            return self._fill_placeholder(actor, updated) or updated
        return updated

    def publish(self, actor: Actor, article_id: str, comment: str = "") -> Article:
        return self.decide(actor, article_id, ReviewAction.PUBLISH, comment)

    def request_changes(self, actor: Actor, article_id: str, comment: str) -> Article:
        return self.decide(actor, article_id, ReviewAction.REQUEST_CHANGES, comment)

    def reject(self, actor: Actor, article_id: str, comment: str = "") -> Article:
        return self.decide(actor, article_id, ReviewAction.REJECT, comment)

    # --- internals ----------------------------------------------------------------------

    def _fill_placeholder(self, actor: Actor, published: Article) -> Article | None:
        """Move a just-published submission into the catalog placeholder it matches.

        The placeholder takes the text as a new revision (it keeps its id and
        catalog links); the submission, now a copy, is soft-deleted.
        """
        finder = self.ingest.placeholders
        if finder is None:
            return None
        draft = submitted_draft(published)
        with self.db.transaction() as conn:
            target = finder.claim(ArticleRepository(conn), draft)
            submitter = ReviewRepository(conn).submitted_by(published.id)
        if target is None or target == published.id:
            return None
        self.ingest.store(draft, created_by=submitter, article_id=target)
        now = self.clock()
        with self.db.transaction() as conn:
            ReviewRepository(conn).set_deleted(published.id, now)
            AuditLog(conn).record(
                now, actor.label, "article.fill_placeholder", "article", published.id,
                _state(published), {"merged_into": target},
            )
        return self._article(target)

    def _article(self, article_id: str) -> Article:
        with self.db.read() as conn:
            article = ArticleRepository(conn).get(article_id)
        if article is None:
            raise ArticleNotFound(article_id)
        return article

    def _require_owner_or(self, actor: Actor, article_id: str, action: Action) -> None:
        if actor.can(action):
            return
        actor.require(Action.SUBMIT)
        with self.db.read() as conn:
            owner = ReviewRepository(conn).submitted_by(article_id)
        if owner != actor.label:
            raise PermissionDenied(actor, action)

    def _audit(
        self,
        actor: Actor,
        action: str,
        article_id: str,
        before: dict[str, object] | None,
        after: dict[str, object] | None,
    ) -> None:
        at: datetime = self.clock()
        with self.db.transaction() as conn:
            AuditLog(conn).record(at, actor.label, action, "article", article_id, before, after)
