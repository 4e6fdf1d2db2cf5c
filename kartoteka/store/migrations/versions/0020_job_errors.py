"""Why queue jobs failed: the error of each job's last failed attempt.

A new table beside procrastinate's (whose schema ``kartoteka init`` applies
itself on PostgreSQL, see ``kartoteka.queue.schema``).

Revision ID: 0020_job_errors
Revises: 0001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_job_errors"
down_revision = "0001_articles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_errors",
        sa.Column("job_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                  primary_key=True, autoincrement=False),
        sa.Column("task", sa.String(128), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("job_errors")
