"""Tables of the entity registry: entities, names, relations, citations, judgements.

Merges never move rows.  A merged entity keeps its names and relations and
points at the entity it was merged into (``merged_into``); reads gather an
entity's cluster.  So an unmerge is exact, and a later import of the merged
entity's id lands in the cluster of the entity it was merged into.  The
``judgements`` table is the record of every editorial decision; the
``merged_into`` pointer is kept in step with it in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from kartoteka.store.dialect import UtcDateTime
from kartoteka.store.tables import metadata

ENTITY_ID = 255

entities = Table(
    "entities",
    metadata,
    Column("id", String(ENTITY_ID), primary_key=True),
    Column("schema", String(40), nullable=False),
    Column("name", Text, nullable=False),
    Column("topics", JSON, nullable=False, default=list),
    Column("identifiers", JSON, nullable=False, default=dict),
    Column("description", Text, nullable=False, default=""),
    # The active period, partial ISO dates (see Entity.start_date); migration 0060.
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("merged_into", String(ENTITY_ID), ForeignKey("entities.id")),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("deleted_at", UtcDateTime()),
    Index("ix_entities_schema", "schema"),
    Index("ix_entities_merged_into", "merged_into"),
)

# Countries in their own table, as for articles: filtering by country is an
# indexed lookup on both backends, with no JSON operators.
entity_countries = Table(
    "entity_countries",
    metadata,
    Column(
        "entity_id",
        String(ENTITY_ID),
        ForeignKey("entities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("country", String(8), primary_key=True),
    Index("ix_entity_countries_country", "country", "entity_id"),
)

entity_names = Table(
    "entity_names",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column(
        "entity_id", String(ENTITY_ID), ForeignKey("entities.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("value", Text, nullable=False),
    Column("kind", String(10), nullable=False),  # name | alias | weak
    Column("lang", String(12)),
    Column("script", String(8)),
    Column("origin", String(12), nullable=False),  # import | editor | candidate
    Index("ix_entity_names_entity", "entity_id"),
)

relations = Table(
    "relations",
    metadata,
    Column("id", String(ENTITY_ID), primary_key=True),
    Column("schema", String(40), nullable=False),
    Column(
        "source_id", String(ENTITY_ID), ForeignKey("entities.id"), nullable=False
    ),
    Column(
        "target_id", String(ENTITY_ID), ForeignKey("entities.id"), nullable=False
    ),
    Column("role", String(200), nullable=False, default=""),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("editor_asserted", Boolean, nullable=False, default=False),
    Column("origin", String(12), nullable=False),  # import | editor
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("deleted_at", UtcDateTime()),
    Index("ix_relations_source", "source_id"),
    Index("ix_relations_target", "target_id"),
)

relation_citations = Table(
    "relation_citations",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column(
        "relation_id", String(ENTITY_ID), ForeignKey("relations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # Not a foreign key: articles are soft-deleted, and a citation should
    # outlive a moderation decision about its article.
    Column("article_id", String(32)),
    Column("url", String(2000)),
    Index("ix_relation_citations_relation", "relation_id"),
    Index("ix_relation_citations_article", "article_id"),
)

judgements = Table(
    "judgements",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # merge | alias_add | alias_remove | ...
    Column("subject_id", String(ENTITY_ID), nullable=False),
    Column("object_id", String(ENTITY_ID)),
    Column("value", Text),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(255)),
    Column("reverted_at", UtcDateTime()),
    Column("reverted_by", String(255)),
    Index("ix_judgements_subject", "subject_id", "kind"),
    Index("ix_judgements_object", "object_id", "kind"),
)

# One row: a counter every registry write bumps, so caches built from the
# registry (the matcher, the gazetteer) know when to rebuild.
registry_state = Table(
    "registry_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)
