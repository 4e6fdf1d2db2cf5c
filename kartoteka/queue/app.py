"""The one procrastinate App: built from settings, holding every kartoteka task.

Tasks are registered by functions in ``REGISTRARS`` (each takes the App and
the worker's ``Runtime``), not by decorators on a module-level App, because
the App needs the database URL, which is known only at run time, and a
process may hold more than one (tests, several databases).  To add a task
or a periodic task from another area::

    def register(app: App, runtime: Runtime) -> None:
        @app.periodic(cron="*/5 * * * *")
        @app.task(name="poll_sources", queue="sources", queueing_lock="poll_sources")
        def poll_sources(timestamp: int) -> None:
            ...  # runtime.db is the worker's Database

and append ``register`` to ``REGISTRARS`` below.  A worker started with
``kartoteka worker`` then runs it, and defers periodic tasks on schedule.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from procrastinate import App, PsycopgConnector
from sqlalchemy.engine import make_url

from kartoteka.services.extraction import ExtractionService
from kartoteka.settings import QUEUE_ENV
from kartoteka.store.database import Database


class QueueNotAvailable(RuntimeError):
    """The queue was asked for where it cannot run (SQLite, or procrastinate missing)."""


class Runtime:
    """What tasks use inside one worker process, built on first use and then kept.

    The extraction pipeline (registry matcher, spaCy and natasha models) is
    built once per process and shared by the worker's jobs; ``lock`` lets one
    job at a time use them (``busy``; the models are CPU-bound: more threads in one
    process would not run them faster, more worker processes do).
    """

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.lock = threading.Lock()
        self.busy = threading.Lock()  # one job at a time uses the models
        self._db: Database | None = None
        self._extraction: ExtractionService | None = None
        # Tests and benches may build extraction their own way (no NER, a fault).
        self.extraction_factory: Callable[[Database], ExtractionService] = ExtractionService

    @property
    def db(self) -> Database:
        with self.lock:
            if self._db is None:
                self._db = Database(self.database_url)
            return self._db

    @property
    def extraction(self) -> ExtractionService:
        db = self.db
        with self.lock:
            if self._extraction is None:
                self._extraction = self.extraction_factory(db)
            return self._extraction

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None
        self._extraction = None


Registrar = Callable[[App, Runtime], None]


def _registrars() -> list[Registrar]:
    from kartoteka.queue import source_tasks, tasks

    return [tasks.register, source_tasks.register]


# Other areas append their registrar here (see the module docstring).
REGISTRARS: list[Registrar] = []


def conninfo(database_url: str) -> str:
    """psycopg's form of a SQLAlchemy PostgreSQL URL (no ``+psycopg`` driver part)."""
    url = make_url(database_url)
    if not url.drivername.startswith(("postgresql", "postgres")):
        raise QueueNotAvailable(
            "the job queue needs PostgreSQL: an SQLite database runs every stage in-process "
            f"(unset {QUEUE_ENV})")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def build_app(database_url: str, *, pool_size: int = 2) -> tuple[App, Runtime]:
    """The App for ``database_url`` with every registered task, and its Runtime.

    ``pool_size`` bounds procrastinate's own connections (a worker needs its
    concurrency plus one for LISTEN; a process that only defers needs one).
    """
    connector = PsycopgConnector(conninfo=conninfo(database_url), min_size=1,
                                 max_size=max(1, pool_size))
    app = App(connector=connector)
    runtime = Runtime(database_url)
    for register in _registrars() + REGISTRARS:
        register(app, runtime)
    return app, runtime
