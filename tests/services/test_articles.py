from __future__ import annotations

from kartoteka.model import ArticleDraft, ArticleStatus, Author
from kartoteka.services.articles import get_article
from kartoteka.services.ingest import IngestService
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database


def test_readers_see_only_published_reposts_and_originals(db: Database) -> None:
    service = IngestService(db)
    original, _ = service.store(ArticleDraft("Original", "Text one.", "a", author=Author("@a")))
    public, _ = service.store(ArticleDraft("Public repost", "Text two.", "b", author=Author("@b")))
    draft, _ = service.store(
        ArticleDraft("Draft repost", "Text three.", "c", author=Author("@c")),
        status=ArticleStatus.DRAFT,
    )
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        repo.set_original(public, original)
        repo.set_original(draft, original)
    reader = get_article(db, original, include_unpublished=False)
    editor = get_article(db, original, include_unpublished=True)
    assert [r.id for r in reader.reposts] == [public]
    assert {r.id for r in editor.reposts} == {public, draft}
    assert get_article(db, public, include_unpublished=False).original is not None
    with db.transaction() as conn:
        ArticleRepository(conn).set_status(original, ArticleStatus.DRAFT)
    assert get_article(db, public, include_unpublished=False).original is None
    assert get_article(db, public, include_unpublished=True).original is not None
