"""PostgreSQL: a list of articles per stem, in ``pk`` order, kept by triggers.

Searches with a country or date filter, and deep pages, read a common
word's articles newest first from it instead of walking every article
backwards (``search_index_schema.create_stem_postings`` says why, and
``bench/search.py`` what it gained and costs).  Existing articles are
copied in batches with a progress bar; at a million short articles this
took 65 s here and 4.3 GB (61.9 million pairs).  Afterwards ``VACUUM
ANALYZE article_stems`` (or autovacuum) sets the visibility map its
index-only scans need.  SQLite: nothing to do (FTS5 keeps such lists
already).

Revision ID: 0170_stem_postings
Revises: 0165_vectors_inline
"""

from __future__ import annotations

from alembic import context, op

from kartoteka.store import search_index_schema

revision = "0170_stem_postings"
down_revision = "0165_vectors_inline"
branch_labels = None
depends_on = None

# The key under which ``Database.migrate`` passes a progress callback (as 0010).
PROGRESS = "progress"


def upgrade() -> None:
    progress = context.config.attributes.get(PROGRESS)
    conn = op.get_bind()
    # Whatever is there is stale: a backup from before 0170, restored over a
    # newer database, brings its articles back but leaves this table as it was.
    search_index_schema.drop_stem_postings(conn)
    search_index_schema.create_stem_postings(conn, progress)


def downgrade() -> None:
    search_index_schema.drop_stem_postings(op.get_bind())
