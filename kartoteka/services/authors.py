"""Authors and channels: who publishes, how much of it is visible, and merging
two identities of one outlet."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kartoteka.auth.ratelimit import Clock, utc_now
from kartoteka.auth.roles import Action, Actor
from kartoteka.i18n import Message
from kartoteka.model import Author
from kartoteka.record import as_record
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.authors import AuthorRepository, StoredAuthor, author_key, handle_keys
from kartoteka.store.database import Database

log = logging.getLogger(__name__)


class AuthorNotFound(LookupError):
    def __init__(self, handle: str) -> None:
        super().__init__(
            Message("no author or channel with handle or id %(handle)r", handle=handle)
        )
        self.handle = handle


# The JSON of an author (``--json``, the API) calls its display name "name".
AUTHOR_NAMES = {"display_name": "name"}


@dataclass(frozen=True, slots=True)
class AuthorSummary:
    author: Author
    articles: int

    def as_dict(self) -> dict[str, object]:
        """The author's fields (its display name as ``name``), then the count."""
        return {**as_record(self.author, rename=AUTHOR_NAMES), **as_record(self, omit=["author"])}


def list_authors(db: Database, *, with_articles_only: bool = True) -> list[AuthorSummary]:
    """Authors by handle; those whose every article is hidden are left out by default."""
    with db.read() as conn:
        rows = ArticleRepository(conn).list_authors()
    return [AuthorSummary(a, n) for a, n in rows if n or not with_articles_only]


def get_author(db: Database, handle: str) -> Author:
    with db.read() as conn:
        author = ArticleRepository(conn).get_author(handle)
    if author is None:
        raise AuthorNotFound(handle)
    return author


def merged_away(handle: str, author: Author) -> bool:
    """True when ``handle`` found ``author`` only as an alias: it was merged into it,
    so its page should send readers to the author's own address."""
    return author_key(author.handle) not in handle_keys(handle)


class AuthorMergeError(ValueError):
    """A merge that cannot be done as asked (the same author twice)."""


@dataclass(frozen=True, slots=True)
class AuthorMerge:
    """What a merge moves (or, with ``dry_run``, would move)."""

    source: StoredAuthor
    target: StoredAuthor
    articles: int
    revisions: int
    aliases: list[str]
    dry_run: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "source": _ref(self.source),
            "target": _ref(self.target),
            "articles": self.articles,
            "revisions": self.revisions,
            "aliases": self.aliases,
            "dry_run": self.dry_run,
        }


def _ref(stored: StoredAuthor) -> dict[str, object]:
    return {"id": stored.pk, "handle": stored.author.handle, "name": stored.author.display_name}


class AuthorService:
    """Merging two identities of one outlet: an admin's decision, audited.

    The CLI (as the operator) and the admin page call the same method, so
    both check the same permission and write the same audit entry.
    """

    def __init__(self, db: Database, *, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    def stored_authors(self, actor: Actor) -> list[StoredAuthor]:
        """Every author with its id and aliases, hidden articles or not."""
        actor.require(Action.MERGE_AUTHORS)
        with self.db.read() as conn:
            return AuthorRepository(conn).all()

    def merge(
        self, actor: Actor, source_ref: str, target_ref: str, *, dry_run: bool = False
    ) -> AuthorMerge:
        """Credit every article of SOURCE to TARGET; SOURCE's handle and name become
        TARGET's aliases, so a later ingest under them lands on TARGET."""
        actor.require(Action.MERGE_AUTHORS)
        with self.db.transaction() as conn:
            repo = AuthorRepository(conn)
            source = _found(repo, source_ref)
            target = _found(repo, target_ref)
            if source.pk == target.pk:
                raise AuthorMergeError(
                    Message(
                        "%(source)r and %(target)r are the same author (%(handle)s): "
                        "name two different authors",
                        source=source_ref, target=target_ref, handle=target.author.handle,
                    )
                )
            n_articles, n_revisions = repo.counts(source.pk)
            if dry_run:
                aliases = [a for a in (source.author.handle, source.author.display_name) if a]
                return AuthorMerge(source, target, n_articles, n_revisions,
                                   list(dict.fromkeys(aliases)), True)
            now = self.clock()
            added = repo.merge(source, target, now)
            report = AuthorMerge(source, target, n_articles, n_revisions, added, False)
            AuditLog(conn).record(
                now, actor.label, "author.merge", "author", target.author.handle,
                {"source": _ref(source), "target": _ref(target)},
                {"articles": n_articles, "revisions": n_revisions, "aliases": added},
            )
        log.info("merged author %s into %s: %d article(s)", source.author.handle,
                 target.author.handle, n_articles)
        return report


def _found(repo: AuthorRepository, ref: str) -> StoredAuthor:
    stored = repo.find(ref)
    if stored is None:
        raise AuthorNotFound(ref)
    return stored
