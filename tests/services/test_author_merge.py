"""Merging two identities of one outlet (issue 17): articles and revisions move,
the merged handle and name become aliases, and a later ingest under them lands
on the author that stayed instead of making the merged one again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kartoteka.auth.roles import Actor, PermissionDenied, Role
from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.services.alerts import AlertService
from kartoteka.services.authors import (
    AuthorMergeError,
    AuthorNotFound,
    AuthorService,
    get_author,
    list_authors,
)
from kartoteka.services.ingest import IngestService
from kartoteka.services.overview import overview
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database
from tests.services.alert_support import add_user, store

ADMIN = Actor("admin@example.org", Role.ADMIN)
OLD = Author("@sahel_old", "Sahel Monitor (old)", AuthorKind.CHANNEL)
NEW = Author("@sahel_monitor", "Sahel Monitor", AuthorKind.CHANNEL)


def _draft(n: int, author: Author, body: str = "") -> ArticleDraft:
    return ArticleDraft(title=f"Report {n}", body=body or f"Report number {n} from Gao.",
                        source=f"https://example.org/r/{n}", author=author,
                        published_at=datetime(2024, 1, n, tzinfo=UTC), language="en")


def _handles(db: Database) -> dict[str, int]:
    return {s.author.handle: s.articles for s in list_authors(db, with_articles_only=False)}


@pytest.fixture
def two_identities(db: Database) -> IngestService:
    ingest = IngestService(db)
    ingest.store(_draft(1, OLD))
    ingest.store(_draft(1, OLD, "Report number 1 from Gao, corrected."))  # revision 2
    ingest.store(_draft(2, OLD))
    ingest.store(_draft(3, NEW))
    return ingest


def test_merge_moves_articles_and_revisions_and_keeps_aliases(
    db: Database, two_identities: IngestService
) -> None:
    assert _handles(db) == {"@sahel_old": 2, "@sahel_monitor": 1}
    done = AuthorService(db).merge(ADMIN, "sahel_old", "@sahel_monitor")
    assert (done.articles, done.revisions) == (2, 3)
    assert done.aliases == ["@sahel_old", "Sahel Monitor (old)"]
    assert _handles(db) == {"@sahel_monitor": 3}
    assert overview(db).authors == 1  # the site's count agrees with the CLI's list
    with db.read() as conn:
        repo = ArticleRepository(conn)
        revisions = repo.revisions(repo.list(ArticleFilter(), 10)[-1].id)
        entries = AuditLog(conn).for_object("author", "@sahel_monitor")
    assert len(revisions) == 2  # the oldest article's revisions stay readable
    assert [(e.action, e.actor) for e in entries] == [("author.merge", "admin@example.org")]
    assert entries[0].before is not None and entries[0].before["source"]["handle"] == "@sahel_old"
    # The old handle now names the author that stayed, on pages and in filters.
    assert get_author(db, "@sahel_old").handle == "@sahel_monitor"
    with db.read() as conn:
        assert ArticleRepository(conn).count(ArticleFilter(author="@sahel_old")) == 3


def test_a_later_ingest_under_the_old_handle_or_name_lands_on_the_target(
    db: Database, two_identities: IngestService
) -> None:
    AuthorService(db).merge(ADMIN, "@sahel_old", "@sahel_monitor")
    ingest = two_identities
    _, same = ingest.store(_draft(2, OLD))  # the same content again: nothing new
    ingest.store(_draft(4, OLD))  # a new post under the old handle
    ingest.store(_draft(5, Author("Sahel Monitor (old)", "Sahel Monitor (old)",
                                  AuthorKind.CHANNEL)))  # the old name alone
    assert same.value == "unchanged"
    assert _handles(db) == {"@sahel_monitor": 5}
    # Its old display name never renames the author it was merged into.
    assert get_author(db, "@sahel_monitor").display_name == "Sahel Monitor"


def test_dry_run_changes_nothing(db: Database, two_identities: IngestService) -> None:
    done = AuthorService(db).merge(ADMIN, "@sahel_old", "@sahel_monitor", dry_run=True)
    assert done.dry_run and (done.articles, done.revisions) == (2, 3)
    assert _handles(db) == {"@sahel_old": 2, "@sahel_monitor": 1}
    with db.read() as conn:
        assert AuditLog(conn).recent() == []


def test_merges_chain_and_ids_work(db: Database, two_identities: IngestService) -> None:
    service = AuthorService(db)
    two_identities.store(_draft(6, Author("@sahel_third", "Third", AuthorKind.CHANNEL)))
    ids = {s.author.handle: s.pk for s in service.stored_authors(ADMIN)}
    service.merge(ADMIN, "@sahel_old", "@sahel_monitor")
    service.merge(ADMIN, "@sahel_monitor", str(ids["@sahel_third"]))
    two_identities.store(_draft(7, OLD))
    assert _handles(db) == {"@sahel_third": 5}
    [stored] = service.stored_authors(ADMIN)
    assert set(stored.aliases) == {"@sahel_old", "Sahel Monitor (old)", "@sahel_monitor",
                                   "Sahel Monitor"}


def test_refusals(db: Database, two_identities: IngestService) -> None:
    service = AuthorService(db)
    with pytest.raises(AuthorMergeError, match="same author"):
        service.merge(ADMIN, "@sahel_monitor", "sahel_monitor")
    with pytest.raises(AuthorNotFound, match="nobody"):
        service.merge(ADMIN, "@nobody", "@sahel_monitor")
    with pytest.raises(PermissionDenied):
        service.merge(Actor("ed@example.org", Role.EDITOR), "@sahel_old", "@sahel_monitor")
    assert _handles(db) == {"@sahel_old": 2, "@sahel_monitor": 1}


def test_a_watchlist_of_the_merged_handle_follows_the_target(db: Database) -> None:
    alerts = AlertService(db)
    alice = add_user(db, "alice@example.org")
    store(db, "Old handle's report", "Convoys near Gao.", key="a", author="@sahel_old")
    store(db, "Target's report", "Convoys near Menaka.", key="b", author="@sahel_monitor")
    alerts.follow(alice, "author", "@sahel_old")
    assert alerts.match_pending().alerts == 0
    AuthorService(db).merge(ADMIN, "@sahel_old", "@sahel_monitor")
    alerts.match_pending()  # the moved article was the watchlist's author's already
    store(db, "New under the target", "Convoys near Kidal.", key="c", author="@sahel_monitor")
    alerts.match_pending()
    assert "New under the target" in [a.title for a in alerts.alerts(alice)]
