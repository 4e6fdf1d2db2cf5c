"""CLI commands: ``alerts list`` (watchlists and what they hold) and ``alerts run``.

``alerts run`` is what cron calls: it matches what was queued since the
last run, sends the e-mail digests that are due and the webhooks.  It may
run as often as you like; nothing is sent twice.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

import typer

from kartoteka.cli.common import (
    DbOption,
    JsonOption,
    open_database,
    open_services,
    print_json,
    user_errors,
)
from kartoteka.services.digests import DigestSender, is_due
from kartoteka.services.webhooks import WebhookSender
from kartoteka.settings import Settings, SmtpSettings
from kartoteka.store import deliveries
from kartoteka.store.watchlists import WatchlistRepository

alerts_app = typer.Typer(help="Watchlists, alerts, e-mail digests and webhooks.",
                         no_args_is_help=True)


@alerts_app.command("list")
def list_watchlists(
    user: Annotated[str | None, typer.Option(help="Only this user's (e-mail address).")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Every watchlist: its user, what it follows, e-mail frequency, alerts unread."""
    database = open_database(db)
    now = datetime.now(UTC)
    rows = []
    with database.read() as conn:
        repo = WatchlistRepository(conn)
        for recipient in deliveries.recipients(conn, include_off=True):
            if user and recipient.email.lower() != user.strip().lower():
                continue
            for w in recipient.watchlists:
                rows.append({
                    "id": w.pk, "user": recipient.email, "kind": w.kind, "key": w.key,
                    "label": w.label, "frequency": w.frequency,
                    "unread": len(repo.alerts_of(watchlist_pks=[w.pk], unread_only=True)),
                    "digest_due": is_due(w, now), "webhook": w.webhook_url is not None,
                })
    database.dispose()
    if json_output:
        print_json(rows)
        return
    for r in rows:
        typer.echo(f"{r['id']:>5}  {r['user']}  {r['kind']}: {r['label']}  "
                   f"[{r['frequency']}{', due' if r['digest_due'] else ''}"
                   f"{', webhook' if r['webhook'] else ''}]  {r['unread']} unread")
    typer.echo(f"{len(rows)} watchlist(s)")


@alerts_app.command("run")
def run(db: DbOption = None, json_output: JsonOption = False) -> None:
    """Match new articles, then send due e-mail digests and webhooks (exit 1 on a failure)."""
    services = open_services(db)
    database = services.db
    settings = Settings.from_env()
    with user_errors(ValueError):
        smtp = SmtpSettings.from_env()
    matched = services.alerts.match_pending()
    mailed = DigestSender(database, smtp, settings.base_url).run()
    hooked = WebhookSender(database, settings.base_url,
                           allow_private=settings.webhook_allow_private).run()
    database.dispose()
    result = {"matched": asdict(matched), "email": asdict(mailed), "webhooks": asdict(hooked)}
    if json_output:
        print_json(result)
    else:
        typer.echo(f"matched {matched.articles} queued article(s): {matched.alerts} new "
                   f"alert(s), {matched.searches} saved search(es) run")
        if smtp.host:
            typer.echo(f"e-mail: {mailed.messages} digest(s) with {mailed.alerts} alert(s)")
        else:
            typer.echo("e-mail: off (set KARTOTEKA_SMTP_HOST to send digests)")
        typer.echo(f"webhooks: {hooked.queued} queued, {hooked.delivered} delivered, "
                   f"{hooked.retrying} to retry, {hooked.failed} given up")
        for error in [*mailed.errors, *hooked.errors]:
            typer.echo(f"error: {error}", err=True)
    if mailed.errors or hooked.errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
