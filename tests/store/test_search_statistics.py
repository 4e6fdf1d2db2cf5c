"""The planner's statistics read for search: shares of stems, and what they change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text

from kartoteka.model import ArticleDraft
from kartoteka.services.ingest import IngestService
from kartoteka.store import search as store_search
from kartoteka.store import search_statistics
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.search import search_articles
from kartoteka.text.query import parse_query

ARTICLES = 40


def _said(n: int) -> bool:
    """"militia" in half the articles, and in half of each country's."""
    return n % 4 in (1, 2)


@pytest.fixture
def analysed(db: Database) -> Iterator[Database]:
    """40 articles: odd ones in Kosovo, even ones in Serbia; statistics taken."""
    service = IngestService(db)
    for n in range(1, ARTICLES + 1):
        word = "militia" if _said(n) else "harbour"
        service.store(
            ArticleDraft(
                title=f"c{n}", body=f"{word} quay quay", source=f"test://c/{n}",
                language="en", published_at=datetime(2021, 1, 1, tzinfo=UTC),
                countries=["xk" if n % 2 else "rs"],
            )
        )
    with db.transaction() as conn:
        conn.execute(text("ANALYZE"))
    search_statistics.forget()
    yield db
    search_statistics.forget()


def test_shares_come_from_the_statistics_on_postgresql(analysed: Database) -> None:
    with analysed.read() as conn:
        shares = search_statistics.shares(conn)
    if analysed.backend == "sqlite":
        assert shares is None  # FTS5 keeps no such statistics
        return
    assert shares is not None
    assert shares.stems["militia"] == pytest.approx(0.5)
    assert shares.stems["quay"] == pytest.approx(1.0)


def _ranking_statements(db: Database) -> list[str]:
    seen: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "row_number()" in statement:
            seen.append(statement)

    return seen


def test_a_word_led_by_its_postings_needs_no_range(
    analysed: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the statistics, the first range (the latest 4 articles) holds one
    match in Kosovo and a second range is searched; with them, "militia" is read
    from its postings newest first, in one statement.  Either way the page is the
    same."""
    monkeypatch.setattr(store_search, "FIRST_SPAN", 2)
    statements = _ranking_statements(analysed)

    def latest_in_kosovo() -> list[str]:
        with analysed.read() as conn:
            found = search_articles(
                conn, parse_query("militia"), ArticleFilter(country="xk"), 1, 0, tier=1
            )
        return [h.title for h in found.hits]

    expected = [f"c{n}" for n in range(ARTICLES, 0, -1) if n % 2 and _said(n)][:1]
    assert latest_in_kosovo() == expected
    led = len(statements)
    monkeypatch.setattr(search_statistics, "shares", lambda conn: None)
    statements.clear()
    assert latest_in_kosovo() == expected
    blind = len(statements)
    if analysed.backend == "sqlite":  # one FTS5 scan, newest first: no ranges
        assert led == blind == 1
    else:
        assert (led, blind) == (1, 2)
