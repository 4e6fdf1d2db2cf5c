"""The HTML pages: each route calls services and hands plain data to a template."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from kartoteka.i18n import N_
from kartoteka.model import ArticleStatus
from kartoteka.services import articles as article_service
from kartoteka.services import authors as author_service
from kartoteka.services import search as search_service
from kartoteka.services.catalog import build_catalog
from kartoteka.services.countries import country_label, country_view
from kartoteka.services.entities import list_entities
from kartoteka.services.entity_views import article_entities_view
from kartoteka.services.feeds import search_feed_query
from kartoteka.services.history import visible_article
from kartoteka.services.overview import overview
from kartoteka.services.related import related_to_shown
from kartoteka.services.revisions import revision_view
from kartoteka.store.articles import ArticleFilter
from kartoteka.web.deps import (
    NO_NUL,
    DatabaseDep,
    FilterDep,
    Limit,
    Offset,
    ServicesDep,
    ViewerDep,
)
from kartoteka.web.mention_marks import mention_marks
from kartoteka.web.paging import paginate

router = APIRouter(include_in_schema=False)

ArticleId = Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)]
RELATED_SHOWN = 5


def render(request: Request, template: str, context: dict[str, Any]) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context)


def _visible(viewer_sees_unpublished: bool) -> ArticleFilter:
    return ArticleFilter(include_unpublished=viewer_sees_unpublished)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: DatabaseDep, viewer: ViewerDep) -> HTMLResponse:
    summary = overview(db, flt=_visible(viewer.sees_unpublished))
    return render(request, "home.html", {"overview": summary})


@router.get("/articles", response_class=HTMLResponse)
def articles(
    request: Request, db: DatabaseDep, viewer: ViewerDep, limit: Limit = 20, offset: Offset = 0
) -> HTMLResponse:
    """Every article newest first, in pages: the home page shows only the latest."""
    items, total = article_service.list_articles(
        db, _visible(viewer.sees_unpublished), limit, offset
    )
    return render(
        request,
        "articles.html",
        {"articles": items, "pagination": paginate(request.url, total, limit, offset)},
    )


@router.get("/countries/{code}", response_class=HTMLResponse)
def country(
    request: Request,
    db: DatabaseDep,
    flt: FilterDep,
    code: Annotated[str, Path(max_length=8, pattern=NO_NUL)],
    limit: Limit = 20,
    offset: Offset = 0,
) -> HTMLResponse:
    view = country_view(db, code, limit, offset, flt)
    catalog = build_catalog(db, view.country.code)
    entries = [e for c in catalog.countries for e in c.entries]
    listed = {e.entity_id for e in entries}
    mentioned = [
        s for s in list_entities(db, view.country.code) if s.articles and s.entity.id not in listed
    ]
    mentioned.sort(key=lambda s: (-s.articles, s.entity.name.casefold()))
    return render(
        request,
        "country.html",
        {
            "view": view,
            "entries": entries,
            "entities": mentioned,
            "pagination": paginate(request.url, view.total, limit, offset),
        },
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(
    request: Request, db: DatabaseDep, viewer: ViewerDep, article_id: ArticleId
) -> HTMLResponse:
    # Who may see it is the history service's rule: editors see drafts, submitters
    # their own, and a soft-deleted article only the admins who may restore it.
    shown = visible_article(db, viewer.actor, article_id)
    detail = article_service.article_detail(
        db,
        shown,
        include_unpublished=viewer.sees_unpublished or shown.status is not ArticleStatus.PUBLISHED,
    )
    found = article_entities_view(db, article_id)
    return render(
        request,
        "article.html",
        {
            "detail": detail,
            "article": detail.article,
            "marks": mention_marks(found),
            "title_marks": mention_marks(found, "title"),
            "entities": found.entities,
            "related": related_to_shown(db, article_id, RELATED_SHOWN),
        },
    )


@router.get("/articles/{article_id}/revisions/{number}", response_class=HTMLResponse)
def revision(
    request: Request,
    db: DatabaseDep,
    viewer: ViewerDep,
    article_id: ArticleId,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
) -> HTMLResponse:
    visible_article(db, viewer.actor, article_id)  # the article page's rule, applied first
    view = revision_view(db, article_id, number, include_unpublished=True)
    return render(request, "revision.html", {"view": view, "article": view.article})


@router.get("/authors", response_class=HTMLResponse)
def authors(request: Request, db: DatabaseDep) -> HTMLResponse:
    return render(request, "authors.html", {"authors": author_service.list_authors(db)})


@router.get("/authors/{handle:path}", response_class=HTMLResponse)
def author(
    request: Request,
    db: DatabaseDep,
    viewer: ViewerDep,
    handle: Annotated[str, Path(max_length=255, pattern=NO_NUL)],
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    found = author_service.get_author(db, handle)
    if author_service.merged_away(handle, found):
        return RedirectResponse(f"/authors/{quote(found.handle, safe='@')}", status_code=308)
    flt = replace(_visible(viewer.sees_unpublished), author=found.handle, include_reposts=True)
    items, total = article_service.list_articles(db, flt, limit, offset)
    return render(
        request,
        "author.html",
        {
            "author": found,
            "articles": items,
            "pagination": paginate(request.url, total, limit, offset),
        },
    )


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    db: DatabaseDep,
    services: ServicesDep,
    viewer: ViewerDep,
    flt: FilterDep,
    q: Annotated[str, Query(max_length=500, pattern=NO_NUL)] = "",
    limit: Limit = 20,
    offset: Offset = 0,
    widen: Annotated[bool, Query()] = True,
) -> HTMLResponse:
    query = q.strip()
    matcher = services.matcher
    results = search_service.search(db, query, flt, limit, offset, widen,
                                    matcher=matcher) if query else None
    facets = search_service.search_facets(db, query, flt, widen,
                                          matcher=matcher) if query else None
    choices = search_service.filter_choices(db, _visible(viewer.sees_unpublished))
    return render(
        request,
        "search.html",
        {
            "q": query,
            "widen_off": not widen,
            "filter": flt,
            "results": results,
            "facets": facets,
            "choices": choices,
            # results show an author as the home page does: by name, not handle
            "author_names": {c.value: c.label for c in choices.authors if c.label},
            "country_label": country_label,
            "feed_query": search_feed_query(query, flt),
            "pagination": paginate(request.url, results.total, limit, offset) if results else None,
        },
    )


# FastAPI's own response descriptions, so the API page can show them translated.
FASTAPI_WORDS = (N_("Successful Response"), N_("Validation Error"))


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI description rendered on the server: no CDN, no script."""
    return render(request, "api_docs.html", {"openapi": request.app.openapi()})
