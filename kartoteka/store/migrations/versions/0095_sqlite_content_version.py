"""The content counter on SQLite too, so bookkeeping commits keep the page cache.

SQLite's ``PRAGMA data_version`` moves with every commit, a poll that found
nothing new or a login included; the counter moves only when content
changed (``dialect.track_commits``).  On PostgreSQL 0009 made it already:
this only re-checks it.

Revision ID: 0095_sqlite_content_version
Revises: 0009_content_version
"""

from __future__ import annotations

from alembic import op

from kartoteka.store import dialect

revision = "0095_sqlite_content_version"
down_revision = "0009_content_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect.create_content_version(op.get_bind())


def downgrade() -> None:
    # PostgreSQL's counter belongs to 0009; SQLite's is harmless to older code,
    # which never reads it, and is left for 0009's downgrade to drop.
    pass
