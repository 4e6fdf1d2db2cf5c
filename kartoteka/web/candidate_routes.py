"""The candidate-entity queue: names extraction found that the registry does not know.

Editors accept a name (as an alias of an existing entity, or as a new Person
or Organization) or reject it.  The same service functions as ``kartoteka
candidates`` on the command line, so the decision is the same row, checked
against the editor's role and written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from kartoteka.auth.roles import Action
from kartoteka.i18n import gettext as _
from kartoteka.i18n import localise
from kartoteka.services import candidates
from kartoteka.services.registry import EntityNotFound, RegistryError
from kartoteka.web.access import requires
from kartoteka.web.csrf import CSRF
from kartoteka.web.deps import DatabaseDep, Viewer
from kartoteka.web.forms import FieldErrors, form_page, see_other

router = APIRouter(prefix="/candidates", include_in_schema=False)

Judge = Annotated[Viewer, Depends(requires(Action.JUDGE_ENTITIES))]
NameField = Annotated[str, Form(max_length=500)]
EntityField = Annotated[str, Form(max_length=200)]
SchemaField = Annotated[str, Form(max_length=40)]


def _page(
    request: Request, db: DatabaseDep, *, status: int = 200, **extra: object
) -> HTMLResponse:
    context = {
        "candidates": candidates.list_candidates(db),
        "schemata": candidates.NEW_SCHEMATA,
        "failed": None,
        **extra,
    }
    return form_page(request, "candidates.html", context, status=status)


def _decide(
    request: Request, db: DatabaseDep, name: str, action: Callable[[], object]
) -> Response:
    """Run one decision; a refusal comes back above the queue, naming the candidate."""
    errors: FieldErrors = {}
    if not name.strip():
        errors["form"] = _("choose a candidate name")
    else:
        try:
            action()
        except (candidates.CandidateError, RegistryError, EntityNotFound) as exc:
            errors["form"] = localise(exc).strip("'\"")
    if errors:
        return _page(request, db, status=422, errors=errors, failed=name)
    return see_other("/candidates?done=decided")


@router.get("", response_class=HTMLResponse)
def candidate_queue(request: Request, db: DatabaseDep, viewer: Judge) -> HTMLResponse:
    return _page(request, db)


@router.post("/accept", dependencies=[CSRF])
def accept(
    request: Request,
    db: DatabaseDep,
    viewer: Judge,
    name: NameField = "",
    entity: EntityField = "",
    new_as: SchemaField = "",
) -> Response:
    """An alias when an entity id is given, else a new entity of schema ``new_as``."""
    if entity.strip():
        return _decide(
            request,
            db,
            name,
            lambda: candidates.accept_as_alias(db, name, entity.strip(), actor=viewer.actor),
        )
    if not new_as:
        errors: FieldErrors = {
            "form": _(
                "give an entity id to accept the name as its alias, "
                "or choose Person or Organization for a new entity"
            )
        }
        return _page(request, db, status=422, errors=errors, failed=name)
    return _decide(
        request, db, name, lambda: candidates.accept_as_new(db, name, new_as, actor=viewer.actor)
    )


@router.post("/reject", dependencies=[CSRF])
def reject(request: Request, db: DatabaseDep, viewer: Judge, name: NameField = "") -> Response:
    return _decide(request, db, name, lambda: candidates.reject(db, name, actor=viewer.actor))
