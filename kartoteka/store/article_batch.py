"""Writing a batch of new articles set-based: one statement per table, not per article.

``ArticleRepository.insert`` writes one article in about twenty statements
(the row, its countries, its revision, two full-text rows, its story terms
and their counts); at bulk-ingest rates the statements' own cost (building,
binding, a round trip each) was most of the time.  Here the same rows for a
whole batch go in with one ``executemany`` per table, and the look-ups that
decide what each draft is (new, unchanged, a revision) are one query each
for the batch.  What is written is the same as ``insert`` writes, row for row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from kartoteka.model import ArticleDraft, ArticleStatus
from kartoteka.store import dialect, search_index
from kartoteka.store.articles import new_article_row
from kartoteka.store.story_terms import add_story_terms
from kartoteka.store.tables import article_countries, article_revisions, articles

_CHUNK = 900  # ids per IN list: below SQLite's bound-parameter limit on any build

_HASHES_OF = select(articles.c.id, articles.c.content_hash).where(
    articles.c.id.in_(bindparam("ids", expanding=True)))
_IDS_FOR_HASHES = select(articles.c.content_hash, articles.c.id).where(
    articles.c.content_hash.in_(bindparam("hashes", expanding=True)))
_REVISIONS_OF = select(articles.c.id, articles.c.pk, articles.c.revision).where(
    articles.c.id.in_(bindparam("ids", expanding=True)))
_SET_EXTRA = update(articles).where(articles.c.pk == bindparam("b_pk")).values(
    extra=bindparam("b_extra"))
_INSERT_COUNTRIES = insert(article_countries)


@dataclass(frozen=True, slots=True)
class NewArticle:
    """A draft to insert as a new article, with what the service decided for it."""

    article_id: str
    draft: ArticleDraft
    content_hash: str
    author_pk: int | None


def current_hashes(conn: Connection, article_ids: Sequence[str]) -> dict[str, str]:
    """The content hash of each of ``article_ids`` already stored (absent ones are new)."""
    found: dict[str, str] = {}
    wanted = sorted(set(article_ids))
    for start in range(0, len(wanted), _CHUNK):
        rows = conn.execute(_HASHES_OF, {"ids": wanted[start:start + _CHUNK]})
        found.update((r.id, r.content_hash) for r in rows)
    return found


def hashes_stored(conn: Connection, content_hashes: Sequence[str]) -> set[str]:
    """Those of ``content_hashes`` that some stored article (under any id) has."""
    found: set[str] = set()
    wanted = sorted(set(content_hashes))
    for start in range(0, len(wanted), _CHUNK):
        rows = conn.execute(_IDS_FOR_HASHES, {"hashes": wanted[start:start + _CHUNK]})
        found.update(r.content_hash for r in rows)
    return found


def current_revisions(conn: Connection, article_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """(pk, current revision) of each of ``article_ids`` still stored."""
    found: dict[str, tuple[int, int]] = {}
    wanted = sorted(set(article_ids))
    for start in range(0, len(wanted), _CHUNK):
        rows = conn.execute(_REVISIONS_OF, {"ids": wanted[start:start + _CHUNK]})
        found.update((r.id, (int(r.pk), int(r.revision))) for r in rows)
    return found


def replace_countries_many(conn: Connection, countries: Mapping[int, Sequence[str]]) -> None:
    """Set the countries of many articles (by pk) without a revision: extraction's
    enrichment, as ``ArticleRepository.replace_countries`` does for one."""
    pks = sorted(countries)
    for start in range(0, len(pks), _CHUNK):
        conn.execute(delete(article_countries).where(
            article_countries.c.article_pk.in_(pks[start:start + _CHUNK])))
    rows = [{"article_pk": pk, "country": code} for pk in pks
            for code in sorted({c.lower() for c in countries[pk] if c})]
    if rows:
        conn.execute(_INSERT_COUNTRIES, rows)


def set_extras(conn: Connection, extras: Mapping[int, dict[str, object]]) -> None:
    """Replace the ``extra`` of many articles (by pk) in one statement."""
    if extras:
        conn.execute(_SET_EXTRA, [{"b_pk": pk, "b_extra": extra} for pk, extra in extras.items()])


def insert_new_articles(
    conn: Connection,
    new: Sequence[NewArticle],
    now: datetime,
    status: ArticleStatus = ArticleStatus.PUBLISHED,
) -> list[int]:
    """Insert the articles with their countries, first revision, search index rows and
    story terms; returns their pks in the order given."""
    if not new:
        return []
    rows = dialect.insert_many(
        conn, articles, [_article_row(a, now, status) for a in new], ("pk", "id"))
    pks = [int(r.pk) for r in rows]
    if [r.id for r in rows] != [a.article_id for a in new]:
        raise RuntimeError("the database returned inserted articles out of order")
    countries = [{"article_pk": pk, "country": code}
                 for pk, a in zip(pks, new, strict=True)
                 for code in sorted({c.lower() for c in a.draft.countries if c})]
    if countries:
        conn.execute(_INSERT_COUNTRIES, countries)
    dialect.insert_many(conn, article_revisions, [
        {"article_pk": pk, "number": 1, "title": a.draft.title, "body": a.draft.body,
         "content_hash": a.content_hash, "created_at": now, "created_by": None}
        for pk, a in zip(pks, new, strict=True)
    ])
    texts = [(pk, a.draft.title, a.draft.body) for pk, a in zip(pks, new, strict=True)]
    search_index.index_articles(conn, [
        (pk, a.draft.title, a.draft.body, a.draft.language) for pk, a in zip(pks, new, strict=True)
    ])
    add_story_terms(conn, texts)
    return pks


def _article_row(a: NewArticle, now: datetime, status: ArticleStatus) -> dict[str, object]:
    return new_article_row(a.draft, article_id=a.article_id, author_pk=a.author_pk,
                           content_hash=a.content_hash, now=now, status=status)
