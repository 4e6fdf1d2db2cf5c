"""Mentions keep the name's dictionary form, so candidates are named by it.

«Амаду Куфой» and «Амаду Куфы» are one candidate, listed as «Амаду Куфа».

Revision ID: 0015_mention_normal
Revises: 0009_content_version, 0005_extraction
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_mention_normal"
# Also below 0005, which creates the mentions table on another branch: a
# ``depends_on`` would leave 0005 among the script's heads but not among the
# database's, and ``Database.pending_migrations`` would never be empty.
down_revision = ("0009_content_version", "0005_extraction")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.add_column(sa.Column("normal", sa.String(500)))


def downgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("normal")
