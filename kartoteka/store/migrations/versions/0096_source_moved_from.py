"""Where a watched source was before a permanent redirect moved it, and when.

The poller replaces a source's URL with the target of a 301/308 chain; the
old address stays here so an admin can tell why the list shows another one.

Revision ID: 0096_source_moved_from
Revises: 0030_sources
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0096_source_moved_from"
down_revision = "0030_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("moved_from", sa.String(2000), nullable=True))
    op.add_column("sources", sa.Column("moved_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:  # SQLite rebuilds the table to drop a column
        batch.drop_column("moved_at")
        batch.drop_column("moved_from")
