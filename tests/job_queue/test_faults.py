"""Faults on the real PostgreSQL: a worker killed mid-job, connections cut under a worker.

Workers are real ``kartoteka worker`` processes with the full pipeline
(spaCy and natasha included).  PostgreSQL itself is never restarted here (other
databases share the server): ``bench/queue_restart.py`` does that, run alone.
Cutting a worker's connections with ``pg_terminate_backend`` is what a
restart looks like from the worker's side.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kartoteka.queue import jobs
from kartoteka.queue.app import build_app
from kartoteka.queue.stage import DeferExtraction
from kartoteka.services import registry as registry_service
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database
from tests.job_queue.test_queue import DATA, mention_rows

REPO = Path(__file__).resolve().parents[2]
BUSY_TIMEOUT = 600  # seconds; the machine is shared, NER models take a while to load


def worker(url: str, *args: str) -> subprocess.Popen[bytes]:
    """A ``kartoteka worker``; its log goes to a file (a full pipe would block it)."""
    env = dict(os.environ, KARTOTEKA_DATABASE_URL=url, PYTHONPATH=str(REPO))
    log = tempfile.TemporaryFile()  # noqa: SIM115 - read after the process ends, freed with it
    process = subprocess.Popen([sys.executable, "-m", "kartoteka", "worker", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=log)
    process.log = log  # type: ignore[attr-defined]
    return process


def log_of(process: subprocess.Popen[bytes]) -> str:
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    return str(log.read().decode(errors="replace")[-3000:])


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def job_state(db: Database) -> list[tuple[str, int]]:
    with db.read() as conn:
        return [(r.status, r.attempts) for r in conn.execute(text(
            "SELECT status::text AS status, attempts FROM procrastinate_jobs "
            "WHERE task_name = 'extract_articles' ORDER BY id"))]


def waiting_for_the_lock(db: Database) -> bool:
    """Whether a session of ``db`` waits for an advisory lock."""
    with db.read() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND wait_event = 'advisory'")).scalar())


def wait_for(check: object, timeout: float = BUSY_TIMEOUT) -> None:
    started = time.monotonic()
    while not check():  # type: ignore[operator]
        if time.monotonic() - started > timeout:
            raise AssertionError(f"still not so after {timeout} s")
        time.sleep(0.05)


@pytest.fixture
def queued(pg: Database, pg_url: str) -> Iterator[DeferExtraction]:
    """The test registry and articles stored, one extraction job waiting."""
    registry_service.import_file(pg, DATA / "registry.ftm.jsonl")
    app, runtime = build_app(pg_url)
    stage = DeferExtraction(app)
    paths = [str(p) for p in sorted((DATA / "articles").glob("*.md"))]
    with app.open():
        report = ingest_service(pg, after_batch=[stage]).ingest(paths)
    assert report.failed == 0 and len(stage.job_ids) == 1
    yield stage
    runtime.close()


def test_a_worker_killed_mid_job_leaves_it_to_another(
    pg: Database, pg_url: str, queued: DeferExtraction
) -> None:
    # The candidates lock, held here, stops the job in the middle of its write
    # transaction (NER run, rows written, nothing committed): killed there.
    holder = create_engine(pg_url).connect()
    holder.execute(text("SELECT pg_advisory_lock(hashtext('kartoteka.candidates'))"))
    first = worker(pg_url, "--burst")
    try:
        wait_for(lambda: waiting_for_the_lock(pg) or first.poll() is not None)
        assert first.poll() is None, log_of(first)
        assert job_state(pg) == [("doing", 0)]
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    finally:
        stop(first)
        holder.close()  # the killed worker's session then ends, its writes undone
        holder.engine.dispose()
    assert job_state(pg) == [("doing", 0)]
    time.sleep(3.5)  # three missed heartbeats (KARTOTEKA_QUEUE_HEARTBEAT=1): presumed dead
    second = worker(pg_url, "--burst")
    try:
        assert second.wait(BUSY_TIMEOUT) == 0, log_of(second)
    finally:
        stop(second)
    # Two attempts (the one killed, the one that finished); nothing is stored twice.
    assert job_state(pg) == [("succeeded", 2)]
    assert jobs.follow(pg, queued.run, timeout=5) == {"succeeded": 1}
    stored = mention_rows(pg)
    assert stored and len(stored) == len(set(stored))
    # Exactly what one uninterrupted extraction of the same articles stores.
    ExtractionService(pg).extract_batch([(i, 1) for i in _article_ids(pg)])
    assert mention_rows(pg) == stored


def test_a_worker_whose_connections_are_cut_reconnects_and_finishes(
    pg: Database, pg_url: str, queued: DeferExtraction
) -> None:
    running = worker(pg_url)  # not burst: it waits for jobs, as in production
    admin = create_engine(pg_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    name = pg_url.rsplit("/", 1)[1]
    try:
        wait_for(lambda: [s for s, _ in job_state(pg)] == ["succeeded"]
                 or running.poll() is not None)
        assert running.poll() is None, log_of(running)
        pg.dispose()
        with admin.connect() as conn:
            cut = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name}).scalar()
        assert cut and cut >= 1
        # New work after the cut: the worker must reconnect to take and finish it.
        app, runtime = build_app(pg_url)
        try:
            with app.open():
                from kartoteka.queue.tasks import defer_extraction

                defer_extraction(app, [(i, 1) for i in _article_ids(pg)], "after-cut")
        finally:
            runtime.close()
        wait_for(lambda: all(state in ("succeeded", "failed") for state, _ in job_state(pg))
                 or running.poll() is not None, timeout=300)
        alive = running.poll() is None
        stop(running)
        log = log_of(running)
        assert alive, log
        # Every job finished well: a job cut off by the cut was retried (or split).
        assert {state for state, _ in job_state(pg)} == {"succeeded"}, (job_state(pg), log)
    finally:
        stop(running)
        admin.dispose()


def _article_ids(db: Database) -> list[str]:
    from sqlalchemy import select

    from kartoteka.store.tables import articles

    with db.read() as conn:
        return list(conn.execute(select(articles.c.id).order_by(articles.c.id)).scalars())
