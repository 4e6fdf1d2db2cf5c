"""CLI commands for the demo and (later) the web server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kartoteka.cli.common import JsonOption, print_json
from kartoteka.services.demo import build_demo
from kartoteka.settings import DEFAULT_DEMO_DATABASE


def demo(
    database: Annotated[
        Path, typer.Option("--database", help="SQLite file to (re)build for the demo.")
    ] = Path(DEFAULT_DEMO_DATABASE),
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Only load the sample data and print a summary.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    json_output: JsonOption = False,
) -> None:
    """Build a fresh demo database from the bundled sample data, then serve it."""
    _db, summary = build_demo(database)
    if json_output:
        print_json(summary.as_dict())
    else:
        typer.echo(
            f"demo database {summary.database}: {summary.articles} articles by "
            f"{summary.authors} authors, countries {', '.join(summary.countries) or '-'}, "
            f"languages {summary.languages}"
        )
        for name, report in summary.reports.items():
            typer.echo(
                f"  {name}: "
                + ", ".join(f"{k} {v}" for k, v in report.as_dict().items() if k != "errors")
            )
            for error in report.errors:
                typer.echo(f"    failed: {error.path}: {error.error}", err=True)
    if no_serve:
        return
    typer.echo("the web app is not built yet; use --no-serve to only load the data", err=True)


def register(app: typer.Typer) -> None:
    app.command()(demo)
