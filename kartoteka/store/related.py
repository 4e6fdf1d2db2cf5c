"""SQL for related articles: an article's facts, entity rarity, and candidates.

Candidates are visible articles only (no drafts, reposts or deleted ones).
Text similarity reads the story terms table (``related_tables``), not the
search index, so it does not depend on how search tokenises.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    Select,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)

from kartoteka.store import dialect
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.registry_tables import entities
from kartoteka.store.related_tables import article_terms, story_term_counts
from kartoteka.store.tables import article_countries, articles

_CHUNK = 900  # below SQLite's bound-parameter limit
_COUNTED_TOGETHER = 50  # entities whose links are counted in one statement


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
# The article's countries and linked entities in one round trip.
_COUNTRIES_AND_ENTITIES_OF = union_all(
    select(literal("country").label("kind"), article_countries.c.country.label("value"))
    .where(article_countries.c.article_pk == bindparam("pk")),
    select(literal("entity").label("kind"), article_entities.c.entity_id.label("value"))
    .where(article_entities.c.article_pk == bindparam("pk")),
)
_HIGHEST_KEY = select(func.max(articles.c.pk))
_LINKS_OF = select(article_entities.c.article_pk, article_entities.c.entity_id).where(
    article_entities.c.article_pk.in_(bindparam("pks", expanding=True)),
    article_entities.c.entity_id.in_(bindparam("ids", expanding=True)),
)
# Visible articles with their countries (one row per country, or one with none).
_VISIBLE = (
    select(
        articles.c.pk, articles.c.id, articles.c.title, articles.c.published_at,
        articles.c.original_id, article_countries.c.country,
    )
    .select_from(articles.outerjoin(
        article_countries, article_countries.c.article_pk == articles.c.pk))
    .where(articles.c.pk.in_(bindparam("pks", expanding=True)), *ArticleFilter().conditions())
    .order_by(articles.c.pk, article_countries.c.country)
)
_TERMS_OF = select(article_terms.c.term, article_terms.c.weight).where(
    article_terms.c.article_pk == bindparam("pk"))
_TERM_COUNTS = select(story_term_counts.c.term, story_term_counts.c.articles).where(
    story_term_counts.c.term.in_(bindparam("terms", expanding=True)))
_TERMS_SHARED = select(article_terms.c.article_pk, article_terms.c.term).where(
    article_terms.c.article_pk.in_(bindparam("pks", expanding=True)),
    article_terms.c.term.in_(bindparam("terms", expanding=True)),
)
_ENTITY_ROWS = select(
    entities.c.id, entities.c.name, entities.c.merged_into, entities.c.deleted_at
).where(entities.c.id.in_(bindparam("ids", expanding=True)))


_OVERLAP: dict[str, Select[Any]] = {}  # by dialect name: built once, compiled once


def _overlap_statement(conn: Connection) -> Select[Any]:
    """Articles by their summed term weight times the given weight (``heaviest_overlap``)."""
    statement = _OVERLAP.get(conn.dialect.name)
    if statement is None:
        given = dialect.keyed_numbers(conn, "weights")
        summed = func.sum(cast(given.c.value, Float) * article_terms.c.weight).label("weight")
        built: Select[Any] = (
            select(article_terms.c.article_pk, summed)
            .select_from(given.join(article_terms, article_terms.c.term == given.c.key))
            .where(article_terms.c.term.in_(bindparam("terms", expanding=True)),
                   article_terms.c.article_pk != bindparam("exclude"))
            .group_by(article_terms.c.article_pk)
            .order_by(summed.desc(), article_terms.c.article_pk)
            .limit(bindparam("limit"))
        )
        statement = _OVERLAP[conn.dialect.name] = built
    return statement


class RelatedStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def article(self, article_id: str) -> ArticleFacts | None:
        """The article (any status, not deleted) with its countries and linked entities."""
        row = self.conn.execute(_ARTICLE, {"id": article_id}).first()
        if row is None:
            return None
        facts = ArticleFacts(
            row.pk, row.id, row.title, row.published_at, row.original_id, row.body
        )
        for kind, value in self.conn.execute(_COUNTRIES_AND_ENTITIES_OF, {"pk": row.pk}):
            if kind == "entity":
                facts.entities.add(value)
            else:
                facts.countries.append(value)
        facts.countries.sort()
        return facts

    def article_count(self) -> int:
        """Articles ever stored (the highest key): enough for IDF, and no table scan."""
        return int(self.conn.execute(_HIGHEST_KEY).scalar() or 0)

    def entity_frequencies(self, entity_ids: Iterable[str], cap: int) -> dict[str, int]:
        """How many articles each entity is linked to, counted no further than ``cap``."""
        ids = sorted(set(entity_ids))
        found: dict[str, int] = {}
        for start in range(0, len(ids), _COUNTED_TOGETHER):
            chunk = ids[start : start + _COUNTED_TOGETHER]
            counts = [
                select(literal(n).label("n"), select(func.count()).select_from(
                    select(article_entities.c.article_pk)
                    .where(article_entities.c.entity_id == entity_id)
                    .limit(cap)
                    .subquery()
                ).scalar_subquery().label("links"))
                for n, entity_id in enumerate(chunk)
            ]
            for n, links in self.conn.execute(union_all(*counts)):
                found[chunk[int(n)]] = int(links)
        return found

    def heaviest_sharing(
        self, weights: dict[str, float], exclude: int, limit: int
    ) -> list[tuple[int, float]]:
        """Up to ``limit`` articles linked to any of the weighted entities, by the
        summed weight of those they share, heaviest first (then by key).

        Summed in SQL: an entity may have thousands of links, and only the
        heaviest few articles leave the database.  Two parameters per entity
        (SQLite 3.32 and later take 32,766).
        """
        if not weights:
            return []
        weight = case(weights, value=article_entities.c.entity_id, else_=0.0)
        summed = func.sum(weight).label("weight")
        rows = self.conn.execute(
            select(article_entities.c.article_pk, summed)
            .where(article_entities.c.entity_id.in_(sorted(weights)),
                   article_entities.c.article_pk != exclude)
            .group_by(article_entities.c.article_pk)
            .order_by(summed.desc(), article_entities.c.article_pk)
            .limit(limit)
        )
        return [(int(pk), float(total)) for pk, total in rows]

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

    def story_terms(self, pk: int) -> dict[str, float]:
        """The article's stored story terms and their weights."""
        return {t: float(w) for t, w in self.conn.execute(_TERMS_OF, {"pk": pk})}

    def term_frequencies(self, terms: Iterable[str], cap: int) -> dict[str, int]:
        """How many articles (any status) have each story term, no more than ``cap``.

        Read from the counts kept on write: one row per term, however common
        (counting the index entries of 40 terms up to a cap of 500 was most
        of the time related materials took).
        """
        wanted = sorted(set(terms))
        found = dict.fromkeys(wanted, 0)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            for term, count in self.conn.execute(_TERM_COUNTS, {"terms": chunk}):
                found[term] = min(int(count), cap)
        return found

    def heaviest_overlap(
        self, weights: dict[str, float], exclude: int, limit: int
    ) -> list[tuple[int, float]]:
        """Up to ``limit`` articles by the sum, over the weighted terms they have,
        of that weight times their own weight for the term; heaviest first.

        Summed in SQL, as ``heaviest_sharing`` is, over the covering index;
        the weights go in as one JSON parameter (see ``dialect.keyed_numbers``).
        """
        if not weights:
            return []
        rows = self.conn.execute(
            _overlap_statement(self.conn),
            {"weights": json.dumps(weights), "terms": sorted(weights), "exclude": exclude,
             "limit": limit},
        )
        return [(int(pk), float(total)) for pk, total in rows]

    def terms_shared(self, pks: Sequence[int], terms: Iterable[str]) -> dict[int, set[str]]:
        """Which of ``terms`` each of ``pks`` has among its story terms."""
        wanted, found = sorted(set(terms)), defaultdict(set)
        if wanted and pks:
            for pk, term in self.conn.execute(_TERMS_SHARED, {"pks": sorted(set(pks)),
                                                              "terms": wanted}):
                found[int(pk)].add(term)
        return found

    def visible(self, pks: Sequence[int]) -> dict[int, ArticleFacts]:
        """Facts of those of ``pks`` that readers may see, without bodies."""
        wanted = sorted(set(pks))
        found: dict[int, ArticleFacts] = {}
        for start in range(0, len(wanted), _CHUNK):
            for row in self.conn.execute(_VISIBLE, {"pks": wanted[start : start + _CHUNK]}):
                facts = found.get(row.pk)
                if facts is None:
                    facts = found[row.pk] = ArticleFacts(
                        row.pk, row.id, row.title, row.published_at, row.original_id
                    )
                if row.country is not None:
                    facts.countries.append(row.country)
        return found

    def entity_names(self, entity_ids: Iterable[str]) -> dict[str, str]:
        """The name each entity is shown under: that of its merged cluster's canonical entity.

        As ``RegistryRepository.entity(id).name``, for all the ids in a few
        statements (one per level of merges) instead of several per id.
        Ids the registry does not hold, or holds as deleted, are left out.
        """
        ids = set(entity_ids)
        rows: dict[str, Any] = {}
        asked: set[str] = set()
        wanted = sorted(ids)
        while wanted:
            asked.update(wanted)
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                rows.update((r.id, r) for r in self.conn.execute(_ENTITY_ROWS, {"ids": chunk}))
            wanted = sorted({r.merged_into for r in rows.values()} - asked - {None})
        names: dict[str, str] = {}
        for entity_id in ids:
            head = rows.get(entity_id)
            if head is None or head.deleted_at is not None:
                continue
            seen = {entity_id}
            while head.merged_into is not None and head.merged_into in rows:
                if head.merged_into in seen:  # only a hand-edited database has a cycle
                    raise RuntimeError(
                        f"merge cycle through {head.merged_into!r}: unmerge one of them")
                seen.add(head.merged_into)
                head = rows[head.merged_into]
            names[entity_id] = head.name
        return names
