"""What route functions receive: the database, who is asking, and parsed filters.

``current_viewer`` is the one place that decides who the request comes
from: an ``Authorization: Bearer`` API token, else the session cookie, else
an anonymous reader.  Every route sees drafts only when the viewer's role
allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import Depends, Query, Request
from starlette.exceptions import HTTPException

from kartoteka.auth.roles import Actor, Role
from kartoteka.i18n import N_
from kartoteka.i18n import gettext as _
from kartoteka.schemata import is_entity_schema
from kartoteka.services.sessions import COOKIE_NAME
from kartoteka.services.wiring import Services
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.web.accounts import services_of

MAX_OFFSET = 100_000
NO_NUL = r"^[^\x00]*$"
SCHEMA_HELP = N_("an FtM thing schema: Person, Organization, Company, Vessel, ...")


class InvalidParameter(ValueError):
    """A parameter the schema lets through but whose value makes no sense."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(_("parameter %(name)r: %(message)s") % {"name": name, "message": message})
        self.name = name


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is reading.  ``role`` follows the accounts issue: reader, contributor,
    editor, admin; anonymous visitors are readers."""

    role: str = "reader"
    user_id: str | None = None
    label: str = "anonymous"  # what the audit log records: the user's e-mail address
    csrf_token: str | None = None  # for forms; set whenever a session exists
    via_token: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def sees_unpublished(self) -> bool:
        return self.role in ("editor", "admin")


    @property
    def actor(self) -> Actor:
        if self.user_id is None:
            return Actor.anonymous()
        return Actor(self.label, Role(self.role), int(self.user_id))


ANONYMOUS = Viewer()


def current_viewer(request: Request) -> Viewer:
    """Worked out once per request (pages, templates and guards all ask)."""
    cached = getattr(request.state, "viewer", None)
    if isinstance(cached, Viewer):
        return cached
    viewer = _resolve_viewer(request)
    request.state.viewer = viewer
    return viewer


def _resolve_viewer(request: Request) -> Viewer:
    services = services_of(request)
    header = request.headers.get("authorization", "")
    scheme, _space, secret = header.partition(" ")
    if header:
        if scheme.lower() != "bearer" or not secret.strip():
            raise HTTPException(401, _("use 'Authorization: Bearer <API token>'"), _BEARER)
        actor = services.tokens.resolve(secret.strip())
        if actor is None or actor.role is None or actor.user_pk is None:
            raise HTTPException(
                401, _("this API token is unknown or revoked: create a new one"), _BEARER
            )
        return Viewer(actor.role.value, str(actor.user_pk), actor.label, via_token=True)
    cookie = request.cookies.get(COOKIE_NAME)
    if not cookie:
        return ANONYMOUS
    resolved = services.sessions.resolve(cookie)
    if resolved is None:
        return ANONYMOUS
    user = resolved.user
    if user is None:  # a visitor's session: only a CSRF token for forms
        return Viewer(csrf_token=resolved.csrf_token)
    return Viewer(user.role.value, str(user.pk), user.email, resolved.csrf_token)


_BEARER = {"WWW-Authenticate": "Bearer"}


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def services(request: Request) -> Services:
    """Every service of the process (``kartoteka.services.wiring``), built once."""
    return services_of(request)


def parse_day(name: str, value: str | None, *, end: bool = False) -> datetime | None:
    """``YYYY-MM-DD`` as the first (or, for ``end``, the last) moment of that UTC day."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problem = _("%(value)r is not a date: use YYYY-MM-DD") % {"value": value}
        raise InvalidParameter(name, problem) from None
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


def checked_schema(schema: str | None) -> str | None:
    """An entity schema filter: None for none; 422 for a schema the registry never holds."""
    if not schema:
        return None
    if not is_entity_schema(schema):
        problem = _("unknown schema %(name)r: %(help)s") % {"name": schema, "help": _(SCHEMA_HELP)}
        raise InvalidParameter("schema", problem)
    return schema


def article_filter(
    viewer: Annotated[Viewer, Depends(current_viewer)],
    country: Annotated[
        str | None,
        Query(
            description=N_("ISO 3166-1 alpha-2 code, e.g. rs or xk."),
            pattern=r"^([A-Za-z]{2})?$",
        ),
    ] = None,
    author: Annotated[
        str | None,
        Query(description=N_("Author handle (@channel) or name."), max_length=255, pattern=NO_NUL),
    ] = None,
    entity: Annotated[
        str | None,
        Query(
            description=N_("Registry entity id; a merged id finds its whole cluster."),
            max_length=255,
            pattern=NO_NUL,
        ),
    ] = None,
    language: Annotated[
        str | None,
        Query(
            description=N_("Language code, e.g. en or ru."),
            pattern=r"^([A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*)?$",
            max_length=35,
        ),
    ] = None,
    since: Annotated[
        str | None,
        Query(
            description=N_("Published on or after (YYYY-MM-DD)."),
            pattern=r"^(\d{4}-\d{2}-\d{2})?$",
        ),
    ] = None,
    until: Annotated[
        str | None,
        Query(
            description=N_("Published on or before (YYYY-MM-DD)."),
            pattern=r"^(\d{4}-\d{2}-\d{2})?$",
        ),
    ] = None,
) -> ArticleFilter:
    """Filters from the query string; empty values (an unset form field) mean no filter."""
    start = parse_day("since", since)
    stop = parse_day("until", until, end=True)
    if start and stop and start > stop:
        raise InvalidParameter("until", _("must not be before 'since'"))
    return ArticleFilter(
        author=author.strip() or None if author else None,
        country=country.lower() if country else None,
        entity=entity.strip() or None if entity else None,
        language=language.lower() if language else None,
        since=start,
        until=stop,
        include_unpublished=viewer.sees_unpublished,
    )


Limit = Annotated[int, Query(ge=1, le=200, description=N_("Items per page."))]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=N_("Items to skip."))]
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
DatabaseDep = Annotated[Database, Depends(database)]
ServicesDep = Annotated[Services, Depends(services)]
FilterDep = Annotated[ArticleFilter, Depends(article_filter)]
