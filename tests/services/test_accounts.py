from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from kartoteka.auth.model import LinkPurpose
from kartoteka.auth.passwords import Passwords, WeakPassword
from kartoteka.auth.ratelimit import RateLimited
from kartoteka.auth.roles import Actor, PermissionDenied, Role
from kartoteka.services.accounts import (
    AccountError,
    AccountService,
    LinkInvalid,
    LoginFailed,
    UserNotFound,
)
from kartoteka.store.accounts_tables import audit_log, users
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database

ADMIN = Actor.operator("cli")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def cheap() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(db: Database, clock: Clock) -> AccountService:
    return AccountService(db, passwords=cheap(), clock=clock)


def audit_rows(db: Database) -> list[dict[str, object]]:
    with db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(select(audit_log).order_by(audit_log.c.pk))]


def test_generated_password_logs_in_and_is_stored_only_as_a_hash(
    db: Database, accounts: AccountService
) -> None:
    made = accounts.add_user(ADMIN, "Ana@example.org", Role.ADMIN, display_name="Ana")
    assert made.password is not None and len(made.password) == 20 and made.link_path is None
    assert accounts.authenticate("ana@EXAMPLE.org", made.password).email == "Ana@example.org"
    with db.read() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and made.password not in stored
    dumped = json.dumps(audit_rows(db), default=str)
    assert made.password not in dumped and "argon2" not in dumped


def test_two_accounts_never_get_the_same_password(accounts: AccountService) -> None:
    a = accounts.add_user(ADMIN, "a@example.org", Role.READER)
    b = accounts.add_user(ADMIN, "b@example.org", Role.READER)
    assert a.password != b.password


def test_duplicate_address_in_another_case_is_refused(accounts: AccountService) -> None:
    accounts.add_user(ADMIN, "a@example.org", Role.READER)
    with pytest.raises(AccountError, match="already exists"):
        accounts.add_user(ADMIN, "A@Example.ORG", Role.EDITOR)
    with pytest.raises(AccountError, match="not an e-mail address"):
        accounts.add_user(ADMIN, "not-an-address", Role.EDITOR)
    with pytest.raises(WeakPassword):
        accounts.add_user(ADMIN, "c@example.org", Role.EDITOR, password="short")


def test_only_admins_manage_users(accounts: AccountService) -> None:
    editor = Actor("e@example.org", Role.EDITOR, 99)
    with pytest.raises(PermissionDenied):
        accounts.add_user(editor, "x@example.org", Role.ADMIN)
    with pytest.raises(PermissionDenied):
        accounts.list_users(editor)


def test_role_change_and_disable_are_audited_with_before_and_after(
    db: Database, accounts: AccountService
) -> None:
    accounts.add_user(ADMIN, "boss@example.org", Role.ADMIN)
    user = accounts.add_user(ADMIN, "w@example.org", Role.CONTRIBUTOR, password="long enough pw")
    accounts.change_role(ADMIN, "w@example.org", Role.EDITOR)
    disabled = accounts.disable(ADMIN, "w@example.org")
    assert disabled.disabled_at is not None
    with pytest.raises(LoginFailed):
        accounts.authenticate("w@example.org", "long enough pw")
    with db.read() as conn:
        entries = AuditLog(conn).for_object("user", user.user.pk)
    assert [e.action for e in entries] == ["user.create", "user.role", "user.disable"]
    assert all(e.actor == "cli" for e in entries)
    assert entries[0].before is None and entries[0].after is not None
    assert entries[0].after["role"] == "contributor"
    assert (entries[1].before or {})["role"] == "contributor"
    assert (entries[1].after or {})["role"] == "editor"
    assert (entries[2].before or {})["disabled_at"] is None
    assert (entries[2].after or {})["disabled_at"] == "2025-03-01T12:00:00+00:00"
    accounts.enable(ADMIN, "w@example.org")
    assert accounts.authenticate("w@example.org", "long enough pw").is_active


def test_the_last_admin_cannot_be_demoted_or_disabled(accounts: AccountService) -> None:
    accounts.add_user(ADMIN, "only@example.org", Role.ADMIN)
    with pytest.raises(AccountError, match="last active admin"):
        accounts.change_role(ADMIN, "only@example.org", Role.EDITOR)
    with pytest.raises(AccountError, match="last active admin"):
        accounts.disable(ADMIN, "only@example.org")
    assert accounts.get_user("only@example.org").role is Role.ADMIN
    accounts.add_user(ADMIN, "second@example.org", Role.ADMIN)
    assert accounts.disable(ADMIN, "only@example.org").disabled_at is not None
    with pytest.raises(UserNotFound):
        accounts.change_role(ADMIN, "nobody@example.org", Role.EDITOR)


