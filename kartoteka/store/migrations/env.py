"""Alembic environment: always called programmatically with a live connection."""

from __future__ import annotations

from alembic import context

from kartoteka.store import registry_tables  # noqa: F401 - puts its tables on metadata
from kartoteka.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by the bare alembic CLI
    raise RuntimeError("run migrations with `kartoteka init`, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    # Every pending migration in the one transaction the caller opened: an
    # interrupted init leaves the database as it was (store/database.py).
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
