"""The web application: pages, the JSON API, static files and error handling.

``create_app`` takes an open ``Database`` so tests and the CLI decide which
one; ``app_from_env`` is the factory uvicorn imports in each worker process.
"""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kartoteka.settings import Settings
from kartoteka.store.database import Database
from kartoteka.web import (
    admin_routes,
    alert_routes,
    api,
    auth_routes,
    candidate_routes,
    entity_api,
    entity_history_routes,
    entity_pages,
    feeds,
    history_routes,
    pages,
    registry_routes,
    review_routes,
    sitemap,
)
from kartoteka.web.access import install_access_handlers
from kartoteka.web.accounts import AccountServices, account_services
from kartoteka.web.errors import install_error_handlers
from kartoteka.web.page_cache import DEFAULT_MAX_BYTES, PageCache
from kartoteka.web.templating import make_templates

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


def create_app(
    db: Database,
    *,
    accounts: AccountServices | None = None,
    page_cache_bytes: int = DEFAULT_MAX_BYTES,
) -> FastAPI:
    """``accounts`` lets tests pass services with a clock or cheap password hashing;
    ``page_cache_bytes`` 0 turns the anonymous page cache off."""
    app = FastAPI(
        title="kartoteka",
        summary="Articles, authors, entities and search over a cited knowledge base.",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db = db
    app.state.accounts = accounts or account_services(db)
    app.state.templates = make_templates()
    install_error_handlers(app)
    install_access_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(feeds.router)  # before the pages: /countries/rs.atom is a feed
    app.include_router(entity_api.router)
    app.include_router(pages.router)
    app.include_router(auth_routes.router)
    app.include_router(alert_routes.router)
    app.include_router(review_routes.router)
    app.include_router(history_routes.router)
    app.include_router(admin_routes.router)
    app.include_router(registry_routes.router)
    app.include_router(candidate_routes.router)
    app.include_router(sitemap.router)
    app.include_router(entity_history_routes.router)
    app.include_router(entity_pages.router)
    # Inside the security headers, so cached answers get them too.
    app.add_middleware(PageCache, version=db.content_version, max_bytes=page_cache_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory``: the database named by KARTOTEKA_DATABASE_URL."""
    settings = Settings.from_env()
    db = Database(settings.database_url)
    db.ensure_ready()
    app = create_app(
        db,
        accounts=account_services(db, secure_cookies=settings.secure_cookies),
        page_cache_bytes=settings.page_cache_mb * 1024 * 1024,
    )
    # Everything built so far (modules, routes, schemas, templates: ~185k objects)
    # lives as long as the worker.  Moved out of the collector's reach, a full
    # collection no longer walks it: ~90 ms pauses, each one a latency spike
    # for every request in flight, become microseconds.
    gc.collect()
    gc.freeze()
    return app
