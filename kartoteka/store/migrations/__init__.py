"""Alembic migrations; run through ``kartoteka.store.database.migrate``."""
