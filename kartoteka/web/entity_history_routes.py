"""An entity's history for editors: the registry's judgements on it (merges, aliases,
with who made them and whether they were undone) and its audit-log entries.

Registered before the entity pages, whose ``{entity_id:path}`` would
otherwise take ``/history`` as part of the id.  A merged entity's history
includes the entries about the ids merged into it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kartoteka.auth.roles import Action
from kartoteka.services.history import entity_history
from kartoteka.services.registry import get_entity
from kartoteka.web.access import requires
from kartoteka.web.deps import NO_NUL, DatabaseDep, Viewer
from kartoteka.web.pages import render
from kartoteka.web.render import path_segment

router = APIRouter(include_in_schema=False)

Judge = Annotated[Viewer, Depends(requires(Action.JUDGE_ENTITIES))]
EntityId = Annotated[str, Path(min_length=1, max_length=255, pattern=NO_NUL)]


@router.get("/entities/{entity_id:path}/history", response_class=HTMLResponse)
def history(request: Request, db: DatabaseDep, viewer: Judge, entity_id: EntityId) -> Response:
    detail = get_entity(db, entity_id)  # unknown ids are not found
    found = detail.entity
    if found.id != entity_id:
        return RedirectResponse(f"/entities/{path_segment(found.id)}/history", status_code=308)
    entries = [
        entry
        for cluster_id in [found.id, *detail.merged_ids]
        for entry in entity_history(db, viewer.actor, cluster_id)
    ]
    entries.sort(key=lambda e: (e.at, e.pk))
    judgements = sorted(detail.judgements, key=lambda j: (j.created_at, j.pk))
    return render(
        request,
        "entity_history.html",
        {"entity": found, "entries": entries, "judgements": judgements},
    )
