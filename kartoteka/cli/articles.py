"""CLI commands for the article store: init, ingest, search, show, export."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from kartoteka.cli import queued_ingest
from kartoteka.cli.common import (
    DbOption,
    JsonOption,
    QueueOption,
    database_url,
    fail,
    open_database,
    open_services,
    print_json,
    progress_bar,
    progress_callback,
    user_errors,
)
from kartoteka.ingest.base import ReadOptions
from kartoteka.ingest.formats import FORMAT_NAMES
from kartoteka.model import Author, AuthorKind
from kartoteka.record import as_record
from kartoteka.services import articles as article_service
from kartoteka.services import export as export_service
from kartoteka.services.entity_views import article_entities_view
from kartoteka.services.search import search as run_search
from kartoteka.services.wiring import ingest_service
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.engine import safe_url

FORMATS = list(FORMAT_NAMES)

export_app = typer.Typer(help="Export data in the formats the field uses.", no_args_is_help=True)


def parse_day(value: str | None, option: str, end: bool = False) -> datetime | None:
    """Accept a date or a date-time; a bare ``--until`` date includes that whole day."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option} expects a date such as 2024-05-31, not {value!r}")
    if end and len(value) <= 10:
        parsed = parsed.replace(hour=23, minute=59, second=59)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def init(db: DbOption = None) -> None:
    """Create the database, or bring its schema up to date.

    On PostgreSQL with the queue extra installed, also the job queue's tables.
    """
    database = open_database(db, create=True)
    try:
        if queued_ingest.queue_installed() and database.backend == "postgresql":
            from kartoteka.queue.schema import ensure_queue_schema

            if ensure_queue_schema(database):
                typer.echo("job queue tables created (procrastinate)")
    finally:
        database.dispose()
    typer.echo(f"database ready: {safe_url(database_url(db))}")


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursively) or URLs.")],
    author: Annotated[
        str | None, typer.Option(help="Author handle for every item, e.g. @chvkmedia.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="ISO country code to add to every item, e.g. rs.")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help=f"Input format: {', '.join(FORMATS)}.")
    ] = "auto",
    channel_username: Annotated[
        str | None,
        typer.Option(help="Telegram channel @username, to build t.me links for its posts."),
    ] = None,
    no_extract: Annotated[
        bool, typer.Option("--no-extract", help="Do not extract entities while ingesting.")
    ] = False,
    ocr: Annotated[
        str,
        typer.Option(
            help="OCR for PDFs and images: auto (pages without a text layer), always, never."
        ),
    ] = "auto",
    ocr_lang: Annotated[
        str | None,
        typer.Option(
            help="Tesseract languages, e.g. rus or eng+rus (default: the document's own "
            "text language, else eng+rus)."
        ),
    ] = None,
    ocr_max_pages: Annotated[
        int | None,
        typer.Option(min=1, help="Most pages of one document sent to OCR; a document "
                     "needing more is refused (default: KARTOTEKA_OCR_MAX_PAGES, else 50)."),
    ] = None,
    queue: QueueOption = None,
    no_wait: Annotated[
        bool, typer.Option("--no-wait", help="With the queue: return once the jobs are "
                           "queued instead of following them to the end.")
    ] = False,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Add articles; the same content again changes nothing, new text becomes a revision.

    Exits 1 if any item failed (or, with the queue, a job was parked); every
    other item is still stored.
    """
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if ocr not in ("auto", "always", "never"):
        fail(f"--ocr expects auto, always or never, not {ocr!r}")
    if country and len(country) != 2:
        fail(f"--country expects a two-letter code such as rs or xk, not {country!r}")
    options = ReadOptions(
        author=Author(
            author, "", AuthorKind.CHANNEL if author.startswith("@") else AuthorKind.PERSON
        )
        if author
        else None,
        country=country.lower() if country else None,
        channel_username=channel_username.lstrip("@") if channel_username else None,
        ocr=ocr,
        ocr_languages=ocr_lang,
        ocr_max_pages=ocr_max_pages,
    )
    services = open_services(db, create=True)
    if queued_ingest.wanted(queue):
        outcome = queued_ingest.run(services.db, paths, fmt, options, extract=not no_extract,
                                    wait=not no_wait, show_progress=not json_output)
        report, jobs = outcome.report, outcome.jobs
    else:
        service = ingest_service(services.db, extract=False) if no_extract else services.ingest
        bar = progress_bar(not json_output)
        if bar is not None:
            with bar:
                report = service.ingest(paths, fmt, options, progress_callback(bar, "ingest"))
        else:
            report = service.ingest(paths, fmt, options)
        jobs = None
    if json_output:
        print_json(report.as_dict() | ({"jobs": jobs} if jobs is not None else {}))
    else:
        typer.echo(
            f"added {report.added}, revised {report.revised}, unchanged {report.unchanged}, "
            f"reposts {report.reposts}, skipped {report.skipped}, failed {report.failed}"
        )
        for error in report.errors:
            typer.echo(f"  failed: {error.path}: {error.error}", err=True)
        if jobs is not None:
            typer.echo(queued_ingest.describe(jobs))
    if report.failed or (jobs or {}).get("failed"):
        raise typer.Exit(1)


def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", prefix* and -excluded words.')],
    author: Annotated[str | None, typer.Option(help="Author handle or name.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. xk.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language code, e.g. ru.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="Results per page.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many results.")] = 0,
    widen: Annotated[
        bool,
        typer.Option(
            "--widen/--no-widen",
            help="Also find articles linked to the entity or country the query names.",
        ),
    ] = True,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Full-text search, ranked, with highlighted snippets.

    A bare word finds every form of it (Ливия finds Ливии); a quoted one only
    that form.  A query that is an entity's or a country's name also finds the
    articles linked to it, in any language (--no-widen turns that off).
    """
    flt = ArticleFilter(
        author=author,
        country=country,
        language=lang,
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until", end=True),
    )
    services = open_services(db)
    results = run_search(services.db, query, flt, limit, offset, widen, matcher=services.matcher)
    if json_output:
        print_json(
            {
                "query": results.query,
                "total": results.total,
                "total_is_exact": results.total_is_exact,
                "limit": results.limit,
                "offset": results.offset,
                "hits": [as_record(h) for h in results.hits],
                "widened_by": [as_record(w) for w in results.widened_by],
                "message": results.message or None,
            }
        )
        return
    console = Console()
    if results.message:
        console.print(results.message, highlight=False, markup=False)
        return
    for widening in results.widened_by:
        console.print(
            f"[dim]also finding articles about {escape(widening.name)} ({widening.kind}); "
            "--no-widen for the words only[/dim]",
            highlight=False,
        )
    if not results.hits:
        console.print("no results")
        return
    at_least = "" if results.total_is_exact else "at least "
    console.print(f"[dim]{at_least}{results.total} result(s)[/dim]")
    for hit in results.hits:
        date = hit.published_at.date().isoformat() if hit.published_at else "undated"
        console.print(
            f"[bold]{escape(hit.title)}[/bold]  "
            f"[dim]{hit.id} · {escape(hit.author or '-')} · {date}[/dim]"
        )
        # Not markup: a hit shows as "[word]", which rich would take for a style.
        console.print(f"  {snippet_plain_from_html(hit.snippet)}", highlight=False, markup=False)


def snippet_plain_from_html(snippet: str) -> str:
    import html

    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))


