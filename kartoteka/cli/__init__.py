"""The ``kartoteka`` command: a thin shell over the services layer.

Each module registers one group of commands; none holds logic of its own.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from kartoteka.cli import (
    alerts,
    articles,
    authors,
    catalog,
    extraction,
    queue,
    registry,
    sources,
    users,
    web,
)
from kartoteka.cli.common import close_databases, fail
from kartoteka.cli.help_text import tidy_help
from kartoteka.logs import configure_logging

app = typer.Typer(
    name="kartoteka",
    help="A cited, searchable knowledge base of articles about armed groups, "
    "organised crime and the people tied to them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="Database URL for every command (default: $KARTOTEKA_DATABASE_URL "
            "or sqlite:///kartoteka.db).",
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Log debug detail and tracebacks to stderr (default level: "
            "$KARTOTEKA_LOG_LEVEL or WARNING; $KARTOTEKA_LOG_FORMAT=json for JSON lines).",
        ),
    ] = False,
) -> None:
    """kartoteka: articles, entities, relations and a catalog, from many sources."""
    try:
        configure_logging(verbose)
    except ValueError as exc:
        fail(str(exc))
    if db:
        os.environ["KARTOTEKA_DATABASE_URL"] = db
    ctx.call_on_close(close_databases)  # no pool outlives the command


for module in (
    articles, registry, extraction, catalog, authors, web, users, sources, queue, alerts
):
    module.register(app)


def main() -> None:
    tidy_help(typer.main.get_command(app))()
