"""CLI commands: ``extract``, ``entities``, ``entity`` and ``candidates``.

Candidate decisions made here are the operator's (``cli`` in the audit log).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kartoteka.auth.roles import Actor
from kartoteka.cli.common import (
    DbOption,
    JsonOption,
    fail,
    open_database,
    open_services,
    print_json,
    progress_bar,
    progress_callback,
    user_errors,
)
from kartoteka.extract.pipeline import ExtractionResult
from kartoteka.extract.result import to_json
from kartoteka.ingest.base import ReadFailure
from kartoteka.services import candidates as candidate_service
from kartoteka.services import entities as entity_service
from kartoteka.services.articles import ArticleNotFound
from kartoteka.services.candidates import CandidateError
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.file_extraction import FileExtraction, extract_file
from kartoteka.services.registry import EntityNotFound, RegistryError

OPERATOR = Actor.operator("cli")
STATUSES = ("open", "accepted", "rejected", "all")


def _warn(result: ExtractionResult) -> None:
    for error in result.errors:
        typer.echo(f"warning: {error.component}: {error.message}", err=True)


def _print_text(data: dict[str, Any]) -> None:
    if data.get("title"):
        typer.echo(f"title: {data['title']}")
    typer.echo(f"language: {data['language'] or 'unknown'}")
    for key in ("countries", "handles", "hashtags"):
        typer.echo(f"{key}: {', '.join(data[key]) or '-'}")
    typer.echo("entities:")
    for e in data["entities"]:
        link = e["entity_id"] or (f"(country {e['country']})" if e["country"] else "(candidate)")
        normal = f" [{e['normal']}]" if e["normal"] != e["text"] else ""
        typer.echo(f"  {e['start']:>6}-{e['end']:<6} {e['label']:<4} {e['text']}{normal}  → {link}")


def _print_result(result: ExtractionResult, json_output: bool) -> None:
    _warn(result)
    data = to_json(result)
    if json_output:
        print_json(data)
    else:
        _print_text(data)


def _print_file(found: FileExtraction, json_output: bool) -> None:
    """One object for a file of one article, a list for a file of several."""
    for error in found.errors:
        typer.echo(f"warning: {error.path}: {error.error}", err=True)
    shapes = []
    for draft, result in found.articles:
        _warn(result)
        shapes.append({"source": draft.source, "title": draft.title, **to_json(result)})
    if json_output:
        print_json(shapes[0] if len(shapes) == 1 else shapes)
        return
    for i, data in enumerate(shapes):
        if i:
            typer.echo("")
        _print_text(data)


def extract(
    file: Annotated[
        Path | None, typer.Argument(help="A text file to read (nothing is stored).",
                                    show_default=False)
    ] = None,
    article: Annotated[
        str | None, typer.Option("--article", help="A stored article's id (nothing is stored).",
                                 show_default=False)
    ] = None,
    all_articles: Annotated[
        bool, typer.Option("--all", help="Re-run on every stored article and store the result.")
    ] = False,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Find countries, handles, hashtags and entities, linked to the registry.

    FILE or --article prints what was found without storing it:
    {"language", "countries", "handles", "hashtags", "entities": [{"text",
    "normal", "label", "section", "start", "end", "entity_id", "country",
    "score"}]}.  FILE is read as ingest reads it (front matter is metadata, a
    Markdown title is not body), adds "source" and "title", and spans index
    the title or the body ingest would store, as "section" says; a file of
    several articles gives a list.  Countries named by name are entities too
    (LOC, "country" its ISO code).  --all re-extracts every article and
    stores mentions, links and candidates; run it after registry changes.
    """
    if sum(x is not None and x is not False for x in (file, article, all_articles)) != 1:
        fail("give exactly one of FILE, --article ID or --all; see --help")
    service = open_services(db).extraction
    if all_articles:
        _extract_all(service, json_output)
        return
    if article is not None:
        with user_errors(ArticleNotFound):
            result = service.extract_article(article)
        _print_result(result, json_output)
        return
    assert file is not None
    try:
        found = extract_file(service, str(file))
    except ReadFailure as exc:
        fail(f"cannot read {file}: {exc}")
    if not found.articles:
        reasons = "; ".join(e.error for e in found.errors) or "no article in it"
        fail(f"cannot read {file}: {reasons}")
    _print_file(found, json_output)


def _extract_all(service: ExtractionService, json_output: bool) -> None:
    bar = progress_bar(not json_output)
    if bar is not None:
        with bar:
            report = service.extract_all(progress_callback(bar, "extract"))
    else:
        report = service.extract_all()
    if json_output:
        print_json(report.as_dict())
    else:
        typer.echo(
            f"articles {report.articles}, mentions {report.mentions}, linked {report.linked}, "
            f"open candidates {report.candidates}, countries added to "
            f"{report.countries_added} article(s), failed {len(report.errors)}"
        )
        for error in report.errors:
            typer.echo(f"  failed: {error}", err=True)


