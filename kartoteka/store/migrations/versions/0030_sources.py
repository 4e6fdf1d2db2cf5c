"""Watched sources: feeds and pages polled on a schedule, with their status.

Revision ID: 0030_sources
Revises: 0001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_sources"
down_revision = "0001_articles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("interval_seconds", sa.Integer, nullable=False),
        sa.Column("author", sa.String(255)),
        sa.Column("country", sa.String(8)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("etag", sa.String(1000)),
        sa.Column("last_modified", sa.String(100)),
        sa.Column("last_polled_at", sa.DateTime(timezone=True)),
        sa.Column("last_success_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", sa.DateTime(timezone=True)),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("articles_added_total", sa.Integer, nullable=False),
        sa.Column("articles_added_last", sa.Integer, nullable=False),
        sa.Column("item_errors", sa.JSON, nullable=False),
        sa.UniqueConstraint("url", name="uq_sources_url"),
    )
    op.create_index("ix_sources_next_due_at", "sources", ["next_due_at"])


def downgrade() -> None:
    op.drop_table("sources")
