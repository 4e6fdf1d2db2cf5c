"""Entity pages: the list with its filters, and one entity with relations and timeline.

A merged id is an old address of the entity it was merged into: it answers
with a permanent redirect, so links and bookmarks keep working and search
engines learn the canonical page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kartoteka.i18n import N_
from kartoteka.model import Entity, Name
from kartoteka.schemata import entity_schemata
from kartoteka.services.entities import EntitySummary, list_entities
from kartoteka.services.entity_views import EntityRef, entity_view
from kartoteka.web.deps import NO_NUL, DatabaseDep, Limit, Offset, ViewerDep, checked_schema
from kartoteka.web.labels import schema_label
from kartoteka.web.pages import render
from kartoteka.web.paging import paginate
from kartoteka.web.relation_graph import relation_graph
from kartoteka.web.render import path_segment, safe_url

router = APIRouter(include_in_schema=False)

EntityId = Annotated[str, Path(min_length=1, max_length=255, pattern=NO_NUL)]
CountryParam = Annotated[
    str | None,
    Query(description=N_("ISO 3166-1 alpha-2 code, e.g. rs or xk."), pattern=r"^([A-Za-z]{2})?$"),
]
SchemaParam = Annotated[str | None, Query(max_length=40, pattern=NO_NUL)]
SCRIPT_NAMES = {
    "Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Grek": "Greek", "Hebr": "Hebrew",
    "Geor": "Georgian", "Armn": "Armenian", "Deva": "Devanagari", "Beng": "Bengali",
    "Thai": "Thai", "Hani": "Chinese characters", "Jpan": "Japanese", "Kore": "Korean",
    "Ethi": "Ethiopic", "Syrc": "Syriac",
}
_WIKIDATA = re.compile(r"^Q[1-9][0-9]{0,11}$")


@dataclass(frozen=True, slots=True)
class NameGroup:
    """Names in one script; ``lang`` is set when every name in it shares a language."""

    script: str
    label: str
    names: list[Name]


def name_groups(entity: Entity) -> list[NameGroup]:
    """Names by script, the primary name's script first and the primary name first in it."""
    groups: dict[str, list[Name]] = {}
    primary = next((n for n in entity.names if n.value == entity.name), None)
    ordered = [primary] if primary else []
    ordered += [n for n in entity.names if n is not primary]
    for name in ordered:
        groups.setdefault(name.script or "", []).append(name)
    return [
        NameGroup(script, SCRIPT_NAMES.get(script, script or "Other"), names)
        for script, names in groups.items()
    ]


def identifier_link(key: str, value: str) -> str | None:
    """Where an identifier can be looked up, as an http(s) URL; None when nowhere."""
    if key in ("wikidataId", "wikidata") and _WIKIDATA.match(value):
        return f"https://www.wikidata.org/wiki/{value}"
    return safe_url(value)


def _sorted(found: list[EntitySummary]) -> list[EntitySummary]:
    return sorted(found, key=lambda s: (-s.articles, s.entity.name.casefold(), s.entity.id))


@router.get("/entities", response_class=HTMLResponse)
def entities(
    request: Request,
    db: DatabaseDep,
    country: CountryParam = None,
    schema: SchemaParam = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> HTMLResponse:
    schema = checked_schema(schema)
    found = _sorted(list_entities(db, country.lower() if country else None, schema))
    return render(
        request,
        "entities.html",
        {
            "entities": found[offset : offset + limit],
            "total": len(found),
            "country": (country or "").lower(),
            "schema": schema or "",
            "schemas": {s: schema_label(s) for s in sorted(entity_schemata())},
            "schema_label": schema_label,
            "pagination": paginate(request.url, len(found), limit, offset),
        },
    )


@router.get("/entities/{entity_id:path}", response_class=HTMLResponse)
def entity(request: Request, db: DatabaseDep, viewer: ViewerDep, entity_id: EntityId) -> Response:
    view = entity_view(db, entity_id, include_unpublished=viewer.sees_unpublished)
    found = view.page.detail.entity
    if found.id != entity_id:
        return RedirectResponse(f"/entities/{path_segment(found.id)}", status_code=308)
    return render(
        request,
        "entity.html",
        {
            "view": view,
            "entity": found,
            "names": name_groups(found),
            "graph": relation_graph(EntityRef(found.id, found.name, found.schema), view.relations),
            "identifier_link": identifier_link,
            "schema_label": schema_label,
        },
    )
