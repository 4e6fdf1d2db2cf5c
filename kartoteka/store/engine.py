"""Create engines with the connection settings each backend needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from kartoteka.store import dialect


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and pick the psycopg 3 driver we depend on."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": dialect.SQLITE_BUSY_TIMEOUT_MS / 1000,
            },
        )
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    dialect.track_commits(engine)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dialect.configure_sqlite_connection(dbapi_connection)
