from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kartoteka.model import Article, ArticleDraft, Author, AuthorKind
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.tables import article_countries, article_revisions, articles

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def draft(title: str = "Title", body: str = "Body text", **kw: object) -> ArticleDraft:
    values: dict[str, object] = {"source": "/tmp/x.md"} | kw
    return ArticleDraft(title=title, body=body, **values)  # type: ignore[arg-type]


def test_insert_and_read_back_every_field(db: Database) -> None:
    published = datetime(2021, 3, 4, 5, 6, tzinfo=UTC)
    with db.transaction() as conn:
        ArticleRepository(conn).insert(
            "a1",
            draft(
                author=Author("@Chan", "The Channel", AuthorKind.CHANNEL),
                published_at=published,
                countries=["RS", "xk"],
                hashtags=["#Косово"],
                links=["https://example.org/x"],
                language="en",
                url="https://example.org/a1",
                extra={"telegram_id": 5},
            ),
            "h1",
            NOW,
        )
    with db.read() as conn:
        article = ArticleRepository(conn).get("a1")
    assert article is not None
    assert (article.title, article.body, article.language) == ("Title", "Body text", "en")
    assert article.author == Author("@Chan", "The Channel", AuthorKind.CHANNEL)
    assert article.published_at == published
    assert article.countries == ["rs", "xk"]
    assert article.hashtags == ["#Косово"]
    assert article.links == ["https://example.org/x"]
    assert article.extra == {"telegram_id": 5}
    assert article.url == "https://example.org/a1"
    assert article.revision == 1


def test_revise_keeps_the_old_text_readable(db: Database) -> None:
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        repo.insert("a1", draft(body="first"), "h1", NOW)
        number = repo.revise("a1", draft(body="second"), "h2", NOW + timedelta(days=1))
    assert number == 2
    with db.read() as conn:
        repo = ArticleRepository(conn)
        article = repo.get("a1")
        revisions = repo.revisions("a1")
    assert article is not None and article.body == "second" and article.revision == 2
    assert [(r.number, r.body) for r in revisions] == [(1, "first"), (2, "second")]


def test_authors_are_case_insensitive_and_keep_known_names(db: Database) -> None:
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        first = repo.save_author(Author("@Chan", "The Channel", AuthorKind.CHANNEL))
        second = repo.save_author(Author("@chan", "", AuthorKind.CHANNEL))
    assert first == second
    with db.read() as conn:
        author = ArticleRepository(conn).get_author("chan")
    assert author is not None and author.display_name == "The Channel"


def test_a_failed_transaction_leaves_no_partial_rows(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as conn:
        ArticleRepository(conn).insert("a1", draft(countries=["rs"]), "h1", NOW)
        raise RuntimeError("crash after the article and before commit")
    with db.read() as conn:
        for table in (articles, article_revisions, article_countries):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0


def test_filters_hide_reposts_drafts_and_match_author_country_language(db: Database) -> None:
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        repo.insert("a1", draft(author=Author("@one"), countries=["rs"], language="en"), "h1", NOW)
        repo.insert("a2", draft(author=Author("@two"), countries=["mx"], language="ru"), "h2", NOW)
        repo.insert("a3", draft(), "h3", NOW, original_id="a1")
        repo.insert("a4", draft(), "h4", NOW)
        repo.set_status("a4", repo.get("a4").status.DRAFT)  # type: ignore[union-attr]
    with db.read() as conn:
        repo = ArticleRepository(conn)
        assert {a.id for a in repo.list()} == {"a1", "a2"}
        assert [a.id for a in repo.list(ArticleFilter(author="one"))] == ["a1"]
        assert [a.id for a in repo.list(ArticleFilter(country="MX"))] == ["a2"]
        assert [a.id for a in repo.list(ArticleFilter(language="ru"))] == ["a2"]
        assert [a.id for a in repo.reposts_of("a1")] == ["a3"]
        assert repo.count(ArticleFilter(include_reposts=True, include_unpublished=True)) == 4


def test_every_article_field_is_a_column_or_joined() -> None:
    """The row mapper reads the model's fields by name: each one is a column of
    ``articles`` or one of the few it fills from other tables."""
    from dataclasses import fields

    from kartoteka.store.articles import _JOINED

    names = {f.name for f in fields(Article)}
    assert names > _JOINED
    assert names - _JOINED <= set(articles.c.keys())
