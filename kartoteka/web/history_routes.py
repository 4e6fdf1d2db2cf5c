"""An article's history (revisions, decisions, audit entries) and revision diffs.

Who sees what is the history service's rule: revisions for everyone who may
see the article, review comments for editors and the submitter, the audit
trail for editors; an article one may not see is simply not found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from kartoteka.services.history import article_history
from kartoteka.services.revisions import RevisionNotFound, revision_diff, word_diff
from kartoteka.web.deps import NO_NUL, DatabaseDep, ViewerDep
from kartoteka.web.forms import form_page

router = APIRouter(include_in_schema=False)

ArticleId = Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)]
RevisionNumber = Annotated[int, Query(ge=1, le=1_000_000)]


@router.get("/articles/{article_id}/history", response_class=HTMLResponse)
def history(
    request: Request, db: DatabaseDep, viewer: ViewerDep, article_id: ArticleId
) -> HTMLResponse:
    found = article_history(db, viewer.actor, article_id)
    return form_page(request, "history.html", {"history": found, "article": found.article})


@router.get("/articles/{article_id}/diff", response_class=HTMLResponse)
def diff(
    request: Request,
    db: DatabaseDep,
    viewer: ViewerDep,
    article_id: ArticleId,
    old: RevisionNumber,
    new: RevisionNumber,
) -> HTMLResponse:
    found = article_history(db, viewer.actor, article_id)
    by_number = {r.number: r for r in found.revisions}
    for number in (old, new):
        if number not in by_number:
            raise RevisionNotFound(article_id, number)
    before, after = by_number[old], by_number[new]
    return form_page(
        request,
        "diff.html",
        {
            "article": found.article,
            "old": before,
            "new": after,
            "title_diff": word_diff(before.title, after.title),
            "body_diff": word_diff(before.body, after.body),
            "unified": revision_diff(before, after),
        },
    )
