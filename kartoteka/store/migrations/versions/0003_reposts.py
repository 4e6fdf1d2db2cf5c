"""Repost detection: article signatures and their LSH band keys.

Revision ID: 0003_reposts
Revises: 0001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_reposts"
down_revision = "0001_articles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_signatures",
        sa.Column(
            "article_pk",
            sa.Integer,
            sa.ForeignKey(
                "articles.pk", ondelete="CASCADE", name="fk_article_signatures_article_pk_articles"
            ),
            primary_key=True,
        ),
        sa.Column("signature", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "article_lsh",
        sa.Column(
            "article_pk",
            sa.Integer,
            sa.ForeignKey(
                "articles.pk", ondelete="CASCADE", name="fk_article_lsh_article_pk_articles"
            ),
            nullable=False,
        ),
        sa.Column("band", sa.Integer, nullable=False),
        sa.Column("key", sa.String(16), nullable=False),
    )
    op.create_index("ix_article_lsh_band_key", "article_lsh", ["band", "key"])
    op.create_index("ix_article_lsh_article", "article_lsh", ["article_pk"])


def downgrade() -> None:
    op.drop_table("article_lsh")
    op.drop_table("article_signatures")
