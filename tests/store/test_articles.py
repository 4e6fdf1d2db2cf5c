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


def test_a_new_row_fills_every_column_from_the_draft_and_the_bookkeeping(db: Database) -> None:
    """The insert row is read from the model: every column but the key and the
    deletion mark, the draft's fields as they are (and read back so), the
    bookkeeping from the arguments (the batch insert builds its rows here too)."""
    from dataclasses import fields

    from kartoteka.model import ArticleStatus
    from kartoteka.store.articles import _JOINED, new_article_row

    when = datetime(2022, 2, 2, tzinfo=UTC)
    full = draft(author=Author("@c", "C"), published_at=when, countries=["rs"],
                 hashtags=["h"], links=["https://example.org/l"], language="sr",
                 url="https://example.org/u", source_key="key-1", extra={"n": 1})
    row = new_article_row(full, article_id="a9", author_pk=None, content_hash="h9", now=NOW,
                          status=ArticleStatus.DRAFT, original_id="a1")
    assert set(row) == set(articles.c.keys()) - {"pk", "deleted_at"}
    stored = {f.name for f in fields(ArticleDraft)} - _JOINED
    assert {name: row[name] for name in stored} == {
        name: getattr(full, name) for name in stored}
    assert row["hashtags"] is not full.hashtags  # a copy: the draft stays the caller's
    assert (row["status"], row["revision"], row["updated_at"]) == ("draft", 1, NOW)
    with db.transaction() as conn:
        ArticleRepository(conn).insert("a9", full, "h9", NOW)
    with db.read() as conn:
        article = ArticleRepository(conn).get("a9")
    assert article is not None
    assert {name: getattr(article, name) for name in stored | _JOINED} == {
        name: getattr(full, name) for name in stored | _JOINED}


def test_a_revision_takes_every_draft_field_it_gives(db: Database) -> None:
    """Revising writes the draft's columns from the model as the insert does; a field
    the new draft leaves empty (None) keeps its value, and the key never changes."""
    from dataclasses import fields

    from kartoteka.store.articles import _JOINED

    first = draft(published_at=NOW, language="en", url="https://example.org/1",
                  source_key="key-1", hashtags=["a"], extra={"n": 1})
    second = draft("New title", "New body", source="/tmp/y.md", countries=["ba"],
                   published_at=NOW + timedelta(days=1), hashtags=["b"],
                   links=["https://example.org/l"], extra={"n": 2}, source_key="key-2")
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        repo.insert("a1", first, "h1", NOW)
        assert repo.revise("a1", second, "h2", NOW) == 2
    with db.read() as conn:
        article = ArticleRepository(conn).get("a1")
    assert article is not None
    changed = {f.name for f in fields(ArticleDraft)} - _JOINED - {"source_key"}
    kept = {name for name in changed if getattr(second, name) is None}
    assert kept == {"language", "url"}
    assert {name: getattr(article, name) for name in changed - kept} == {
        name: getattr(second, name) for name in changed - kept}
    assert (article.language, article.url, article.source_key) == (
        "en", "https://example.org/1", "key-1")
    assert (article.countries, article.revision) == (["ba"], 2)
