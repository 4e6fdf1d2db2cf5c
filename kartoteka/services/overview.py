"""What the front page summarises: counts, the newest articles, the countries."""

from __future__ import annotations

from dataclasses import dataclass

from kartoteka.model import Article
from kartoteka.services.countries import CountryCatalog, article_catalog
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.facets import facet_counts


@dataclass(slots=True)
class Overview:
    articles: int
    authors: int
    countries: int
    languages: dict[str, int]
    latest: list[Article]
    catalog: CountryCatalog


def overview(
    db: Database, latest: int = 10, per_country: int = 3, flt: ArticleFilter | None = None
) -> Overview:
    flt = flt or ArticleFilter()
    with db.read() as conn:
        repo = ArticleRepository(conn)
        total = repo.count(flt)
        newest = repo.list(flt, latest)
        authors = sum(1 for _author, n in repo.list_authors() if n)
        facets = facet_counts(conn, flt, limit=100)
    catalog = article_catalog(db, per_country, flt)
    return Overview(
        articles=total,
        authors=authors,
        countries=len(catalog.counts),
        languages={f.value: f.count for f in facets.languages},
        latest=newest,
        catalog=catalog,
    )
