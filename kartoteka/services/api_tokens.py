"""API tokens: created by their owner, shown once, stored as digests, revocable.

A token acts with the weaker of its scope and its owner's current role, so
demoting a user also demotes every token they made.
"""

from __future__ import annotations

from dataclasses import dataclass

from kartoteka.auth.model import ApiToken
from kartoteka.auth.ratelimit import Clock, utc_now
from kartoteka.auth.roles import Action, Actor, PermissionDenied, Role, lower_role
from kartoteka.auth.tokens import API_TOKEN_PREFIX, new_api_token, token_digest
from kartoteka.i18n import Message
from kartoteka.services.accounts import AccountError
from kartoteka.store.accounts import AccountRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database


@dataclass(frozen=True, slots=True)
class NewApiToken:
    token: ApiToken
    secret: str  # shown to the user once; only its digest is stored


class ApiTokenService:
    def __init__(self, db: Database, *, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    def create(self, actor: Actor, name: str, scope: Role | None = None) -> NewApiToken:
        actor.require(Action.MANAGE_OWN_TOKENS)
        if actor.user_pk is None or actor.role is None:
            raise AccountError(Message("only a signed-in user can create an API token"))
        name = name.strip()
        if not name or len(name) > 200:
            raise AccountError(Message("an API token needs a name of 1 to 200 characters"))
        scope = scope or actor.role
        if not actor.role.at_least(scope):
            raise AccountError(
                Message(
                    "a %(role)s cannot create a token with the %(scope)s role",
                    role=actor.role,
                    scope=scope,
                )
            )
        secret = new_api_token()
        now = self.clock()
        with self.db.transaction() as conn:
            token = AccountRepository(conn).add_api_token(
                actor.user_pk, name, token_digest(secret), scope, now
            )
            AuditLog(conn).record(
                now,
                actor.label,
                "token.create",
                "api_token",
                token.pk,
                None,
                {"name": name, "scope": scope.value, "user_pk": actor.user_pk},
            )
        return NewApiToken(token, secret)

    def list(self, actor: Actor) -> list[ApiToken]:
        actor.require(Action.MANAGE_OWN_TOKENS)
        if actor.user_pk is None:
            return []
        with self.db.read() as conn:
            return AccountRepository(conn).api_tokens_of(actor.user_pk)

    def revoke(self, actor: Actor, token_pk: int) -> ApiToken:
        """The owner revokes their token; an admin may revoke anyone's."""
        actor.require(Action.MANAGE_OWN_TOKENS)
        now = self.clock()
        with self.db.transaction() as conn:
            repo = AccountRepository(conn)
            token = repo.api_token_by_pk(token_pk)
            if token is None:
                raise AccountError(Message("no API token with id %(id)s", id=token_pk))
            if token.user_pk != actor.user_pk and not actor.can(Action.MANAGE_USERS):
                raise PermissionDenied(actor, Action.MANAGE_USERS)
            repo.revoke_api_token(token.pk, now)
            after = repo.api_token_by_pk(token.pk)
            AuditLog(conn).record(
                now,
                actor.label,
                "token.revoke",
                "api_token",
                token.pk,
                {"revoked_at": None},
                {"revoked_at": now.isoformat()},
            )
        assert after is not None
        return after

    def resolve(self, secret: str) -> Actor | None:
        """The actor a presented token stands for, or None if it is not valid now."""
        if not secret.startswith(API_TOKEN_PREFIX):
            return None
        now = self.clock()
        with self.db.transaction() as conn:
            repo = AccountRepository(conn)
            token = repo.api_token(token_digest(secret))
            if token is None or token.revoked_at is not None:
                return None
            user = repo.user_by_pk(token.user_pk)
            if user is None or not user.is_active:
                return None
            repo.touch_api_token(token.pk, now)
        return Actor(user.email, lower_role(user.role, token.scope), user.pk)
