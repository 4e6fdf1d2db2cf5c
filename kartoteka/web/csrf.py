"""The CSRF check every form post passes before its route runs.

A signed-in user's token is tied to the session (see
``SessionService.verify_csrf``).  A visitor has no session, and gets none
just for looking at a form: writing a row per anonymous view would fill the
sessions table and, as a commit, empty every worker's page cache.  Instead a
visitor's forms use a signed double-submit token: a random value in a
cookie, and in the form that value signed with the site's key.  A forged
post from another site can neither read the cookie nor sign a value of its
own.
"""

from __future__ import annotations

import secrets

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from kartoteka.i18n import gettext as _
from kartoteka.services.sessions import COOKIE_NAME, COOKIE_SETTINGS
from kartoteka.web.accounts import secure_cookies_of, services_of, visitor_tokens_of
from kartoteka.web.visitor_tokens import VISITOR_NONCE, VISITOR_TOKEN_AGE

FIELD = "csrf_token"
VISITOR_COOKIE = "kartoteka_csrf"


def visitor_token(request: Request) -> tuple[str, str | None]:
    """The form token for a visitor, and a new cookie value to set (None: keep theirs)."""
    nonce = request.cookies.get(VISITOR_COOKIE)
    fresh = None
    if not nonce or not VISITOR_NONCE.match(nonce):
        nonce = fresh = secrets.token_urlsafe(32)
    return visitor_tokens_of(request).token(nonce), fresh


def set_visitor_cookie(request: Request, response: Response, nonce: str) -> None:
    response.set_cookie(
        VISITOR_COOKIE,
        nonce,
        max_age=VISITOR_TOKEN_AGE,
        path=str(COOKIE_SETTINGS["path"]),
        httponly=True,
        secure=secure_cookies_of(request),
        samesite="lax",
    )


async def check_csrf(request: Request) -> None:
    form = await request.form()  # parsed once; the route's Form fields reuse it
    presented = form.get(FIELD)
    services = services_of(request)
    session = request.cookies.get(COOKIE_NAME)
    if not isinstance(presented, str) or not presented:
        valid = False
    elif session and services.sessions.resolve(session) is not None:
        valid = services.sessions.verify_csrf(session, presented)
    else:
        valid = visitor_tokens_of(request).matches(request.cookies.get(VISITOR_COOKIE), presented)
    if not valid:
        raise HTTPException(
            403,
            _(
                "the form's security token is missing, wrong or expired: "
                "reload the page and send the form again"
            ),
        )


CSRF = Depends(check_csrf)
