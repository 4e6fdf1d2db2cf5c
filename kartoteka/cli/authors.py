"""CLI commands: ``authors`` (list) and ``authors merge``.

Whoever runs these at the server's shell acts as the operator (``cli`` in
the audit log), as with ``users``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kartoteka.auth.roles import Actor
from kartoteka.cli.common import DbOption, JsonOption, open_services, print_json, user_errors
from kartoteka.services import authors as author_service
from kartoteka.services.authors import AuthorMerge, AuthorMergeError, AuthorNotFound

OPERATOR = Actor.operator("cli")

authors_app = typer.Typer(
    help="Authors and channels: list them with their ids; merge two identities of one outlet.",
    invoke_without_command=True,
)


@authors_app.callback()
def authors(
    ctx: typer.Context,
    every: Annotated[
        bool, typer.Option("--all", help="Also authors with no visible article.")
    ] = False,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Authors and channels by handle, with their visible articles (the site's count)."""
    if ctx.invoked_subcommand is not None:
        return
    services = open_services(db)
    counts = {
        s.author.handle: s.articles
        for s in author_service.list_authors(services.db, with_articles_only=False)
    }
    stored = [
        s for s in services.authors.stored_authors(OPERATOR)
        if every or counts.get(s.author.handle, 0)
    ]
    if json_output:
        print_json(
            [
                {
                    "id": s.pk,
                    "handle": s.author.handle,
                    "name": s.author.display_name,
                    "kind": s.author.kind.value,
                    "articles": counts.get(s.author.handle, 0),
                    "aliases": list(s.aliases),
                }
                for s in stored
            ]
        )
        return
    typer.echo(f"{len(stored)} author(s)")
    for s in stored:
        aliases = f"  (also: {', '.join(s.aliases)})" if s.aliases else ""
        typer.echo(
            f"{s.pk:>5}  {s.author.handle}  {s.author.display_name or '-'}  "
            f"{counts.get(s.author.handle, 0)} article(s){aliases}"
        )


@authors_app.command("merge")
def merge(
    source: Annotated[str, typer.Argument(help="The author merged away: handle or id.")],
    target: Annotated[str, typer.Argument(help="The author that stays: handle or id.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would move; change nothing.")
    ] = False,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Merge SOURCE into TARGET: its articles and revisions move, its handle becomes an alias.

    SOURCE's name becomes an alias too, so later ingests under either land on
    TARGET; the audit log records the merge.
    """
    with user_errors(AuthorNotFound, AuthorMergeError):
        done = open_services(db).authors.merge(OPERATOR, source, target, dry_run=dry_run)
    if json_output:
        print_json(done.as_dict())
        return
    typer.echo(_summary(done))


def _summary(done: AuthorMerge) -> str:
    source, target = done.source.author.handle, done.target.author.handle
    what = f"{done.articles} article(s), {done.revisions} revision(s)"
    aliases = ", ".join(done.aliases) or "none new"
    if done.dry_run:
        return (f"would merge {source} into {target}: {what} would move; "
                f"aliases of {target}: {aliases} (dry run, nothing changed)")
    return f"merged {source} into {target}: {what} moved; aliases of {target}: {aliases}"


def register(app: typer.Typer) -> None:
    app.add_typer(authors_app, name="authors")
