from __future__ import annotations

from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from kartoteka.auth.passwords import Passwords
from kartoteka.auth.roles import Actor, PermissionDenied, Role
from kartoteka.services.accounts import AccountError, AccountService
from kartoteka.services.api_tokens import ApiTokenService
from kartoteka.store.accounts_tables import api_tokens
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database

ADMIN = Actor.operator()
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def accounts(db: Database) -> AccountService:
    passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    service = AccountService(db, passwords=passwords, clock=lambda: NOW)
    service.add_user(ADMIN, "ed@example.org", Role.EDITOR, password="editor password")
    service.add_user(ADMIN, "co@example.org", Role.CONTRIBUTOR, password="contrib password")
    return service


def actor(accounts: AccountService, email: str) -> Actor:
    return accounts.get_user(email).as_actor()


def test_token_is_shown_once_stored_hashed_and_acts_with_its_scope(
    db: Database, accounts: AccountService
) -> None:
    tokens = ApiTokenService(db, clock=lambda: NOW)
    made = tokens.create(actor(accounts, "ed@example.org"), "reading script", Role.CONTRIBUTOR)
    with db.read() as conn:
        row = conn.execute(select(api_tokens)).one()
    assert made.secret.startswith("ktk_") and made.secret not in str(tuple(row))
    resolved = tokens.resolve(made.secret)
    assert resolved is not None
    assert (resolved.label, resolved.role) == ("ed@example.org", Role.CONTRIBUTOR)
    assert tokens.list(actor(accounts, "ed@example.org"))[0].last_used_at == NOW
    assert tokens.resolve(made.secret[:-2]) is None
    assert tokens.resolve("not a token") is None


def test_demoting_the_owner_demotes_the_token(db: Database, accounts: AccountService) -> None:
    tokens = ApiTokenService(db)
    made = tokens.create(actor(accounts, "ed@example.org"), "full", Role.EDITOR)
    accounts.change_role(ADMIN, "ed@example.org", Role.READER)
    resolved = tokens.resolve(made.secret)
    assert resolved is not None and resolved.role is Role.READER
    accounts.disable(ADMIN, "ed@example.org")
    assert tokens.resolve(made.secret) is None


def test_no_token_beyond_the_owners_role(db: Database, accounts: AccountService) -> None:
    tokens = ApiTokenService(db)
    with pytest.raises(AccountError, match="contributor cannot create a token with the editor"):
        tokens.create(actor(accounts, "co@example.org"), "sneaky", Role.EDITOR)
    with pytest.raises(PermissionDenied):
        tokens.create(Actor.anonymous(), "anon")


def test_revoke_by_owner_not_by_others_and_audited(db: Database, accounts: AccountService) -> None:
    tokens = ApiTokenService(db, clock=lambda: NOW)
    made = tokens.create(actor(accounts, "co@example.org"), "mine")
    assert made.token.scope is Role.CONTRIBUTOR
    with pytest.raises(PermissionDenied):
        tokens.revoke(actor(accounts, "ed@example.org"), made.token.pk)
    assert tokens.resolve(made.secret) is not None
    revoked = tokens.revoke(actor(accounts, "co@example.org"), made.token.pk)
    assert revoked.revoked_at == NOW
    assert tokens.resolve(made.secret) is None
    with db.read() as conn:
        entries = AuditLog(conn).for_object("api_token", made.token.pk)
    assert [e.action for e in entries] == ["token.create", "token.revoke"]
    assert entries[1].before == {"revoked_at": None}
    assert entries[1].after == {"revoked_at": NOW.isoformat()}
