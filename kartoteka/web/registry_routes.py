"""Editors' registry decisions from the web: merge, unmerge, add and remove aliases.

The same service functions as ``kartoteka registry ...`` on the command
line, so a decision made here is the same judgement row, with the editor's
e-mail address as its author, and survives re-imports the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from kartoteka.auth.roles import Action
from kartoteka.i18n import gettext as _
from kartoteka.i18n import localise
from kartoteka.services import decisions
from kartoteka.services.registry import EntityNotFound, RegistryError
from kartoteka.web.access import requires
from kartoteka.web.csrf import CSRF
from kartoteka.web.deps import DatabaseDep, Viewer
from kartoteka.web.forms import FieldErrors, form_page, see_other

router = APIRouter(prefix="/registry", include_in_schema=False)

Judge = Annotated[Viewer, Depends(requires(Action.JUDGE_ENTITIES))]
EntityField = Annotated[str, Form(max_length=200)]
NameField = Annotated[str, Form(max_length=500)]


def _page(request: Request, *, status: int = 200, **extra: object) -> HTMLResponse:
    return form_page(request, "registry_decisions.html", {"values": {}, **extra}, status=status)


def _decide(
    request: Request, form: str, values: dict[str, str], action: Callable[[], object]
) -> Response:
    """Run one decision; a refusal comes back beside the form that asked for it."""
    missing = [name for name, value in values.items() if not value.strip()]
    errors: FieldErrors = {f"{form}-{name}": _("fill this in") for name in missing}
    if not errors:
        try:
            action()
        except (RegistryError, EntityNotFound) as exc:
            errors[f"{form}-form"] = localise(exc).strip("'\"")
    if errors:
        prefixed = {f"{form}-{k}": v for k, v in values.items()}
        return _page(request, status=422, errors=errors, values=prefixed)
    return see_other("/registry/decisions?done=decided")


@router.get("/decisions", response_class=HTMLResponse)
def decisions_page(request: Request, viewer: Judge) -> HTMLResponse:
    return _page(request)


@router.post("/merge", dependencies=[CSRF])
def merge(
    request: Request,
    db: DatabaseDep,
    viewer: Judge,
    keep: EntityField = "",
    other: EntityField = "",
) -> Response:
    return _decide(
        request,
        "merge",
        {"keep": keep, "other": other},
        lambda: decisions.merge(db, keep.strip(), other.strip(), by=viewer.label),
    )


@router.post("/unmerge", dependencies=[CSRF])
def unmerge(request: Request, db: DatabaseDep, viewer: Judge, other: EntityField = "") -> Response:
    return _decide(
        request,
        "unmerge",
        {"other": other},
        lambda: decisions.unmerge(db, other.strip(), by=viewer.label),
    )


@router.post("/aliases/add", dependencies=[CSRF])
def add_alias(
    request: Request, db: DatabaseDep, viewer: Judge, entity: EntityField = "", name: NameField = ""
) -> Response:
    return _decide(
        request,
        "alias-add",
        {"entity": entity, "name": name},
        lambda: decisions.add_alias(db, entity.strip(), name, by=viewer.label),
    )


@router.post("/aliases/remove", dependencies=[CSRF])
def remove_alias(
    request: Request, db: DatabaseDep, viewer: Judge, entity: EntityField = "", name: NameField = ""
) -> Response:
    return _decide(
        request,
        "alias-remove",
        {"entity": entity, "name": name},
        lambda: decisions.remove_alias(db, entity.strip(), name, by=viewer.label),
    )
