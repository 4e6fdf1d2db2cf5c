"""Feed addresses: ``.atom`` and ``.json`` beside every public listing.

``/feed.atom`` (latest), ``/countries/rs.atom``, ``/entities/ID.atom``,
``/authors/@handle.atom`` and ``/search.atom?q=…`` (with the search page's
filters); each also as ``.json`` (JSON Feed 1.1).  These routes are added
before the HTML pages, so ``/countries/rs.atom`` is not read as a country
named ``rs.atom``.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from kartoteka.services import feeds as feed_service
from kartoteka.services.feeds import Feed
from kartoteka.web.deps import NO_NUL, DatabaseDep, FilterDep
from kartoteka.web.feed_render import ATOM_TYPE, JSON_FEED_TYPE, atom, json_feed

router = APIRouter(include_in_schema=False)

Segment = Annotated[str, Path(min_length=1, max_length=255, pattern=NO_NUL)]


def respond(request: Request, feed: Feed, suffix: str) -> Response:
    base = str(request.base_url).rstrip("/")
    if suffix == "atom":
        return Response(atom(feed, base), media_type=f"{ATOM_TYPE}; charset=utf-8")
    body = json.dumps(json_feed(feed, base), ensure_ascii=False, indent=1)
    return Response(body, media_type=f"{JSON_FEED_TYPE}; charset=utf-8")


def _routes(suffix: str) -> None:
    """The five feeds in one format; a function so each route binds its suffix."""

    @router.get(f"/feed.{suffix}")
    def latest(request: Request, db: DatabaseDep) -> Response:
        return respond(request, feed_service.latest_feed(db), suffix)

    @router.get(f"/countries/{{code}}.{suffix}")
    def country(request: Request, db: DatabaseDep, code: Segment) -> Response:
        return respond(request, feed_service.country_feed(db, code), suffix)

    @router.get(f"/entities/{{entity_id}}.{suffix}")
    def entity(request: Request, db: DatabaseDep, entity_id: Segment) -> Response:
        return respond(request, feed_service.entity_feed(db, entity_id), suffix)

    @router.get(f"/authors/{{handle:path}}.{suffix}")
    def author(request: Request, db: DatabaseDep, handle: Segment) -> Response:
        return respond(request, feed_service.author_feed(db, handle), suffix)

    @router.get(f"/search.{suffix}")
    def search(
        request: Request,
        db: DatabaseDep,
        flt: FilterDep,
        q: Annotated[str, Query(max_length=500, pattern=NO_NUL)] = "",
    ) -> Response:
        return respond(request, feed_service.search_feed(db, q, flt), suffix)


for _suffix in ("atom", "json"):
    _routes(_suffix)
