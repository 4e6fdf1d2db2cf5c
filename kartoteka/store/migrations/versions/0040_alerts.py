"""Watchlists, alerts, the alert queue and its triggers, webhook deliveries.

Existing articles are not queued: following something alerts on what is
new from then on.  The tables are spelled out here (not taken from
``store.alerts_tables``), so later changes to them need migrations of
their own.

Revision ID: 0040_alerts
Revises: 0008_session_expiry, 0005_extraction, 0002_registry
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kartoteka.store import dialect

revision = "0040_alerts"
down_revision = ("0008_session_expiry", "0005_extraction", "0002_registry")
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def _fk(column: str, target: str, table: str) -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete="CASCADE",
                         name=f"fk_{table}_{column}_{target.split('.')[0]}")


def upgrade() -> None:
    op.create_table(
        "watchlists",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_pk", sa.Integer, _fk("user_pk", "users.pk", "watchlists"),
                  nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(1000), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("query", sa.Text),
        sa.Column("filters", sa.JSON, nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("feed_hash", sa.String(64)),
        sa.Column("webhook_url", sa.Text),
        sa.Column("webhook_secret", sa.String(64)),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("last_digest_at", WHEN),
        sa.UniqueConstraint("user_pk", "kind", "key", name="uq_watchlists_user_pk_kind_key"),
        sa.UniqueConstraint("feed_hash", name="uq_watchlists_feed_hash"),
    )
    op.create_index("ix_watchlists_kind_key", "watchlists", ["kind", "key"])
    op.create_table(
        "alerts",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("watchlist_pk", sa.Integer,
                  _fk("watchlist_pk", "watchlists.pk", "alerts"), nullable=False),
        sa.Column("article_pk", sa.Integer, _fk("article_pk", "articles.pk", "alerts"),
                  nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("read_at", WHEN),
        sa.Column("emailed_at", WHEN),
        sa.Column("hooked_at", WHEN),
        sa.UniqueConstraint("watchlist_pk", "article_pk",
                            name="uq_alerts_watchlist_pk_article_pk"),
    )
    op.create_index("ix_alerts_article", "alerts", ["article_pk"])
    op.create_table(
        "alert_queue",
        sa.Column("article_pk", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("queued_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "alert_entity_queue",
        sa.Column("entity_id", sa.String(255), primary_key=True),
        sa.Column("queued_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("watchlist_pk", sa.Integer,
                  _fk("watchlist_pk", "watchlists.pk", "webhook_deliveries"), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", WHEN),
        sa.Column("delivered_at", WHEN),
        sa.Column("failed_at", WHEN),
    )
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries",
                    ["delivered_at", "failed_at", "next_attempt_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("delivery_pk", sa.Integer,
                  _fk("delivery_pk", "webhook_deliveries.pk", "webhook_attempts"),
                  nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_webhook_attempts_delivery", "webhook_attempts", ["delivery_pk"])
    dialect.create_alert_triggers(op.get_bind())


def downgrade() -> None:
    dialect.drop_alert_triggers(op.get_bind())
    for table in ("webhook_attempts", "webhook_deliveries", "alert_entity_queue",
                  "alert_queue", "alerts", "watchlists"):
        op.drop_table(table)
