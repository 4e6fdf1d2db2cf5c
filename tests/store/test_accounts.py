from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from kartoteka.auth.model import JoinStatus, LinkPurpose
from kartoteka.auth.roles import Role
from kartoteka.store.accounts import AccountRepository
from kartoteka.store.accounts_tables import audit_log
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_email_is_unique_regardless_of_case(db: Database) -> None:
    with db.transaction() as conn:
        user = AccountRepository(conn).add_user("Ana@Example.org", Role.EDITOR, NOW, "Ana")
    assert user.email == "Ana@Example.org" and user.role is Role.EDITOR
    assert not user.has_password and user.created_at == NOW
    with db.read() as conn:
        found = AccountRepository(conn).user_by_email("ana@EXAMPLE.org")
    assert found == user
    with pytest.raises(IntegrityError), db.transaction() as conn:
        AccountRepository(conn).add_user("ana@example.org", Role.READER, NOW)


def test_user_columns_that_may_change_and_those_that_may_not(db: Database) -> None:
    with db.transaction() as conn:
        repo = AccountRepository(conn)
        user = repo.add_user("b@example.org", Role.READER, NOW)
        repo.update_user(user.pk, role="admin", disabled_at=NOW, password_hash="$argon2id$x")
        changed = repo.user_by_pk(user.pk)
        with pytest.raises(ValueError, match="email_key"):
            repo.update_user(user.pk, email_key="other")
    assert changed is not None and changed.role is Role.ADMIN
    assert changed.disabled_at == NOW and changed.has_password


def test_sessions_tokens_links_and_join_requests_round_trip(db: Database) -> None:
    with db.transaction() as conn:
        repo = AccountRepository(conn)
        user = repo.add_user("c@example.org", Role.CONTRIBUTOR, NOW)
        repo.add_session("a" * 64, user.pk, NOW, NOW + timedelta(days=1), "f" * 64)
        repo.add_session("b" * 64, None, NOW, NOW + timedelta(hours=1), "e" * 64)
        token = repo.add_api_token(user.pk, "laptop", "d" * 64, Role.READER, NOW)
        repo.add_link("9" * 64, user.pk, LinkPurpose.INVITATION, NOW, NOW + timedelta(days=7))
        request = repo.add_join_request("Dana", "dana@example.org", "@dana", "hello", NOW)
    with db.transaction() as conn:
        repo = AccountRepository(conn)
        session = repo.session("a" * 64)
        assert session is not None and session.user_pk == user.pk
        assert session.expires_at == NOW + timedelta(days=1)
        assert repo.session("b" * 64) is not None
        assert repo.delete_expired_sessions(NOW + timedelta(hours=2)) == 1
        assert repo.session("b" * 64) is None
        assert repo.api_token("d" * 64) == token
        repo.revoke_api_token(token.pk, NOW)
        revoked = repo.api_token_by_pk(token.pk)
        assert revoked is not None and revoked.revoked_at == NOW
        link = repo.link("9" * 64)
        assert link is not None and link.purpose is LinkPurpose.INVITATION
        assert repo.use_link(link.pk, NOW) and not repo.use_link(link.pk, NOW)
        assert repo.decide_join_request(request.pk, JoinStatus.ACCEPTED, "admin", NOW, user.pk)
        assert not repo.decide_join_request(request.pk, JoinStatus.DECLINED, "admin", NOW, None)
        decided = repo.join_request(request.pk)
        assert decided is not None and decided.status is JoinStatus.ACCEPTED
        assert repo.join_requests(JoinStatus.PENDING) == []


def test_audit_log_keeps_before_and_after_json(db: Database) -> None:
    with db.transaction() as conn:
        log = AuditLog(conn)
        log.record(
            NOW,
            "admin@example.org",
            "user.role",
            "user",
            7,
            {"role": "reader"},
            {"role": "editor", "names": ["Ана", "Ana"]},
        )
        log.record(NOW, "cli", "user.create", "user", 8, None, {"role": "admin"})
    with db.read() as conn:
        entries = AuditLog(conn).for_object("user", "7")
        recent = AuditLog(conn).recent(limit=1)
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.actor, entry.action, entry.object_id) == ("admin@example.org", "user.role", "7")
    assert entry.before == {"role": "reader"}
    assert entry.after == {"role": "editor", "names": ["Ана", "Ana"]}
    assert entry.at == NOW
    assert [e.object_id for e in recent] == ["8"]


def test_audit_log_repository_offers_no_way_to_change_an_entry() -> None:
    public = {name for name in dir(AuditLog) if not name.startswith("_")}
    assert public == {"conn", "record", "for_object", "recent"}


def test_database_refuses_to_change_or_delete_audit_entries(db: Database) -> None:
    with db.transaction() as conn:
        AuditLog(conn).record(NOW, "cli", "user.create", "user", 1, None, {"role": "admin"})
    for statement in (
        update(audit_log).values(actor="someone else"),
        delete(audit_log),
    ):
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as conn:
            conn.execute(statement)
    with db.read() as conn:
        rows = conn.execute(select(audit_log.c.actor)).scalars().all()
        assert rows == ["cli"]
