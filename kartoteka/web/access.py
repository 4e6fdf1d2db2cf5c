"""Route guards: who may open a page or send a form, checked before anything runs.

Every protected route declares its action with ``requires``; the services
check again (they take an ``Actor``), so a guard forgotten here is still a
refusal there, only a less friendly one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from kartoteka.auth.ratelimit import RateLimited
from kartoteka.auth.roles import PERMISSIONS, Action, PermissionDenied
from kartoteka.i18n import gettext as _
from kartoteka.i18n import localise
from kartoteka.web.deps import Viewer, current_viewer
from kartoteka.web.errors import error_response
from kartoteka.web.labels import word

_BEARER = {"WWW-Authenticate": "Bearer"}


class SignInRequired(Exception):
    """An anonymous visitor asked for a page that needs an account."""

    def __init__(self, next_path: str) -> None:
        super().__init__("sign in to see this page")
        self.next_path = next_path


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")


def requires(action: Action) -> Callable[..., Viewer]:
    """A dependency that lets the request through only for roles allowed ``action``."""

    def guard(request: Request, viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
        if viewer.actor.can(action):
            return viewer
        if viewer.is_anonymous:
            if request.url.path.startswith("/api/"):
                raise HTTPException(401, _("sign in or send an API token"), _BEARER)
            raise SignInRequired(request.url.path)
        needed = PERMISSIONS[action]
        raise HTTPException(
            403,
            _(
                "your role (%(role)s) may not %(action)s: "
                "it needs %(needed)s or higher; ask an admin if you should have it"
            )
            % {
                "role": word(viewer.role),
                "action": word(action),
                "needed": word(needed),
            },
        )

    return guard


def safe_next(value: str | None) -> str:
    """Where to go after signing in: only a path on this site, never another host."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def install_access_handlers(app: FastAPI) -> None:
    """Sign-in redirects, refusals from services, and rate limits (429 + Retry-After)."""

    async def on_sign_in(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    async def on_denied(request: Request, exc: Exception) -> Response:
        return error_response(request, 403, localise(exc))

    async def on_rate_limited(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RateLimited)
        response = error_response(request, 429, localise(exc))
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
        return response

    app.add_exception_handler(SignInRequired, on_sign_in)
    app.add_exception_handler(PermissionDenied, on_denied)
    app.add_exception_handler(RateLimited, on_rate_limited)
