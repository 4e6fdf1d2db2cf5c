"""The web application: pages, the JSON API, static files and error handling.

``create_app`` takes an open ``Database`` so tests and the CLI decide which
one; ``app_from_env`` is the factory uvicorn imports in each worker process.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kartoteka.i18n import N_
from kartoteka.logs import configure_logging
from kartoteka.services.ingest import BatchStage
from kartoteka.services.wiring import Services, build_services
from kartoteka.settings import Settings, site_key
from kartoteka.store.database import Database
from kartoteka.web import (
    admin_routes,
    alert_api,
    alert_routes,
    api,
    auth_routes,
    author_admin_routes,
    candidate_routes,
    entity_api,
    entity_history_routes,
    entity_pages,
    feeds,
    history_routes,
    language,
    pages,
    registry_routes,
    review_routes,
    sitemap,
    source_routes,
)
from kartoteka.web.access import install_access_handlers
from kartoteka.web.errors import install_error_handlers
from kartoteka.web.page_cache import DEFAULT_MAX_BYTES, PageCache
from kartoteka.web.templating import make_templates
from kartoteka.web.visitor_tokens import VisitorTokens

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"

# No inline script or style anywhere, so the policy can forbid both: a second
# wall behind escaping, not a replacement for it.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the headers above to every response (plain ASGI: no per-request cost)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def queue_extraction(settings: Settings) -> BatchStage | None:
    """With ``KARTOTEKA_QUEUE``, the stage that sends what the web stores to the workers.

    Uploads and submissions are stored here and extracted by ``kartoteka
    worker`` processes, as ``ingest --queue`` does: NER (seconds of CPU for a
    large file) never runs in a process that serves pages.  Without a queue,
    None: extraction runs in-process, off the event loop.
    """
    if not settings.queue:
        return None
    try:
        from kartoteka.queue.stage import QueueExtraction
    except ImportError as exc:
        raise RuntimeError("KARTOTEKA_QUEUE=procrastinate needs the queue extra: "
                           "pip install 'kartoteka[queue]' (or unset KARTOTEKA_QUEUE)") from exc
    return QueueExtraction(settings.database_url)


Closers = list[Callable[[], None]]


def _web_services(settings: Settings, db: Database | None) -> tuple[Services, Closers]:
    """Services for a web process, and what to close when it stops."""
    stage = queue_extraction(settings)
    services = build_services(settings, db, after_batch=None if stage is None else [stage])
    close = getattr(stage, "close", None)
    return services, [close] if close is not None else []


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    for close in app.state.closers:
        close()


def create_app(
    db: Database | None = None,
    *,
    services: Services | None = None,
    page_cache_bytes: int = DEFAULT_MAX_BYTES,
    secret_key: bytes | None = None,
) -> FastAPI:
    """The app over ``services`` (``build_services``), or over services built
    here for ``db`` with the environment's settings.  Tests pass services with
    a clock or cheap password hashing; ``page_cache_bytes`` 0 turns the
    anonymous page cache off."""
    closers: Closers = []
    if services is None:
        if db is None:
            raise TypeError("create_app needs a database or services")
        services, closers = _web_services(Settings.from_env(db.url), db)
    db = services.db
    app = FastAPI(
        title="kartoteka",
        summary=N_("Articles, authors, entities and search over a cited knowledge base."),
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=_lifespan,
    )
    app.state.closers = closers  # what create_app opened itself; given services are the caller's
    app.state.db = db
    app.state.services = services
    app.state.visitor_tokens = VisitorTokens(secret_key or site_key())
    app.state.templates = make_templates()
    install_error_handlers(app)
    install_access_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(feeds.router)  # before the pages: /countries/rs.atom is a feed
    app.include_router(entity_api.router)
    app.include_router(alert_api.router)
    app.include_router(pages.router)
    app.include_router(auth_routes.router)
    app.include_router(alert_routes.router)
    app.include_router(review_routes.router)
    app.include_router(history_routes.router)
    app.include_router(admin_routes.router)
    app.include_router(author_admin_routes.router)
    app.include_router(source_routes.router)
    app.include_router(registry_routes.router)
    app.include_router(candidate_routes.router)
    app.include_router(sitemap.router)
    app.include_router(language.router)
    app.include_router(entity_history_routes.router)
    app.include_router(entity_pages.router)
    # Inside the cache: a cached page was built in its language, and keeps its headers.
    app.add_middleware(language.LanguageMiddleware)
    # Inside the security headers, so cached answers get them too.
    app.add_middleware(PageCache, version=db.content_version, max_bytes=page_cache_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory``: the database named by KARTOTEKA_DATABASE_URL."""
    if not logging.getLogger("kartoteka").handlers and not logging.getLogger().handlers:
        configure_logging()  # started by uvicorn itself, not by `kartoteka serve`
    settings = Settings.from_env()
    services, closers = _web_services(settings, None)
    services.db.ensure_ready()
    app = create_app(services=services, page_cache_bytes=settings.page_cache_mb * 1024 * 1024)
    app.state.closers = closers
    # The one place the process freezes (at server start): everything built so
    # far (modules, routes, schemas, templates: ~185k objects) lives as long as
    # the worker.  Moved out of the collector's reach, a full
    # collection no longer walks it: ~90 ms pauses, each one a latency spike
    # for every request in flight, become microseconds.
    gc.collect()
    gc.freeze()
    return app