def show(
    article_id: Annotated[str, typer.Argument(help="Article id.")],
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Print every field of an article, its revision count and the entities it names."""
    database = open_database(db)
    with user_errors(article_service.ArticleNotFound):
        detail = article_service.get_article(database, article_id)
    data = detail.as_dict()
    # The export's record carries only ids; here the reader also wants each name,
    # and the same merge-resolved list the article page shows.
    data["entities"] = [as_record(e, inline=["ref"])
                        for e in article_entities_view(database, article_id).entities]
    if json_output:
        print_json(data)
        return
    for key, value in data.items():
        if key in ("body", "entities"):
            continue
        typer.echo(f"{key}: {value}")
    for entity in data["entities"]:
        typer.echo(f"entity: {entity['name']} ({entity['id']}, {entity['mentions']} mention(s))")
    typer.echo("")
    typer.echo(detail.article.body)


@export_app.command("articles")
def export_articles(
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output.")
    ] = None,
    db: DbOption = None,
) -> None:
    """One record per article: id, title, body, language, author, source, dates, lists."""
    writers = {"jsonl": export_service.write_jsonl, "csv": export_service.write_csv}
    if fmt not in writers:
        fail(f"unknown export format {fmt!r}: use jsonl or csv")
    database = open_database(db)
    if output is None:
        writers[fmt](database, sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as out:
        count = writers[fmt](database, out)
    typer.echo(f"wrote {count} article(s) to {output}", err=True)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(ingest)
    app.command()(search)
    app.command()(show)
    app.add_typer(export_app, name="export")
