"""A covering index over the columns search filters on.

Search joins every full-text match to ``articles`` to check visibility
(status, repost, deletion) and filters (date, author, language).  In SQLite
those columns sit after the body in the row, so each check read the body's
overflow pages; with this covering index the check never touches the row.
Measured on 100k synthetic articles: a common word went from 193 ms to 65 ms.

Revision ID: 0007_visibility_index
Revises: 0001_articles
"""

from __future__ import annotations

from alembic import op

from kartoteka.store import dialect

revision = "0007_visibility_index"
down_revision = "0001_articles"
branch_labels = None
depends_on = None

COLUMNS = ["pk", "status", "original_id", "deleted_at", "published_at", "author_pk", "language"]


def upgrade() -> None:
    op.create_index("ix_articles_visibility", "articles", COLUMNS)
    dialect.refresh_statistics(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_articles_visibility", table_name="articles")
