"""User accounts: adding, listing, roles, disabling, passwords and one-time links.

Every change is written to the audit log in the same transaction, with the
user's state before and after (never a password hash).  No password is ever
built into the code: a new account gets one the caller chose, a generated
one shown once, or an invitation link with which the person sets their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from kartoteka.auth.model import Issued, LinkPurpose, User
from kartoteka.auth.passwords import Passwords, generate_password
from kartoteka.auth.ratelimit import Clock, RateLimited, utc_now
from kartoteka.auth.roles import Action, Actor, Role
from kartoteka.auth.tokens import new_token, token_digest
from kartoteka.i18n import N_, Message
from kartoteka.store.accounts import AccountRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database
from kartoteka.store.rate_limits import shared_window

# Where the web app serves one-time links; it must route these paths.
LINK_PATHS = {
    LinkPurpose.INVITATION: "/invitation/{token}",
    LinkPurpose.PASSWORD_RESET: "/password-reset/{token}",
}
LINK_LIFETIMES = {
    LinkPurpose.INVITATION: timedelta(days=7),
    LinkPurpose.PASSWORD_RESET: timedelta(hours=1),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


class UserNotFound(AccountError):
    def __init__(self, email: str) -> None:
        super().__init__(f"no user with e-mail address {email!r}: `kartoteka users list` shows all")


class LoginFailed(Exception):
    """Deliberately vague: it never says whether the address exists."""

    def __init__(self) -> None:
        super().__init__(Message("wrong e-mail address or password, or the account is disabled"))


def _exists(email: str) -> Message:
    return Message("a user with e-mail address %(email)r already exists", email=email)


class LinkInvalid(AccountError):
    def __init__(self) -> None:
        super().__init__(
            Message("this link is unknown, already used or expired: ask an admin for a new one")
        )


def check_email(email: str) -> str:
    email = email.strip()
    if not _EMAIL.match(email) or len(email) > 320:
        raise AccountError(Message("%(email)r is not an e-mail address", email=email))
    return email


@dataclass(frozen=True, slots=True)
class NewAccount:
    """A created user and the one secret to hand over: a password or a link path."""

    user: User
    password: str | None = None
    link_path: str | None = None
    link_expires_at: datetime | None = None


def link_path(purpose: LinkPurpose, token: str) -> str:
    return LINK_PATHS[purpose].format(token=token)


class AccountService:
    def __init__(
        self,
        db: Database,
        *,
        passwords: Passwords | None = None,
        clock: Clock = utc_now,
        login_limit: int = 5,
        login_window: timedelta = timedelta(minutes=15),
    ) -> None:
        self.db = db
        self.passwords = passwords or Passwords()
        self.clock = clock
        # Per address, so one account cannot be guessed at; per client, so one
        # client cannot sweep many accounts (it gets four times the allowance).
        # Kept in the database (or Redis), so every web worker on every machine counts alike.
        self.login_by_email = shared_window(db, "login_email", login_limit, login_window, clock)
        self.login_by_client = shared_window(db, "login_client", login_limit * 4, login_window,
                                             clock)

    # --- users ------------------------------------------------------------------------

    def add_user(
        self,
        actor: Actor,
        email: str,
        role: Role,
        *,
        display_name: str = "",
        handle: str | None = None,
        password: str | None = None,
        invite: bool = False,
    ) -> NewAccount:
        """Create a user with ``password``, a generated one, or (``invite``) a link."""
        actor.require(Action.MANAGE_USERS)
        email = check_email(email)
        generated = None
        if password is None and not invite:
            password = generated = generate_password()
        password_hash = self.passwords.hash(password) if password is not None else None
        now = self.clock()
        with self.db.transaction() as conn:
            repo = AccountRepository(conn)
            if repo.user_by_email(email) is not None:
                raise AccountError(_exists(email))
            try:
                user = repo.add_user(email, role, now, display_name.strip(), handle, password_hash)
            except IntegrityError:  # added by someone else between the check and here
                raise AccountError(_exists(email)) from None
            AuditLog(conn).record(
                now, actor.label, "user.create", "user", user.pk, None, user.snapshot()
            )
            link = self._issue(conn, actor, user, LinkPurpose.INVITATION, now) if invite else None
        return NewAccount(
            user,
            password=generated,
            link_path=link_path(LinkPurpose.INVITATION, link.secret) if link else None,
            link_expires_at=link.expires_at if link else None,
        )

    def list_users(self, actor: Actor) -> list[User]:
        actor.require(Action.MANAGE_USERS)
        with self.db.read() as conn:
            return AccountRepository(conn).list_users()

    def get_user(self, email: str) -> User:
        with self.db.read() as conn:
            user = AccountRepository(conn).user_by_email(email)
        if user is None:
            raise UserNotFound(email)
        return user

    def user_by_pk(self, pk: int) -> User | None:
        with self.db.read() as conn:
            return AccountRepository(conn).user_by_pk(pk)

    def set_language(self, user_pk: int, language: str | None) -> None:
        """Remember the interface language a user chose (a preference: not audited)."""
        with self.db.transaction() as conn:
            AccountRepository(conn).update_user(user_pk, language=language)

    def change_role(self, actor: Actor, email: str, role: Role) -> User:
        actor.require(Action.MANAGE_USERS)
        return self._change(actor, email, "user.role", role=role.value)

    def disable(self, actor: Actor, email: str) -> User:
        """Disable an account and end its sessions; its history and content stay."""
        actor.require(Action.MANAGE_USERS)
        return self._change(actor, email, "user.disable", disabled_at=self.clock())

    def enable(self, actor: Actor, email: str) -> User:
        actor.require(Action.MANAGE_USERS)
        return self._change(actor, email, "user.enable", disabled_at=None)

    def _change(self, actor: Actor, email: str, action: str, **values: object) -> User:
        now = self.clock()
        with self.db.transaction() as conn:
            repo = AccountRepository(conn)
            before = repo.user_by_email(email)
            if before is None:
                raise UserNotFound(email)
            repo.update_user(before.pk, **values)
            after = repo.user_by_pk(before.pk)
            assert after is not None
            if (
                before.role is Role.ADMIN
                and before.is_active
                and not (after.role is Role.ADMIN and after.is_active)
            ):
                admins = [u for u in repo.list_users() if u.role is Role.ADMIN and u.is_active]
                if not admins:
                    raise AccountError(
                        Message(
                            "%(email)s is the last active admin: make another admin first",
                            email=email,
                        )
                    )
            if not after.is_active:
                repo.delete_sessions_of(after.pk)
            AuditLog(conn).record(
                now, actor.label, action, "user", after.pk, before.snapshot(), after.snapshot()
            )
        return after

    # --- passwords and links ------------------------------------------------------------

    def authenticate(self, email: str, password: str, client: str = "") -> User:
        """The user for a correct address and password, else LoginFailed.

        An unknown address costs the same argon2 work as a wrong password.
        Only failures count towards the rate limit.
        """
        keys = [(self.login_by_email, email.strip().lower()), (self.login_by_client, client)]
        for limiter, key in keys:
            wait = limiter.retry_after(key)
            if wait is not None:
                raise RateLimited(N_("login attempts"), wait)
        with self.db.read() as conn:
            repo = AccountRepository(conn)
            user = repo.user_by_email(email)
            stored = repo.password_hash(user.pk) if user else None
        checked = self.passwords.check(stored, password)
        if user is None or not checked.ok or not user.is_active:
            for limiter, key in keys:
                limiter.hit(key)
            raise LoginFailed()
        if checked.new_hash is not None:
            with self.db.transaction() as conn:
                AccountRepository(conn).update_user(user.pk, password_hash=checked.new_hash)
        return user

    def change_password(self, user: User, current: str, new: str) -> None:
        """Set a new password and end every session and API token of the user.

        Whoever knew the old password may already hold a session or a token;
        the caller starts a fresh session for the browser that made the change.
        """
        self.authenticate(user.email, current, client=f"user:{user.pk}")
        self._set_password(user.as_actor(), user.pk, new)

    def issue_link(self, actor: Actor, email: str, purpose: LinkPurpose) -> NewAccount:
        """A fresh invitation or password-reset link; older unused ones stop working."""
        actor.require(Action.MANAGE_USERS)
        now = self.clock()
        with self.db.transaction() as conn:
            user = AccountRepository(conn).user_by_email(email)
            if user is None:
                raise UserNotFound(email)
            issued = self._issue(conn, actor, user, purpose, now)
        return NewAccount(
            user, link_path=link_path(purpose, issued.secret), link_expires_at=issued.expires_at
        )

    def _issue(
        self, conn: Connection, actor: Actor, user: User, purpose: LinkPurpose, now: datetime
    ) -> Issued:
        repo = AccountRepository(conn)
        token = new_token()
        expires = now + LINK_LIFETIMES[purpose]
        repo.expire_links_of(user.pk, purpose, now)
        repo.add_link(token_digest(token), user.pk, purpose, now, expires)
        AuditLog(conn).record(
            now,
            actor.label,
            f"link.{purpose.value}",
            "user",
            user.pk,
            None,
            {"expires_at": expires.isoformat()},
        )
        return Issued(token, expires)

    def check_link(self, token: str, purpose: LinkPurpose) -> User:
        """The user a link belongs to, if it is still good (for showing the form)."""
        with self.db.read() as conn:
            repo = AccountRepository(conn)
            link = repo.link(token_digest(token))
            if (
                link is None
                or link.purpose is not purpose
                or link.used_at is not None
                or link.expires_at <= self.clock()
            ):
                raise LinkInvalid()
            user = repo.user_by_pk(link.user_pk)
        if user is None or not user.is_active:
            raise LinkInvalid()
        return user

    def redeem_link(self, token: str, purpose: LinkPurpose, password: str) -> User:
        """Set the password a link allows; the link then stops working."""
        user = self.check_link(token, purpose)
        now = self.clock()
        password_hash = self.passwords.hash(password)
        with self.db.transaction() as conn:
            repo = AccountRepository(conn)
            link = repo.link(token_digest(token))
            if link is None or not repo.use_link(link.pk, now):
                raise LinkInvalid()
            repo.update_user(user.pk, password_hash=password_hash)
            repo.delete_sessions_of(user.pk)  # a reset logs out every other session
            AuditLog(conn).record(
                now, user.email, "user.password", "user", user.pk, None, {"via": purpose.value}
            )
        return user

    def _set_password(self, actor: Actor, user_pk: int, password: str) -> None:
        password_hash = self.passwords.hash(password)
        now = self.clock()
        with self.db.transaction() as conn:
            repo = AccountRepository(conn)
            repo.update_user(user_pk, password_hash=password_hash)
            ended = repo.delete_sessions_of(user_pk)
            revoked = repo.revoke_api_tokens_of(user_pk, now)
            AuditLog(conn).record(
                now, actor.label, "user.password", "user", user_pk, None,
                {"via": "change", "sessions_ended": ended, "tokens_revoked": revoked},
            )
