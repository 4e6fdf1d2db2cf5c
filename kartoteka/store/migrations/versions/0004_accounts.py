"""Accounts, sessions, API tokens, join requests, one-time links, reviews, audit log.

Revision ID: 0004_accounts
Revises: 0001_articles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kartoteka.store import dialect

revision = "0004_accounts"
down_revision = "0001_articles"
branch_labels = None
depends_on = None


def _users_fk(table: str, column: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey("users.pk", ondelete=ondelete, name=f"fk_{table}_{column}_users")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("email_key", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("handle", sa.String(100)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("email_key", name="uq_users_email_key"),
    )
    op.create_table(
        "sessions",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("user_pk", sa.Integer, _users_fk("sessions", "user_pk", "CASCADE")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("csrf_secret", sa.String(64), nullable=False),
        sa.UniqueConstraint("id_hash", name="uq_sessions_id_hash"),
    )
    op.create_index("ix_sessions_user_pk", "sessions", ["user_pk"])
    op.create_table(
        "api_tokens",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "user_pk", sa.Integer, _users_fk("api_tokens", "user_pk", "CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_user_pk", "api_tokens", ["user_pk"])
    op.create_table(
        "join_requests",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("contact", sa.String(320), nullable=False),
        sa.Column("handle", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(320)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("user_pk", sa.Integer, _users_fk("join_requests", "user_pk", "SET NULL")),
    )
    op.create_index("ix_join_requests_status", "join_requests", ["status", "created_at"])
    op.create_table(
        "one_time_links",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column(
            "user_pk",
            sa.Integer,
            _users_fk("one_time_links", "user_pk", "CASCADE"),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("token_hash", name="uq_one_time_links_token_hash"),
    )
    op.create_table(
        "review_comments",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("author", sa.String(320), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_review_comments_article_id", "review_comments", ["article_id", "created_at"]
    )
    op.create_table(
        "audit_log",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    op.create_index("ix_audit_log_object", "audit_log", ["object_type", "object_id", "pk"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    dialect.forbid_changes(op.get_bind(), "audit_log")


def downgrade() -> None:
    dialect.allow_changes(op.get_bind(), "audit_log")
    for table in (
        "audit_log",
        "review_comments",
        "one_time_links",
        "join_requests",
        "api_tokens",
        "sessions",
        "users",
    ):
        op.drop_table(table)
