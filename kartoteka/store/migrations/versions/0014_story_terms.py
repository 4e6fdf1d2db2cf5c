"""Story terms: each article's heaviest stems, indexed, for related materials.

Existing articles get theirs here, so ``kartoteka init`` is all an upgrade needs.

Revision ID: 0014_story_terms
Revises: 0009_content_version
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kartoteka.store.story_terms import backfill_story_terms

revision = "0014_story_terms"
down_revision = "0009_content_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_terms",
        sa.Column(
            "article_pk", sa.Integer,
            sa.ForeignKey("articles.pk", ondelete="CASCADE",
                          name="fk_article_terms_article_pk_articles"),
            primary_key=True,
        ),
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("weight", sa.Float, nullable=False),
    )
    op.create_index("ix_article_terms_term", "article_terms", ["term", "article_pk", "weight"])
    backfill_story_terms(op.get_bind(), counted=False)  # 0018 counts them


def downgrade() -> None:
    op.drop_table("article_terms")
