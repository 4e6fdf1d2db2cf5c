"""Counts of matching articles by country, author, language, year and entity.

Facets answer "where would this filter take me" next to a list or a search:
each count is over the same articles the list shows (filters and, when
given, the search query applied).  Plain SQL expressions only, so both
backends run the same statement.

Next to a search, only the latest ``FACET_WINDOW`` matches are counted (the
first ranking tier, the results a reader sees first): counting all 200,000
articles that say a common word took longer than the search itself.  The
counts then say so (``is_exact`` false, ``counted`` the matches counted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, Select, distinct, extract, func, select

from kartoteka.model import Widening
from kartoteka.record import as_record
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.registry import RegistryRepository
from kartoteka.store.registry_tables import entities
from kartoteka.store.search import RANK_TIER, latest_matches
from kartoteka.store.tables import article_countries, articles, authors
from kartoteka.text.query import ParsedQuery

FACET_LIMIT = 30
FACET_WINDOW = RANK_TIER


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    count: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class Facets:
    countries: list[FacetValue] = field(default_factory=list)
    authors: list[FacetValue] = field(default_factory=list)
    languages: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)
    entities: list[FacetValue] = field(default_factory=list)
    # False: more articles match than were counted; the counts are over the
    # latest ``counted`` matches only.
    is_exact: bool = True
    counted: int = 0

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return as_record(self)


def facet_counts(
    conn: Connection,
    flt: ArticleFilter,
    query: ParsedQuery | None = None,
    limit: int = FACET_LIMIT,
    widenings: Sequence[Widening] = (),
    window: int = FACET_WINDOW,
) -> Facets:
    """The most frequent values of each facet, largest count first, ties by value.

    A list's facets count every article it shows; a search's, its latest
    ``window`` matches (see the module's docstring)."""
    pks: Select[Any] | list[int]
    if query is None:
        pks, is_exact, counted = select(articles.c.pk).where(*flt.conditions()), True, 0
    else:
        found = latest_matches(conn, query, flt, widenings, window)
        if not found:
            return Facets()
        pks, is_exact = found[:window], len(found) <= window
        counted = len(pks)
    return replace(counts_over(conn, pks, limit), is_exact=is_exact, counted=counted)


def counts_over(conn: Connection, pks: Select[Any] | list[int], limit: int) -> Facets:
    """Each facet's most frequent values over the articles ``pks`` (a select or a list)."""
    n = func.count().label("n")

    country = conn.execute(
        select(article_countries.c.country, n)
        .where(article_countries.c.article_pk.in_(pks))
        .group_by(article_countries.c.country)
        .order_by(n.desc(), article_countries.c.country)
        .limit(limit)
    ).all()
    author = conn.execute(
        select(authors.c.handle, authors.c.display_name, n)
        .select_from(articles.join(authors, authors.c.pk == articles.c.author_pk))
        .where(articles.c.pk.in_(pks))
        .group_by(authors.c.pk, authors.c.handle, authors.c.display_name)
        .order_by(n.desc(), authors.c.handle)
        .limit(limit)
    ).all()
    language = conn.execute(
        select(articles.c.language, n)
        .where(articles.c.pk.in_(pks), articles.c.language.is_not(None))
        .group_by(articles.c.language)
        .order_by(n.desc(), articles.c.language)
        .limit(limit)
    ).all()
    year_of = extract("year", articles.c.published_at)
    year = conn.execute(
        select(year_of.label("year"), n)
        .where(articles.c.pk.in_(pks), articles.c.published_at.is_not(None))
        .group_by(year_of)
        .order_by(year_of.desc())
        .limit(limit)
    ).all()
    return Facets(
        countries=[FacetValue(r.country, int(r.n)) for r in country],
        authors=[FacetValue(r.handle, int(r.n), r.display_name or "") for r in author],
        languages=[FacetValue(r.language, int(r.n)) for r in language],
        years=[FacetValue(str(int(r.year)), int(r.n)) for r in year],
        entities=entity_facet(conn, pks, limit),
    )


def entity_facet(conn: Connection, pks: Select[Any] | list[int], limit: int) -> list[FacetValue]:
    """Linked entities by number of matching articles, under canonical ids.

    Counted per stored id in SQL; a merged cluster with several ids present
    is counted again over all its ids, so an article linked to two of them
    counts once.  The label is the canonical entity's name.
    """
    pairs = conn.execute(
        select(article_entities.c.entity_id, func.count(distinct(article_entities.c.article_pk)))
        .where(article_entities.c.article_pk.in_(pks))
        .group_by(article_entities.c.entity_id)
    ).all()
    if not pairs:
        return []
    merges = RegistryRepository(conn).merge_map()
    counts: dict[str, int] = {}
    members: dict[str, list[str]] = {}
    for entity_id, n in pairs:
        canonical = merges.get(entity_id, entity_id)
        counts[canonical] = counts.get(canonical, 0) + int(n)
        members.setdefault(canonical, []).append(entity_id)
    for canonical, ids in members.items():
        if len(ids) > 1:
            counts[canonical] = int(conn.execute(
                select(func.count(distinct(article_entities.c.article_pk))).where(
                    article_entities.c.article_pk.in_(pks), article_entities.c.entity_id.in_(ids)
                )
            ).scalar_one())
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    names = dict(conn.execute(
        select(entities.c.id, entities.c.name).where(entities.c.id.in_([i for i, _ in top]))
    ).all())
    return [FacetValue(i, n, names.get(i, "")) for i, n in top]
