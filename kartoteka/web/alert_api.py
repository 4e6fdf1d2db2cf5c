"""The JSON API for watchlists and alerts, under /api/v1: only ever the caller's own.

Reading works with an API token or the session cookie.  Changes (follow,
unfollow, mark read, a new feed address) need an API token: a cookie is
sent by the browser with any site's request, and these routes take no
CSRF token.  A disabled user's tokens and sessions stop working, so they
get 401.  Alerts are read through the public filter, as on
``/account/alerts``: drafts and deleted articles never appear.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Annotated, TypeVar

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from kartoteka.auth.roles import Action
from kartoteka.i18n import N_, localise
from kartoteka.i18n import gettext as _
from kartoteka.services.alerts import AlertError, AlertService
from kartoteka.store.articles import ArticleFilter
from kartoteka.web.access import requires
from kartoteka.web.alert_schemas import (
    AlertOut,
    AlertPage,
    FeedOut,
    FiltersIn,
    MarkReadIn,
    MarkReadOut,
    WatchlistIn,
    WatchlistList,
    WatchlistOut,
)
from kartoteka.web.deps import InvalidParameter, Limit, Offset, ServicesDep, Viewer
from kartoteka.web.errors import ErrorResponse
from kartoteka.web.follow import watch_label

# FastAPI's own answer (400) to a body that is not JSON; named here so it is translated.
N_("There was an error parsing the body")
RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorResponse, "description": N_("The body is not JSON.")},
    401: {"model": ErrorResponse, "description": N_("No API token (or session), or not valid.")},
    404: {"model": ErrorResponse, "description": N_("No such item.")},
    422: {"model": ErrorResponse, "description": N_("A parameter is invalid.")},
}
router = APIRouter(prefix="/api/v1", tags=["alerts"], responses=RESPONSES)  # type: ignore[arg-type]

_BEARER = {"WWW-Authenticate": "Bearer"}
T = TypeVar("T")
Reader = Annotated[Viewer, Depends(requires(Action.MANAGE_OWN_TOKENS))]
WatchlistId = Annotated[int, Path(ge=1, le=2**62, description=N_("Watchlist id."))]


def token_holder(viewer: Reader) -> Viewer:
    """The caller, if they sent an API token: changes are never made on a cookie alone."""
    if not viewer.via_token:
        raise HTTPException(
            401, _("changing watchlists needs an API token: send 'Authorization: Bearer "
                   "<API token>' (create one on /account)"), _BEARER,
        )
    return viewer


Writer = Annotated[Viewer, Depends(token_holder)]


@router.get("/watchlists", summary=N_("My watchlists"))
def list_watchlists(services: ServicesDep, viewer: Reader) -> WatchlistList:
    found = services.alerts.watchlists(viewer.actor)
    return WatchlistList(items=[WatchlistOut.of(w, watch_label(w)) for w in found])


@router.post("/watchlists", status_code=201,
             summary=N_("Follow an entity, country, author or search (again: the same one)"))
def create_watchlist(
    services: ServicesDep, viewer: Writer, wanted: Annotated[WatchlistIn, Body()]
) -> WatchlistOut:
    alerts: AlertService = services.alerts
    try:
        made = alerts.follow(viewer.actor, wanted.kind, wanted.target, query=wanted.query,
                             flt=_filter(wanted.filters))
        if wanted.frequency is not None:
            alerts.set_frequency(viewer.actor, made.pk, wanted.frequency)
    except (AlertError, LookupError) as exc:  # nothing to follow by that name
        raise InvalidParameter("target" if wanted.kind != "search" else "query",
                               localise(exc)) from None
    found = next(w for w in alerts.watchlists(viewer.actor) if w.pk == made.pk)
    return WatchlistOut.of(found, watch_label(found))


@router.delete("/watchlists/{watchlist_id}", status_code=204, response_class=Response,
               summary=N_("Stop following (its alerts go too)"))
def delete_watchlist(services: ServicesDep, viewer: Writer, watchlist_id: WatchlistId) -> Response:
    _own(lambda: services.alerts.unfollow(viewer.actor, watchlist_id))
    return Response(status_code=204)


@router.post("/watchlists/{watchlist_id}/feed",
             summary=N_("A new private feed address (the old one stops working)"))
def rotate_feed(request: Request, services: ServicesDep, viewer: Writer,
                watchlist_id: WatchlistId) -> FeedOut:
    secret = _own(lambda: services.alerts.rotate_feed(viewer.actor, watchlist_id))
    base = str(request.base_url).rstrip("/")
    return FeedOut(feed_url=f"{base}/alerts/feeds/{secret}.atom")


@router.get("/alerts", summary=N_("My alerts, newest first"))
def list_alerts(
    request: Request, services: ServicesDep, viewer: Reader, limit: Limit = 50, offset: Offset = 0,
    unread: Annotated[bool, Query(description=N_("Only alerts not marked read."))] = False,
) -> AlertPage:
    alerts: AlertService = services.alerts
    actor = viewer.actor
    labels = {w.pk: watch_label(w) for w in alerts.watchlists(actor)}
    found = alerts.alerts(actor, unread_only=unread, limit=limit, offset=offset)
    base = str(request.base_url).rstrip("/")
    return AlertPage(
        items=[AlertOut.of(a, labels.get(a.watchlist_pk, ""), base) for a in found],
        total=alerts.alert_count(actor, unread_only=unread),
        unread=alerts.unread_count(actor), limit=limit, offset=offset,
    )


@router.post("/alerts/read", summary=N_("Mark my alerts read (these, or all)"))
def mark_read(services: ServicesDep, viewer: Writer,
              which: Annotated[MarkReadIn | None, Body()] = None) -> MarkReadOut:
    ids = which.ids if which is not None else None
    return MarkReadOut(marked=services.alerts.mark_read(viewer.actor, ids))


def _own(action: Callable[[], T]) -> T:
    """Run a change to one of the caller's watchlists; another's, or none, is not found."""
    try:
        return action()
    except AlertError as exc:
        raise HTTPException(404, localise(exc)) from None


def _filter(filters: FiltersIn | None) -> ArticleFilter:
    if filters is None:
        return ArticleFilter()
    return ArticleFilter(
        country=filters.country.lower() if filters.country else None,
        author=filters.author, entity=filters.entity, language=filters.language,
        since=_moment(filters.since), until=_moment(filters.until),
    )


def _moment(day: date | None) -> datetime | None:
    """A filter's day as the follow form gives it: midnight UTC."""
    return None if day is None else datetime.combine(day, time.min, tzinfo=UTC)
