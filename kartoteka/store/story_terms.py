"""Writing articles' story terms, in the transaction that writes the article.

Each write also keeps ``story_term_counts`` (articles per term) in step.  A
count that has reached ``FROZEN_COUNT`` is no longer changed: related
materials need exact counts only up to their cap (``MAX_COMMON`` there, far
below), and the most common stems, in almost every article, would otherwise
be rows that every writer locks in turn.  A frozen count can mislead only
after ``FROZEN_COUNT - MAX_COMMON`` articles with the term lost it by
revision or deletion.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from operator import itemgetter

from sqlalchemy import Connection, bindparam, delete, func, insert, select

from kartoteka.store import dialect
from kartoteka.store.related_tables import MAX_TERM, article_terms, story_term_counts
from kartoteka.store.tables import articles
from kartoteka.text.story_terms import story_terms

_TERMS_OF = select(article_terms.c.term).where(article_terms.c.article_pk == bindparam("pk"))
_DELETE = delete(article_terms).where(article_terms.c.article_pk == bindparam("pk"))
_INSERT = insert(article_terms)
_FROZEN = select(story_term_counts.c.term).where(
    story_term_counts.c.term.in_(bindparam("terms", expanding=True)),
    story_term_counts.c.articles >= bindparam("frozen"),
)
BACKFILL_BATCH = 500
FROZEN_COUNT = 5000
_CHUNK = 900  # below SQLite's bound-parameter limit


def save_story_terms(conn: Connection, pk: int, title: str, body: str) -> None:
    """Replace the article's story terms with those of this text."""
    old = set(conn.execute(_TERMS_OF, {"pk": pk}).scalars())
    conn.execute(_DELETE, {"pk": pk})
    rows = _rows(pk, title, body)
    if rows:
        conn.execute(_INSERT, rows)
    new = {str(row["term"]) for row in rows}
    _count(conn, {**{t: -1 for t in old - new}, **{t: 1 for t in new - old}})


def add_story_terms(
    conn: Connection, texts: Iterable[tuple[int, str, str]], *, counted: bool = True
) -> None:
    """Story terms of articles that have none yet, ``(pk, title, body)`` each.

    For many new articles at once (an ingest batch, a bulk load, a backfill):
    the rows go in as one executemany and the counts are added once for the
    whole batch, where ``save_story_terms`` would read, delete and count per
    article.
    """
    rows = [(pk, term, weight) for pk, title, body in texts
            for term, weight in _terms(title, body).items()]
    if rows:
        dialect.insert_plain_rows(conn, article_terms, ("article_pk", "term", "weight"), rows)
        if counted:
            _count(conn, Counter(map(itemgetter(1), rows)))


def backfill_story_terms(conn: Connection, *, counted: bool = True) -> int:
    """Story terms for every article that has none; returns how many got them.

    ``counted=False`` leaves ``story_term_counts`` alone: for the migration
    that runs before that table exists (the one creating it counts them all).
    """
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
        add_story_terms(conn, ((a.pk, a.title, a.body) for a in batch), counted=counted)
        done += len(batch)
        last = batch[-1].pk


def recount_story_terms(conn: Connection) -> None:
    """Rebuild ``story_term_counts`` from the terms stored (a migration's backfill)."""
    conn.execute(delete(story_term_counts))
    per_term = select(article_terms.c.term, func.count().label("articles")).group_by(
        article_terms.c.term)
    conn.execute(insert(story_term_counts).from_select(["term", "articles"], per_term))


def _count(conn: Connection, deltas: Mapping[str, int]) -> None:
    """Add ``deltas`` to the terms' counts, except to those frozen."""
    wanted = sorted(t for t, n in deltas.items() if n)
    frozen: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        frozen.update(conn.execute(_FROZEN, {"terms": chunk, "frozen": FROZEN_COUNT}).scalars())
    dialect.add_to_counts(conn, story_term_counts, "term", "articles",
                          {t: deltas[t] for t in wanted if t not in frozen})


def _rows(pk: int, title: str, body: str) -> list[dict[str, object]]:
    return [{"article_pk": pk, "term": t, "weight": w} for t, w in _terms(title, body).items()]


def _terms(title: str, body: str) -> dict[str, float]:
    terms = story_terms(title, body)
    if not terms or max(map(len, terms)) <= MAX_TERM:
        return terms  # the usual case: no term to cut
    cut_terms: dict[str, float] = {}
    for term, weight in terms.items():
        cut = term[:MAX_TERM]  # a run of letters that long is no word; keep it unique
        cut_terms[cut] = max(weight, cut_terms.get(cut, 0.0))
    return cut_terms
