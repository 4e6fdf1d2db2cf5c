"""The interface language a user chose, so it follows them to every browser they sign in on.

NULL means "never chose": the browser's Accept-Language decides.

Revision ID: 0080_user_language
Revises: 0004_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0080_user_language"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:  # SQLite rebuilds the table to drop a column
        batch.drop_column("language")
