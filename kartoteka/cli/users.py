"""CLI commands: ``users add|list|role|disable|enable|link`` and ``backup``/``restore``.

Whoever runs these at the server's shell can already read the database
file, so they act as the operator (recorded as ``cli`` in the audit log).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kartoteka.auth.model import LinkPurpose, User
from kartoteka.auth.passwords import WeakPassword
from kartoteka.auth.roles import Actor, PermissionDenied, Role
from kartoteka.cli.common import (
    DbOption,
    JsonOption,
    open_database,
    open_services,
    print_json,
    user_errors,
)
from kartoteka.services import backup as backup_service
from kartoteka.services.accounts import AccountError, AccountService, NewAccount
from kartoteka.settings import Settings

users_app = typer.Typer(help="Manage accounts and their roles.", no_args_is_help=True)
OPERATOR = Actor.operator("cli")
ROLES = ", ".join(r.value for r in Role)
ERRORS = (AccountError, WeakPassword, PermissionDenied, ValueError)


def _role(value: str) -> Role:
    with user_errors(ValueError):
        return Role.parse(value)


def _accounts(db: str | None) -> AccountService:
    return open_services(db).accounts


def _user_record(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "handle": user.handle,
        "role": user.role.value,
        "created_at": user.created_at.isoformat(),
        "disabled_at": user.disabled_at.isoformat() if user.disabled_at else None,
        "has_password": user.has_password,
    }


def _print_secret(account: NewAccount, json_output: bool) -> None:
    link = None
    if account.link_path:
        link = Settings.from_env().base_url.rstrip("/") + account.link_path
    if json_output:
        print_json(
            {
                **_user_record(account.user),
                "password": account.password,
                "link": link,
                "link_expires_at": account.link_expires_at,
            }
        )
        return
    if account.password:
        typer.echo(f"password (shown once): {account.password}")
    if link and account.link_expires_at:
        typer.echo(f"one-time link (until {account.link_expires_at:%Y-%m-%d %H:%M} UTC): {link}")


@users_app.command("add")
def add(
    email: Annotated[str, typer.Argument(help="E-mail address; also the login name.")],
    role: Annotated[str, typer.Option(help=f"One of: {ROLES}.")] = "contributor",
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    handle: Annotated[str | None, typer.Option(help="Public @handle.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    invite: Annotated[
        bool,
        typer.Option("--invite", help="Print a one-time invitation link instead of a password."),
    ] = False,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Add a user.  Prints a generated password or a one-time link, once; never a fixed one."""
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    with user_errors(*ERRORS):
        account = _accounts(db).add_user(
            OPERATOR,
            email,
            _role(role),
            display_name=name,
            handle=handle,
            password=password,
            invite=invite and not password_stdin,
        )
    if not json_output:
        typer.echo(f"added {account.user.email} as {account.user.role}")
    _print_secret(account, json_output)


@users_app.command("list")
def list_users(json_output: JsonOption = False, db: DbOption = None) -> None:
    """List every user with role and state."""
    users = _accounts(db).list_users(OPERATOR)
    if json_output:
        print_json([_user_record(u) for u in users])
        return
    if not users:
        typer.echo(
            "no users yet: add the first admin with `kartoteka users add EMAIL --role admin`"
        )
    for user in users:
        state = "disabled" if user.disabled_at else "active"
        if user.disabled_at is None and not user.has_password:
            state = "invited"
        typer.echo(f"{user.email}\t{user.role}\t{state}\t{user.display_name}")


@users_app.command("role")
def change_role(
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    role: Annotated[str, typer.Argument(help=f"New role: {ROLES}.")],
    db: DbOption = None,
) -> None:
    """Change a user's role (it applies to their sessions and API tokens at once)."""
    with user_errors(*ERRORS):
        user = _accounts(db).change_role(OPERATOR, email, _role(role))
    typer.echo(f"{user.email} is now {user.role}")


@users_app.command("disable")
def disable(
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    db: DbOption = None,
) -> None:
    """Disable an account and end its sessions; what it wrote stays."""
    with user_errors(*ERRORS):
        user = _accounts(db).disable(OPERATOR, email)
    typer.echo(f"{user.email} is disabled")


@users_app.command("enable")
def enable(
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    db: DbOption = None,
) -> None:
    """Enable a disabled account again."""
    with user_errors(*ERRORS):
        user = _accounts(db).enable(OPERATOR, email)
    typer.echo(f"{user.email} is enabled")


@users_app.command("reset-link")
def reset_link(
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Print a one-time password-reset link (valid one hour) to pass to the user."""
    with user_errors(*ERRORS):
        account = _accounts(db).issue_link(OPERATOR, email, LinkPurpose.PASSWORD_RESET)
    _print_secret(account, json_output)


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup.")],
    db: DbOption = None,
) -> None:
    """Back up the whole database while it is in use (SQLite file copy or pg_dump)."""
    with user_errors(backup_service.BackupError, PermissionDenied):
        written = backup_service.backup(open_database(db), file, OPERATOR)
    typer.echo(f"backup written to {written}")


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `kartoteka backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask before replacing the database.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Replace the database's contents with a backup's."""
    if not yes:
        typer.confirm(f"replace everything in the database with {file}?", abort=True)
    database = open_database(db, create=True, migrate=False)
    with user_errors(backup_service.BackupError, PermissionDenied):
        backup_service.restore(database, file, OPERATOR)
    database.migrate()  # an older backup is brought up to the code's schema
    typer.echo(f"restored from {file}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.command()(backup)
    app.command()(restore)
