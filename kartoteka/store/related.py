"""SQL for related articles: an article's facts, entity rarity, and candidates.

Candidates are visible articles only (no drafts, reposts or deleted ones);
the dialect-specific parts (word frequencies, "any of these words" ranking)
are in :mod:`kartoteka.store.dialect`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, select

from kartoteka.store import dialect
from kartoteka.store.articles import ArticleFilter, _aware
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.tables import article_countries, articles

_CHUNK = 900  # below SQLite's bound-parameter limit


@dataclass(slots=True)
class ArticleFacts:
    """What ranking needs of an article; ``body`` only for the article ranked against."""

    pk: int
    id: str
    title: str
    published_at: datetime | None
    original_id: str | None
    body: str = ""
    countries: list[str] = field(default_factory=list)
    entities: set[str] = field(default_factory=set)


# Statements built once, so SQLAlchemy reuses their compiled form on every call.
_ARTICLE = select(
    articles.c.pk, articles.c.id, articles.c.title, articles.c.body,
    articles.c.published_at, articles.c.original_id,
).where(articles.c.id == bindparam("id"), articles.c.deleted_at.is_(None))
_ENTITIES_OF = select(article_entities.c.entity_id).where(
    article_entities.c.article_pk == bindparam("pk")
)
_HIGHEST_KEY = select(func.max(articles.c.pk))
_LINKS = select(article_entities.c.article_pk, article_entities.c.entity_id).where(
    article_entities.c.entity_id.in_(bindparam("ids", expanding=True))
)
_LINKS_OF = select(article_entities.c.article_pk, article_entities.c.entity_id).where(
    article_entities.c.article_pk.in_(bindparam("pks", expanding=True)),
    article_entities.c.entity_id.in_(bindparam("ids", expanding=True)),
)
_VISIBLE = select(
    articles.c.pk, articles.c.id, articles.c.title, articles.c.published_at,
    articles.c.original_id,
).where(articles.c.pk.in_(bindparam("pks", expanding=True)), *ArticleFilter().conditions())
_COUNTRIES = (
    select(article_countries.c.article_pk, article_countries.c.country)
    .where(article_countries.c.article_pk.in_(bindparam("pks", expanding=True)))
    .order_by(article_countries.c.country)
)


class RelatedStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def article(self, article_id: str) -> ArticleFacts | None:
        """The article (any status, not deleted) with its countries and linked entities."""
        row = self.conn.execute(_ARTICLE, {"id": article_id}).first()
        if row is None:
            return None
        facts = ArticleFacts(
            row.pk, row.id, row.title, _aware(row.published_at), row.original_id, row.body
        )
        facts.countries = self._countries([row.pk])[row.pk]
        facts.entities = set(self.conn.execute(_ENTITIES_OF, {"pk": row.pk}).scalars())
        return facts

    def article_count(self) -> int:
        """Articles ever stored (the highest key): enough for IDF, and no table scan."""
        return int(self.conn.execute(_HIGHEST_KEY).scalar() or 0)

    def entity_frequencies(self, entity_ids: Iterable[str], cap: int) -> dict[str, int]:
        """How many articles each entity is linked to, counted no further than ``cap``."""
        ids = sorted(set(entity_ids))
        found: dict[str, int] = {}
        for entity_id in ids:
            limited = (
                select(article_entities.c.article_pk)
                .where(article_entities.c.entity_id == entity_id)
                .limit(cap)
                .subquery()
            )
            found[entity_id] = int(
                self.conn.execute(select(func.count()).select_from(limited)).scalar_one()
            )
        return found

    def sharing(self, entity_ids: Iterable[str]) -> dict[int, set[str]]:
        """Articles linked to any of these entities, with the entities they share."""
        ids = sorted(set(entity_ids))
        found: dict[int, set[str]] = defaultdict(set)
        if ids:
            for pk, entity_id in self.conn.execute(_LINKS, {"ids": ids}):
                found[pk].add(entity_id)
        return found

    def shared_with(self, pks: Sequence[int], entity_ids: Iterable[str]) -> dict[int, set[str]]:
        """Which of ``entity_ids`` each of ``pks`` is linked to."""
        ids = sorted(set(entity_ids))
        wanted = sorted(set(pks))
        found: dict[int, set[str]] = defaultdict(set)
        if not ids:
            return found
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            for pk, entity_id in self.conn.execute(_LINKS_OF, {"pks": chunk, "ids": ids}):
                found[pk].add(entity_id)
        return found

    def document_counts(self, words: list[str], cap: int) -> dict[str, int]:
        """Articles containing each word, counted up to ``cap + 1`` ("too common")."""
        return dialect.word_document_counts(self.conn, words, cap + 1)

    def postings(self, words: list[str], cap: int) -> dict[str, list[int]]:
        return dialect.articles_with_words(self.conn, words, cap)

    def visible(self, pks: Sequence[int]) -> dict[int, ArticleFacts]:
        """Facts of those of ``pks`` that readers may see, without bodies."""
        wanted = sorted(set(pks))
        found: dict[int, ArticleFacts] = {}
        for start in range(0, len(wanted), _CHUNK):
            for row in self.conn.execute(_VISIBLE, {"pks": wanted[start : start + _CHUNK]}):
                found[row.pk] = ArticleFacts(
                    row.pk, row.id, row.title, _aware(row.published_at), row.original_id
                )
        countries = self._countries(list(found))
        for pk, facts in found.items():
            facts.countries = countries[pk]
        return found

    def _countries(self, pks: Sequence[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {pk: [] for pk in pks}
        for start in range(0, len(pks), _CHUNK):
            chunk = list(pks[start : start + _CHUNK])
            for pk, country in self.conn.execute(_COUNTRIES, {"pks": chunk}):
                found[pk].append(country)
        return found
