"""An outlet known by handle and by name alone is one author (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime

from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.services.ingest import IngestService
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database


def _draft(n: int, author: Author) -> ArticleDraft:
    return ArticleDraft(title=f"Report {n}", body=f"Report number {n} from the Sahel.",
                        source=f"https://example.org/r/{n}", author=author,
                        published_at=datetime(2024, 1, n, tzinfo=UTC), language="en")


def test_a_name_only_author_is_the_author_known_by_handle_with_that_name(db: Database) -> None:
    service = IngestService(db)
    first, _ = service.store(_draft(1, Author("@sahel_monitor", "Sahel Monitor",
                                              AuthorKind.CHANNEL)))
    second, _ = service.store(_draft(2, Author("Sahel Monitor", "Sahel Monitor",
                                               AuthorKind.CHANNEL)))
    with db.read() as conn:
        repo = ArticleRepository(conn)
        authors = [(a.handle, n) for a, n in repo.list_authors()]
        handles = {repo.get(first).author.handle, repo.get(second).author.handle}  # type: ignore[union-attr]
    assert authors == [("@sahel_monitor", 2)]
    assert handles == {"@sahel_monitor"}


def test_two_authors_sharing_a_name_are_not_guessed_between(db: Database) -> None:
    service = IngestService(db)
    service.store(_draft(1, Author("@monitor_a", "Monitor", AuthorKind.CHANNEL)))
    service.store(_draft(2, Author("@monitor_b", "Monitor", AuthorKind.CHANNEL)))
    service.store(_draft(3, Author("Monitor", "Monitor", AuthorKind.CHANNEL)))
    with db.read() as conn:
        handles = sorted(a.handle for a, _ in ArticleRepository(conn).list_authors())
    assert handles == ["@monitor_a", "@monitor_b", "Monitor"]
