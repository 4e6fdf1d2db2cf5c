"""CLI commands for the web app: ``serve`` any database, ``demo`` the sample one."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from kartoteka.cli.common import DbOption, JsonOption, database_url, open_database, print_json
from kartoteka.logs import uvicorn_log_config
from kartoteka.services.demo import build_demo, demo_accounts
from kartoteka.settings import DEFAULT_DEMO_DATABASE
from kartoteka.store.engine import safe_url

HostOption = Annotated[str, typer.Option(help="Address to serve on.")]
PortOption = Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")]
WorkersOption = Annotated[
    int, typer.Option(min=1, max=64, help="Worker processes (about one per CPU core).")
]


def run_server(url: str, host: str, port: int, workers: int = 1, access_log: bool = False) -> None:
    """uvicorn with the app factory, so every worker opens the database itself."""
    import uvicorn

    os.environ["KARTOTEKA_DATABASE_URL"] = url
    # Workers must sign visitors' form tokens with one key (see settings.site_key).
    os.environ.setdefault("KARTOTEKA_SECRET_KEY", secrets.token_urlsafe(32))
    uvicorn.run(
        "kartoteka.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_config=uvicorn_log_config(),
    )


def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: WorkersOption = 1,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log every request.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Serve the web app and the JSON API (docs at /docs) on the configured database."""
    open_database(db).dispose()
    url = database_url(db)
    typer.echo(f"serving {safe_url(url)} at http://{host}:{port}/ (Ctrl+C to stop)")
    run_server(url, host, port, workers, access_log)


def demo(
    database: Annotated[
        Path, typer.Option("--database", help="SQLite file to (re)build for the demo.")
    ] = Path(DEFAULT_DEMO_DATABASE),
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Only load the sample data and print a summary.")
    ] = False,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    json_output: JsonOption = False,
) -> None:
    """Build a fresh demo database from the bundled sample data, then serve it."""
    db, summary = build_demo(database)
    accounts = demo_accounts(db)
    db.dispose()
    credentials = [
        {"email": a.user.email, "role": a.user.role.value, "password": a.password}
        for a in accounts
    ]
    if json_output:
        print_json({**summary.as_dict(), "accounts": credentials})
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
        typer.echo("accounts (passwords generated for this demo database, shown only now):")
        for entry in credentials:
            typer.echo(f"  {entry['role']:<12} {entry['email']}  password: {entry['password']}")
    if no_serve:
        return
    typer.echo(f"demo at http://{host}:{port}/ (Ctrl+C to stop)", err=json_output)
    run_server(f"sqlite:///{database.resolve()}", host, port)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(demo)
