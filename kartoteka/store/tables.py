"""Table definitions for articles, their revisions and authors.

SQLAlchemy Core tables, not ORM classes: repositories map rows to the plain
dataclasses in ``kartoteka.model``.  Other areas (registry, extraction,
accounts) define their tables in their own modules on the same ``metadata``.
The full-text index is not here: it differs per backend, so it lives in
``kartoteka.store.search_index``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kartoteka.store.dialect import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

authors = Table(
    "authors",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("handle", String(255), nullable=False),
    # Telegram handles are case-insensitive: the key is the lower-cased handle.
    Column("handle_key", String(255), nullable=False, unique=True),
    Column("display_name", String(500), nullable=False, default=""),
    Column("kind", String(20), nullable=False, default="person"),
)

# The handles and names of authors merged into another (see migration 0120):
# ``key`` is lower-cased like ``handle_key``; ``kind`` is ``handle`` or ``name``.
author_aliases = Table(
    "author_aliases",
    metadata,
    Column("key", String(500), primary_key=True),
    Column("author_pk", Integer, ForeignKey("authors.pk", ondelete="CASCADE"), nullable=False),
    Column("alias", String(500), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_author_aliases_author_pk", "author_pk"),
)

articles = Table(
    "articles",
    metadata,
    # An integer key for the full-text index (FTS5 rowid); ``id`` is the public id.
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(32), nullable=False, unique=True),
    Column("source_key", String(2000), nullable=False),
    Column("source", String(2000), nullable=False),
    Column("url", String(2000)),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("language", String(12)),
    Column("author_pk", Integer, ForeignKey("authors.pk")),
    Column("published_at", UtcDateTime()),
    Column("ingested_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("revision", Integer, nullable=False, default=1),
    Column("status", String(20), nullable=False, default="published"),
    Column("original_id", String(32)),
    Column("deleted_at", UtcDateTime()),
    Column("hashtags", JSON, nullable=False, default=list),
    Column("links", JSON, nullable=False, default=list),
    Column("extra", JSON, nullable=False, default=dict),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_published", "published_at"),
    Index("ix_articles_author", "author_pk"),
    Index("ix_articles_language", "language"),
    Index("ix_articles_original", "original_id"),
    # Covers every column search checks per match (see migration 0007).
    Index(
        "ix_articles_visibility",
        "pk", "status", "original_id", "deleted_at", "published_at", "author_pk", "language",
    ),
)

article_countries = Table(
    "article_countries",
    metadata,
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
    Column("country", String(8), primary_key=True),
    Index("ix_article_countries_country", "country", "article_pk"),
)

article_revisions = Table(
    "article_revisions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(255)),
    UniqueConstraint("article_pk", "number"),
)

# Repost detection: each original's MinHash signature and its LSH band keys,
# so a new article finds its near-duplicates with one indexed look-up, in any
# process, without rebuilding an in-memory index.
article_signatures = Table(
    "article_signatures",
    metadata,
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)

article_lsh = Table(
    "article_lsh",
    metadata,
    # PostgreSQL checks this reference once per statement, by triggers (migration 0150).
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
    Column("band", Integer, nullable=False),
    Column("key", String(16), nullable=False),
    Index("ix_article_lsh_band_key", "band", "key"),
    Index("ix_article_lsh_article", "article_pk"),
)
