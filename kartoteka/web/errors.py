"""One error shape for the API, and the same codes as pages for people.

Messages are in the request's language (``Accept-Language`` or the language
cookie, for the API as for pages); ``code`` stays the same in every language,
so programs test the code and people read the message.

API responses are ``{"error": {"code", "message"}}``; an HTML page gets
the same code and message in the site's layout.  Domain "not found"
errors become 404, invalid parameters 422, and anything unexpected a 500
that says nothing about the internals.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from kartoteka.i18n import DEFAULT_LANGUAGE, N_, current_language, localise
from kartoteka.i18n import gettext as _
from kartoteka.services.articles import ArticleNotFound
from kartoteka.services.authors import AuthorNotFound
from kartoteka.services.countries import CountryNotFound
from kartoteka.services.registry import EntityNotFound
from kartoteka.services.related import ArticleNotFound as RelatedArticleNotFound
from kartoteka.services.revisions import RevisionNotFound
from kartoteka.web.deps import InvalidParameter

log = logging.getLogger(__name__)

NOT_FOUND_ERRORS: tuple[type[LookupError], ...] = (
    ArticleNotFound,
    AuthorNotFound,
    CountryNotFound,
    EntityNotFound,
    RelatedArticleNotFound,
    RevisionNotFound,
)
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    422: "invalid_parameter",
    429: "rate_limited",
    500: "internal_error",
}


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


def error_response(request: Request, status: int, message: str) -> Response:
    code = _CODES.get(status, "error")
    if request.url.path.startswith("/api/"):
        body = ErrorResponse(error=ErrorDetail(code=code, message=message))
        return JSONResponse(body.model_dump(), status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": message},
        status_code=status,
    )


def _location(loc: tuple[object, ...]) -> str:
    where = [str(part) for part in loc]
    if len(where) >= 2 and where[0] in ("query", "path"):
        kind = _("query parameter") if where[0] == "query" else _("path parameter")
        return f"{kind} {'.'.join(where[1:])!r}"
    return ".".join(where)


# Pydantic's messages are English only; the common ones, by error type, in our
# words (with the values pydantic puts in ``ctx``).  English keeps pydantic's text.
_PROBLEMS = {
    "missing": N_("required"),
    "string_too_long": N_("at most %(max_length)s characters"),
    "string_too_short": N_("at least %(min_length)s characters"),
    "string_pattern_mismatch": N_("does not have the expected form %(pattern)s"),
    "int_parsing": N_("not a whole number"),
    "float_parsing": N_("not a number"),
    "bool_parsing": N_("neither true nor false"),
    "greater_than_equal": N_("must be %(ge)s or more"),
    "less_than_equal": N_("must be %(le)s or less"),
    "greater_than": N_("must be more than %(gt)s"),
    "less_than": N_("must be less than %(lt)s"),
}


def _problem(error: Mapping[str, Any]) -> str:
    template = _PROBLEMS.get(str(error.get("type", "")))
    if template is None or current_language() == DEFAULT_LANGUAGE:
        return str(error.get("msg", "invalid"))
    try:
        return _(template) % dict(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):  # a ctx this pydantic version names otherwise
        return str(error.get("msg", "invalid"))


def validation_message(exc: RequestValidationError) -> str:
    parts = [f"{_location(tuple(e.get('loc', ())))}: {_problem(e)}" for e in exc.errors()]
    return "; ".join(parts) or _("invalid request")


def install_error_handlers(app: FastAPI) -> None:
    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = localise(exc.detail) if isinstance(exc.detail, str) else _("request failed")
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = _("nothing at %(path)s") % {"path": request.url.path}
        response = error_response(request, exc.status_code, message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, 422, validation_message(exc))

    async def on_invalid(request: Request, exc: Exception) -> Response:
        return error_response(request, 422, localise(exc))

    async def on_not_found(request: Request, exc: Exception) -> Response:
        return error_response(request, 404, localise(exc))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path, exc_info=exc)
        return error_response(request, 500, _("the server failed to answer; the error is logged"))

    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(InvalidParameter, on_invalid)
    for kind in NOT_FOUND_ERRORS:
        app.add_exception_handler(kind, on_not_found)
    app.add_exception_handler(Exception, on_unexpected)


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorResponse, "description": N_("No such item.")},
    422: {"model": ErrorResponse, "description": N_("A parameter is invalid.")},
}
