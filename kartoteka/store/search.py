"""Full-text search over current, visible articles, on either backend."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from kartoteka.model import SearchHit
from kartoteka.store import dialect
from kartoteka.store.articles import ArticleFilter, _aware
from kartoteka.store.tables import articles, authors
from kartoteka.text.query import ParsedQuery

# Counting every match of a very common word costs as much as ranking them;
# beyond this many, the total is reported as a lower bound ("10000+").
TOTAL_CAP = 10_000


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    total_is_exact: bool = True


def search_articles(
    conn: Connection,
    query: ParsedQuery,
    flt: ArticleFilter,
    limit: int = 20,
    offset: int = 0,
    with_total: bool = True,
) -> SearchPage:
    """Ranked hits with snippets whose hits are wrapped in dialect.HIT_START/END."""
    if query.is_empty:
        return SearchPage([], 0)
    matched = dialect.search_select(conn, query).where(*flt.conditions())
    # Rank first, on the narrow columns alone; only the page of winners is then
    # joined to the full rows (whose bodies are large) and given snippets.
    ranked = matched.subquery("ranked")
    top = conn.execute(
        select(ranked.c.pk, ranked.c.score)
        .order_by(ranked.c.score.desc(), ranked.c.pk.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    pks = [r.pk for r in top]
    details = {
        r.pk: r
        for r in conn.execute(
            select(
                articles.c.pk,
                articles.c.id,
                articles.c.title,
                articles.c.published_at,
                authors.c.handle,
            )
            .select_from(articles.outerjoin(authors, authors.c.pk == articles.c.author_pk))
            .where(articles.c.pk.in_(pks))
        )
    }
    found = dialect.snippets(conn, query, pks)
    hits = [
        SearchHit(
            id=details[r.pk].id,
            title=details[r.pk].title,
            author=details[r.pk].handle,
            published_at=_aware(details[r.pk].published_at),
            score=round(float(r.score), 6),
            snippet=found.get(r.pk, ""),
        )
        for r in top
    ]
    total = len(hits) + offset
    if with_total and (len(hits) == limit or offset):
        counted = matched.with_only_columns(articles.c.pk).limit(TOTAL_CAP + 1).subquery()
        total = int(conn.execute(select(func.count()).select_from(counted)).scalar_one())
    exact = total <= TOTAL_CAP
    return SearchPage(hits, min(total, TOTAL_CAP), exact)
