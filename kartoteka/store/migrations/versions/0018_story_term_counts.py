"""Story term counts: how many articles have each story term, kept on write.

Related materials read a term's rarity from here instead of counting index
entries when asked.  Existing articles are counted here, so ``kartoteka
init`` is all an upgrade needs.

Revision ID: 0018_story_term_counts
Revises: 0014_story_terms
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kartoteka.store.story_terms import recount_story_terms

revision = "0018_story_term_counts"
down_revision = "0014_story_terms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_term_counts",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("articles", sa.Integer, nullable=False),
    )
    recount_story_terms(op.get_bind())


def downgrade() -> None:
    op.drop_table("story_term_counts")
