"""Entities keep their active period, so linking can weigh an article's date.

FtM's incorporationDate/dissolutionDate (a body) or birthDate/deathDate (a
person), as partial ISO dates; both nullable, so existing rows need nothing.

Revision ID: 0060_entity_period
Revises: 0002_registry
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0060_entity_period"
down_revision = "0002_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.add_column(sa.Column("start_date", sa.String(10)))
        batch.add_column(sa.Column("end_date", sa.String(10)))


def downgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.drop_column("end_date")
        batch.drop_column("start_date")