def entities(
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. xk.")] = None,
    schema: Annotated[str | None, typer.Option(help="Person or Organization.")] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List registry entities with how many articles and mentions link to them."""
    found = entity_service.list_entities(open_database(db), country, schema)
    if json_output:
        print_json([s.as_dict() for s in found])
        return
    if not found and (country or schema):
        typer.echo("no entities match these filters")
    elif not found:
        typer.echo(
            "the registry is empty: import entities with `kartoteka registry import FILE` "
            "(FtM JSON lines, or CSV with id,schema,name,aliases,countries,topics)"
        )
    for summary in found:
        e = summary.entity
        typer.echo(f"{e.id}  {e.schema:<12} {e.name}  [{' '.join(e.countries)}]  "
                   f"articles {summary.articles}, mentions {summary.mentions}")


def entity(
    entity_id: Annotated[str, typer.Argument(help="Entity id (a merged id finds its cluster).")],
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Names, countries, topics, relations, and the articles that mention the entity."""
    with user_errors(EntityNotFound):
        page = entity_service.entity_page(open_database(db), entity_id)
    if json_output:
        print_json(page.as_dict())
        return
    e = page.detail.entity
    typer.echo(f"{e.id} ({e.schema}) {e.name}")
    typer.echo(f"  names: {', '.join(n.value for n in e.names)}")
    for key, value in (("countries", e.countries), ("topics", e.topics)):
        if value:
            typer.echo(f"  {key}: {', '.join(value)}")
    for r in page.detail.relations:
        typer.echo(f"  {r.schema} {r.source_id} -[{r.role}]-> {r.target_id}")
    typer.echo(f"  articles: {len(page.articles)}, mentions: {page.mentions}")
    for a in page.articles:
        typer.echo(f"    {a.article_id}  {a.mentions:>3}  {a.role:<9} {a.title}")


candidates_app = typer.Typer(
    help="Names extraction could not link, for an editor to accept or reject.",
    invoke_without_command=True,
)


@candidates_app.callback()
def candidates(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help=f"One of: {', '.join(STATUSES)}.")] = "open",
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List candidate names (most mentioned first), or decide on one."""
    if ctx.invoked_subcommand is not None:
        return
    if status not in STATUSES:
        fail(f"unknown --status {status!r}: use one of {', '.join(STATUSES)}")
    found = candidate_service.list_candidates(open_database(db),
                                              None if status == "all" else status)
    if json_output:
        print_json([c.as_dict() for c in found])
        return
    for c in found:
        decided = f"  [{c.status}{' → ' + c.entity_id if c.entity_id else ''}]" \
            if c.status != "open" else ""
        typer.echo(f"{c.mentions:>5} × {c.name} ({c.label}), {c.articles} article(s){decided}")
        for line in c.contexts[:2]:
            typer.echo(f"        {line}")


@candidates_app.command("accept")
def accept(
    name: Annotated[str, typer.Argument(help="The candidate's name, as listed.")],
    as_alias_of: Annotated[
        str | None, typer.Option("--as-alias-of", help="Add the name as an alias of this entity.")
    ] = None,
    new: Annotated[
        str | None, typer.Option("--new", help="Create a new Person or Organization.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Accept a name: as an alias of an entity, or as a new entity; its mentions link."""
    if (as_alias_of is None) == (new is None):
        fail("give exactly one of --as-alias-of ID or --new Person|Organization")
    database = open_database(db)
    with user_errors(CandidateError, EntityNotFound, RegistryError):
        if as_alias_of is not None:
            decided = candidate_service.accept_as_alias(database, name, as_alias_of,
                                                        actor=OPERATOR)
        else:
            assert new is not None
            decided, _ = candidate_service.accept_as_new(database, name, new, actor=OPERATOR)
    typer.echo(f"accepted {name!r} → {decided.entity_id}")


@candidates_app.command("reject")
def reject(
    name: Annotated[str, typer.Argument(help="The candidate's name, as listed.")],
    db: DbOption = None,
) -> None:
    """Reject a name; it stays rejected however often extraction finds it again."""
    with user_errors(CandidateError):
        candidate_service.reject(open_database(db), name, actor=OPERATOR)
    typer.echo(f"rejected {name!r}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command()(extract)
    app.command()(entities)
    app.command()(entity)
    app.add_typer(candidates_app, name="candidates")
