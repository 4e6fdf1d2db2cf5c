"""Mentions keep the name's dictionary form, so candidates are named by it.

«Амаду Куфой» and «Амаду Куфы» are one candidate, listed as «Амаду Куфа».

Revision ID: 0015_mention_normal
Revises: 0009_content_version
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_mention_normal"
down_revision = "0009_content_version"
branch_labels = None
# The mentions table comes from 0005, on another branch.
depends_on = "0005_extraction"


def upgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.add_column(sa.Column("normal", sa.String(500)))


def downgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("normal")
