"""Join requests from the public form: create (rate limited), accept, decline.

Accepting one creates a contributor account and an invitation link, shown
once to the admin, who passes it on through the contact the person gave.
"""

from __future__ import annotations

from datetime import timedelta

from kartoteka.auth.model import JoinRequest, JoinStatus
from kartoteka.auth.ratelimit import Clock, RateLimited, utc_now
from kartoteka.auth.roles import Action, Actor, Role
from kartoteka.i18n import N_, Message
from kartoteka.services.accounts import AccountError, AccountService, NewAccount, check_email
from kartoteka.store.accounts import AccountRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database
from kartoteka.store.rate_limits import shared_window

LIMITS = {"name": 200, "contact": 320, "handle": 100, "note": 2000}


class JoinRequestService:
    def __init__(
        self,
        db: Database,
        accounts: AccountService,
        *,
        clock: Clock = utc_now,
        limit: int = 3,
        window: timedelta = timedelta(hours=1),
    ) -> None:
        self.db = db
        self.accounts = accounts
        self.clock = clock
        self.limiter = shared_window(db, "join_request", limit, window, clock)

    def create(
        self, name: str, contact: str, handle: str = "", note: str = "", *, client: str = ""
    ) -> JoinRequest:
        fields = {
            "name": name.strip(),
            "contact": contact.strip(),
            "handle": handle.strip(),
            "note": note.strip(),
        }
        for field, value in fields.items():
            if len(value) > LIMITS[field]:
                raise AccountError(
                    Message(
                        "%(field)s is too long: at most %(limit)s characters",
                        field=field,
                        limit=LIMITS[field],
                    )
                )
        if not fields["name"] or not fields["contact"]:
            raise AccountError(Message("a join request needs a name and a way to contact you"))
        if not self.limiter.hit(client):
            wait = self.limiter.retry_after(client)
            raise RateLimited(N_("join requests"), wait or self.limiter.window)
        now = self.clock()
        with self.db.transaction() as conn:
            request = AccountRepository(conn).add_join_request(now=now, **fields)
            AuditLog(conn).record(
                now,
                "anonymous",
                "join_request.create",
                "join_request",
                request.pk,
                None,
                request.snapshot(),
            )
        return request

    def list(
        self, actor: Actor, status: JoinStatus | None = JoinStatus.PENDING
    ) -> list[JoinRequest]:
        actor.require(Action.DECIDE_JOIN_REQUESTS)
        with self.db.read() as conn:
            return AccountRepository(conn).join_requests(status)

    def accept(self, actor: Actor, request_pk: int, email: str | None = None) -> NewAccount:
        """Create the contributor account; ``email`` defaults to the request's contact."""
        actor.require(Action.DECIDE_JOIN_REQUESTS)
        request = self._pending(request_pk)
        account_email = check_email(email or request.contact)
        account = self.accounts.add_user(
            actor,
            account_email,
            Role.CONTRIBUTOR,
            display_name=request.name,
            handle=request.handle or None,
            invite=True,
        )
        self._decide(actor, request, JoinStatus.ACCEPTED, account.user.pk)
        return account

    def decline(self, actor: Actor, request_pk: int) -> JoinRequest:
        actor.require(Action.DECIDE_JOIN_REQUESTS)
        return self._decide(actor, self._pending(request_pk), JoinStatus.DECLINED, None)

    def _pending(self, request_pk: int) -> JoinRequest:
        with self.db.read() as conn:
            request = AccountRepository(conn).join_request(request_pk)
        if request is None:
            raise AccountError(Message("no join request with id %(id)s", id=request_pk))
        if request.status is not JoinStatus.PENDING:
            raise AccountError(
                Message(
                    "join request %(id)s was already %(status)s",
                    id=request_pk,
                    status=request.status.value,
                )
            )
        return request

    def _decide(
        self, actor: Actor, request: JoinRequest, status: JoinStatus, user_pk: int | None
    ) -> JoinRequest:
        now = self.clock()
        with self.db.transaction() as conn:
            repo = AccountRepository(conn)
            if not repo.decide_join_request(request.pk, status, actor.label, now, user_pk):
                raise AccountError(
                    Message("join request %(id)s was decided by someone else", id=request.pk)
                )
            after = repo.join_request(request.pk)
            assert after is not None
            AuditLog(conn).record(
                now,
                actor.label,
                f"join_request.{status.value}",
                "join_request",
                request.pk,
                request.snapshot(),
                after.snapshot(),
            )
        return after
