"""Rate-limit hits in the database: one count for every web worker and machine.

Revision ID: 0021_rate_limit_hits
Revises: 0004_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_rate_limit_hits"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_hits",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rate_limit_hits_name_key_at", "rate_limit_hits", ["name", "key", "at"])
    op.create_index("ix_rate_limit_hits_name_at", "rate_limit_hits", ["name", "at"])


def downgrade() -> None:
    op.drop_table("rate_limit_hits")