def test_unknown_address_and_wrong_password_fail_the_same_way(accounts: AccountService) -> None:
    accounts.add_user(ADMIN, "a@example.org", Role.READER, password="the right one")
    with pytest.raises(LoginFailed) as unknown:
        accounts.authenticate("nobody@example.org", "the right one")
    with pytest.raises(LoginFailed) as wrong:
        accounts.authenticate("a@example.org", "the wrong one")
    assert str(unknown.value) == str(wrong.value)


def test_login_failures_are_rate_limited_per_address(
    accounts: AccountService, clock: Clock
) -> None:
    accounts.add_user(ADMIN, "a@example.org", Role.READER, password="the right one")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            accounts.authenticate("a@example.org", "guess", client="10.0.0.1")
    with pytest.raises(RateLimited, match="try again in 900 s"):
        accounts.authenticate("A@example.org", "the right one", client="10.0.0.2")
    clock.advance(minutes=15)
    assert accounts.authenticate("a@example.org", "the right one").email == "a@example.org"


def test_login_failures_are_rate_limited_per_client(accounts: AccountService) -> None:
    for n in range(20):
        with pytest.raises(LoginFailed):
            accounts.authenticate(f"user{n}@example.org", "guess", client="10.0.0.9")
    with pytest.raises(RateLimited):
        accounts.authenticate("user99@example.org", "guess", client="10.0.0.9")


def test_login_rehashes_a_password_made_with_weaker_parameters(
    db: Database, accounts: AccountService, clock: Clock
) -> None:
    accounts.add_user(ADMIN, "a@example.org", Role.READER, password="the right one")
    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    upgraded = AccountService(db, passwords=stronger, clock=clock)
    upgraded.authenticate("a@example.org", "the right one")
    with db.read() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert "m=16,t=2" in stored
    assert stronger.check(stored, "the right one").ok


def test_invitation_link_sets_a_password_once_and_expires(
    accounts: AccountService, clock: Clock
) -> None:
    made = accounts.add_user(ADMIN, "new@example.org", Role.CONTRIBUTOR, invite=True)
    assert made.password is None and made.link_path is not None
    assert made.link_path.startswith("/invitation/")
    assert made.link_expires_at == clock.now + timedelta(days=7)
    token = made.link_path.rsplit("/", 1)[1]
    with pytest.raises(LoginFailed):
        accounts.authenticate("new@example.org", "")
    with pytest.raises(LinkInvalid):
        accounts.redeem_link(token, LinkPurpose.PASSWORD_RESET, "my own password")
    assert accounts.check_link(token, LinkPurpose.INVITATION).email == "new@example.org"
    accounts.redeem_link(token, LinkPurpose.INVITATION, "my own password")
    assert accounts.authenticate("new@example.org", "my own password").has_password
    with pytest.raises(LinkInvalid):
        accounts.redeem_link(token, LinkPurpose.INVITATION, "someone else's pw")

    late = accounts.add_user(ADMIN, "late@example.org", Role.CONTRIBUTOR, invite=True)
    assert late.link_path is not None
    clock.advance(days=7, seconds=1)
    with pytest.raises(LinkInvalid, match="expired"):
        accounts.redeem_link(late.link_path.rsplit("/", 1)[1], LinkPurpose.INVITATION, "x" * 12)


def test_password_reset_link_lasts_an_hour_and_a_new_one_retires_the_old(
    accounts: AccountService, clock: Clock
) -> None:
    accounts.add_user(ADMIN, "a@example.org", Role.READER, password="the old password")
    first = accounts.issue_link(ADMIN, "a@example.org", LinkPurpose.PASSWORD_RESET)
    second = accounts.issue_link(ADMIN, "a@example.org", LinkPurpose.PASSWORD_RESET)
    assert first.link_path and second.link_path and first.link_path != second.link_path
    assert second.link_path.startswith("/password-reset/")
    with pytest.raises(LinkInvalid):
        accounts.check_link(first.link_path.rsplit("/", 1)[1], LinkPurpose.PASSWORD_RESET)
    clock.advance(minutes=59)
    token = second.link_path.rsplit("/", 1)[1]
    accounts.redeem_link(token, LinkPurpose.PASSWORD_RESET, "the new password")
    assert accounts.authenticate("a@example.org", "the new password")
    third = accounts.issue_link(ADMIN, "a@example.org", LinkPurpose.PASSWORD_RESET)
    assert third.link_path is not None
    clock.advance(hours=1)
    with pytest.raises(LinkInvalid):
        accounts.redeem_link(
            third.link_path.rsplit("/", 1)[1], LinkPurpose.PASSWORD_RESET, "x" * 12
        )
