"""Search use case: parse the query, widen it, run it, and make snippets safe to show.

A query that cannot be searched usefully (no words at all, only function
words, too long) gets no results and a ``message`` saying why, never an
error.  A query that names a registry entity or a country also finds the
articles linked to it (``widened_by``, see ``services.widening``), unless
``widen`` is off.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace

from kartoteka.i18n import Message
from kartoteka.model import SearchHit, Widening
from kartoteka.services.matching import RegistryMatcher
from kartoteka.services.widening import widenings
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.facets import Facets, facet_counts
from kartoteka.store.search import search_articles
from kartoteka.text.highlight import HIT_END, HIT_START
from kartoteka.text.query import ParsedQuery, parse_query

MAX_LIMIT = 200
# The web form and the API take 500 characters; the CLI is held to the same.
MAX_QUERY_CHARS = 500
MAX_TERMS = 32


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """What will be searched: the parsed query, its widenings, or why nothing."""

    text: str
    query: ParsedQuery
    widened_by: list[Widening] = field(default_factory=list)
    message: str = ""


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    limit: int
    offset: int
    total_is_exact: bool = True
    widened_by: list[Widening] = field(default_factory=list)
    message: str = ""


def snippet_html(raw: str) -> str:
    """Escape the text, then turn hit markers into <mark> tags."""
    escaped = html.escape(raw.replace("\n", " "), quote=False)
    return escaped.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>")


def snippet_plain(raw: str) -> str:
    return raw.replace("\n", " ").replace(HIT_START, "").replace(HIT_END, "")


def plan_search(db: Database, text: str, widen: bool = True,
                matcher: RegistryMatcher | None = None) -> SearchPlan:
    """``matcher``: the process's one (``Services.matcher``); None builds one for this call."""
    text = text.strip()
    if len(text) > MAX_QUERY_CHARS:
        return SearchPlan(
            text, ParsedQuery(()),
            message=Message(
                "The query is %(length)s characters long; a search takes at most %(limit)s. "
                "Shorten it to the words that matter.",
                length=f"{len(text):,}",
                limit=MAX_QUERY_CHARS,
            ),
        )
    parsed = parse_query(text)
    if len(parsed.terms) > MAX_TERMS:
        return SearchPlan(
            text, ParsedQuery(()),
            message=Message(
                "The query has %(terms)s terms; a search takes at most %(limit)s. "
                "Leave out the words that matter less.",
                terms=len(parsed.terms),
                limit=MAX_TERMS,
            ),
        )
    query = parsed.without_stopwords()
    found = widenings(matcher or RegistryMatcher(db), text, query) if widen and text else []
    if query.only_stopwords:
        if not found:
            common = ", ".join(dict.fromkeys(w for t in query.positive for w in t.words))
            return SearchPlan(
                text, query,
                message=Message(
                    "Only common words (%(words)s): nearly every article has them. "
                    "Add a word that says what you are looking for.",
                    words=common,
                ),
            )
        # "US": the country, not the word "us" in every article.
        query = ParsedQuery(tuple(t for t in query.terms if t.negated))
        found = [replace(w, terms=frozenset()) for w in found]
    if query.is_empty and not found:
        return SearchPlan(
            text, query,
            message=Message('Nothing to search for: type a word, a "phrase" or a prefix*.'),
        )
    return SearchPlan(text, query, found)


def search(
    db: Database,
    query: str,
    flt: ArticleFilter | None = None,
    limit: int = 20,
    offset: int = 0,
    widen: bool = True,
    *,
    matcher: RegistryMatcher | None = None,
) -> SearchResults:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    plan = plan_search(db, query, widen, matcher)
    if plan.message:
        return SearchResults(query, [], 0, limit, offset, message=plan.message)
    with db.read() as conn:
        page = search_articles(
            conn, plan.query, flt or ArticleFilter(), limit, offset, widenings=plan.widened_by
        )
    hits = [replace(h, snippet=snippet_html(h.snippet)) for h in page.hits]
    return SearchResults(
        query, hits, page.total, limit, offset, page.total_is_exact, plan.widened_by
    )


def search_facets(
    db: Database, query: str, flt: ArticleFilter | None = None, widen: bool = True,
    *, matcher: RegistryMatcher | None = None,
) -> Facets:
    """Counts by country, author, language and year over everything the query matches."""
    plan = plan_search(db, query, widen, matcher)
    if plan.message:
        return Facets()
    with db.read() as conn:
        return facet_counts(
            conn, flt or ArticleFilter(), plan.query, widenings=plan.widened_by
        )


def filter_choices(db: Database, flt: ArticleFilter | None = None) -> Facets:
    """Counts over every visible article: the values a search form can offer."""
    with db.read() as conn:
        return facet_counts(conn, flt or ArticleFilter(), None, limit=500)
