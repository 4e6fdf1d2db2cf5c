"""The JSON API under /api/v1: each route calls one service and shapes its answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from kartoteka.catalog.countries import is_country_code
from kartoteka.i18n import N_, localise
from kartoteka.i18n import gettext as _
from kartoteka.model import ArticleStatus
from kartoteka.services import articles as article_service
from kartoteka.services import authors as author_service
from kartoteka.services import search as search_service
from kartoteka.services.catalog import build_catalog
from kartoteka.services.countries import country_label
from kartoteka.services.history import visible_article
from kartoteka.services.related import related_to_shown
from kartoteka.store.facets import Facets
from kartoteka.web.deps import (
    NO_NUL,
    DatabaseDep,
    FilterDep,
    InvalidParameter,
    Limit,
    Offset,
    ServicesDep,
    ViewerDep,
)
from kartoteka.web.errors import ERROR_RESPONSES
from kartoteka.web.schemas import (
    ArticleOut,
    ArticlePage,
    ArticleSummary,
    AuthorList,
    AuthorOut,
    CatalogOut,
    FacetOut,
    FacetsOut,
    RelatedOut,
    SearchHitOut,
    SearchOut,
    WideningOut,
)

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)  # type: ignore[arg-type]

ArticleId = Annotated[
    str, Path(description=N_("Article id."), min_length=1, max_length=64, pattern=NO_NUL)
]


def facets_out(facets: Facets) -> FacetsOut:
    return FacetsOut(
        countries=[FacetOut.of(f, country_label(f.value).name) for f in facets.countries],
        authors=[FacetOut.of(f) for f in facets.authors],
        languages=[FacetOut.of(f) for f in facets.languages],
        years=[FacetOut.of(f) for f in facets.years],
        entities=[FacetOut.of(f) for f in facets.entities],
        is_exact=facets.is_exact,
        counted=facets.counted,
    )


@router.get("/articles", tags=["articles"], summary=N_("List articles, newest first"))
def list_articles(
    db: DatabaseDep, flt: FilterDep, limit: Limit = 20, offset: Offset = 0
) -> ArticlePage:
    items, total = article_service.list_articles(db, flt, limit, offset)
    return ArticlePage(
        items=[ArticleSummary.of(a) for a in items], total=total, limit=limit, offset=offset
    )


@router.get("/articles/{article_id}", tags=["articles"], summary=N_("One article with its history"))
def get_article(db: DatabaseDep, viewer: ViewerDep, article_id: ArticleId) -> ArticleOut:
    # The article page's rule, so the API never shows what the page calls not found.
    shown = visible_article(db, viewer.actor, article_id)
    detail = article_service.article_detail(
        db,
        shown,
        include_unpublished=viewer.sees_unpublished or shown.status is not ArticleStatus.PUBLISHED,
    )
    return ArticleOut.of_detail(detail)


@router.get("/search", tags=["search"], summary=N_("Full-text search with facets"))
def search(
    db: DatabaseDep,
    services: ServicesDep,
    flt: FilterDep,
    q: Annotated[
        str,
        Query(
            description=N_('Words, "phrases", prefix* and -excluded words.'),
            min_length=1,
            max_length=500,
            pattern=NO_NUL,
        ),
    ],
    limit: Limit = 20,
    offset: Offset = 0,
    facets: Annotated[bool, Query(description=N_("Include counts by facet."))] = True,
    widen: Annotated[
        bool,
        Query(
            description=N_(
                "Also find the articles linked to a registry entity or tagged with a "
                "country that the query names (see widened_by); false searches the words alone."
            )
        ),
    ] = True,
) -> SearchOut:
    matcher = services.matcher
    results = search_service.search(db, q, flt, limit, offset, widen, matcher=matcher)
    return SearchOut(
        query=results.query,
        total=results.total,
        total_is_exact=results.total_is_exact,
        limit=results.limit,
        offset=results.offset,
        hits=[SearchHitOut.of(h) for h in results.hits],
        facets=facets_out(search_service.search_facets(db, q, flt, widen, matcher=matcher))
        if facets else None,
        widened_by=[WideningOut.of(w) for w in results.widened_by],
        message=localise(results.message) if results.message else None,
    )


@router.get("/authors", tags=["authors"], summary=N_("Authors and channels with article counts"))
def list_authors(db: DatabaseDep) -> AuthorList:
    return AuthorList(items=[AuthorOut.of(s) for s in author_service.list_authors(db)])


@router.get("/catalog", tags=["catalog"], summary=N_("The catalog by country"))
def catalog(
    db: DatabaseDep,
    country: Annotated[
        str | None,
        Query(
            description=N_("ISO 3166-1 alpha-2 code, e.g. rs or xk."),
            pattern=r"^([A-Za-z]{2})?$",
        ),
    ] = None,
) -> CatalogOut:
    """Published articles only: the catalog builder reads visible articles whoever asks."""
    code = country.lower() if country else None
    if code and not is_country_code(code):
        raise InvalidParameter(
            "country", _("%(code)r is not an ISO 3166-1 alpha-2 code") % {"code": country}
        )
    return CatalogOut.model_validate(build_catalog(db, code).as_dict())


@router.get(
    "/articles/{article_id}/related", tags=["articles"], summary=N_("Related articles with reasons")
)
def related(
    db: DatabaseDep,
    viewer: ViewerDep,
    article_id: ArticleId,
    limit: Annotated[int, Query(ge=1, le=50, description=N_("How many related articles."))] = 5,
) -> list[RelatedOut]:
    visible_article(db, viewer.actor, article_id)  # a hidden article is not found
    found = related_to_shown(db, article_id, limit)
    # Reasons are for people: in the request's language, like error messages.
    return [
        RelatedOut.model_validate({**r.as_dict(), "reasons": [localise(x) for x in r.reasons]})
        for r in found
    ]
