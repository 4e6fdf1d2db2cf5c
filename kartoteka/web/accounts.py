"""How a request reaches the app's services, and the session cookie it sets."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from kartoteka.auth.model import Issued
from kartoteka.services.sessions import COOKIE_NAME, COOKIE_SETTINGS
from kartoteka.services.wiring import Services
from kartoteka.web.visitor_tokens import VisitorTokens


def services_of(request: Request) -> Services:
    """The app's one set of services (``kartoteka.services.wiring``), not one per
    request: the login and join rate limits live in the services' memory."""
    found: Services = request.app.state.services
    return found


def visitor_tokens_of(request: Request) -> VisitorTokens:
    """Signs visitors' CSRF tokens (kartoteka.web.csrf); the same key in every worker."""
    found: VisitorTokens = request.app.state.visitor_tokens
    return found


def secure_cookies_of(request: Request) -> bool:
    """Cookies marked Secure: as configured, else when the request came over https
    (plain http on 127.0.0.1 in the demo would otherwise never send one back)."""
    configured = services_of(request).settings.secure_cookies
    return request.url.scheme == "https" if configured is None else configured


def client_key(request: Request) -> str:
    """What rate limits count by: the peer address (a proxy would pass the real one)."""
    return request.client.host if request.client else "unknown"


def set_session_cookie(request: Request, response: Response, issued: Issued) -> None:
    services = services_of(request)
    secure = secure_cookies_of(request)
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
