"""PostgreSQL's stem postings: kept in step with the articles, leading common words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, event, text

from kartoteka.model import ArticleDraft
from kartoteka.services.ingest import IngestService
from kartoteka.store import search_index, search_index_schema, search_statistics
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.search import search_articles
from kartoteka.text.query import parse_query

ARTICLES = 60


def _draft(n: int, body: str | None = None) -> ArticleDraft:
    """Every article says "militia"; one in three "supporters", one in five a Russian
    word; one in seven is German (not stemmed) and says "support" as well."""
    words = ["militia", "quay"]
    if n % 3 == 0:
        words.append("supporters")
    if n % 7 == 0:
        words.append("support")
    if n % 5 == 0:
        words.append("ополченцы")
    return ArticleDraft(
        title=f"p{n}", body=body or " ".join(words), source=f"test://p/{n}",
        language="ru" if n % 5 == 0 else ("de" if n % 7 == 0 else "en"),
        published_at=datetime(2010 + n % 12, 1 + n % 12, 1, tzinfo=UTC),
        countries=["xk" if n % 2 else "rs"],
    )


def _postings(conn: Connection) -> list[tuple[str, int]]:
    return [(r.stem, r.article_pk) for r in conn.execute(text(
        f"SELECT stem, article_pk FROM {search_index.POSTINGS_TABLE} ORDER BY 1, 2"
    ))]


def _from_vectors(conn: Connection) -> list[tuple[str, int]]:
    return [(r.stem, r.pk) for r in conn.execute(text(
        "SELECT s.stem, a.pk FROM articles a, unnest(tsvector_to_array(a.stem_vector)) "
        "AS s(stem) ORDER BY 1, 2"
    ))]


# SQLite's FTS5 keeps postings of its own: the tests of these run on PostgreSQL.
on_postgresql = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
on_sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def pg(db: Database) -> Database:
    assert db.backend == "postgresql"
    return db


@on_postgresql
def test_postings_follow_every_write_to_articles(pg: Database) -> None:
    service = IngestService(pg)
    for n in range(1, 4):
        service.store(_draft(n))
    service.store_batch([_draft(n) for n in range(4, 12)])
    with pg.read() as conn:
        stored = _postings(conn)
        assert stored == _from_vectors(conn)
        assert ("support", 3) in stored and ("militia", 11) in stored
    # A new revision changes the body: the old words' pairs go, the new ones come.
    service.store(_draft(3, body="harbour pilots"))
    with pg.transaction() as conn:
        stored = _postings(conn)
        assert ("harbour", 3) in stored and ("support", 3) not in stored
        assert stored == _from_vectors(conn)
        # An update that leaves the vector alone leaves the pairs alone.
        conn.execute(text("UPDATE articles SET title = title WHERE pk = 2"))
        assert _postings(conn) == stored
        conn.execute(text("DELETE FROM articles WHERE pk IN (4, 5)"))
        assert not [p for p in _postings(conn) if p[1] in (4, 5)]
        assert _postings(conn) == _from_vectors(conn)
    with pg.transaction() as conn:
        conn.execute(text("TRUNCATE articles CASCADE"))
        assert _postings(conn) == []


@on_postgresql
def test_existing_articles_are_copied_when_the_postings_are_created(pg: Database) -> None:
    IngestService(pg).store_batch([_draft(n) for n in range(1, 9)])
    seen: list[tuple[int, int]] = []
    with pg.transaction() as conn:
        expected = _postings(conn)
        search_index_schema.drop_stem_postings(conn)
        assert conn.execute(text("SELECT to_regclass('article_stems')")).scalar() is None
        search_index_schema.create_stem_postings(conn, lambda done, total, _: seen.append(
            (done, total)))
        assert _postings(conn) == expected != []
        search_index_schema.create_stem_postings(conn)  # again: nothing to do
        assert _postings(conn) == expected
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)


@on_postgresql
def test_a_database_taken_back_before_the_postings_gets_them_afresh(pg: Database) -> None:
    """As a backup from before migration 0170 restored over a newer database: the
    articles are the backup's, the table of postings is left as it was."""
    IngestService(pg).store_batch([_draft(n) for n in range(1, 5)])
    with pg.transaction() as conn:
        conn.execute(text(f"INSERT INTO {search_index.POSTINGS_TABLE} VALUES ('stale', 999)"))
        conn.execute(text(
            "UPDATE alembic_version SET version_num = '0165_vectors_inline' "
            "WHERE version_num = '0170_stem_postings'"
        ))
    assert pg.pending_migrations() == {"0170_stem_postings"}
    pg.migrate()
    with pg.read() as conn:
        assert _postings(conn) == _from_vectors(conn) != []


