"""How many visible articles each country has, in one statement."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from kartoteka.store.articles import ArticleFilter
from kartoteka.store.tables import article_countries, articles


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
