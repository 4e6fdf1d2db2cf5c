"""The demo's accounts: generated passwords that work, different every time,
and ``kartoteka demo --no-serve`` prints them."""

from __future__ import annotations

import json
from pathlib import Path

from argon2 import PasswordHasher
from typer.testing import CliRunner

from kartoteka.auth.passwords import Passwords
from kartoteka.auth.roles import Role
from kartoteka.cli import app
from kartoteka.services.accounts import AccountService
from kartoteka.services.demo import DEMO_USERS, demo_accounts
from kartoteka.store.database import Database


def cheap_passwords() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_demo_accounts_have_generated_working_passwords(db: Database) -> None:
    passwords = cheap_passwords()
    made = demo_accounts(db, passwords)
    assert [(a.user.email, a.user.role) for a in made] == [(e, r) for e, r, _ in DEMO_USERS]
    assert {a.user.role for a in made} == {Role.ADMIN, Role.EDITOR, Role.CONTRIBUTOR}
    accounts = AccountService(db, passwords=passwords)
    for account in made:
        assert account.password and len(account.password) >= 20
        assert accounts.authenticate(account.user.email, account.password).pk == account.user.pk
    assert len({a.password for a in made}) == len(made)


def test_demo_prints_the_credentials(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    outputs = []
    for _ in range(2):
        result = CliRunner().invoke(
            app, ["demo", "--database", str(database), "--no-serve", "--json"]
        )
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.stdout))
    first, second = (o["accounts"] for o in outputs)
    assert [a["role"] for a in first] == ["admin", "editor", "contributor"]
    assert first[0]["password"] != second[0]["password"]  # generated anew, never fixed
    db = Database(f"sqlite:///{database}")
    try:
        user = AccountService(db).authenticate(second[0]["email"], second[0]["password"])
        assert user.role is Role.ADMIN
    finally:
        db.dispose()
