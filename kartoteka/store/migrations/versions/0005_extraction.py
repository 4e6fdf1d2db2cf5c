"""Mentions, article-entity links (FtM Documentation) and candidate names.

Revision ID: 0005_extraction
Revises: 0001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_extraction"
down_revision = "0001_articles"
branch_labels = None
depends_on = None


def _article_fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey("articles.pk", ondelete="CASCADE", name=f"fk_{table}_article_pk_articles")


def upgrade() -> None:
    op.create_table(
        "mentions",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_pk", sa.Integer, _article_fk("mentions"), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("component", sa.String(40), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("entity_id", sa.String(255)),
        sa.Column("candidate_key", sa.String(500)),
    )
    op.create_index("ix_mentions_article", "mentions", ["article_pk"])
    op.create_index("ix_mentions_entity", "mentions", ["entity_id"])
    op.create_index("ix_mentions_candidate", "mentions", ["candidate_key"])
    op.create_table(
        "article_entities",
        sa.Column("article_pk", sa.Integer, _article_fk("article_entities"), primary_key=True),
        sa.Column("entity_id", sa.String(255), primary_key=True),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
    )
    op.create_index("ix_article_entities_entity", "article_entities", ["entity_id", "article_pk"])
    op.create_table(
        "candidates",
        sa.Column("key", sa.String(500), primary_key=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("contexts", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(255)),
        sa.Column("decided_by", sa.String(255)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_candidates_status", "candidates", ["status", "mentions"])


def downgrade() -> None:
    op.drop_table("candidates")
    op.drop_table("article_entities")
    op.drop_table("mentions")
