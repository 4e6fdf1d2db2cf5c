from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.services.accounts import AccountService
from kartoteka.store.database import Database

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["users"],
        ["users", "add"],
        ["users", "list"],
        ["users", "role"],
        ["users", "disable"],
        ["users", "enable"],
        ["users", "reset-link"],
        ["backup"],
        ["restore"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0 and "Usage" in out
    if command != ["users"]:
        assert "--db" in out


def test_add_prints_a_generated_password_that_logs_in(database_url: str) -> None:
    code, out, _ = run("users", "add", "Boss@example.org", "--role", "admin", "--db", database_url)
    assert code == 0, out
    assert "added Boss@example.org as admin" in out
    password = re.search(r"password \(shown once\): (\S+)", out)
    assert password is not None and len(password.group(1)) == 20
    database = Database(database_url)
    try:
        user = AccountService(database).authenticate("boss@example.org", password.group(1))
    finally:
        database.dispose()
    assert user.role.value == "admin"
    _, again, _ = run("users", "add", "second@example.org", "--role", "admin", "--db", database_url)
    assert password.group(1) not in again


def test_password_from_stdin_and_invitation_link(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(
        "users",
        "add",
        "ed@example.org",
        "--role",
        "editor",
        "--password-stdin",
        "--db",
        database_url,
        stdin="a chosen password\n",
    )
    assert code == 0 and "shown once" not in out
    database = Database(database_url)
    try:
        assert AccountService(database).authenticate("ed@example.org", "a chosen password")
    finally:
        database.dispose()
    monkeypatch.setenv("KARTOTEKA_BASE_URL", "https://kb.example.org/")
    code, out, _ = run("users", "add", "co@example.org", "--invite", "--json", "--db", database_url)
    record = json.loads(out)
    assert record["role"] == "contributor" and record["password"] is None
    assert re.fullmatch(r"https://kb\.example\.org/invitation/[\w-]{43}", record["link"])
    code, out, _ = run("users", "reset-link", "ed@example.org", "--db", database_url)
    assert code == 0 and "https://kb.example.org/password-reset/" in out


def test_list_role_disable_and_errors(database_url: str) -> None:
    run("users", "add", "a@example.org", "--role", "admin", "--db", database_url)
    run("users", "add", "b@example.org", "--role", "reader", "--invite", "--db", database_url)
    code, out, _ = run("users", "role", "B@example.org", "editor", "--db", database_url)
    assert code == 0 and out.strip() == "b@example.org is now editor"
    code, out, _ = run("users", "disable", "b@example.org", "--db", database_url)
    assert code == 0 and "disabled" in out
    code, out, _ = run("users", "list", "--json", "--db", database_url)
    listed = {u["email"]: u for u in json.loads(out)}
    assert listed["a@example.org"]["role"] == "admin" and listed["a@example.org"]["has_password"]
    assert listed["b@example.org"]["role"] == "editor"
    assert listed["b@example.org"]["disabled_at"] is not None
    code, out, _ = run("users", "list", "--db", database_url)
    assert "b@example.org\teditor\tdisabled" in out and "a@example.org\tadmin\tactive" in out

    code, _, err = run("users", "role", "a@example.org", "overlord", "--db", database_url)
    assert code == 2 and "unknown role 'overlord'" in err
    code, _, err = run("users", "add", "A@example.org", "--db", database_url)
    assert code == 2 and "already exists" in err
    code, _, err = run("users", "disable", "nobody@example.org", "--db", database_url)
    assert code == 2 and "no user with e-mail address" in err
    code, _, err = run("users", "disable", "a@example.org", "--db", database_url)
    assert code == 2 and "last active admin" in err


def test_backup_and_restore_commands(database_url: str, corpus_dir: Path, tmp_path: Path) -> None:
    run("ingest", str(corpus_dir), "--db", database_url)
    run("users", "add", "a@example.org", "--role", "admin", "--db", database_url)
    target = tmp_path / "k.backup"
    code, out, _ = run("backup", str(target), "--db", database_url)
    assert code == 0 and target.exists() and "backup written" in out
    run("users", "add", "late@example.org", "--db", database_url)
    code, out, _ = run("restore", str(target), "--db", database_url, stdin="n\n")
    assert code == 1  # declined at the prompt: nothing happens
    code, out, _ = run("restore", str(target), "--yes", "--db", database_url)
    assert code == 0 and "restored" in out
    _, out, _ = run("users", "list", "--json", "--db", database_url)
    assert [u["email"] for u in json.loads(out)] == ["a@example.org"]
    _, out, _ = run("search", "Vucic", "--json", "--db", database_url)
    assert len(json.loads(out)["hits"]) == 1
    code, _, err = run("restore", str(tmp_path / "none"), "--yes", "--db", database_url)
    assert code == 2 and "no backup file" in err
