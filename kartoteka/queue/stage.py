"""Ingest's stages that hand extraction to the queue's workers.

``DeferExtraction`` serves one ingest run (the CLI follows its jobs);
``QueueExtraction`` serves a long-lived process (the web app), whose
uploads and submissions must not run NER in the process that serves pages.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Sequence

from procrastinate import App

from kartoteka.queue.app import build_app, conninfo
from kartoteka.queue.tasks import defer_extraction
from kartoteka.services.ingest import StoredArticle
from kartoteka.services.pipeline import extraction_keys

log = logging.getLogger(__name__)


class DeferExtraction:
    """An ingest ``after_batch`` stage: one job per batch slice, tagged with this run.

    Jobs are deferred after the batch has committed, so a worker always finds
    the articles it is given; the ``run`` tag lets the ingest that deferred
    them follow them to the end (``jobs.follow``).

    With ``keep_going`` (a poller, whose stores are one article at a time) a
    failure to queue is logged with its traceback and the article ids kept
    in ``not_queued`` instead of raised: the article is already committed,
    and raising would report it as not stored.
    """

    def __init__(self, app: App, run: str | None = None, *, keep_going: bool = False) -> None:
        self.app = app
        self.run = run or uuid.uuid4().hex
        self.keep_going = keep_going
        self.job_ids: list[int] = []
        self.not_queued: list[str] = []

    def __call__(self, stored: Sequence[StoredArticle]) -> None:
        keys = extraction_keys(stored)
        try:
            self.job_ids.extend(defer_extraction(self.app, keys, self.run))
        except Exception:
            if not self.keep_going:
                raise
            log.exception("could not queue the extraction of %s; the articles are stored "
                          "but not extracted: run `kartoteka extract --all` once the "
                          "queue's database answers", ", ".join(a for a, _ in keys))
            self.not_queued.extend(a for a, _ in keys)


class QueueExtraction:
    """An ingest ``after_batch`` stage for a process that lives long: defers, keeps nothing.

    The queue's connection pool is opened on the first batch (a web worker
    that never stores anything never connects) and kept until ``close``.
    A failure to queue is logged with its traceback and not raised: the
    draft is already committed, and an error page would only invite a
    duplicate submission; ``kartoteka extract --all`` catches up.
    """

    def __init__(self, database_url: str) -> None:
        conninfo(database_url)  # SQLite: QueueNotAvailable now, not at the first upload
        self.database_url = database_url
        self._lock = threading.Lock()
        self._app: App | None = None

    def __call__(self, stored: Sequence[StoredArticle]) -> None:
        keys = extraction_keys(stored)
        try:
            defer_extraction(self._open(), keys)
        except Exception:
            log.exception("could not queue the extraction of %s; the articles are stored "
                          "but not extracted: run `kartoteka extract --all` once the "
                          "queue's database answers", ", ".join(a for a, _ in keys))

    def _open(self) -> App:
        with self._lock:
            if self._app is None:
                app, _runtime = build_app(self.database_url, pool_size=2)
                self._app = app.open()
            return self._app

    def close(self) -> None:
        with self._lock:
            app, self._app = self._app, None
        if app is not None:
            app.close()
