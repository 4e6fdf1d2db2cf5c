"""Tables for watchlists and alerts: what a user follows, what it found, and the queue.

``alert_queue`` and ``alert_entity_queue`` are filled by database triggers
(``dialect.create_alert_triggers``), in the transaction of the change itself:
a new or re-published article, a new entity link or country tag, an entity
merged into another.  So every writer, present or future, feeds the
matcher, and a crash never loses a change that was committed.  ``version``
tells the matcher whether a row was queued again while it worked.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kartoteka.store import accounts_tables  # noqa: F401 - the users table, for the foreign key
from kartoteka.store.dialect import UtcDateTime
from kartoteka.store.tables import metadata

watchlists = Table(
    "watchlists",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # entity | country | author | search
    # What matching looks up: entity id, country code, author handle key, or a
    # saved search's query string (words and filters, as its feed's address).
    Column("key", String(1000), nullable=False),
    Column("label", Text, nullable=False),
    Column("query", Text),
    Column("filters", JSON, nullable=False, default=dict),
    Column("frequency", String(16), nullable=False, default="daily"),
    # SHA-256 of the private feed's secret; NULL until one is made.
    Column("feed_hash", String(64), unique=True),
    Column("webhook_url", Text),
    Column("webhook_secret", String(64)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_digest_at", UtcDateTime),
    UniqueConstraint("user_pk", "kind", "key"),
    Index("ix_watchlists_kind_key", "kind", "key"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("watchlist_pk", Integer, ForeignKey("watchlists.pk", ondelete="CASCADE"),
           nullable=False),
    Column("article_pk", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("read_at", UtcDateTime),
    Column("emailed_at", UtcDateTime),
    Column("hooked_at", UtcDateTime),
    UniqueConstraint("watchlist_pk", "article_pk"),
    Index("ix_alerts_article", "article_pk"),
)

alert_queue = Table(
    "alert_queue",
    metadata,
    Column("article_pk", Integer, primary_key=True, autoincrement=False),
    Column("queued_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

alert_entity_queue = Table(
    "alert_entity_queue",
    metadata,
    Column("entity_id", String(255), primary_key=True),
    Column("queued_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("watchlist_pk", Integer, ForeignKey("watchlists.pk", ondelete="CASCADE"),
           nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime),
    Column("delivered_at", UtcDateTime),
    Column("failed_at", UtcDateTime),
    Index("ix_webhook_deliveries_due", "delivered_at", "failed_at", "next_attempt_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("delivery_pk", Integer, ForeignKey("webhook_deliveries.pk", ondelete="CASCADE"),
           nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("status", Integer),  # the HTTP status; NULL when no answer came
    Column("error", Text),
    Index("ix_webhook_attempts_delivery", "delivery_pk"),
)
