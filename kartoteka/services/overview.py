"""What the front page summarises: counts, the newest articles, the countries."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kartoteka.catalog.model import Catalog, CatalogEntry
from kartoteka.model import Article
from kartoteka.services.catalog import build_catalog
from kartoteka.services.countries import CountryCatalog
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.countries import country_counts
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
        counts = country_counts(conn, flt)
    catalog = CountryCatalog(_shortened(build_catalog(db), per_country), counts)
    return Overview(
        articles=total,
        authors=authors,
        countries=len(catalog.counts),
        languages={f.value: f.count for f in facets.languages},
        latest=newest,
        catalog=catalog,
    )


def _most_covered(entries: list[CatalogEntry], keep: int) -> list[CatalogEntry]:
    """The entries with the most articles (ties in catalog order): the country page has the rest."""
    ranked = sorted(enumerate(entries), key=lambda item: (-len(item[1].article_ids), item[0]))
    return [entry for _index, entry in ranked[:keep]]


def _shortened(catalog: Catalog, per_country: int) -> Catalog:
    return Catalog(
        [replace(c, entries=_most_covered(c.entries, per_country)) for c in catalog.countries]
    )
