"""The CSRF check every form post passes before its route runs.

The token is tied to the session (see ``SessionService.verify_csrf``); a
page with a form makes sure a session exists, even for an anonymous
visitor, so the login and join forms are protected as well.
"""

from __future__ import annotations

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from kartoteka.services.sessions import COOKIE_NAME
from kartoteka.web.accounts import services_of

FIELD = "csrf_token"


async def check_csrf(request: Request) -> None:
    form = await request.form()  # parsed once; the route's Form fields reuse it
    presented = form.get(FIELD)
    cookie = request.cookies.get(COOKIE_NAME)
    if not isinstance(presented, str) or not services_of(request).sessions.verify_csrf(
        cookie, presented
    ):
        raise HTTPException(
            403,
            "the form's security token is missing, wrong or expired: "
            "reload the page and send the form again",
        )


CSRF = Depends(check_csrf)
