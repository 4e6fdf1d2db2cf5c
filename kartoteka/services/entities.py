"""Entities with the articles that document them, and an article's mentions.

Stored mentions and links keep the entity id the linker gave; these reads
resolve it through the registry's merge map.  So a merge shows the other
entity's articles under the kept one at once, and an unmerge gives them
back exactly, with nothing rewritten.  (``extract --all`` after a merge
links the names to the kept id; after an unmerge it links them apart again.)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from kartoteka.model import Entity, Mention
from kartoteka.record import as_record
from kartoteka.services.articles import ArticleNotFound
from kartoteka.services.registry import EntityDetail, get_entity
from kartoteka.store.database import Database
from kartoteka.store.mentions import EntityArticle, MentionRepository, resolve_links
from kartoteka.store.registry import EntityFilter, RegistryRepository

# What a list of entities shows of each (the CLI's --json and the API alike).
SUMMARY_FIELDS = ("id", "schema", "name", "countries", "topics")


@dataclass(slots=True)
class EntitySummary:
    entity: Entity
    articles: int = 0
    mentions: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {**as_record(self.entity, only=SUMMARY_FIELDS), **as_record(self, omit=["entity"])}


@dataclass(slots=True)
class EntityPage:
    """An entity as a reader sees it, with the articles that document it."""

    detail: EntityDetail
    articles: list[EntityArticle] = field(default_factory=list)

    @property
    def mentions(self) -> int:
        return sum(a.mentions for a in self.articles)

    def as_dict(self) -> dict[str, Any]:
        data = self.detail.as_dict()
        data["mentions"] = self.mentions
        data["articles"] = [a.as_dict() for a in self.articles]
        return data


def list_entities(db: Database, country: str | None = None,
                  schema: str | None = None) -> list[EntitySummary]:
    """Canonical entities with article and mention counts over visible articles."""
    with db.read() as conn:
        registry = RegistryRepository(conn)
        merges = registry.merge_map()
        counts: dict[str, list[int]] = {}
        for entity_id, (n_articles, n_mentions) in MentionRepository(conn).entity_counts().items():
            total = counts.setdefault(merges.get(entity_id, entity_id), [0, 0])
            total[0] += n_articles
            total[1] += n_mentions
        return [
            EntitySummary(e, *counts.get(e.id, [0, 0]))
            for e in registry.iter_entities(EntityFilter(country, schema))
        ]


def entity_page(db: Database, entity_id: str, *, public: bool = True) -> EntityPage:
    """``EntityNotFound`` for an unknown id; a merged id finds its cluster."""
    detail = get_entity(db, entity_id)
    with db.read() as conn:
        found = MentionRepository(conn).articles_of(
            [detail.entity.id, *detail.merged_ids], public=public)
    return EntityPage(detail, found)


def article_mentions(db: Database, article_id: str) -> list[Mention]:
    """The article's stored name mentions in text order, spans into its body."""
    with db.read() as conn:
        return mentions_in(conn, article_id, RegistryRepository(conn).merge_map())


def mentions_in(conn: Connection, article_id: str, merges: dict[str, str]) -> list[Mention]:
    """``article_mentions`` inside a caller's read, each linked id under its merged one."""
    store = MentionRepository(conn)
    pk = store.article_pk(article_id)
    if pk is None:
        raise ArticleNotFound(article_id)
    return [
        replace(m, entity_id=merges[m.entity_id]) if m.entity_id in merges else m
        for m in store.mentions_of(pk, article_id)
    ]


def article_entities(db: Database, article_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Per article: ``[{"id", "mentions", "role"}]``, canonical ids, most mentions first."""
    with db.read() as conn:
        merges = RegistryRepository(conn).merge_map()
        links = MentionRepository(conn).links_of(article_ids)
    return {article_id: resolve_links(found, merges) for article_id, found in links.items()}
