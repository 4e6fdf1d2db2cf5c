"""PostgreSQL's commit counter, which tells web workers that their cached pages are old.

SQLite reports commits itself (``PRAGMA data_version``), so this created
nothing there until 0095 wanted bookkeeping commits told apart: the helper
now makes the counter on both; see ``dialect.content_version_probe``.

Revision ID: 0009_content_version
Revises: 0001_articles
"""

from __future__ import annotations

from alembic import op

from kartoteka.store import dialect

revision = "0009_content_version"
down_revision = "0001_articles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect.create_content_version(op.get_bind())


def downgrade() -> None:
    dialect.drop_content_version(op.get_bind())
