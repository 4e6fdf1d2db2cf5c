"""Articles grouped by the countries they are about.

Until the registry's catalog exists, the countries an article is tagged
with are the catalog: these queries list them with counts and the latest
articles of each, in one statement per question rather than one per country.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from kartoteka.store.articles import ArticleFilter, _aware
from kartoteka.store.tables import article_countries, articles, authors


@dataclass(frozen=True, slots=True)
class CountryArticle:
    """Enough of an article to list it under a country heading."""

    country: str
    id: str
    title: str
    author: str | None
    published_at: datetime | None
    language: str | None
    url: str | None


def country_counts(conn: Connection, flt: ArticleFilter | None = None) -> dict[str, int]:
    """Every country code that visible articles carry, with how many carry it."""
    flt = flt or ArticleFilter()
    n = func.count().label("n")
    rows = conn.execute(
        select(article_countries.c.country, n)
        .select_from(
            article_countries.join(articles, articles.c.pk == article_countries.c.article_pk)
        )
        .where(*flt.conditions())
        .group_by(article_countries.c.country)
        .order_by(article_countries.c.country)
    ).all()
    return {r.country: int(r.n) for r in rows}


def latest_by_country(
    conn: Connection, per_country: int, flt: ArticleFilter | None = None
) -> list[CountryArticle]:
    """The ``per_country`` newest articles of every country (a window function)."""
    flt = flt or ArticleFilter()
    rank = (
        func.row_number()
        .over(
            partition_by=article_countries.c.country,
            order_by=(articles.c.published_at.desc().nulls_last(), articles.c.pk.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(
            article_countries.c.country,
            articles.c.id,
            articles.c.title,
            articles.c.published_at,
            articles.c.language,
            articles.c.url,
            authors.c.handle,
            rank,
        )
        .select_from(
            article_countries.join(
                articles, articles.c.pk == article_countries.c.article_pk
            ).outerjoin(authors, authors.c.pk == articles.c.author_pk)
        )
        .where(*flt.conditions())
        .subquery("ranked")
    )
    rows = conn.execute(
        select(ranked).where(ranked.c.rank <= per_country).order_by(ranked.c.country, ranked.c.rank)
    ).all()
    return [
        CountryArticle(
            country=r.country,
            id=r.id,
            title=r.title,
            author=r.handle,
            published_at=_aware(r.published_at),
            language=r.language,
            url=r.url,
        )
        for r in rows
    ]
