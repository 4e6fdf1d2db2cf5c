"""Browser sessions: start, log in (with a new id), resolve, log out, CSRF tokens.

The cookie carries a random session id; the database keeps only its
SHA-256 digest, so a copy of the database cannot be replayed as cookies.
Logging in always issues a new id and drops the old one, so an id planted
in a victim's browser before login (session fixation) is worthless after.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from kartoteka.auth.model import Issued, Session, User
from kartoteka.auth.ratelimit import Clock, utc_now
from kartoteka.auth.tokens import csrf_matches, csrf_token, new_token, token_digest
from kartoteka.services.accounts import AccountService
from kartoteka.store.accounts import AccountRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database

SESSION_LIFETIME = timedelta(days=14)
VISITOR_LIFETIME = timedelta(hours=12)

# What the web layer should set on the cookie; kept here so it is decided once.
COOKIE_NAME = "kartoteka_session"
COOKIE_SETTINGS = {"httponly": True, "secure": True, "samesite": "lax", "path": "/"}


@dataclass(frozen=True, slots=True)
class ResolvedSession:
    """A live session: the user (None for a visitor) and its CSRF token for forms."""

    session: Session
    user: User | None
    csrf_token: str


@dataclass(frozen=True, slots=True)
class Login:
    user: User
    session: Issued
    csrf_token: str


class SessionService:
    def __init__(
        self,
        db: Database,
        accounts: AccountService,
        *,
        clock: Clock = utc_now,
        lifetime: timedelta = SESSION_LIFETIME,
        visitor_lifetime: timedelta = VISITOR_LIFETIME,
    ) -> None:
        self.db = db
        self.accounts = accounts
        self.clock = clock
        self.lifetime = lifetime
        self.visitor_lifetime = visitor_lifetime

    def start(self, user: User | None = None) -> Issued:
        """A new session; without a user it only carries a CSRF secret for forms.

        Expired sessions are deleted on the way (an indexed delete), so the
        visitors' sessions that every form view creates never pile up.
        """
        session_id = new_token()
        now = self.clock()
        expires = now + (self.lifetime if user else self.visitor_lifetime)
        with self.db.transaction() as conn:
            repo = AccountRepository(conn)
            repo.delete_expired_sessions(now)
            repo.add_session(
                token_digest(session_id),
                user.pk if user else None,
                now,
                expires,
                secrets.token_hex(32),
            )
        return Issued(session_id, expires)

    def login(
        self, email: str, password: str, *, client: str = "", previous: str | None = None
    ) -> Login:
        """Check the password, drop the previous session, and start a new one."""
        user = self.accounts.authenticate(email, password, client)
        if previous:
            self.end(previous)
        issued = self.start(user)
        with self.db.transaction() as conn:
            AuditLog(conn).record(self.clock(), user.email, "session.login", "user", user.pk)
        token = self.csrf_token(issued.secret)
        assert token is not None
        return Login(user, issued, token)

    def resolve(self, session_id: str) -> ResolvedSession | None:
        """The live session for a cookie value, or None (unknown, expired, disabled user)."""
        with self.db.read() as conn:
            repo = AccountRepository(conn)
            session = repo.session(token_digest(session_id))
            if session is None or session.expires_at <= self.clock():
                return None
            user = repo.user_by_pk(session.user_pk) if session.user_pk is not None else None
        if session.user_pk is not None and (user is None or not user.is_active):
            return None
        return ResolvedSession(session, user, csrf_token(session.csrf_secret, session_id))

    def rotate(self, session_id: str) -> Issued | None:
        """The same sign-in under a new id (after a privilege change, say)."""
        resolved = self.resolve(session_id)
        if resolved is None:
            return None
        self.end(session_id)
        return self.start(resolved.user)

    def end(self, session_id: str) -> None:
        with self.db.transaction() as conn:
            AccountRepository(conn).delete_session(token_digest(session_id))

    def end_all(self, user: User) -> int:
        with self.db.transaction() as conn:
            return AccountRepository(conn).delete_sessions_of(user.pk)

    def purge_expired(self) -> int:
        with self.db.transaction() as conn:
            return AccountRepository(conn).delete_expired_sessions(self.clock())

    def csrf_token(self, session_id: str) -> str | None:
        resolved = self.resolve(session_id)
        return resolved.csrf_token if resolved else None

    def verify_csrf(self, session_id: str | None, presented: str | None) -> bool:
        """True only for the token of this live session; check on every form post."""
        if not session_id or not presented:
            return False
        resolved = self.resolve(session_id)
        return resolved is not None and csrf_matches(
            resolved.session.csrf_secret, session_id, presented
        )
