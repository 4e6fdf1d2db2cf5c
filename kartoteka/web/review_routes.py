"""Contributors submit and resubmit; editors work the review queue and delete.

Routes are guarded by role before they run, and the review service checks
the same rules again with the viewer as its actor.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kartoteka.auth.roles import Action
from kartoteka.i18n import gettext as _
from kartoteka.i18n import localise
from kartoteka.ingest.formats import READERS
from kartoteka.services.history import article_history
from kartoteka.services.review import MAX_UPLOAD_BYTES, ReviewAction, ReviewError, ReviewItem
from kartoteka.services.revisions import word_diff
from kartoteka.web.access import requires
from kartoteka.web.accounts import services_of
from kartoteka.web.csrf import CSRF
from kartoteka.web.deps import NO_NUL, DatabaseDep, Viewer
from kartoteka.web.draft_entities import draft_entities
from kartoteka.web.errors import error_response
from kartoteka.web.forms import FieldErrors, form_page, see_other

router = APIRouter(include_in_schema=False)

ArticleId = Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)]
Contributor = Annotated[Viewer, Depends(requires(Action.SUBMIT))]
Editor = Annotated[Viewer, Depends(requires(Action.REVIEW))]
Deleter = Annotated[Viewer, Depends(requires(Action.DELETE_ARTICLES))]
Restorer = Annotated[Viewer, Depends(requires(Action.RESTORE_DELETED))]
Title = Annotated[str, Form(max_length=1000)]
Body = Annotated[str, Form(max_length=500_000)]
_COUNTRY = re.compile(r"^[a-z]{2}$")


def _countries(value: str) -> list[str] | None:
    """Codes from "rs, xk"; None when one of them is not a two-letter code."""
    codes = [c.strip().lower() for c in re.split(r"[\s,;]+", value) if c.strip()]
    return codes if all(_COUNTRY.match(c) for c in codes) else None


# --- contributors ---------------------------------------------------------------------------


def _submit_page(request: Request, *, status: int = 200, **extra: object) -> HTMLResponse:
    context = {"values": {}, "formats": sorted(READERS), "max_mib": MAX_UPLOAD_BYTES // 2**20}
    return form_page(request, "submit.html", {**context, **extra}, status=status)


@router.get("/submit", response_class=HTMLResponse)
def submit_form(request: Request, viewer: Contributor) -> HTMLResponse:
    return _submit_page(request)


@router.post("/submit", dependencies=[CSRF])
def submit(
    request: Request,
    viewer: Contributor,
    title: Title = "",
    body: Body = "",
    countries: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    values = {"title": title, "body": body, "countries": countries}
    errors: FieldErrors = {}
    if not title.strip():
        errors["title"] = _("give the article a title")
    if not body.strip():
        errors["body"] = _("write or paste the article's text")
    codes = _countries(countries)
    if codes is None:
        errors["countries"] = _("use two-letter country codes separated by commas, e.g. rs, xk")
    if errors:
        return _submit_page(request, status=422, values=values, errors=errors)
    try:
        submission = services_of(request).review.submit_text(
            viewer.actor, title, body, countries=codes
        )
    except ReviewError as exc:
        return _submit_page(request, status=422, values=values, errors={"form": localise(exc)})
    if submission.duplicate_of:
        message = _("the database already holds this exact text; nothing new was stored")
        return _submit_page(request, status=409, values=values, errors={"form": message})
    return see_other(f"/submissions/{submission.article_id}?done=submitted")


@router.post("/submit/upload", dependencies=[CSRF])
async def submit_upload(
    request: Request,
    viewer: Contributor,
    file: Annotated[UploadFile | None, File()] = None,
    fmt: Annotated[str, Form(max_length=40)] = "auto",
) -> Response:
    if file is None or not file.filename:
        return _submit_page(request, status=422, errors={"file": _("choose a file to upload")})
    if fmt != "auto" and fmt not in READERS:
        unknown = _("unknown format %(name)r") % {"name": fmt}
        return _submit_page(request, status=422, errors={"fmt": unknown})
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    review = services_of(request).review
    try:
        # Reading, storing and (without a queue) extraction take seconds for a
        # large file: on the event loop they would stall every other request of
        # this worker.  With KARTOTEKA_QUEUE, extraction goes to the workers
        # (``web.app.queue_extraction``).
        result = await run_in_threadpool(review.submit_file, viewer.actor, file.filename, data, fmt)
    except (ReviewError, ValueError) as exc:
        return _submit_page(request, status=422, errors={"file": str(exc)})
    status = 200 if result.submissions else 422
    return _submit_page(request, status=status, upload=result, filename=file.filename)


@router.get("/submissions", response_class=HTMLResponse)
def my_submissions(request: Request, viewer: Contributor) -> HTMLResponse:
    articles = services_of(request).review.my_submissions(viewer.actor)
    return form_page(request, "submissions.html", {"articles": articles})


def _submission_page(
    request: Request, db: DatabaseDep, viewer: Viewer, article_id: str, **extra: object
) -> HTMLResponse:
    history = article_history(db, viewer.actor, article_id)
    status = extra.pop("status", 200)
    assert isinstance(status, int)
    return form_page(request, "submission.html", {"history": history, **extra}, status=status)


@router.get("/submissions/{article_id}", response_class=HTMLResponse)
def submission(
    request: Request, db: DatabaseDep, viewer: Contributor, article_id: ArticleId
) -> HTMLResponse:
    return _submission_page(request, db, viewer, article_id)


@router.post("/submissions/{article_id}/resubmit", dependencies=[CSRF])
def resubmit(
    request: Request,
    db: DatabaseDep,
    viewer: Contributor,
    article_id: ArticleId,
    title: Title = "",
    body: Body = "",
) -> Response:
    article_history(db, viewer.actor, article_id)  # 404 unless this viewer may see it
    errors: FieldErrors = {}
    if not title.strip():
        errors["title"] = _("give the article a title")
    if not body.strip():
        errors["body"] = _("write the article's text")
    if not errors:
        try:
            services_of(request).review.resubmit(viewer.actor, article_id, title, body)
        except ReviewError as exc:
            errors["form"] = localise(exc)
    if errors:
        values = {"title": title, "body": body}
        return _submission_page(
            request, db, viewer, article_id, status=422, errors=errors, values=values
        )
    return see_other(f"/submissions/{article_id}?done=resubmitted")


# --- editors ----------------------------------------------------------------------------------


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request, viewer: Editor) -> HTMLResponse:
    items = services_of(request).review.queue(viewer.actor)
    return form_page(request, "review_queue.html", {"items": items})


def _item_page(
    request: Request, item: ReviewItem, *, status: int = 200, **extra: object
) -> HTMLResponse:
    previous = item.revisions[-2] if len(item.revisions) > 1 else None
    current = item.revisions[-1]
    context = {
        "item": item,
        "article": item.article,
        "previous": previous,
        "title_diff": word_diff(previous.title, current.title) if previous else [],
        "body_diff": word_diff(previous.body, current.body) if previous else [],
        "actions": list(ReviewAction),
        "found": draft_entities(
            services_of(request).db,
            services_of(request).extraction.extract_article(item.article.id),
        ),
        **extra,
    }
    return form_page(request, "review_item.html", context, status=status)


@router.get("/review/{article_id}", response_class=HTMLResponse)
def review_item(request: Request, viewer: Editor, article_id: ArticleId) -> HTMLResponse:
    return _item_page(request, services_of(request).review.item(viewer.actor, article_id))


@router.post("/review/{article_id}/decision", dependencies=[CSRF])
def decide(
    request: Request,
    viewer: Editor,
    article_id: ArticleId,
    action: Annotated[str, Form(max_length=40)] = "",
    comment: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    review = services_of(request).review
    item = review.item(viewer.actor, article_id)  # 404 for an unknown id
    try:
        decision = ReviewAction(action)
    except ValueError:
        errors: FieldErrors = {"action": "choose publish, request changes or reject"}
        return _item_page(request, item, status=422, errors=errors, comment=comment)
    try:
        review.decide(viewer.actor, article_id, decision, comment)
    except ReviewError as exc:
        field = "comment" if "comment" in str(exc) else "form"
        return _item_page(request, item, status=422, errors={field: str(exc)}, comment=comment)
    return see_other(f"/review?done={decision.value}")


@router.post("/articles/{article_id}/delete", dependencies=[CSRF])
def delete_article(request: Request, viewer: Deleter, article_id: ArticleId) -> Response:
    try:
        services_of(request).deletion.delete(viewer.actor, article_id)
    except ValueError as exc:
        return error_response(request, 400, str(exc))
    return see_other("/review?done=deleted")


@router.post("/articles/{article_id}/restore", dependencies=[CSRF])
def restore_article(request: Request, viewer: Restorer, article_id: ArticleId) -> Response:
    try:
        services_of(request).deletion.restore(viewer.actor, article_id)
    except ValueError as exc:
        return error_response(request, 400, str(exc))
    return see_other("/admin/deleted?done=restored")