@on_sqlite
def test_postings_are_postgresql_only(db: Database) -> None:
    IngestService(db).store(_draft(1))
    with db.read() as conn:
        assert search_statistics.postings_lead(conn, parse_query("militia")) == ()
        tables = conn.execute(text("SELECT name FROM sqlite_master")).scalars().all()
    assert search_index.POSTINGS_TABLE not in tables


@pytest.fixture
def analysed(pg: Database) -> Iterator[Database]:
    IngestService(pg).store_batch([_draft(n) for n in range(1, ARTICLES + 1)])
    yield pg
    search_statistics.forget()


def _postings_statements(db: Database) -> list[str]:
    seen: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if search_index.POSTINGS_TABLE in statement and "row_number()" in statement:
            seen.append(statement)

    return seen


SEARCHES = [
    ("militia", ArticleFilter(), 0),
    ("militia", ArticleFilter(country="xk"), 0),
    ("militia", ArticleFilter(since=datetime(2016, 1, 1, tzinfo=UTC)), 0),
    ("militia", ArticleFilter(country="rs", until=datetime(2018, 1, 1, tzinfo=UTC)), 0),
    ("militia", ArticleFilter(), 7),  # a page down: tiers of 5
    ("supporters", ArticleFilter(), 0),  # its stem and the word itself: two lists merged
    ("ополченцами", ArticleFilter(), 0),  # another case of «ополченцы»
    ("militia -supporters", ArticleFilter(), 0),
    ('militia "quay"', ArticleFilter(country="xk"), 0),
]


def _pages(db: Database) -> list[list[tuple[str, float]]]:
    pages = []
    with db.read() as conn:
        for words, flt, offset in SEARCHES:
            found = search_articles(conn, parse_query(words), flt, 4, offset, tier=5)
            pages.append([(h.title, h.score) for h in found.hits])
    return pages


@on_postgresql
def test_a_common_word_led_by_its_postings_finds_what_its_gin_entries_find(
    analysed: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Led by the GIN index (as before the statistics exist) and led by the
    words' postings, every page is the same."""
    with analysed.transaction() as conn:
        conn.execute(text("ANALYZE"))
    search_statistics.forget()
    statements = _postings_statements(analysed)
    with monkeypatch.context() as patched:
        patched.setattr(search_statistics, "postings_lead", lambda conn, query: ())
        by_gin = _pages(analysed)
    assert statements == []
    by_postings = _pages(analysed)
    assert len(statements) >= len(SEARCHES)
    assert by_postings == by_gin
    assert all(by_gin), "every search finds something"
    # German 42 holds both forms, "supporters" and "support": found once.
    with analysed.read() as conn:
        found = search_articles(conn, parse_query("supporters"), ArticleFilter(), 100, 0)
    titles = [h.title for h in found.hits]
    assert sorted(titles) == sorted(
        f"p{n}" for n in range(1, ARTICLES + 1) if n % 3 == 0 or n % 7 == 0
    )


@on_postgresql
def test_the_rarest_bare_word_leads(analysed: Database) -> None:
    with analysed.transaction() as conn:
        conn.execute(text("ANALYZE"))
    search_statistics.forget()
    with analysed.read() as conn:
        assert search_statistics.postings_lead(conn, parse_query("militia")) == ("militia",)
        # The stem and the word folded (an article in a language not stemmed).
        assert search_statistics.postings_lead(conn, parse_query("supporters")) == (
            "support", "supporters")
        # Of two common words the rarer leads.
        assert search_statistics.postings_lead(
            conn, parse_query("quay supporters")) == ("support", "supporters")
        # A word too rare for the statistics leads alone (its list is short);
        # beside another, the GIN index intersects their entries instead.
        assert search_statistics.postings_lead(conn, parse_query("zzzq")) == ("zzzq",)
        assert search_statistics.postings_lead(conn, parse_query("militia zzzq")) == ()
        # A quoted word cannot lead: an exact form may stem otherwise than asked.
        assert search_statistics.postings_lead(conn, parse_query('"zzzq" militia')) == (
            "militia",)
        assert search_statistics.postings_lead(conn, parse_query('"militia"')) == ()
        assert search_statistics.postings_lead(conn, parse_query("militia mili*")) == ()
