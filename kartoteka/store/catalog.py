"""SQL for the catalog: placeholder keys, catalog links and candidates, and the reads
that build the catalog.

Only rows of origin ``catalog`` in ``article_entities`` are written here;
extraction writes its own.  Reads see visible articles only (no drafts,
reposts or deleted articles), with every link whatever its origin.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    Row,
    String,
    Table,
    or_,
    select,
    update,
)

from kartoteka.catalog.keys import PLACEHOLDER_SOURCE, handle_key, title_words
from kartoteka.store import dialect
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.extraction_tables import article_entities, candidates
from kartoteka.store.tables import article_countries, articles, authors, metadata

SUBJECT = "subject"
CATALOG = "catalog"

catalog_keys = Table(
    "catalog_keys",
    metadata,
    Column("key", String(2100), primary_key=True),
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
    Index("ix_catalog_keys_article", "article_pk"),
)


@dataclass(frozen=True, slots=True)
class KeyedArticle:
    id: str
    pk: int
    placeholder: bool


@dataclass(frozen=True, slots=True)
class CatalogArticle:
    """What the catalog needs of an article: no body."""

    pk: int
    id: str
    title: str
    url: str | None
    author: str | None
    published_at: datetime | None
    ingested_at: datetime

    @property
    def moment(self) -> datetime:
        return self.published_at or self.ingested_at


class CatalogStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- finding the article an entry points to -----------------------------------------

    def article_for_keys(self, keys: Sequence[str]) -> KeyedArticle | None:
        """The live article registered under the first of ``keys`` that is known."""
        if not keys:
            return None
        rows = self.conn.execute(
            select(catalog_keys.c.key, articles.c.id, articles.c.pk, articles.c.source)
            .join(articles, articles.c.pk == catalog_keys.c.article_pk)
            .where(catalog_keys.c.key.in_(list(keys)), articles.c.deleted_at.is_(None))
        ).all()
        by_key = {r.key: r for r in rows}
        for key in keys:
            row = by_key.get(key)
            if row is not None:
                return _keyed(row)
        return None

    def ids_for_keys(self, keys: Iterable[str]) -> dict[str, str]:
        """The live article id registered under each of ``keys`` that is known
        (a whole ingest batch's keys in one look-up per 900)."""
        wanted = sorted(set(keys))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 900):  # below SQLite's bound-parameter limit
            rows = self.conn.execute(
                select(catalog_keys.c.key, articles.c.id)
                .join(articles, articles.c.pk == catalog_keys.c.article_pk)
                .where(catalog_keys.c.key.in_(wanted[start:start + 900]),
                       articles.c.deleted_at.is_(None))
            )
            found.update((r.key, r.id) for r in rows)
        return found

    def pk_of(self, article_id: str) -> int:
        return int(
            self.conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).scalar_one()
        )

    def add_keys(self, article_pk: int, keys: Iterable[str]) -> None:
        """Register keys for an article; a key already taken keeps its article."""
        wanted = list(dict.fromkeys(keys))
        taken = set(
            self.conn.execute(
                select(catalog_keys.c.key).where(catalog_keys.c.key.in_(wanted))
            ).scalars()
        )
        for key in wanted:
            if key not in taken:  # a concurrent writer's key keeps its article too
                row = {"key": key, "article_pk": article_pk}
                dialect.insert_or_ignore(self.conn, catalog_keys, row, ["key"])

    def add_country(self, article_pk: int, country: str) -> bool:
        """Add a country to an article; False if it already had it."""
        row = {"article_pk": article_pk, "country": country}
        return dialect.insert_or_ignore(
            self.conn, article_countries, row, ["article_pk", "country"]
        )

    def article_by_url(self, url: str) -> KeyedArticle | None:
        """A stored article (not a repost, not deleted) with this link or source key."""
        row = self.conn.execute(
            select(articles.c.id, articles.c.pk, articles.c.source)
            .where(
                articles.c.deleted_at.is_(None),
                articles.c.original_id.is_(None),
                or_(articles.c.url == url, articles.c.source_key == url),
            )
            .order_by(articles.c.pk)
            .limit(1)
        ).first()
        return _keyed(row) if row else None

    def article_by_title(self, title: str, author: str) -> KeyedArticle | None:
        """An article by this author whose title has the same folded words."""
        wanted = title_words(title)
        rows = self.conn.execute(
            select(articles.c.id, articles.c.pk, articles.c.title, articles.c.source)
            .join(authors, authors.c.pk == articles.c.author_pk)
            .where(
                authors.c.handle_key == handle_key(author),
                articles.c.deleted_at.is_(None),
                articles.c.original_id.is_(None),
            )
            .order_by(articles.c.pk)
        ).all()
        for row in rows:
            if title_words(row.title) == wanted:
                return _keyed(row)
        return None

    # --- what an entry says ---------------------------------------------------------------

    def link_subject(self, article_pk: int, entity_id: str) -> bool:
        """Record that the article is about the entity; True if anything changed.

        A link extraction found as a mere mention becomes a catalog subject link:
        the post says outright what the article is about.
        """
        row = self.conn.execute(
            select(article_entities.c.role).where(
                article_entities.c.article_pk == article_pk,
                article_entities.c.entity_id == entity_id,
            )
        ).first()
        if row is None:
            link = {"article_pk": article_pk, "entity_id": entity_id, "mentions": 0,
                    "role": SUBJECT, "origin": CATALOG}
            if dialect.insert_or_ignore(
                self.conn, article_entities, link, ["article_pk", "entity_id"]
            ):
                return True
            row = self.conn.execute(
                select(article_entities.c.role).where(
                    article_entities.c.article_pk == article_pk,
                    article_entities.c.entity_id == entity_id,
                )
            ).one()
        if row.role == SUBJECT:
            return False
        self.conn.execute(
            update(article_entities)
            .where(
                article_entities.c.article_pk == article_pk,
                article_entities.c.entity_id == entity_id,
            )
            .values(role=SUBJECT, origin=CATALOG)
        )
        return True

    def add_candidate(self, key: str, name: str, label: str, context: dict[str, object]) -> bool:
        """An open candidate for an unknown title; an existing one (and its decision) stays."""
        row = {"key": key, "name": name, "label": label, "mentions": 1, "articles": 1,
               "contexts": [context], "status": "open"}
        return dialect.insert_or_ignore(self.conn, candidates, row, ["key"])

    # --- reads for the catalog ---------------------------------------------------------------

    def _article_columns(self) -> list[Any]:
        return [
            articles.c.pk, articles.c.id, articles.c.title, articles.c.url,
            authors.c.handle, articles.c.published_at, articles.c.ingested_at,
        ]

    def subject_links(self) -> list[tuple[str, CatalogArticle]]:
        """(entity id, article) for every visible article's subject entities."""
        rows = self.conn.execute(
            select(article_entities.c.entity_id, *self._article_columns())
            .select_from(
                article_entities.join(articles, articles.c.pk == article_entities.c.article_pk)
                .outerjoin(authors, authors.c.pk == articles.c.author_pk)
            )
            .where(article_entities.c.role == SUBJECT, *ArticleFilter().conditions())
        ).all()
        return [(r.entity_id, _catalog_article(r)) for r in rows]

    def articles_without_subject(self, country: str | None = None) -> list[CatalogArticle]:
        subjects = select(article_entities.c.article_pk).where(article_entities.c.role == SUBJECT)
        rows = self.conn.execute(
            select(*self._article_columns())
            .select_from(articles.outerjoin(authors, authors.c.pk == articles.c.author_pk))
            .where(
                *ArticleFilter(country=country).conditions(),
                articles.c.pk.not_in(subjects),
            )
        ).all()
        return [_catalog_article(r) for r in rows]

    def countries_of(self, pks: Iterable[int]) -> dict[int, list[str]]:
        wanted = sorted(set(pks))
        found: dict[int, list[str]] = {pk: [] for pk in wanted}
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            for row in self.conn.execute(
                select(article_countries.c.article_pk, article_countries.c.country)
                .where(article_countries.c.article_pk.in_(chunk))
                .order_by(article_countries.c.country)
            ):
                found[row.article_pk].append(row.country)
        return found


def _keyed(row: Any) -> KeyedArticle:
    """``row`` has ``id``, ``pk`` and ``source``."""
    return KeyedArticle(row.id, row.pk, row.source.startswith(PLACEHOLDER_SOURCE))


def _catalog_article(row: Row[Any]) -> CatalogArticle:
    return CatalogArticle(
        pk=row.pk,
        id=row.id,
        title=row.title,
        url=row.url,
        author=row.handle,
        published_at=row.published_at,
        ingested_at=row.ingested_at,
    )
