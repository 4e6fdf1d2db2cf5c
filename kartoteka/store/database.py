"""A database: an engine, its migrations, and transactions.

Services receive a ``Database`` and open transactions through it; a write
either commits whole or leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from kartoteka.store import dialect
from kartoteka.store.engine import make_engine

__all__ = [
    "MIGRATIONS",
    "Database",
    "DatabaseNotReady",
]

MIGRATIONS = Path(__file__).with_name("migrations")
Progress = Callable[[int, int, str], None]


class DatabaseNotReady(RuntimeError):
    """The database has not been created or is behind the code's schema."""


class Database:
    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self._version_probe: dialect.VersionProbe | None = None

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def _alembic_config(self, connection: Connection) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        return config

    def migrate(self, progress: Progress | None = None) -> None:
        """Create the schema or bring it up to date (idempotent).

        All pending migrations run in one transaction on both backends, so an
        ``init`` that fails or is killed leaves the database as it was.
        ``progress(done, total, item)`` hears from migrations that rewrite
        every article (rebuilding the search index).
        """
        with self.transaction() as connection:
            config = self._alembic_config(connection)
            config.attributes["progress"] = progress
            command.upgrade(config, "heads")

    def pending_migrations(self) -> set[str]:
        with self.engine.connect() as connection:
            script = ScriptDirectory.from_config(self._alembic_config(connection))
            current = set(MigrationContext.configure(connection).get_current_heads())
        return set(script.get_heads()) - current

    def is_initialised(self) -> bool:
        """Whether ``kartoteka init`` (or any migration) has ever run here."""
        with self.engine.connect() as connection:
            return bool(MigrationContext.configure(connection).get_current_heads())

    def ensure_ready(self) -> None:
        if self.pending_migrations():
            raise DatabaseNotReady(
                f"the database at {self.engine.url.render_as_string(hide_password=True)} "
                "is not initialised or is out of date: run `kartoteka init`"
            )

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction: commits whole when the block ends, else rolls back."""
        with self.engine.connect() as connection:
            connection.execution_options(**{dialect.WRITE_OPTION: True})
            with connection.begin():
                yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def content_version(self) -> str | None:
        """Changes whenever anyone commits; None where that cannot be told.

        Ask it before reading what you want to cache (see
        ``dialect.content_version_probe``).
        """
        if self._version_probe is None:
            self._version_probe = dialect.content_version_probe(self.engine)
        return self._version_probe()

    def dispose(self) -> None:
        if self._version_probe is not None:
            self._version_probe.close()
            self._version_probe = None
        self.engine.dispose()
