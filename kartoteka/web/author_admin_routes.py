"""Admin pages for authors: every author with its id and aliases, and merging
two identities of one outlet, previewed before it is done.

The merge form asks with a GET (nothing changes: the page shows what would
move, as ``authors merge --dry-run`` prints it); only the confirmation
posts, with the CSRF token, to the same service the CLI calls.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from kartoteka.auth.roles import Action
from kartoteka.i18n import localise
from kartoteka.services.authors import AuthorMergeError, AuthorNotFound, list_authors
from kartoteka.web.access import requires
from kartoteka.web.accounts import services_of
from kartoteka.web.csrf import CSRF
from kartoteka.web.deps import NO_NUL, Viewer
from kartoteka.web.forms import FieldErrors, form_page, see_other

router = APIRouter(prefix="/admin", include_in_schema=False)

AuthorAdmin = Annotated[Viewer, Depends(requires(Action.MERGE_AUTHORS))]
QueryRef = Annotated[str, Query(max_length=255, pattern=NO_NUL)]
FormRef = Annotated[str, Form(max_length=255, pattern=NO_NUL)]


def _page(
    request: Request, viewer: Viewer, *, status: int = 200, **extra: object
) -> HTMLResponse:
    services = services_of(request)
    counts = {
        s.author.handle: s.articles for s in list_authors(services.db, with_articles_only=False)
    }
    context: dict[str, object] = {
        "authors": services.authors.stored_authors(viewer.actor),
        "counts": counts,
        "form": {},
        **extra,
    }
    return form_page(request, "admin_authors.html", context, status=status)


def _errors(exc: Exception, source: str) -> FieldErrors:
    """Put the message beside the field it is about."""
    if isinstance(exc, AuthorNotFound):
        return {"source" if exc.handle == source else "target": localise(exc)}
    return {"form": localise(exc)}


@router.get("/authors", response_class=HTMLResponse)
def authors(request: Request, viewer: AuthorAdmin) -> HTMLResponse:
    return _page(request, viewer)


@router.get("/authors/merge", response_class=HTMLResponse)
def preview_merge(
    request: Request, viewer: AuthorAdmin, source: QueryRef = "", target: QueryRef = ""
) -> HTMLResponse:
    """What merging would move, with the button that does it."""
    try:
        preview = services_of(request).authors.merge(viewer.actor, source, target, dry_run=True)
    except (AuthorNotFound, AuthorMergeError) as exc:
        form = {"source": source, "target": target}
        return _page(request, viewer, status=422, errors=_errors(exc, source), form=form)
    return form_page(request, "admin_author_merge.html", {"preview": preview})


@router.post("/authors/merge", dependencies=[CSRF])
def merge(
    request: Request, viewer: AuthorAdmin, source: FormRef = "", target: FormRef = ""
) -> Response:
    try:
        services_of(request).authors.merge(viewer.actor, source, target)
    except (AuthorNotFound, AuthorMergeError) as exc:
        form = {"source": source, "target": target}
        return _page(request, viewer, status=422, errors=_errors(exc, source), form=form)
    return see_other("/admin/authors?done=authors_merged")
