"""Author aliases: the handles and names of authors merged into another one.

Merging "@sahel_monitor_old" into "@sahel_monitor" moves its articles and
deletes its row; the alias keeps its handle and its name pointing at the
author it became, so the next ingest of the old handle lands there instead
of making the merged author again.

Revision ID: 0120_author_aliases
Revises: 0001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kartoteka.store.dialect import UtcDateTime

revision = "0120_author_aliases"
down_revision = "0001_articles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "author_aliases",
        sa.Column("key", sa.String(500), primary_key=True),
        sa.Column(
            "author_pk",
            sa.Integer,
            sa.ForeignKey("authors.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("alias", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_author_aliases_author_pk", "author_aliases", ["author_pk"])


def downgrade() -> None:
    op.drop_table("author_aliases")
