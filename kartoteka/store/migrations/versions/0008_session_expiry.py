"""An index on session expiry, so expired sessions can be purged on every start.

Each anonymous visitor who opens a form gets a short-lived session that
carries its CSRF secret; starting a session now deletes the expired ones, and
without this index that delete would scan the whole table each time.

Revision ID: 0008_session_expiry
Revises: 0004_accounts
"""

from __future__ import annotations

from alembic import op

revision = "0008_session_expiry"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sessions_expires_at", "sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_sessions_expires_at", table_name="sessions")
