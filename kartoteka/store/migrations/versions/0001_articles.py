"""Articles, revisions, authors and the full-text index.

Revision ID: 0001_articles
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kartoteka.store import search_index_schema

revision = "0001_articles"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "authors",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("handle", sa.String(255), nullable=False),
        sa.Column("handle_key", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.UniqueConstraint("handle_key", name="uq_authors_handle_key"),
    )
    op.create_table(
        "articles",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("source_key", sa.String(2000), nullable=False),
        sa.Column("source", sa.String(2000), nullable=False),
        sa.Column("url", sa.String(2000)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("language", sa.String(12)),
        sa.Column(
            "author_pk",
            sa.Integer,
            sa.ForeignKey("authors.pk", name="fk_articles_author_pk_authors"),
        ),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("original_id", sa.String(32)),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.Column("hashtags", sa.JSON, nullable=False),
        sa.Column("links", sa.JSON, nullable=False),
        sa.Column("extra", sa.JSON, nullable=False),
        sa.UniqueConstraint("id", name="uq_articles_id"),
    )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_published", "articles", ["published_at"])
    op.create_index("ix_articles_author", "articles", ["author_pk"])
    op.create_index("ix_articles_language", "articles", ["language"])
    op.create_index("ix_articles_original", "articles", ["original_id"])
    op.create_table(
        "article_countries",
        sa.Column(
            "article_pk",
            sa.Integer,
            sa.ForeignKey(
                "articles.pk", ondelete="CASCADE", name="fk_article_countries_article_pk_articles"
            ),
            primary_key=True,
        ),
        sa.Column("country", sa.String(8), primary_key=True),
    )
    op.create_index("ix_article_countries_country", "article_countries", ["country", "article_pk"])
    op.create_table(
        "article_revisions",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "article_pk",
            sa.Integer,
            sa.ForeignKey(
                "articles.pk", ondelete="CASCADE", name="fk_article_revisions_article_pk_articles"
            ),
            nullable=False,
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(255)),
        sa.UniqueConstraint("article_pk", "number", name="uq_article_revisions_article_pk_number"),
    )
    search_index_schema.create_search_index(op.get_bind())


def downgrade() -> None:
    search_index_schema.drop_search_index(op.get_bind())
    op.drop_table("article_revisions")
    op.drop_table("article_countries")
    op.drop_table("articles")
    op.drop_table("authors")
