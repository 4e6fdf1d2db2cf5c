"""Admin pages: join requests, users and their one-time links, deleted articles,
and the audit log.

A one-time link is shown in the response to the post that made it and
nowhere else: it never goes into a URL the browser could keep in history.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kartoteka.auth.model import JoinStatus, LinkPurpose, User
from kartoteka.auth.roles import Action, Role
from kartoteka.i18n import localise
from kartoteka.queue import jobs as job_views
from kartoteka.services.accounts import AccountError, NewAccount
from kartoteka.services.history import audit_trail
from kartoteka.web.access import requires
from kartoteka.web.accounts import services_of
from kartoteka.web.csrf import CSRF
from kartoteka.web.deps import DatabaseDep, Viewer
from kartoteka.web.errors import error_response
from kartoteka.web.forms import form_page, see_other

router = APIRouter(prefix="/admin", include_in_schema=False)

Pk = Annotated[int, Path(ge=1, le=2**62)]
JoinDecider = Annotated[Viewer, Depends(requires(Action.DECIDE_JOIN_REQUESTS))]
UserAdmin = Annotated[Viewer, Depends(requires(Action.MANAGE_USERS))]
Restorer = Annotated[Viewer, Depends(requires(Action.RESTORE_DELETED))]
Auditor = Annotated[Viewer, Depends(requires(Action.READ_AUDIT_LOG))]
JobManager = Annotated[Viewer, Depends(requires(Action.MANAGE_JOBS))]


def _absolute(request: Request, path: str) -> str:
    """A link to hand over by hand: this site's address as the admin reached it."""
    return str(request.base_url).rstrip("/") + path


# --- join requests ---------------------------------------------------------------------------


def _join_page(
    request: Request, viewer: Viewer, *, status: int = 200, **extra: object
) -> HTMLResponse:
    joins = services_of(request).joins
    everything = joins.list(viewer.actor, status=None)
    pending = [r for r in everything if r.status is JoinStatus.PENDING]
    decided = [r for r in everything if r.status is not JoinStatus.PENDING]
    return form_page(
        request,
        "admin_join_requests.html",
        {"pending": pending, "decided": decided, **extra},
        status=status,
    )


@router.get("/join-requests", response_class=HTMLResponse)
def join_requests(request: Request, viewer: JoinDecider) -> HTMLResponse:
    return _join_page(request, viewer)


@router.post("/join-requests/{request_pk}/accept", dependencies=[CSRF])
def accept_join_request(
    request: Request,
    viewer: JoinDecider,
    request_pk: Pk,
    email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    try:
        account = services_of(request).joins.accept(viewer.actor, request_pk, email or None)
    except AccountError as exc:
        errors = {f"accept-{request_pk}": localise(exc)}
        return _join_page(request, viewer, status=422, errors=errors)
    return _join_page(request, viewer, issued=_issued(request, account, "invitation"))


@router.post("/join-requests/{request_pk}/decline", dependencies=[CSRF])
def decline_join_request(request: Request, viewer: JoinDecider, request_pk: Pk) -> Response:
    try:
        services_of(request).joins.decline(viewer.actor, request_pk)
    except AccountError as exc:
        return error_response(request, 409, str(exc))
    return see_other("/admin/join-requests?done=declined")


def _issued(request: Request, account: NewAccount, kind: str) -> dict[str, object]:
    assert account.link_path is not None
    return {
        "kind": kind,
        "user": account.user,
        "link": _absolute(request, account.link_path),
        "expires_at": account.link_expires_at,
    }


# --- users ------------------------------------------------------------------------------------


def _users_page(
    request: Request, viewer: Viewer, *, status: int = 200, **extra: object
) -> HTMLResponse:
    users = services_of(request).accounts.list_users(viewer.actor)
    return form_page(
        request, "admin_users.html", {"users": users, "roles": list(Role), **extra}, status=status
    )


def _user(request: Request, pk: int) -> User:
    user = services_of(request).accounts.user_by_pk(pk)
    if user is None:
        raise AccountError(f"no user with id {pk}: the users page lists them all")
    return user


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, viewer: UserAdmin) -> HTMLResponse:
    return _users_page(request, viewer)


