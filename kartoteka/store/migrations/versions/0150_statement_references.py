"""PostgreSQL: story terms and LSH band keys reference their article per statement.

The two foreign keys to ``articles.pk`` (about seventy rows per article)
become triggers that check, lock and cascade once per statement instead of
once per row (``dialect.check_references_per_statement``): half of the
server's work in storing a bulk ingest's terms and band keys was those
checks.  What is enforced is the same.  SQLite keeps its constraints.

Revision ID: 0150_statement_references
Revises: 0003_reposts (and needs 0014_story_terms, which made the terms table)
"""

from __future__ import annotations

from alembic import op

from kartoteka.store import dialect

revision = "0150_statement_references"
# Not the other way round: a dependency that is a head would leave the version
# table when this runs, and the schema would look out of date.
down_revision = "0003_reposts"
branch_labels = None
depends_on = "0014_story_terms"

REFERENCES = (
    ("article_terms", "article_pk", "articles", "pk", "fk_article_terms_article_pk_articles"),
    ("article_lsh", "article_pk", "articles", "pk", "fk_article_lsh_article_pk_articles"),
)


def upgrade() -> None:
    for reference in REFERENCES:
        dialect.check_references_per_statement(op.get_bind(), *reference)


def downgrade() -> None:
    for reference in REFERENCES:
        dialect.restore_reference(op.get_bind(), *reference)
