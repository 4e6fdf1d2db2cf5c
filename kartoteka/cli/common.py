"""What every command shares: the database option, JSON output, clean errors."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import is_dataclass
from datetime import date, datetime
from typing import Annotated, Any, NoReturn

import typer

from kartoteka.record import as_record
from kartoteka.services.wiring import Services, build_services
from kartoteka.settings import Settings
from kartoteka.store.database import Database
from kartoteka.store.engine import UnsupportedDatabaseURL, database_url_from, safe_url, sqlite_file

logger = logging.getLogger(__name__)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Database URL (default: $KARTOTEKA_DATABASE_URL or sqlite:///kartoteka.db).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
# ingest, sources run and watch: where the extraction of what they store runs.
QueueOption = Annotated[
    bool | None,
    typer.Option("--queue/--no-queue", help="Hand extraction to queue workers "
                 "(PostgreSQL; default: on when KARTOTEKA_QUEUE=procrastinate)."),
]


def settings_from_env(db: str | None = None) -> Settings:
    """The environment's settings; a bad value (KARTOTEKA_QUEUE=…) is one error line."""
    try:
        return Settings.from_env(db)
    except ValueError as exc:
        fail(str(exc))


def database_url(db: str | None) -> str:
    """The URL to open: --db, else the environment; a plain path is an SQLite file."""
    try:
        return database_url_from(settings_from_env(db).database_url)
    except UnsupportedDatabaseURL as exc:
        fail(str(exc))


def open_database(db: str | None, *, create: bool = False, migrate: bool = True) -> Database:
    """Open the configured database, upgrading its schema if needed.

    Only commands that write (init, ingest, imports) ``create`` one: for a
    read, a database that is not there is a mistyped path, and an empty new
    file would only answer "no results".
    """
    url = database_url(db)
    shown = safe_url(url)
    path = sqlite_file(url)
    if not create and path is not None and (not path.is_file() or path.stat().st_size == 0):
        fail(f"no database at {path}; run `kartoteka init` first (or check --db)")
    database: Database | None = None
    try:
        database = Database(url)
        if not create and not database.is_initialised():
            fail(f"no database at {shown}; run `kartoteka init` first (or check --db)")
        if migrate:
            with MigrationProgress() as progress:
                database.migrate(progress)
    except BaseException as exc:
        if database is not None:
            database.dispose()
        if isinstance(exc, typer.Exit | KeyboardInterrupt) or not isinstance(exc, Exception):
            raise
        logger.debug("opening %s failed", shown, exc_info=True)
        fail(f"cannot open the database {shown}: {_reason(exc)}")
    _dispose_when_the_command_ends(database)
    return database


_OPENED: list[Database] = []


def _dispose_when_the_command_ends(database: Database) -> None:
    """Close the pool when the command returns, not when the garbage collector runs.

    An engine sits in reference cycles, so its pooled connections outlive the
    command until a collection: in one process that runs many commands (the
    tests, anything embedding the CLI) PostgreSQL ran out of connections.
    The root command's context calls ``close_databases`` as it closes.
    """
    _OPENED.append(database)


def close_databases() -> None:
    """Dispose every database a command opened (see ``open_database``)."""
    while _OPENED:
        _OPENED.pop().dispose()


def open_services(db: str | None, *, create: bool = False) -> Services:
    """Every service over the configured database (``open_database`` checks it),
    built by the one composition root the web app uses too."""
    database = open_database(db, create=create)
    return build_services(settings_from_env(database.url), database)


def _reason(exc: Exception) -> str:
    """The driver's own first line, without SQLAlchemy's wrapper and its SQL."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


class MigrationProgress:
    """A progress bar on stderr for a migration that rewrites every article.

    Nothing shows unless a migration reports (most runs have nothing to do);
    in a pipe, one line on stderr says what was done."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None
        self._total = 0

    def __enter__(self) -> MigrationProgress:
        return self

    def __call__(self, done: int, total: int, item: str) -> None:
        self._total = total
        if not total or not sys.stderr.isatty():
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("[bold]rebuilding the search index"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[item]}", style="dim"),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("index", total=total, item="")
        self._bar.update(self._task, completed=done, total=total, item=item)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        if self._total:
            typer.echo(f"search index rebuilt: {self._total} article(s)", err=True)


def _default(value: object) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if is_dataclass(value) and not isinstance(value, type):
        return as_record(value)  # a model object: its fields, as the model declares them
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, default=_default)


def print_json(data: object) -> None:
    sys.stdout.write(to_json(data) + "\n")


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def user_errors(*kinds: type[Exception]) -> Iterator[None]:
    """Turn expected domain errors into one clean line on stderr and exit 2."""
    try:
        yield
    except kinds as exc:
        fail(str(exc))


def progress_bar(enabled: bool) -> Any:
    """A rich progress bar on a terminal; nothing under --json or in a pipe."""
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[item]}", style="dim"),
        transient=True,
    )


def progress_callback(bar: Any, description: str) -> Callable[[int, int, str], None] | None:
    if bar is None:
        return None
    task = bar.add_task(description, total=None, item="")

    def advance(done: int, total: int, item: str) -> None:
        bar.update(task, completed=done, total=total, item=item[-60:])

    return advance
