"""The interface language of each request, and the switch that changes it.

``LanguageMiddleware`` works out the language once per request (the cookie,
else ``Accept-Language``, see ``kartoteka.i18n.choice``) and runs the
request inside it, so every ``gettext`` below knows it without being told.
``POST /language`` is the header's switch: it sets the cookie and, for a
signed-in user, saves the choice in the account, which signing in copies
back into the cookie on any other browser.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kartoteka.i18n import LANGUAGES, gettext, use_language
from kartoteka.i18n.choice import COOKIE, COOKIE_MAX_AGE, choose_language
from kartoteka.services.sessions import COOKIE_NAME, COOKIE_SETTINGS
from kartoteka.web.access import safe_next
from kartoteka.web.accounts import secure_cookies_of, services_of
from kartoteka.web.deps import current_viewer
from kartoteka.web.forms import see_other

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


def scope_language(scope: Scope) -> str:
    """The language a request gets, from its raw headers (the page cache keys on it too)."""
    cookie = accept = None
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            cookie = cookie_parser(value.decode("latin-1")).get(COOKIE)
        elif name == b"accept-language":
            accept = value.decode("latin-1")
    return choose_language(cookie, accept)


class LanguageMiddleware:
    """Runs each HTTP request in its language and says which one it answered in."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = scope_language(scope)
        label = language.encode()

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"content-language", label),
                    # What decided the language; the page cache keys on the same.
                    (b"vary", b"Accept-Language, Cookie"),
                ]
            await send(message)

        with use_language(language):
            await self.app(scope, receive, send_with_language)


def set_language_cookie(request: Request, response: Response, language: str) -> None:
    secure = secure_cookies_of(request)
    response.set_cookie(
        COOKIE,
        language,
        max_age=COOKIE_MAX_AGE,
        path=str(COOKIE_SETTINGS["path"]),
        secure=request.url.scheme == "https" if secure is None else secure,
        samesite="lax",
    )


@router.post("/language")
def switch_language(
    request: Request,
    language: Annotated[str, Form(max_length=8)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Set the language; a signed-in user's choice is also saved in their account.

    A visitor's switch only sets a cookie in their own browser, so it needs no
    CSRF token (and a cached public page cannot carry one); changing an
    account does, like every other form a user sends.
    """
    viewer = current_viewer(request)
    signed_in = not viewer.is_anonymous and not viewer.via_token
    if signed_in:
        sessions = services_of(request).sessions
        session = request.cookies.get(COOKIE_NAME) or ""
        if not csrf_token or not sessions.verify_csrf(session, csrf_token):
            raise HTTPException(
                403,
                gettext(
                    "the form's security token is missing, wrong or expired: "
                    "reload the page and send the form again"
                ),
            )
    if language not in LANGUAGES:
        raise HTTPException(422, gettext("choose one of the offered languages"))
    if signed_in:
        services_of(request).accounts.set_language(int(viewer.user_id or 0), language)
    response = see_other(safe_next(next))
    set_language_cookie(request, response, language)
    return response
