"""Which part of the article a mention's offsets index: ``title`` or ``body``.

Extraction reads titles too (a name in the title is often the article's
subject); every mention stored before this was found in the body, which is
what the default says.  Titles get their mentions when extraction runs
again (``kartoteka extract --all``).

Revision ID: 0125_mention_section
Revises: 0015_mention_normal
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0125_mention_section"
down_revision = "0015_mention_normal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mentions", sa.Column("section", sa.String(8), nullable=False,
                                        server_default="body"))


def downgrade() -> None:
    with op.batch_alter_table("mentions") as batch:  # SQLite rebuilds the table to drop a column
        batch.drop_column("section")