@router.post("/users/{user_pk}/role", dependencies=[CSRF])
def change_role(
    request: Request, viewer: UserAdmin, user_pk: Pk, role: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    try:
        user = _user(request, user_pk)
        services_of(request).accounts.change_role(viewer.actor, user.email, Role.parse(role))
    except (AccountError, ValueError) as exc:
        return _users_page(request, viewer, status=422, errors={f"user-{user_pk}": localise(exc)})
    return see_other("/admin/users?done=decided")


@router.post("/users/{user_pk}/disable", dependencies=[CSRF])
def disable_user(request: Request, viewer: UserAdmin, user_pk: Pk) -> Response:
    try:
        services_of(request).accounts.disable(viewer.actor, _user(request, user_pk).email)
    except AccountError as exc:
        return _users_page(request, viewer, status=422, errors={f"user-{user_pk}": localise(exc)})
    return see_other("/admin/users?done=decided")


@router.post("/users/{user_pk}/enable", dependencies=[CSRF])
def enable_user(request: Request, viewer: UserAdmin, user_pk: Pk) -> Response:
    try:
        services_of(request).accounts.enable(viewer.actor, _user(request, user_pk).email)
    except AccountError as exc:
        return _users_page(request, viewer, status=422, errors={f"user-{user_pk}": localise(exc)})
    return see_other("/admin/users?done=decided")


@router.post("/users/{user_pk}/reset-link", dependencies=[CSRF])
def reset_link(request: Request, viewer: UserAdmin, user_pk: Pk) -> Response:
    try:
        user = _user(request, user_pk)
        purpose = LinkPurpose.PASSWORD_RESET if user.has_password else LinkPurpose.INVITATION
        account = services_of(request).accounts.issue_link(viewer.actor, user.email, purpose)
    except AccountError as exc:
        return _users_page(request, viewer, status=422, errors={f"user-{user_pk}": localise(exc)})
    kind = "password reset" if purpose is LinkPurpose.PASSWORD_RESET else "invitation"
    return _users_page(request, viewer, issued=_issued(request, account, kind))


# --- deleted articles and the audit log ---------------------------------------------------


@router.get("/deleted", response_class=HTMLResponse)
def deleted(request: Request, viewer: Restorer) -> HTMLResponse:
    articles = services_of(request).deletion.deleted(viewer.actor)
    return form_page(request, "admin_deleted.html", {"articles": articles})


@router.get("/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    db: DatabaseDep,
    viewer: Auditor,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> HTMLResponse:
    entries = audit_trail(db, viewer.actor, 100, before)
    return form_page(request, "admin_audit.html", {"entries": entries})


# --- queue jobs -------------------------------------------------------------------------------


def _jobs_page(request: Request, db: DatabaseDep, *, status: int = 200,
               **extra: object) -> HTMLResponse:
    view = job_views.overview(db)
    return form_page(request, "admin_jobs.html", {"view": view, **extra}, status=status)


@router.get("/jobs", response_class=HTMLResponse)
def jobs(request: Request, db: DatabaseDep, viewer: JobManager) -> HTMLResponse:
    """The same as ``kartoteka jobs``: counts per queue and state, parked jobs, errors."""
    return _jobs_page(request, db)


@router.post("/jobs/{job_id}/retry", dependencies=[CSRF])
def retry_job(request: Request, db: DatabaseDep, viewer: JobManager,
              job_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
    try:
        job_views.retry_now(db, job_id)
    except job_views.JobsError as exc:
        return _jobs_page(request, db, status=422, error=localise(exc))
    return see_other("/admin/jobs?done=retried")


@router.post("/jobs/retry-all", dependencies=[CSRF])
def retry_all_jobs(request: Request, db: DatabaseDep, viewer: JobManager) -> Response:
    try:
        job_views.retry_now(db, all_failed=True)
    except job_views.JobsError as exc:
        return _jobs_page(request, db, status=422, error=localise(exc))
    return see_other("/admin/jobs?done=retried_all")
