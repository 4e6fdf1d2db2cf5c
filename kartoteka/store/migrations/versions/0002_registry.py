"""The entity registry: entities, names, countries, relations, citations, judgements.

Revision ID: 0002_registry
Revises: 0001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_registry"
down_revision = "0001_articles"
branch_labels = None
depends_on = None

ID = 255


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.String(ID), primary_key=True),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("identifiers", sa.JSON, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column(
            "merged_into",
            sa.String(ID),
            sa.ForeignKey("entities.id", name="fk_entities_merged_into_entities"),
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
    )
    op.create_index("ix_entities_schema", "entities", ["schema"])
    op.create_index("ix_entities_merged_into", "entities", ["merged_into"])
    op.create_table(
        "entity_countries",
        sa.Column(
            "entity_id",
            sa.String(ID),
            sa.ForeignKey(
                "entities.id", ondelete="CASCADE", name="fk_entity_countries_entity_id_entities"
            ),
        ),
        sa.Column("country", sa.String(8)),
        sa.PrimaryKeyConstraint("entity_id", "country", name="pk_entity_countries"),
    )
    op.create_index("ix_entity_countries_country", "entity_countries", ["country", "entity_id"])
    op.create_table(
        "entity_names",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "entity_id",
            sa.String(ID),
            sa.ForeignKey(
                "entities.id", ondelete="CASCADE", name="fk_entity_names_entity_id_entities"
            ),
            nullable=False,
        ),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("lang", sa.String(12)),
        sa.Column("script", sa.String(8)),
        sa.Column("origin", sa.String(12), nullable=False),
    )
    op.create_index("ix_entity_names_entity", "entity_names", ["entity_id"])
    op.create_table(
        "relations",
        sa.Column("id", sa.String(ID), primary_key=True),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column(
            "source_id",
            sa.String(ID),
            sa.ForeignKey("entities.id", name="fk_relations_source_id_entities"),
            nullable=False,
        ),
        sa.Column(
            "target_id",
            sa.String(ID),
            sa.ForeignKey("entities.id", name="fk_relations_target_id_entities"),
            nullable=False,
        ),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("start_date", sa.String(10)),
        sa.Column("end_date", sa.String(10)),
        sa.Column("editor_asserted", sa.Boolean, nullable=False),
        sa.Column("origin", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_relations"),
    )
    op.create_index("ix_relations_source", "relations", ["source_id"])
    op.create_index("ix_relations_target", "relations", ["target_id"])
    op.create_table(
        "relation_citations",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "relation_id",
            sa.String(ID),
            sa.ForeignKey(
                "relations.id",
                ondelete="CASCADE",
                name="fk_relation_citations_relation_id_relations",
            ),
            nullable=False,
        ),
        sa.Column("article_id", sa.String(32)),
        sa.Column("url", sa.String(2000)),
    )
    op.create_index("ix_relation_citations_relation", "relation_citations", ["relation_id"])
    op.create_index("ix_relation_citations_article", "relation_citations", ["article_id"])
    op.create_table(
        "judgements",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.String(ID), nullable=False),
        sa.Column("object_id", sa.String(ID)),
        sa.Column("value", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(255)),
        sa.Column("reverted_at", sa.DateTime(timezone=True)),
        sa.Column("reverted_by", sa.String(255)),
    )
    op.create_index("ix_judgements_subject", "judgements", ["subject_id", "kind"])
    op.create_index("ix_judgements_object", "judgements", ["object_id", "kind"])
    op.create_table(
        "registry_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("registry_state")
    op.drop_table("judgements")
    op.drop_table("relation_citations")
    op.drop_table("relations")
    op.drop_table("entity_names")
    op.drop_table("entity_countries")
    op.drop_table("entities")
