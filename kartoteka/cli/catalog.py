"""CLI commands: ``catalog`` (build and publish), ``catalog import`` and ``related``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kartoteka.catalog.render import FORMATS, render, telegram_messages
from kartoteka.cli.articles import parse_day
from kartoteka.cli.common import (
    DbOption,
    JsonOption,
    fail,
    open_database,
    open_services,
    print_json,
    to_json,
)
from kartoteka.services.catalog import build_catalog
from kartoteka.services.catalog_import import import_catalog
from kartoteka.services.related import ArticleNotFound, related_articles

CATALOG_FORMATS = (*FORMATS, "telegram")

catalog_app = typer.Typer(
    help="The catalog of articles by country: build and publish it, or import a post.",
    invoke_without_command=True,
)


@catalog_app.callback()
def catalog(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help=f"Output format: {', '.join(CATALOG_FORMATS)}.")
    ] = "markdown",
    country: Annotated[
        str | None, typer.Option(help="Only this country (ISO code, e.g. rs or xk).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Only articles added on or after this date or time (e.g. the last post's "
            "date, 2024-05-31 or 2024-05-31T18:00), to publish an update."
        ),
    ] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Print the catalog: one heading per country with its flag, entries with links and authors.

    ``--format telegram`` prints messages for Telegram's HTML mode, separated by
    blank lines; with ``--json`` it prints them as [{"text": ...}].
    """
    if ctx.invoked_subcommand is not None:
        return
    if fmt not in CATALOG_FORMATS:
        fail(f"unknown catalog format {fmt!r}: use one of {', '.join(CATALOG_FORMATS)}")
    if country is not None and len(country) != 2:
        fail(f"--country expects a two-letter code such as rs or xk, not {country!r}")
    added_since = parse_day(since, "--since") if since else None
    result = build_catalog(open_database(db), country, added_since)
    if since and not result.countries:
        typer.echo(f"nothing added since {since}", err=True)
    if fmt == "telegram":
        messages = telegram_messages(result)
        text = to_json([{"text": m} for m in messages]) if json_output else "\n\n".join(messages)
    else:
        text = render(result, fmt)
    text = text if text.endswith("\n") else text + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


@catalog_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="A catalog post: text, Markdown or HTML.")],
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import a "Catalog of articles" post: an article record per entry, linked to the registry.

    Unknown titles become candidate entities; importing the same post again
    changes nothing.  Lines that cannot be read are reported with their
    numbers, and the command then exits 1 (everything readable is still stored).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {path}: {exc}")
    services = open_services(db, create=True)
    report = import_catalog(services.db, text, source=path.name, matcher=services.matcher)
    if json_output:
        print_json(report.as_dict())
    else:
        data = report.as_dict()
        typer.echo(
            f"{report.countries} countries, {report.entries} entries; articles {data['articles']}; "
            f"authors added {report.authors_added}; links {data['links']}; "
            f"candidates {data['candidates']}; failed lines {report.failed}"
        )
        for error in report.errors:
            typer.echo(f"  {path}:{error.line}: {error.reason}", err=True)
    if report.failed:
        raise typer.Exit(1)
    if not report.entries:
        fail(f"{path}: no catalog entries found; expected 'flag Country: entry | entry'")


def related(
    article_id: Annotated[str, typer.Argument(help="The article's id.")],
    limit: Annotated[int, typer.Option(help="How many related articles, at most.", min=1)] = 5,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Articles related to one article, each with the reasons it was chosen."""
    try:
        found = related_articles(open_database(db), article_id, limit=limit)
    except ArticleNotFound as exc:
        fail(str(exc))
    if json_output:
        print_json([r.as_dict() for r in found])
        return
    if not found:
        typer.echo("no related articles")
    for item in found:
        typer.echo(f"{item.score:.3f}  {item.id}  {item.title}")
        for reason in item.reasons:
            typer.echo(f"         {reason}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(catalog_app, name="catalog")
    app.command("related")(related)
