"""Queue tests run against the real PostgreSQL (the queue exists nowhere else)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("procrastinate", reason="the queue extra (procrastinate) is not installed")

from kartoteka.queue.schema import ensure_queue_schema
from kartoteka.store.database import Database
from tests.conftest import _empty_postgres


@pytest.fixture
def pg_url(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An emptied PostgreSQL database with procrastinate's schema, in the environment."""
    database = Database(postgres_url)
    ensure_queue_schema(database)
    _empty_postgres(database)
    database.dispose()
    monkeypatch.setenv("KARTOTEKA_DATABASE_URL", postgres_url)
    monkeypatch.setenv("KARTOTEKA_QUEUE_BACKOFF", "0")
    monkeypatch.setenv("KARTOTEKA_QUEUE_ATTEMPTS", "2")
    monkeypatch.setenv("KARTOTEKA_QUEUE_HEARTBEAT", "1")
    return postgres_url


@pytest.fixture
def pg(pg_url: str) -> Iterator[Database]:
    database = Database(pg_url)
    yield database
    database.dispose()
