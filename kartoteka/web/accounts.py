"""The account services one web app shares, and the session cookie it sets.

One set per app, not per request: the login and join rate limits live in
the services' memory, so a fresh service per request would forget them.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from kartoteka.auth.model import Issued
from kartoteka.auth.passwords import Passwords
from kartoteka.auth.ratelimit import Clock, utc_now
from kartoteka.services.accounts import AccountService
from kartoteka.services.api_tokens import ApiTokenService
from kartoteka.services.deletion import DeletionService
from kartoteka.services.join_requests import JoinRequestService
from kartoteka.services.review import ReviewService
from kartoteka.services.sessions import COOKIE_NAME, COOKIE_SETTINGS, SessionService
from kartoteka.settings import site_key
from kartoteka.store.database import Database
from kartoteka.web.visitor_tokens import VisitorTokens


@dataclass(slots=True)
class AccountServices:
    accounts: AccountService
    sessions: SessionService
    tokens: ApiTokenService
    joins: JoinRequestService
    review: ReviewService
    deletion: DeletionService
    # Signs visitors' CSRF tokens (kartoteka.web.csrf); the same key in every worker.
    visitor_tokens: VisitorTokens
    # None: Secure only when the request came over https (plain http on
    # 127.0.0.1 in the demo would otherwise never send the cookie back).
    secure_cookies: bool | None = None


def account_services(
    db: Database,
    *,
    passwords: Passwords | None = None,
    clock: Clock = utc_now,
    secure_cookies: bool | None = None,
    secret_key: bytes | None = None,
) -> AccountServices:
    accounts = AccountService(db, passwords=passwords, clock=clock)
    return AccountServices(
        accounts=accounts,
        sessions=SessionService(db, accounts, clock=clock),
        tokens=ApiTokenService(db, clock=clock),
        joins=JoinRequestService(db, accounts, clock=clock),
        review=ReviewService(db, clock=clock),
        deletion=DeletionService(db, clock=clock),
        visitor_tokens=VisitorTokens(secret_key or site_key()),
        secure_cookies=secure_cookies,
    )


def services_of(request: Request) -> AccountServices:
    found: AccountServices = request.app.state.accounts
    return found


def client_key(request: Request) -> str:
    """What rate limits count by: the peer address (a proxy would pass the real one)."""
    return request.client.host if request.client else "unknown"


def set_session_cookie(request: Request, response: Response, issued: Issued) -> None:
    services = services_of(request)
    secure = services.secure_cookies
    if secure is None:
        secure = request.url.scheme == "https"
    max_age = None
    if issued.expires_at is not None:
        max_age = max(0, int((issued.expires_at - services.sessions.clock()).total_seconds()))
    response.set_cookie(
        COOKIE_NAME,
        issued.secret,
        max_age=max_age,
        path=str(COOKIE_SETTINGS["path"]),
        httponly=bool(COOKIE_SETTINGS["httponly"]),
        secure=secure,
        samesite="lax",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE_NAME, path=str(COOKIE_SETTINGS["path"]))
