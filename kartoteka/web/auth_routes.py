"""Signing in and out, joining the project, one-time links, and one's own account.

Every post carries the CSRF token (``CSRF``); signing in always issues a new
session id, so an id planted before sign-in is worthless afterwards.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kartoteka.auth.model import LinkPurpose
from kartoteka.auth.passwords import WeakPassword
from kartoteka.auth.ratelimit import RateLimited
from kartoteka.auth.roles import Action, Role
from kartoteka.i18n import N_, localise
from kartoteka.i18n import gettext as _
from kartoteka.services.accounts import AccountError, LinkInvalid, LoginFailed
from kartoteka.services.join_requests import LIMITS
from kartoteka.services.sessions import COOKIE_NAME
from kartoteka.web.access import requires, safe_next
from kartoteka.web.accounts import clear_session_cookie, client_key, services_of, set_session_cookie
from kartoteka.web.csrf import CSRF
from kartoteka.web.deps import Viewer
from kartoteka.web.errors import error_response
from kartoteka.web.forms import FieldErrors, form_page, see_other
from kartoteka.web.language import set_language_cookie

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=4000)]
OptionalText = Annotated[str, Form(max_length=4000)]
LinkToken = Annotated[str, Path(min_length=10, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")]
Own = Annotated[Viewer, Depends(requires(Action.MANAGE_OWN_TOKENS))]


def _limited(exc: RateLimited) -> dict[str, str]:
    return {"Retry-After": str(exc.retry_after_seconds)}


# --- signing in and out -------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, next: Annotated[str, Query(max_length=2000)] = "/"
) -> HTMLResponse:
    return form_page(request, "login.html", {"next": safe_next(next), "email": ""})


@router.post("/login", dependencies=[CSRF])
def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    services = services_of(request)
    context = {"next": safe_next(next), "email": email}
    try:
        login = services.sessions.login(
            email, password, client=client_key(request), previous=request.cookies.get(COOKIE_NAME)
        )
    except LoginFailed as exc:
        errors: FieldErrors = {"form": localise(exc)}
        return form_page(request, "login.html", {**context, "errors": errors}, status=400)
    except RateLimited as exc:
        errors = {"form": localise(exc) + _(". This protects accounts from password guessing.")}
        return form_page(
            request, "login.html", {**context, "errors": errors}, status=429, headers=_limited(exc)
        )
    response = see_other(safe_next(next))
    set_session_cookie(request, response, login.session)
    if login.user.language:  # the language chosen on another browser follows the user
        set_language_cookie(request, response, login.user.language)
    return response


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request) -> Response:
    cookie = request.cookies.get(COOKIE_NAME)
    if cookie:
        services_of(request).sessions.end(cookie)
    response = see_other("/login?done=signed_out")
    clear_session_cookie(response)
    return response


# --- joining ----------------------------------------------------------------------------------


@router.get("/join", response_class=HTMLResponse)
def join_form(request: Request) -> HTMLResponse:
    return form_page(request, "join.html", {"values": {}, "limits": LIMITS})


@router.post("/join", dependencies=[CSRF])
def join(
    request: Request,
    name: OptionalText = "",
    contact: OptionalText = "",
    handle: OptionalText = "",
    note: OptionalText = "",
) -> Response:
    values = {"name": name, "contact": contact, "handle": handle, "note": note}
    errors: FieldErrors = {}
    for field, value in values.items():
        if len(value.strip()) > LIMITS[field]:
            errors[field] = _("at most %(limit)s characters") % {"limit": LIMITS[field]}
    if not name.strip():
        errors["name"] = _("tell us your name or the name you write under")
    if not contact.strip():
        errors["contact"] = _("give an e-mail address or another way to reach you")
    context = {"values": values, "limits": LIMITS, "errors": errors}
    if errors:
        return form_page(request, "join.html", context, status=422)
    try:
        services_of(request).joins.create(
            name, contact, handle, note, client=client_key(request)
        )
    except RateLimited as exc:
        context["errors"] = {"form": localise(exc) + _(". Your request was not sent.")}
        return form_page(request, "join.html", context, status=429, headers=_limited(exc))
    except AccountError as exc:
        context["errors"] = {"form": localise(exc)}
        return form_page(request, "join.html", context, status=422)
    return see_other("/join?done=joined")


# --- one-time links -------------------------------------------------------------------------

_LINK_PAGES = {
    LinkPurpose.INVITATION: (N_("Welcome: choose your password"), "invitation"),
    LinkPurpose.PASSWORD_RESET: (N_("Choose a new password"), "password-reset"),
}


def _link_form(request: Request, purpose: LinkPurpose, token: str) -> Response:
    try:
        user = services_of(request).accounts.check_link(token, purpose)
    except LinkInvalid as exc:
        return error_response(request, 410, localise(exc))
    title, path = _LINK_PAGES[purpose]
    return form_page(
        request,
        "set_password.html",
        {"title": _(title), "action": f"/{path}/{token}", "email": user.email},
    )


def _redeem(
    request: Request, purpose: LinkPurpose, token: str, password: str, again: str
) -> Response:
    accounts = services_of(request).accounts
    try:
        user = accounts.check_link(token, purpose)
    except LinkInvalid as exc:
        return error_response(request, 410, localise(exc))
    title, path = _LINK_PAGES[purpose]
    context = {"title": _(title), "action": f"/{path}/{token}", "email": user.email}
    errors: FieldErrors = {}
    if password != again:
        errors["password2"] = _("the two passwords differ: type the same one twice")
    else:
        try:
            accounts.redeem_link(token, purpose, password)
        except WeakPassword as exc:
            errors["password"] = localise(exc)
        except LinkInvalid as exc:
            return error_response(request, 410, localise(exc))
    if errors:
        return form_page(request, "set_password.html", {**context, "errors": errors}, status=422)
    return see_other("/login?done=password_set")


@router.get("/invitation/{token}", response_class=HTMLResponse)
def invitation_form(request: Request, token: LinkToken) -> Response:
    return _link_form(request, LinkPurpose.INVITATION, token)


@router.post("/invitation/{token}", dependencies=[CSRF])
def invitation(
    request: Request, token: LinkToken, password: OptionalText = "", password2: OptionalText = ""
) -> Response:
    return _redeem(request, LinkPurpose.INVITATION, token, password, password2)


@router.get("/password-reset/{token}", response_class=HTMLResponse)
def password_reset_form(request: Request, token: LinkToken) -> Response:
    return _link_form(request, LinkPurpose.PASSWORD_RESET, token)


@router.post("/password-reset/{token}", dependencies=[CSRF])
def password_reset(
    request: Request, token: LinkToken, password: OptionalText = "", password2: OptionalText = ""
) -> Response:
    return _redeem(request, LinkPurpose.PASSWORD_RESET, token, password, password2)


# --- one's own account: API tokens and password ---------------------------------------------


def _account_page(
    request: Request, viewer: Viewer, *, status: int = 200, **extra: object
) -> HTMLResponse:
    services = services_of(request)
    actor = viewer.actor
    assert actor.role is not None
    scopes = [r for r in Role if actor.role.at_least(r)]
    return form_page(
        request,
        "account.html",
        {"tokens": services.tokens.list(actor), "scopes": scopes, **extra},
        status=status,
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, viewer: Own) -> HTMLResponse:
    return _account_page(request, viewer)


@router.post("/account/tokens", dependencies=[CSRF])
def create_token(
    request: Request,
    viewer: Own,
    name: OptionalText = "",
    scope: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        role = Role.parse(scope) if scope else None
        created = services_of(request).tokens.create(viewer.actor, name, role)
    except (AccountError, ValueError) as exc:
        field = "name" if "name" in str(exc) else "scope"
        return _account_page(request, viewer, status=422, errors={field: localise(exc)})
    # Shown in this response only: never in a URL, never again.
    return _account_page(request, viewer, created=created)


@router.post("/account/tokens/{token_pk}/revoke", dependencies=[CSRF])
def revoke_token(
    request: Request, viewer: Own, token_pk: Annotated[int, Path(ge=1, le=2**62)]
) -> Response:
    try:
        services_of(request).tokens.revoke(viewer.actor, token_pk)
    except AccountError as exc:
        return error_response(request, 404, localise(exc))
    return see_other("/account?done=revoked")


@router.post("/account/password", dependencies=[CSRF])
def change_password(
    request: Request,
    viewer: Own,
    current: OptionalText = "",
    password: OptionalText = "",
    password2: OptionalText = "",
) -> Response:
    accounts = services_of(request).accounts
    user = accounts.user_by_pk(viewer.actor.user_pk or 0)
    if user is None:
        return error_response(request, 404, _("your account no longer exists"))
    errors: FieldErrors = {}
    if password != password2:
        errors["password2"] = _("the two new passwords differ: type the same one twice")
    else:
        try:
            accounts.change_password(user, current, password)
        except LoginFailed:
            errors["current"] = _("this is not your current password")
        except WeakPassword as exc:
            errors["password"] = localise(exc)
    if errors:
        return _account_page(request, viewer, status=422, errors=errors)
    # Every session of the account has ended; this browser signs in afresh.
    response = see_other("/account?done=password_changed")
    set_session_cookie(request, response, services_of(request).sessions.start(user))
    return response
