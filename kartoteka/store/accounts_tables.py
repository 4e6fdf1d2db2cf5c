"""Tables for accounts, sessions, tokens, join requests, reviews and the audit log.

Secrets are stored only as SHA-256 digests (sessions, API tokens, one-time
links) or argon2 hashes (passwords).  E-mail addresses are unique without
regard to case through ``email_key``, the lower-cased address, so the rule
holds the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text

from kartoteka.store.dialect import UtcDateTime
from kartoteka.store.tables import metadata

users = Table(
    "users",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False),
    Column("email_key", String(320), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, default=""),
    Column("handle", String(100)),
    Column("role", String(20), nullable=False),
    # NULL until an invited user sets a password through the invitation link.
    Column("password_hash", String(255)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("disabled_at", UtcDateTime()),
    # The interface language the user chose ("en", "ru"); NULL: the browser decides.
    Column("language", String(8)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id_hash", String(64), nullable=False, unique=True),
    # NULL for a visitor's session before login (it carries the CSRF secret).
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE")),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("csrf_secret", String(64), nullable=False),
    Index("ix_sessions_user_pk", "user_pk"),
    Index("ix_sessions_expires_at", "expires_at"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("scope", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime()),
    Column("last_used_at", UtcDateTime()),
    Index("ix_api_tokens_user_pk", "user_pk"),
)

join_requests = Table(
    "join_requests",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("contact", String(320), nullable=False),
    Column("handle", String(100), nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("decided_by", String(320)),
    Column("decided_at", UtcDateTime()),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="SET NULL")),
    Index("ix_join_requests_status", "status", "created_at"),
)

one_time_links = Table(
    "one_time_links",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime()),
)

review_comments = Table(
    "review_comments",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("author", String(320), nullable=False),
    Column("action", String(20), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_review_comments_article_id", "article_id", "created_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(320), nullable=False),
    Column("action", String(64), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_id", String(200), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_log_object", "object_type", "object_id", "pk"),
    Index("ix_audit_log_at", "at"),
)
