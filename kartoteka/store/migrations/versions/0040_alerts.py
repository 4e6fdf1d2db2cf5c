"""Watchlists, alerts, the alert queue and its triggers, webhook deliveries.

Existing articles are not queued: following something alerts on what is
new from then on.

Revision ID: 0040_alerts
Revises: 0008_session_expiry, 0005_extraction, 0002_registry
"""

from __future__ import annotations

from alembic import op

from kartoteka.store import dialect
from kartoteka.store.alerts_tables import (
    alert_entity_queue,
    alert_queue,
    alerts,
    watchlists,
    webhook_attempts,
    webhook_deliveries,
)

revision = "0040_alerts"
down_revision = ("0008_session_expiry", "0005_extraction", "0002_registry")
branch_labels = None
depends_on = None

TABLES = (watchlists, alerts, alert_queue, alert_entity_queue, webhook_deliveries,
          webhook_attempts)


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        table.create(bind)
    dialect.create_alert_triggers(bind)


def downgrade() -> None:
    bind = op.get_bind()
    dialect.drop_alert_triggers(bind)
    for table in reversed(TABLES):
        table.drop(bind)
