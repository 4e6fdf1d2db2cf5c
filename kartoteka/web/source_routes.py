"""Admin pages for watched sources: their status, and adding or removing one.

The page reads the same service as ``kartoteka sources list``; polling
itself runs elsewhere (``kartoteka watch`` or the job queue), never in a
request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from kartoteka.auth.roles import Action
from kartoteka.i18n import localise
from kartoteka.services.sources import SourceService
from kartoteka.watched import SourceError
from kartoteka.web.access import requires
from kartoteka.web.csrf import CSRF
from kartoteka.web.deps import DatabaseDep, Viewer
from kartoteka.web.forms import form_page, see_other

router = APIRouter(prefix="/admin", include_in_schema=False)

SourceAdmin = Annotated[Viewer, Depends(requires(Action.MANAGE_SOURCES))]
Pk = Annotated[int, Path(ge=1, le=2**62)]


def _page(
    request: Request, service: SourceService, *, status: int = 200, **extra: object
) -> HTMLResponse:
    context: dict[str, object] = {"sources": service.list(), "form": {}, **extra}
    return form_page(request, "admin_sources.html", context, status=status)


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request, db: DatabaseDep, viewer: SourceAdmin) -> HTMLResponse:
    return _page(request, SourceService(db))


@router.post("/sources", dependencies=[CSRF])
def add_source(
    request: Request,
    db: DatabaseDep,
    viewer: SourceAdmin,
    url: Annotated[str, Form(max_length=2000)] = "",
    every: Annotated[str, Form(max_length=20)] = "1h",
    author: Annotated[str, Form(max_length=255)] = "",
    country: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    service = SourceService(db)
    try:
        service.add(url, every=every or "1h", author=author, country=country)
    except SourceError as exc:
        form = {"url": url, "every": every, "author": author, "country": country}
        return _page(request, service, status=422, errors={exc.field: localise(exc)}, form=form)
    return see_other("/admin/sources?done=source_added")


@router.post("/sources/{source_pk}/remove", dependencies=[CSRF])
def remove_source(
    request: Request, db: DatabaseDep, viewer: SourceAdmin, source_pk: Pk
) -> Response:
    service = SourceService(db)
    try:
        service.remove(source_pk)
    except SourceError as exc:
        return _page(request, service, status=404, errors={"form": localise(exc)})
    return see_other("/admin/sources?done=source_removed")
