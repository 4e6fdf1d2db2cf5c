"""Tables for what extraction finds: mentions, article–entity links, candidates.

Entity ids are plain strings here, not foreign keys: a merge in the registry
re-points them, and an entity may be deleted while its mentions stay as
evidence.  Editors' decisions on candidates (accepted, rejected) live in the
candidates table and survive every re-run of extraction.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from kartoteka.store.dialect import UtcDateTime
from kartoteka.store.tables import metadata

mentions = Table(
    "mentions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("label", String(16), nullable=False),
    Column("component", String(40), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("entity_id", String(255)),
    # The normalised name an unresolved mention is aggregated under.
    Column("candidate_key", String(500)),
    # The name's dictionary form when the text inflects it (migration 0015).
    Column("normal", String(500)),
    # "title" or "body": the text ``start`` and ``end`` index (migration 0125).
    Column("section", String(8), nullable=False, server_default="body"),
    Index("ix_mentions_article", "article_pk"),
    Index("ix_mentions_entity", "entity_id"),
    Index("ix_mentions_candidate", "candidate_key"),
)

# FtM "Documentation": an article documents an entity.  ``role`` is
# "subject" when the article is about the entity (it is in the title, or an
# imported catalog entry says so), "mentioned" otherwise.
article_entities = Table(
    "article_entities",
    metadata,
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", String(255), primary_key=True),
    Column("mentions", Integer, nullable=False),
    Column("role", String(16), nullable=False),
    Column("origin", String(16), nullable=False),
    Index("ix_article_entities_entity", "entity_id", "article_pk"),
)

candidates = Table(
    "candidates",
    metadata,
    Column("key", String(500), primary_key=True),
    Column("name", String(500), nullable=False),
    Column("label", String(16), nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("contexts", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # open | accepted | rejected
    Column("entity_id", String(255)),
    Column("decided_by", String(255)),
    Column("decided_at", UtcDateTime()),
    Index("ix_candidates_status", "status", "mentions"),
)
