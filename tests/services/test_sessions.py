from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from kartoteka.auth.passwords import Passwords
from kartoteka.auth.roles import Actor, Role
from kartoteka.auth.tokens import token_digest
from kartoteka.services.accounts import AccountService, LoginFailed
from kartoteka.services.sessions import SessionService
from kartoteka.store.accounts_tables import sessions
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database

ADMIN = Actor.operator()


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
    service = AccountService(db, passwords=passwords, clock=clock)
    service.add_user(ADMIN, "ed@example.org", Role.EDITOR, password="editor password")
    return service


@pytest.fixture
def service(db: Database, accounts: AccountService, clock: Clock) -> SessionService:
    return SessionService(db, accounts, clock=clock)


def test_login_replaces_the_visitor_session_so_fixation_fails(
    db: Database, service: SessionService
) -> None:
    planted = service.start()  # an attacker's visitor session, planted in the victim's browser
    before = service.resolve(planted.secret)
    assert before is not None and before.user is None
    login = service.login("ed@example.org", "editor password", previous=planted.secret)
    assert login.session.secret != planted.secret
    assert service.resolve(planted.secret) is None
    resolved = service.resolve(login.session.secret)
    assert resolved is not None and resolved.user is not None
    assert resolved.user.email == "ed@example.org"
    assert not service.verify_csrf(login.session.secret, before.csrf_token)
    with db.read() as conn:
        stored = conn.execute(select(sessions.c.id_hash)).scalars().all()
        entries = AuditLog(conn).recent()
    assert stored == [token_digest(login.session.secret)]
    assert login.session.secret not in stored
    assert entries[0].action == "session.login" and entries[0].actor == "ed@example.org"


def test_failed_login_keeps_the_visitor_session(service: SessionService) -> None:
    visitor = service.start()
    with pytest.raises(LoginFailed):
        service.login("ed@example.org", "wrong password", previous=visitor.secret)
    assert service.resolve(visitor.secret) is not None


def test_csrf_token_verifies_only_for_its_session(service: SessionService) -> None:
    one = service.login("ed@example.org", "editor password")
    two = service.login("ed@example.org", "editor password")
    assert service.verify_csrf(one.session.secret, one.csrf_token)
    assert not service.verify_csrf(two.session.secret, one.csrf_token)
    assert not service.verify_csrf(one.session.secret, "")
    assert not service.verify_csrf(one.session.secret, None)
    assert not service.verify_csrf(None, one.csrf_token)
    assert not service.verify_csrf("made-up-session", one.csrf_token)
    assert service.csrf_token(one.session.secret) == one.csrf_token


def test_sessions_expire_by_the_clock(service: SessionService, clock: Clock) -> None:
    login = service.login("ed@example.org", "editor password")
    assert login.session.expires_at == clock.now + timedelta(days=14)
    clock.now += timedelta(days=14) - timedelta(seconds=1)
    assert service.resolve(login.session.secret) is not None
    clock.now += timedelta(seconds=1)
    assert service.resolve(login.session.secret) is None
    assert not service.verify_csrf(login.session.secret, login.csrf_token)
    assert service.purge_expired() == 1


def test_starting_a_session_purges_expired_ones(
    service: SessionService, clock: Clock, db: Database
) -> None:
    visitor = service.start()
    signed_in = service.login("ed@example.org", "editor password")
    clock.now += service.visitor_lifetime  # the visitor's session has just expired
    service.start()
    assert service.resolve(signed_in.session.secret) is not None
    with db.read() as conn:
        held = conn.execute(
            select(sessions.c.pk).where(sessions.c.id_hash == token_digest(visitor.secret))
        ).all()
    assert held == [], "the expired visitor session is still stored"
    assert service.purge_expired() == 0


def test_rotation_keeps_the_user_under_a_new_id(service: SessionService) -> None:
    login = service.login("ed@example.org", "editor password")
    rotated = service.rotate(login.session.secret)
    assert rotated is not None and rotated.secret != login.session.secret
    assert service.resolve(login.session.secret) is None
    after = service.resolve(rotated.secret)
    assert after is not None and after.user is not None and after.user.email == "ed@example.org"
    assert service.rotate("not-a-session") is None


def test_disabling_a_user_ends_their_sessions(
    service: SessionService, accounts: AccountService
) -> None:
    login = service.login("ed@example.org", "editor password")
    accounts.disable(ADMIN, "ed@example.org")
    assert service.resolve(login.session.secret) is None


def test_logout_ends_only_that_session(service: SessionService) -> None:
    one = service.login("ed@example.org", "editor password")
    two = service.login("ed@example.org", "editor password")
    service.end(one.session.secret)
    assert service.resolve(one.session.secret) is None
    assert service.resolve(two.session.secret) is not None
