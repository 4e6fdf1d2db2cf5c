"""Following things and reading alerts: ``/account/alerts``, the follow buttons' posts,
and each watchlist's private Atom feed at a secret address.

Every post carries the CSRF token.  A feed secret and a webhook's signing
secret are shown once, in the response to the post that made them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from kartoteka.auth.roles import Action
from kartoteka.i18n import Message, localise
from kartoteka.services.alerts import AlertError, AlertService
from kartoteka.services.feeds import Feed
from kartoteka.store.articles import ArticleFilter
from kartoteka.web.access import requires, safe_next
from kartoteka.web.accounts import services_of
from kartoteka.web.csrf import CSRF
from kartoteka.web.deps import Viewer
from kartoteka.web.errors import error_response
from kartoteka.web.feed_render import ATOM_TYPE, atom
from kartoteka.web.follow import watch_label
from kartoteka.web.forms import form_page, see_other

router = APIRouter(include_in_schema=False)

Own = Annotated[Viewer, Depends(requires(Action.MANAGE_OWN_TOKENS))]
Field = Annotated[str, Form(max_length=500)]
WatchPk = Annotated[int, Path(ge=1, le=2**62)]
Secret = Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]


def _service(request: Request) -> AlertService:
    return services_of(request).alerts


def _page(request: Request, viewer: Viewer, *, status: int = 200,
          **extra: object) -> HTMLResponse:
    service = _service(request)
    actor = viewer.actor
    watchlists = service.watchlists(actor)
    return form_page(request, "alerts.html", {
        "alerts": service.alerts(actor, limit=200),
        "unread": service.unread_count(actor),
        "watchlists": watchlists,
        "labels": {w.pk: watch_label(w) for w in watchlists},
        "base": str(request.base_url).rstrip("/"),
        **extra,
    }, status=status)


@router.get("/account/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, viewer: Own) -> HTMLResponse:
    return _page(request, viewer)


@router.post("/account/alerts/follow", dependencies=[CSRF])
def follow(
    request: Request, viewer: Own,
    kind: Annotated[str, Form(max_length=20)] = "",
    target: Field = "", q: Field = "", country: Field = "", author: Field = "",
    entity: Field = "", language: Field = "", since: Field = "", until: Field = "",
    next: Annotated[str, Form(max_length=2000)] = "/account/alerts",
) -> Response:
    try:
        flt = ArticleFilter(
            country=country or None, author=author or None, entity=entity or None,
            language=language or None, since=_day(since), until=_day(until),
        )
        _service(request).follow(viewer.actor, kind, target, query=q, flt=flt)
    except (AlertError, LookupError, ValueError) as exc:
        return error_response(request, 422, localise(exc))
    return see_other(safe_next(next))


@router.post("/account/alerts/{watch_pk}/unfollow", dependencies=[CSRF])
def unfollow(request: Request, viewer: Own, watch_pk: WatchPk,
             next: Annotated[str, Form(max_length=2000)] = "/account/alerts") -> Response:
    try:
        _service(request).unfollow(viewer.actor, watch_pk)
    except AlertError as exc:
        return error_response(request, 404, localise(exc))
    return see_other(safe_next(next))


@router.post("/account/alerts/{watch_pk}/frequency", dependencies=[CSRF])
def frequency(request: Request, viewer: Own, watch_pk: WatchPk,
              frequency: Annotated[str, Form(max_length=20)] = "") -> Response:
    try:
        _service(request).set_frequency(viewer.actor, watch_pk, frequency)
    except AlertError as exc:
        return _page(request, viewer, status=422, error=localise(exc))
    return see_other("/account/alerts")


@router.post("/account/alerts/{watch_pk}/feed", dependencies=[CSRF])
def new_feed(request: Request, viewer: Own, watch_pk: WatchPk) -> Response:
    try:
        secret = _service(request).rotate_feed(viewer.actor, watch_pk)
    except AlertError as exc:
        return error_response(request, 404, localise(exc))
    # Shown in this response only: never in a redirect's URL.
    return _page(request, viewer, new_feed=(watch_pk, f"/alerts/feeds/{secret}.atom"))


@router.post("/account/alerts/{watch_pk}/webhook", dependencies=[CSRF])
def webhook(request: Request, viewer: Own, watch_pk: WatchPk,
            url: Annotated[str, Form(max_length=2000)] = "") -> Response:
    try:
        secret = _service(request).set_webhook(viewer.actor, watch_pk, url)
    except AlertError as exc:
        return _page(request, viewer, status=422, error=localise(exc))
    return _page(request, viewer, new_webhook=(watch_pk, secret) if secret else None)


@router.post("/account/alerts/read", dependencies=[CSRF])
def mark_read(request: Request, viewer: Own,
              alert: Annotated[int | None, Form(ge=1, le=2**62)] = None) -> Response:
    _service(request).mark_read(viewer.actor, None if alert is None else [alert])
    return see_other("/account/alerts")


@router.get("/alerts/feeds/{secret}.atom")
def private_feed(request: Request, secret: Secret) -> Response:
    """Anyone with the address may read it, as a feed reader must: the secret is the key."""
    service = _service(request)
    try:
        watchlist, found = service.feed(secret)
    except LookupError as exc:
        return error_response(request, 404, localise(exc))
    title = Message("kartoteka alerts: %(label)s", label=watch_label(watchlist))
    feed = Feed(f"alerts/{watchlist.pk}", title,
                "/account/alerts", f"/alerts/feeds/{secret}", service.feed_items(found))
    base = str(request.base_url).rstrip("/")
    # Never kept by the page cache or a proxy; never sent on as a referrer.
    headers = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
    return Response(atom(feed, base), media_type=f"{ATOM_TYPE}; charset=utf-8",
                    headers=headers)


def _day(value: str) -> datetime | None:
    """A follow form's ``YYYY-MM-DD`` (the search page's filter) as a UTC moment."""
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:  # the reader's language, not Python's "Invalid isoformat string"
        raise AlertError(Message("%(value)r is not a date: use YYYY-MM-DD", value=value)) from None
