"""Reading and writing users, sessions, API tokens, join requests and one-time links.

Every secret arrives here already digested; nothing in this module can turn
a row back into a usable session id or token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from kartoteka.auth.model import (
    ApiToken,
    JoinRequest,
    JoinStatus,
    LinkPurpose,
    OneTimeLink,
    Session,
    User,
)
from kartoteka.auth.roles import Role
from kartoteka.store.accounts_tables import (
    api_tokens,
    join_requests,
    one_time_links,
    sessions,
    users,
)


def email_key(email: str) -> str:
    return email.strip().lower()


class AccountRepository:
    __slots__ = ("conn",)

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- users ------------------------------------------------------------------------

    def add_user(
        self,
        email: str,
        role: Role,
        now: datetime,
        display_name: str = "",
        handle: str | None = None,
        password_hash: str | None = None,
    ) -> User:
        pk = self.conn.execute(
            insert(users).values(
                email=email.strip(),
                email_key=email_key(email),
                display_name=display_name,
                handle=handle,
                role=role.value,
                password_hash=password_hash,
                created_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        user = self.user_by_pk(int(pk))
        assert user is not None
        return user

    def user_by_pk(self, pk: int) -> User | None:
        row = self.conn.execute(select(users).where(users.c.pk == pk)).first()
        return _user(row) if row else None

    def user_by_email(self, email: str) -> User | None:
        row = self.conn.execute(select(users).where(users.c.email_key == email_key(email))).first()
        return _user(row) if row else None

    def password_hash(self, pk: int) -> str | None:
        return self.conn.execute(
            select(users.c.password_hash).where(users.c.pk == pk)
        ).scalar_one_or_none()

    def list_users(self) -> list[User]:
        rows = self.conn.execute(select(users).order_by(users.c.email_key)).all()
        return [_user(r) for r in rows]

    def update_user(self, pk: int, **values: Any) -> None:
        """Change columns of one user (role, disabled_at, password_hash, names)."""
        allowed = {"role", "disabled_at", "password_hash", "display_name", "handle", "language"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"cannot change user columns {sorted(unknown)}")
        self.conn.execute(update(users).where(users.c.pk == pk).values(**values))

    # --- sessions ---------------------------------------------------------------------

    def add_session(
        self,
        id_hash: str,
        user_pk: int | None,
        now: datetime,
        expires_at: datetime,
        csrf_secret: str,
    ) -> None:
        self.conn.execute(
            insert(sessions).values(
                id_hash=id_hash,
                user_pk=user_pk,
                created_at=now,
                expires_at=expires_at,
                csrf_secret=csrf_secret,
            )
        )

    def session(self, id_hash: str) -> Session | None:
        row = self.conn.execute(select(sessions).where(sessions.c.id_hash == id_hash)).first()
        if row is None:
            return None
        return Session(
            pk=row.pk,
            user_pk=row.user_pk,
            created_at=row.created_at,
            expires_at=row.expires_at,
            csrf_secret=row.csrf_secret,
        )

    def delete_session(self, id_hash: str) -> None:
        self.conn.execute(delete(sessions).where(sessions.c.id_hash == id_hash))

    def delete_sessions_of(self, user_pk: int) -> int:
        return self.conn.execute(delete(sessions).where(sessions.c.user_pk == user_pk)).rowcount

    def delete_expired_sessions(self, now: datetime) -> int:
        return self.conn.execute(delete(sessions).where(sessions.c.expires_at <= now)).rowcount

    # --- API tokens -------------------------------------------------------------------

    def add_api_token(
        self, user_pk: int, name: str, token_hash: str, scope: Role, now: datetime
    ) -> ApiToken:
        pk = self.conn.execute(
            insert(api_tokens).values(
                user_pk=user_pk, name=name, token_hash=token_hash, scope=scope.value, created_at=now
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        return ApiToken(int(pk), user_pk, name, scope, now)

    def api_token(self, token_hash: str) -> ApiToken | None:
        row = self.conn.execute(
            select(api_tokens).where(api_tokens.c.token_hash == token_hash)
        ).first()
        return _api_token(row) if row else None

    def api_token_by_pk(self, pk: int) -> ApiToken | None:
        row = self.conn.execute(select(api_tokens).where(api_tokens.c.pk == pk)).first()
        return _api_token(row) if row else None

    def api_tokens_of(self, user_pk: int) -> list[ApiToken]:
        rows = self.conn.execute(
            select(api_tokens).where(api_tokens.c.user_pk == user_pk).order_by(api_tokens.c.pk)
        ).all()
        return [_api_token(r) for r in rows]

    def revoke_api_tokens_of(self, user_pk: int, now: datetime) -> int:
        return self.conn.execute(
            update(api_tokens)
            .where(api_tokens.c.user_pk == user_pk, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        ).rowcount

    def revoke_api_token(self, pk: int, now: datetime) -> None:
        self.conn.execute(
            update(api_tokens)
            .where(api_tokens.c.pk == pk, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def touch_api_token(self, pk: int, now: datetime) -> None:
        self.conn.execute(update(api_tokens).where(api_tokens.c.pk == pk).values(last_used_at=now))

    # --- join requests ----------------------------------------------------------------

    def add_join_request(
        self, name: str, contact: str, handle: str, note: str, now: datetime
    ) -> JoinRequest:
        pk = self.conn.execute(
            insert(join_requests).values(
                name=name,
                contact=contact,
                handle=handle,
                note=note,
                status=JoinStatus.PENDING.value,
                created_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        found = self.join_request(int(pk))
        assert found is not None
        return found

    def join_request(self, pk: int) -> JoinRequest | None:
        row = self.conn.execute(select(join_requests).where(join_requests.c.pk == pk)).first()
        return _join_request(row) if row else None

    def join_requests(self, status: JoinStatus | None = None) -> list[JoinRequest]:
        query = select(join_requests).order_by(join_requests.c.created_at, join_requests.c.pk)
        if status is not None:
            query = query.where(join_requests.c.status == status.value)
        return [_join_request(r) for r in self.conn.execute(query).all()]

    def decide_join_request(
        self, pk: int, status: JoinStatus, decided_by: str, now: datetime, user_pk: int | None
    ) -> bool:
        """Settle a pending request; False if it was no longer pending (a race lost)."""
        result = self.conn.execute(
            update(join_requests)
            .where(join_requests.c.pk == pk, join_requests.c.status == JoinStatus.PENDING.value)
            .values(status=status.value, decided_by=decided_by, decided_at=now, user_pk=user_pk)
        )
        return result.rowcount == 1

    # --- one-time links ---------------------------------------------------------------

    def add_link(
        self,
        token_hash: str,
        user_pk: int,
        purpose: LinkPurpose,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        self.conn.execute(
            insert(one_time_links).values(
                token_hash=token_hash,
                user_pk=user_pk,
                purpose=purpose.value,
                created_at=now,
                expires_at=expires_at,
            )
        )

    def link(self, token_hash: str) -> OneTimeLink | None:
        row = self.conn.execute(
            select(one_time_links).where(one_time_links.c.token_hash == token_hash)
        ).first()
        if row is None:
            return None
        return OneTimeLink(
            pk=row.pk,
            user_pk=row.user_pk,
            purpose=LinkPurpose(row.purpose),
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    def use_link(self, pk: int, now: datetime) -> bool:
        """Mark a link used; False if someone used it first."""
        result = self.conn.execute(
            update(one_time_links)
            .where(one_time_links.c.pk == pk, one_time_links.c.used_at.is_(None))
            .values(used_at=now)
        )
        return result.rowcount == 1

    def expire_links_of(self, user_pk: int, purpose: LinkPurpose, now: datetime) -> None:
        """Retire the user's unused links of this kind when a new one is issued."""
        self.conn.execute(
            update(one_time_links)
            .where(
                one_time_links.c.user_pk == user_pk,
                one_time_links.c.purpose == purpose.value,
                one_time_links.c.used_at.is_(None),
                one_time_links.c.expires_at > now,
            )
            .values(expires_at=now)
        )


def _user(row: Row[Any]) -> User:
    return User(
        pk=row.pk,
        email=row.email,
        display_name=row.display_name,
        role=Role(row.role),
        created_at=row.created_at,
        handle=row.handle,
        disabled_at=row.disabled_at,
        has_password=row.password_hash is not None,
        language=row.language,
    )


def _api_token(row: Row[Any]) -> ApiToken:
    return ApiToken(
        pk=row.pk,
        user_pk=row.user_pk,
        name=row.name,
        scope=Role(row.scope),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def _join_request(row: Row[Any]) -> JoinRequest:
    return JoinRequest(
        pk=row.pk,
        name=row.name,
        contact=row.contact,
        handle=row.handle,
        note=row.note,
        status=JoinStatus(row.status),
        created_at=row.created_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        user_pk=row.user_pk,
    )
