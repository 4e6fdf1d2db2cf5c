"""Search use case: parse the query, run it, and make snippets safe to show."""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from kartoteka.model import SearchHit
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.dialect import HIT_END, HIT_START
from kartoteka.store.facets import Facets, facet_counts
from kartoteka.store.search import search_articles
from kartoteka.text.query import parse_query

MAX_LIMIT = 200


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    limit: int
    offset: int
    total_is_exact: bool = True


def snippet_html(raw: str) -> str:
    """Escape the text, then turn hit markers into <mark> tags."""
    escaped = html.escape(raw.replace("\n", " "), quote=False)
    return escaped.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>")


def snippet_plain(raw: str) -> str:
    return raw.replace("\n", " ").replace(HIT_START, "").replace(HIT_END, "")


def search(
    db: Database,
    query: str,
    flt: ArticleFilter | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    with db.read() as conn:
        page = search_articles(conn, parse_query(query), flt or ArticleFilter(), limit, offset)
    hits = [replace(h, snippet=snippet_html(h.snippet)) for h in page.hits]
    return SearchResults(query, hits, page.total, limit, offset, page.total_is_exact)


def search_facets(db: Database, query: str, flt: ArticleFilter | None = None) -> Facets:
    """Counts by country, author, language and year over everything the query matches."""
    with db.read() as conn:
        return facet_counts(conn, flt or ArticleFilter(), parse_query(query))


def filter_choices(db: Database, flt: ArticleFilter | None = None) -> Facets:
    """Counts over every visible article: the values a search form can offer."""
    with db.read() as conn:
        return facet_counts(conn, flt or ArticleFilter(), None, limit=500)
