"""Writing articles' story terms, in the transaction that writes the article."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, delete, insert, select

from kartoteka.store.related_tables import MAX_TERM, article_terms
from kartoteka.store.tables import articles
from kartoteka.text.story_terms import story_terms

_DELETE = delete(article_terms).where(article_terms.c.article_pk == bindparam("pk"))
_INSERT = insert(article_terms)
BACKFILL_BATCH = 500


def save_story_terms(conn: Connection, pk: int, title: str, body: str) -> None:
    """Replace the article's story terms with those of this text."""
    conn.execute(_DELETE, {"pk": pk})
    rows = _rows(pk, title, body)
    if rows:
        conn.execute(_INSERT, rows)


def backfill_story_terms(conn: Connection) -> int:
    """Story terms for every article that has none; returns how many got them."""
    done = 0
    last = 0
    has_terms = select(article_terms.c.article_pk).where(
        article_terms.c.article_pk == articles.c.pk).exists()
    while True:
        batch = conn.execute(
            select(articles.c.pk, articles.c.title, articles.c.body)
            .where(articles.c.pk > last, ~has_terms)
            .order_by(articles.c.pk).limit(BACKFILL_BATCH)
        ).all()
        if not batch:
            return done
        rows = [row for a in batch for row in _rows(a.pk, a.title, a.body)]
        if rows:
            conn.execute(_INSERT, rows)
        done += len(batch)
        last = batch[-1].pk


def _rows(pk: int, title: str, body: str) -> list[dict[str, object]]:
    terms: dict[str, float] = {}
    for term, weight in story_terms(title, body).items():
        cut = term[:MAX_TERM]  # a run of letters that long is no word; keep it unique
        terms[cut] = max(weight, terms.get(cut, 0.0))
    return [{"article_pk": pk, "term": t, "weight": w} for t, w in terms.items()]
