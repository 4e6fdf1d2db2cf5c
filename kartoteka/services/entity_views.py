"""Entities as readers meet them: an entity's page, and the entities in an article.

``entity_page`` gives the registry's view; a reader also needs the names of
the entities on the other end of each relation and the titles of the cited
articles they may open.  Both are gathered here in a few statements, so a
page never asks once per relation.  Cited articles a reader may not see
(drafts, deleted) keep their citation but lose their title and link.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from kartoteka.model import Citation, Mention, Relation
from kartoteka.services.entities import EntityPage, entity_page, mentions_in
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.mentions import EntityArticle, MentionRepository, resolve_links
from kartoteka.store.registry import RegistryRepository

_NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class EntityRef:
    """Enough of an entity to name and link it."""

    id: str
    name: str
    schema: str


@dataclass(frozen=True, slots=True)
class CitedSource:
    """A citation as shown: an article the reader may open (with its title), and/or a URL."""

    article_id: str | None
    title: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class RelationLine:
    """A relation seen from one entity: who is on the other end, and in which direction."""

    relation: Relation
    other: EntityRef
    outgoing: bool
    citations: list[CitedSource]


@dataclass(slots=True)
class EntityView:
    page: EntityPage
    relations: list[RelationLine] = field(default_factory=list)

    @property
    def timeline(self) -> list[EntityArticle]:
        """The documenting articles by date, oldest first; undated ones last."""
        return sorted(
            self.page.articles,
            key=lambda a: (a.published_at or _NEVER, a.article_id),
        )


def entity_view(db: Database, entity_id: str, *, include_unpublished: bool = False) -> EntityView:
    """``EntityNotFound`` for an unknown id; a merged id gives its canonical entity."""
    page = entity_page(db, entity_id, public=not include_unpublished)
    relations = page.detail.relations
    own = page.detail.entity.id
    others = {r.target_id if r.source_id == own else r.source_id for r in relations}
    cited = [c.article_id for r in relations for c in r.citations if c.article_id]
    with db.read() as conn:
        labels = RegistryRepository(conn).labels(others)
        titles = ArticleRepository(conn).titles(
            cited, ArticleFilter(include_reposts=True, include_unpublished=include_unpublished)
        )
    lines = []
    for relation in relations:
        outgoing = relation.source_id == own
        other = relation.target_id if outgoing else relation.source_id
        name, schema = labels.get(other, (other, ""))
        lines.append(
            RelationLine(
                relation=relation,
                other=EntityRef(other, name, schema),
                outgoing=outgoing,
                citations=[_cited(c, titles) for c in relation.citations],
            )
        )
    lines.sort(key=lambda line: (line.relation.role, line.other.name, line.relation.id))
    return EntityView(page, lines)


def _cited(citation: Citation, titles: dict[str, str]) -> CitedSource:
    visible = citation.article_id in titles if citation.article_id else False
    return CitedSource(
        article_id=citation.article_id if visible else None,
        title=titles.get(citation.article_id or "") if visible else None,
        url=citation.url,
    )


@dataclass(frozen=True, slots=True)
class LinkedEntity:
    """An entity an article documents, with how often and in which role."""

    ref: EntityRef
    mentions: int
    role: str


@dataclass(slots=True)
class ArticleEntities:
    """An article's mentions (spans into its body, canonical ids) and the entities they name."""

    mentions: list[Mention]
    entities: list[LinkedEntity]

    def names(self) -> dict[str, str]:
        return {e.ref.id: e.ref.name for e in self.entities}


def article_entities_view(db: Database, article_id: str) -> ArticleEntities:
    """One read: the article's mentions, its documentation links, their entities' names."""
    with db.read() as conn:
        merges = RegistryRepository(conn).merge_map()
        mentions = mentions_in(conn, article_id, merges)
        links = resolve_links(MentionRepository(conn).links_of([article_id])[article_id], merges)
        labels = RegistryRepository(conn).labels(
            {link["id"] for link in links} | {m.entity_id for m in mentions if m.entity_id}
        )
    found = [
        LinkedEntity(EntityRef(link["id"], *labels[link["id"]]), link["mentions"], link["role"])
        for link in links
        if link["id"] in labels
    ]
    found.sort(key=lambda e: (e.role != "subject", -e.mentions, e.ref.name))
    # A mention of an entity the registry no longer holds is shown, but not linked.
    shown = [m if not m.entity_id or m.entity_id in labels else replace(m, entity_id=None)
             for m in mentions]
    return ArticleEntities(shown, found)
