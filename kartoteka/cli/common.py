"""What every command shares: the database option, JSON output, clean errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated, Any, NoReturn

import typer

from kartoteka.settings import Settings
from kartoteka.store.database import Database

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $KARTOTEKA_DATABASE_URL or sqlite:///kartoteka.db).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def database_url(db: str | None) -> str:
    return Settings.from_env(db).database_url


def open_database(db: str | None, *, migrate: bool = True) -> Database:
    """Open the configured database, creating or upgrading its schema if needed.

    Zero set-up is the point of the SQLite default, so every command migrates
    on the way in; ``kartoteka init`` does only that.
    """
    database = Database(database_url(db))
    try:
        if migrate:
            with MigrationProgress() as progress:
                database.migrate(progress)
    except Exception as exc:
        fail(f"cannot open the database {database_url(db)!r}: {exc}")
    return database


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
        if not sys.stderr.isatty():
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
        if self._total or self._bar is not None:
            typer.echo(f"search index rebuilt: {self._total} article(s)", err=True)


def _default(value: object) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "as_dict"):
        return value.as_dict()
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
