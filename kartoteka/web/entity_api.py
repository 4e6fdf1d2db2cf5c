"""The JSON API for entities and the name matcher, under /api/v1.

The entity list is filtered and paged here from ``list_entities`` (the
registry is small next to the articles; the counts come from one grouped
statement).  A merged id answers with its canonical entity, whose ``id``
then differs from the one asked for.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from kartoteka.i18n import N_
from kartoteka.i18n import gettext as _
from kartoteka.services.entities import entity_page, list_entities
from kartoteka.web.deps import (
    NO_NUL,
    SCHEMA_HELP,
    DatabaseDep,
    InvalidParameter,
    Limit,
    Offset,
    ServicesDep,
    ViewerDep,
    checked_schema,
)
from kartoteka.web.entity_schemas import EntityListOut, EntityOut, EntitySummaryOut, MatchOut
from kartoteka.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)  # type: ignore[arg-type]

CountryQuery = Annotated[
    str | None,
    Query(description=N_("ISO 3166-1 alpha-2 code, e.g. rs or xk."), pattern=r"^([A-Za-z]{2})?$"),
]
SchemaQuery = Annotated[
    str | None, Query(description=SCHEMA_HELP, max_length=40, pattern=NO_NUL)
]


@router.get("/entities", tags=["entities"], summary=N_("Entities, most documented first"))
def list_entities_api(
    db: DatabaseDep,
    country: CountryQuery = None,
    schema: SchemaQuery = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> EntityListOut:
    found = list_entities(db, country.lower() if country else None, checked_schema(schema))
    found.sort(key=lambda s: (-s.articles, s.entity.name.casefold(), s.entity.id))
    return EntityListOut(
        items=[EntitySummaryOut.of(s) for s in found[offset : offset + limit]],
        total=len(found),
        limit=limit,
        offset=offset,
    )


@router.get(
    "/entities/{entity_id:path}",
    tags=["entities"],
    summary=N_("One entity: names, relations with citations, documenting articles"),
)
def get_entity_api(
    db: DatabaseDep,
    viewer: ViewerDep,
    entity_id: Annotated[
        str, Path(description=N_("Entity id."), min_length=1, max_length=255, pattern=NO_NUL)
    ],
) -> EntityOut:
    return EntityOut.of(entity_page(db, entity_id, public=not viewer.sees_unpublished))


@router.get("/match", tags=["entities"], summary=N_("Which registry entity a name refers to"))
def match_api(
    services: ServicesDep,
    name: Annotated[
        str,
        Query(
            description=N_("A name in any script."),
            min_length=1,
            max_length=500,
            pattern=NO_NUL,
        ),
    ],
    schema: SchemaQuery = None,
    limit: Annotated[int, Query(ge=1, le=100, description=N_("Candidates to return."))] = 5,
) -> MatchOut:
    if not name.strip():
        raise InvalidParameter("name", _("give a name with at least one letter or digit"))
    result = services.matcher.match(name, schema=checked_schema(schema), limit=limit)
    return MatchOut.model_validate(result.as_dict())
