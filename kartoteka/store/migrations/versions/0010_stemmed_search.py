"""Word forms in search: a stem index beside the exact one, and the index rebuilt.

SQLite: the exact index becomes contentless and is filled with forms made in
Python (as the new stem index is), so both are rebuilt from every article.
PostgreSQL: the ``kartoteka_stem`` configuration, the ``stem_vector``
column with its trigger and GIN index are added, and the column is filled;
``search_vector`` stays as it was.  Either way the articles are read in
batches and ``kartoteka init`` shows a progress bar (see ``search_index``).

Revision ID: 0010_stemmed_search
Revises: 0001_articles
"""

from __future__ import annotations

from alembic import context, op

from kartoteka.store import search_index, search_index_schema

revision = "0010_stemmed_search"
down_revision = "0001_articles"
branch_labels = None
depends_on = None

# The key under which ``Database.migrate`` passes a progress callback.
PROGRESS = "progress"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        search_index_schema.drop_search_index(conn)  # the old external-content table
    search_index_schema.create_search_index(conn)
    progress = context.config.attributes.get(PROGRESS)
    search_index.rebuild_search_index(conn, progress)


def downgrade() -> None:
    conn = op.get_bind()
    search_index_schema.drop_stem_index(conn)
    if conn.dialect.name == "sqlite":
        # Back to 0001's index: FTS5 over the articles table, tokenized by SQLite.
        search_index_schema.drop_search_index(conn)
        op.execute(
            "CREATE VIRTUAL TABLE article_fts USING fts5("
            "title, body, content='articles', content_rowid='pk', "
            "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')"
        )
        op.execute("INSERT INTO article_fts(article_fts) VALUES ('rebuild')")
