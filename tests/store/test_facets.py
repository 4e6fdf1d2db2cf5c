from __future__ import annotations

from datetime import UTC, datetime

from kartoteka.model import ArticleDraft, ArticleStatus, Author
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.countries import country_counts
from kartoteka.store.database import Database
from kartoteka.store.facets import FacetValue, facet_counts
from kartoteka.text.query import parse_query

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def add(
    repo: ArticleRepository,
    article_id: str,
    body: str,
    *,
    author: str,
    countries: list[str],
    language: str,
    year: int | None,
    status: ArticleStatus = ArticleStatus.PUBLISHED,
) -> None:
    repo.insert(
        article_id,
        ArticleDraft(
            title=f"Title {article_id}",
            body=body,
            source=f"/tmp/{article_id}.md",
            author=Author(author, author.upper().lstrip("@")),
            countries=countries,
            language=language,
            published_at=datetime(year, 6, 1, tzinfo=UTC) if year else None,
        ),
        f"hash-{article_id}",
        NOW,
        status,
    )


def fill(db: Database) -> None:
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        add(
            repo,
            "a",
            "militia near the border",
            author="@one",
            countries=["rs", "xk"],
            language="en",
            year=2020,
        )
        add(
            repo,
            "b",
            "militia in the north",
            author="@one",
            countries=["rs"],
            language="en",
            year=2021,
        )
        add(repo, "c", "боевики militia", author="@two", countries=["xk"], language="ru", year=2021)
        add(repo, "d", "cartel news", author="@three", countries=["mx"], language="es", year=None)
        add(
            repo,
            "e",
            "militia draft",
            author="@two",
            countries=["ba"],
            language="en",
            year=2022,
            status=ArticleStatus.DRAFT,
        )
        repo.set_original("b", "a")


def test_facets_over_all_visible_articles(db: Database) -> None:
    fill(db)
    with db.read() as conn:
        facets = facet_counts(conn, ArticleFilter())
    # b is a repost and e a draft: neither is counted
    assert facets.countries == [FacetValue("xk", 2), FacetValue("mx", 1), FacetValue("rs", 1)]
    assert facets.authors == [
        FacetValue("@one", 1, "ONE"),
        FacetValue("@three", 1, "THREE"),
        FacetValue("@two", 1, "TWO"),
    ]
    assert facets.languages == [FacetValue("en", 1), FacetValue("es", 1), FacetValue("ru", 1)]
    assert facets.years == [FacetValue("2021", 1), FacetValue("2020", 1)]


def test_facets_follow_the_query_and_filters(db: Database) -> None:
    fill(db)
    with db.read() as conn:
        matched = facet_counts(conn, ArticleFilter(include_reposts=True), parse_query("militia"))
        narrowed = facet_counts(conn, ArticleFilter(country="xk"), parse_query("militia"))
        nothing = facet_counts(conn, ArticleFilter(), parse_query("-militia"))
        drafts = facet_counts(conn, ArticleFilter(include_unpublished=True), parse_query("draft"))
    assert matched.countries == [FacetValue("rs", 2), FacetValue("xk", 2)]
    assert matched.years == [FacetValue("2021", 2), FacetValue("2020", 1)]
    assert narrowed.languages == [FacetValue("en", 1), FacetValue("ru", 1)]
    assert nothing.countries == [] and nothing.authors == []
    assert drafts.countries == [FacetValue("ba", 1)]
    assert (matched.is_exact, matched.counted) == (True, 3)


def test_a_search_counts_its_latest_matches_and_says_so(db: Database) -> None:
    fill(db)
    with db.read() as conn:
        latest = facet_counts(
            conn, ArticleFilter(include_reposts=True), parse_query("militia"), window=2
        )
    # a, b and c match; b and c were stored last
    assert latest.countries == [FacetValue("rs", 1), FacetValue("xk", 1)]
    assert latest.languages == [FacetValue("en", 1), FacetValue("ru", 1)]
    assert (latest.is_exact, latest.counted) == (False, 2)


def test_country_counts(db: Database) -> None:
    fill(db)
    with db.read() as conn:
        counts = country_counts(conn)
        with_reposts = country_counts(conn, ArticleFilter(include_reposts=True))
    assert counts == {"mx": 1, "rs": 1, "xk": 2}
    assert with_reposts == {"mx": 1, "rs": 2, "xk": 2}
