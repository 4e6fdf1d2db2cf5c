"""Pages that hold forms: a CSRF token in every one, errors tied to their fields.

``form_page`` renders a template with ``csrf_token`` set: the session's
token, or for a visitor (the login and join forms are posted by people
without an account) a signed double-submit token (see ``web.csrf``).  ``FieldErrors`` maps a field's
name to what is wrong with it, so the template can put the message beside
the field and point the field at it with ``aria-describedby``.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from kartoteka.i18n import N_, gettext
from kartoteka.web.csrf import set_visitor_cookie, visitor_token
from kartoteka.web.deps import current_viewer

FieldErrors = dict[str, str]

# Messages a redirect may ask a page to show, by key: never text from the request.
NOTICES = {  # marked for extraction; shown in the page's language by ``notice``
    "signed_out": N_("You are signed out."),
    "joined": N_("Thank you: your request was sent. An admin will contact you."),
    "password_set": N_("Your password is set: sign in with it now."),
    "submitted": N_("Your article was submitted: an editor will review it."),
    "resubmitted": N_("Your new revision was submitted for review."),
    "publish": N_("The article is published."),
    "request_changes": N_("The author was asked for changes."),
    "reject": N_("The article was rejected."),
    "deleted": N_("The article was deleted; an admin can restore it."),
    "restored": N_("The article is restored."),
    "declined": N_("The join request was declined."),
    "revoked": N_("The API token is revoked."),
    "password_changed": N_("Your password is changed."),
    "decided": N_("The decision is saved."),
    "source_added": N_("The source is watched: it is fetched on the next poll."),
    "source_removed": N_("The source is no longer watched; the articles it brought stay."),
    "retried": N_("The job is back in the queue: a worker runs it again shortly."),
    "retried_all": N_("The failed jobs are back in the queue: workers run them again shortly."),
    "authors_merged": N_(
        "The authors are merged: the articles are credited to the one that stayed."
    ),
}


def notice(request: Request) -> str | None:
    found = NOTICES.get(request.query_params.get("done", ""))
    return gettext(found) if found else None


def form_page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    viewer = current_viewer(request)
    token = viewer.csrf_token
    fresh = None
    if token is None:  # a visitor: a signed double-submit token, no session row
        token, fresh = visitor_token(request)
        # The page holds this visitor's token, so it is never one to share.
        headers = {**(headers or {}), "Cache-Control": "private, no-store"}
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(
        request,
        template,
        {"csrf_token": token, "errors": {}, "notice": notice(request), **context},
        status_code=status,
        headers=headers,
    )
    if fresh is not None:
        set_visitor_cookie(request, response, fresh)
    return response


def see_other(url: str) -> RedirectResponse:
    """After a successful post: the browser fetches ``url`` with GET (no resubmission)."""
    return RedirectResponse(url, status_code=303)


def text(value: object) -> str:
    """A text field from a parsed form; an absent field or a file is empty."""
    return value.strip() if isinstance(value, str) else ""
