"""Keys by which catalog placeholder articles are found again.

Revision ID: 0006_catalog
Revises: 0001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_catalog"
down_revision = "0001_articles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_keys",
        sa.Column("key", sa.String(2100), primary_key=True),
        sa.Column(
            "article_pk",
            sa.Integer,
            sa.ForeignKey(
                "articles.pk", ondelete="CASCADE", name="fk_catalog_keys_article_pk_articles"
            ),
            nullable=False,
        ),
    )
    op.create_index("ix_catalog_keys_article", "catalog_keys", ["article_pk"])


def downgrade() -> None:
    op.drop_table("catalog_keys")
