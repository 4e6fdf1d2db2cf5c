"""Create engines with the connection settings each backend needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kartoteka.store import dialect

SUPPORTED_URLS = (
    "a file path, sqlite:///relative/file.db, sqlite:////absolute/file.db "
    "or postgresql://user:password@host/dbname"
)
_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgres", "postgresql+psycopg")


class UnsupportedDatabaseURL(ValueError):
    """A --db value or KARTOTEKA_DATABASE_URL that names no database we can open."""


def database_url_from(value: str) -> str:
    """A URL for what a user typed: a plain path is an SQLite file.

    Anything with a scheme must be one we support; the message lists the forms.
    """
    value = value.strip()
    if not value:
        raise UnsupportedDatabaseURL(f"no database given: use {SUPPORTED_URLS}")
    if "://" not in value:
        return f"sqlite:///{value}"
    try:
        parsed = make_url(value)
    except ArgumentError:
        parsed = None
    if parsed is None or parsed.drivername not in _SCHEMES:
        scheme = value.split("://", 1)[0]
        raise UnsupportedDatabaseURL(
            f"unsupported database URL scheme {scheme!r}: use {SUPPORTED_URLS}"
        )
    return value


def safe_url(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable database URL>"


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names (None for in-memory or another backend)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


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
        event.listen(engine, "begin", dialect.begin_sqlite)
        dialect.track_commits(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    dialect.track_commits(engine)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dialect.configure_sqlite_connection(dbapi_connection)
