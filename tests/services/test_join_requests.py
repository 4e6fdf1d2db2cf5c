from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from kartoteka.auth.model import JoinStatus, LinkPurpose
from kartoteka.auth.passwords import Passwords
from kartoteka.auth.ratelimit import RateLimited
from kartoteka.auth.roles import Actor, PermissionDenied, Role
from kartoteka.services.accounts import AccountError, AccountService
from kartoteka.services.join_requests import JoinRequestService
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database

ADMIN = Actor("boss@example.org", Role.ADMIN, 1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(db: Database, clock: Clock) -> AccountService:
    passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    return AccountService(db, passwords=passwords, clock=clock)


@pytest.fixture
def joins(db: Database, accounts: AccountService, clock: Clock) -> JoinRequestService:
    return JoinRequestService(db, accounts, clock=clock)


def test_accepting_creates_a_contributor_with_a_one_time_link(
    db: Database, joins: JoinRequestService, accounts: AccountService
) -> None:
    request = joins.create("Dana Petrović", "dana@example.org", "@dana", "I cover Serbia.")
    assert [r.pk for r in joins.list(ADMIN)] == [request.pk]
    account = joins.accept(ADMIN, request.pk)
    assert account.user.role is Role.CONTRIBUTOR and account.user.handle == "@dana"
    assert account.user.display_name == "Dana Petrović" and account.link_path is not None
    accounts.redeem_link(
        account.link_path.rsplit("/", 1)[1], LinkPurpose.INVITATION, "dana's own password"
    )
    assert accounts.authenticate("dana@example.org", "dana's own password").role is Role.CONTRIBUTOR
    assert joins.list(ADMIN) == []
    decided = joins.list(ADMIN, JoinStatus.ACCEPTED)[0]
    assert decided.decided_by == "boss@example.org" and decided.user_pk == account.user.pk
    with pytest.raises(AccountError, match="already accepted"):
        joins.decline(ADMIN, request.pk)
    with db.read() as conn:
        entries = AuditLog(conn).for_object("join_request", request.pk)
    assert [e.action for e in entries] == ["join_request.create", "join_request.accepted"]
    assert (entries[1].before or {})["status"] == "pending"
    assert (entries[1].after or {})["status"] == "accepted"


def test_a_telegram_contact_needs_an_address_to_accept(joins: JoinRequestService) -> None:
    request = joins.create("Ivo", "@ivo_on_telegram")
    with pytest.raises(AccountError, match="not an e-mail address"):
        joins.accept(ADMIN, request.pk)
    account = joins.accept(ADMIN, request.pk, email="ivo@example.org")
    assert account.user.email == "ivo@example.org"


def test_decline_and_permissions(joins: JoinRequestService) -> None:
    request = joins.create("Spam", "spam@example.org")
    editor = Actor("ed@example.org", Role.EDITOR, 2)
    with pytest.raises(PermissionDenied):
        joins.accept(editor, request.pk)
    with pytest.raises(PermissionDenied):
        joins.list(editor)
    assert joins.decline(ADMIN, request.pk).status is JoinStatus.DECLINED
    with pytest.raises(AccountError, match="no join request with id 999"):
        joins.decline(ADMIN, 999)


def test_join_requests_are_rate_limited_per_client(joins: JoinRequestService, clock: Clock) -> None:
    for n in range(3):
        joins.create(f"Person {n}", f"p{n}@example.org", client="198.51.100.7")
    with pytest.raises(RateLimited, match="too many join requests"):
        joins.create("Person 4", "p4@example.org", client="198.51.100.7")
    joins.create("Someone else", "else@example.org", client="203.0.113.1")
    clock.now += timedelta(hours=1)
    joins.create("Person 4", "p4@example.org", client="198.51.100.7")


def test_join_requests_are_validated(joins: JoinRequestService) -> None:
    with pytest.raises(AccountError, match="name and a way to contact"):
        joins.create("  ", "x@example.org")
    with pytest.raises(AccountError, match="note is too long"):
        joins.create("A", "a@example.org", note="x" * 2001)
