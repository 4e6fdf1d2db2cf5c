"""The composition root: every service of a process, built in one place from settings.

The CLI (``kartoteka.cli.common.open_services``) and the web app
(``kartoteka.web.app``, which hands it to routes as the FastAPI dependency
``kartoteka.web.deps.ServicesDep``) both call :func:`build_services`, so
they behave the same way: repost detection and entity extraction join the
ingest path, review publishes through that same ingest, and one registry
matcher serves extraction, ``match``, search widening and catalog import.

Building is cheap: the matcher and the extraction pipeline are built on
first use and rebuilt only when the registry changes.

Adding a service is a one-place change: give :class:`Services` a field and
construct it in :func:`build_services` from ``settings`` and the services
it needs.  The CLI reaches it as ``services.<name>``; a route declares
``services: ServicesDep`` and does the same.  Nothing else builds services
(tests and one-shot scripts may, on their own database).

Extraction runs after each batch of articles has committed, outside the
write transaction (``services.pipeline``); the job queue replaces it with a
stage that defers it to workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from kartoteka.auth.passwords import Passwords
from kartoteka.auth.ratelimit import Clock, utc_now
from kartoteka.services.accounts import AccountService
from kartoteka.services.alerts import AlertService
from kartoteka.services.api_tokens import ApiTokenService
from kartoteka.services.authors import AuthorService
from kartoteka.services.deletion import DeletionService
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import BatchStage, IngestService
from kartoteka.services.join_requests import JoinRequestService
from kartoteka.services.matching import RegistryMatcher
from kartoteka.services.pipeline import ExtractNow
from kartoteka.services.placeholders import CatalogPlaceholders
from kartoteka.services.reposts import StoredRepostFinder
from kartoteka.services.review import ReviewService
from kartoteka.services.search import SearchPlan, plan_search
from kartoteka.services.sessions import SessionService
from kartoteka.settings import Settings
from kartoteka.store.database import Database

__all__ = ["Services", "build_services", "ingest_service"]


@dataclass(slots=True)
class Services:
    """Every service one process uses, sharing one database and one matcher."""

    settings: Settings
    db: Database
    matcher: RegistryMatcher
    extraction: ExtractionService
    ingest: IngestService
    accounts: AccountService
    sessions: SessionService
    tokens: ApiTokenService
    joins: JoinRequestService
    review: ReviewService
    deletion: DeletionService
    alerts: AlertService
    authors: AuthorService


def build_services(
    settings: Settings,
    db: Database | None = None,
    *,
    passwords: Passwords | None = None,
    clock: Clock = utc_now,
    after_batch: Sequence[BatchStage] | None = None,
) -> Services:
    """Every service over ``db`` (default: ``settings.database_url``, opened here).

    ``passwords`` and ``clock`` let tests hash cheaply and move time.
    ``after_batch`` replaces in-process extraction of what ingest stores
    (ingest, submissions, reviews): with ``settings.queue`` the interface
    passes the queue's stage (``kartoteka.queue.stage.QueueExtraction``),
    which this layer cannot import.
    """
    db = db or Database(settings.database_url)
    matcher = RegistryMatcher(db)
    extraction = ExtractionService(db, matcher=matcher)
    ingest = ingest_service(db, extraction=extraction, after_batch=after_batch)
    accounts = AccountService(db, passwords=passwords, clock=clock)
    return Services(
        settings=settings,
        db=db,
        matcher=matcher,
        extraction=extraction,
        ingest=ingest,
        accounts=accounts,
        sessions=SessionService(db, accounts, clock=clock),
        tokens=ApiTokenService(db, clock=clock),
        joins=JoinRequestService(db, accounts, clock=clock),
        review=ReviewService(db, ingest=ingest, clock=clock),
        deletion=DeletionService(db, clock=clock),
        alerts=AlertService(db, planner=partial(_plan_saved_search, db, matcher)),
        authors=AuthorService(db, clock=clock),
    )


def _plan_saved_search(db: Database, matcher: RegistryMatcher, text: str) -> SearchPlan:
    """Saved searches plan with the process's matcher (one build, not one per search)."""
    return plan_search(db, text, matcher=matcher)


def ingest_service(
    db: Database,
    *,
    extract: bool = True,
    extraction: ExtractionService | None = None,
    after_batch: Sequence[BatchStage] | None = None,
) -> IngestService:
    """Ingest with reposts and placeholders; extraction after each committed batch.

    ``after_batch`` replaces in-process extraction (the job queue passes a
    stage that defers it to workers).
    """
    stages: list[BatchStage] = list(after_batch or ())
    if extract and after_batch is None:
        stages.append(ExtractNow(extraction or ExtractionService(db)))
    return IngestService(
        db, reposts=StoredRepostFinder(), after_batch=stages, placeholders=CatalogPlaceholders()
    )
