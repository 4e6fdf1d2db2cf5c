"""Each article's story terms (see ``kartoteka.text.story_terms``).

Related materials find the articles sharing a stem through the index on
``term``; ``weight`` is in that index too, so scoring never reads the table.
Rows are written in the article's own transaction and replaced on revision.

``story_term_counts`` keeps, in that same transaction, how many articles
(any status) have each term, so that asking which terms are rare reads one
row per term instead of counting index entries.  A count that reaches
``FROZEN_COUNT`` is left there (see ``kartoteka.store.story_terms``).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table

from kartoteka.store.tables import metadata

MAX_TERM = 64

article_terms = Table(
    "article_terms",
    metadata,
    # PostgreSQL checks this reference once per statement, by triggers (migration 0150).
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"),
           primary_key=True),
    Column("term", String(MAX_TERM), primary_key=True),
    Column("weight", Float, nullable=False),
    Index("ix_article_terms_term", "term", "article_pk", "weight"),
)

story_term_counts = Table(
    "story_term_counts",
    metadata,
    Column("term", String(MAX_TERM), primary_key=True),
    Column("articles", Integer, nullable=False),
)
