"""The job queue on the real PostgreSQL: workers extract what ingest stored.

Workers run in this process (``run_worker_async`` until the queue is empty)
or as ``kartoteka worker`` subprocesses; either way they run the real
extraction over real articles and the assertions read the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from procrastinate import App
from sqlalchemy import select

from kartoteka.queue import jobs
from kartoteka.queue.app import Runtime, build_app
from kartoteka.queue.stage import DeferExtraction
from kartoteka.services import registry as registry_service
from kartoteka.services.extraction import ExtractionReport, ExtractionService
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import mentions

DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"


def no_ner(db: Database) -> ExtractionService:
    return ExtractionService(db, ner=False)


def run_worker(app: App) -> None:
    """A worker in this process until no job is left to run now."""

    async def work() -> None:
        async with app.open_async():
            await app.run_worker_async(wait=False, install_signal_handlers=False,
                                       listen_notify=False, queues=["extract"])

    asyncio.run(work())


def mention_rows(db: Database) -> list[tuple[object, ...]]:
    columns = (mentions.c.article_pk, mentions.c.start, mentions.c.end, mentions.c.label,
               mentions.c.entity_id)
    with db.read() as conn:
        return [tuple(r) for r in conn.execute(select(*columns).order_by(*columns))]


def ingest_queued(db: Database, app: App, paths: Sequence[str]) -> DeferExtraction:
    stage = DeferExtraction(app)
    with app.open():
        report = ingest_service(db, after_batch=[stage]).ingest(list(paths))
    assert report.failed == 0, report.errors
    return stage


def reference(tmp_path: Path, paths: Sequence[str]) -> list[tuple[object, ...]]:
    """What in-process extraction stores for the same files (SQLite, no queue)."""
    local = Database(f"sqlite:///{tmp_path / 'reference.db'}")
    try:
        local.migrate()
        registry_service.import_file(local, DATA / "registry.ftm.jsonl")
        ingest_service(local, extraction=no_ner(local)).ingest(list(paths))
        return mention_rows(local)
    finally:
        local.dispose()


def articles() -> list[str]:
    return [str(p) for p in sorted((DATA / "articles").glob("*.md"))]


def test_a_worker_extracts_what_ingest_queued(pg: Database, pg_url: str, tmp_path: Path) -> None:
    registry_service.import_file(pg, DATA / "registry.ftm.jsonl")
    app, runtime = build_app(pg_url)
    runtime.extraction_factory = no_ner
    try:
        stage = ingest_queued(pg, app, articles())
        assert len(stage.job_ids) == 1 and mention_rows(pg) == []
        run_worker(app)
        assert jobs.follow(pg, stage.run, timeout=5) == {"succeeded": 1}
        stored = mention_rows(pg)
        assert stored and stored == reference(tmp_path, articles())
        # The same jobs again change nothing (idempotent by article and revision).
        with app.open():
            from kartoteka.queue.tasks import defer_extraction
            defer_extraction(app, [(i, 1) for i in _ids(pg)], "again")
        run_worker(app)
        assert mention_rows(pg) == stored
        view = jobs.overview(pg)
        assert view.counts["extract"] == {"succeeded": 2} and view.parked == []
    finally:
        runtime.close()


class Poisoned(ExtractionService):
    """Extraction that crashes on one article, as a model crashing on its text would."""

    poison = ""
    done: ClassVar[set[str]] = set()

    def extract_batch(self, keys: Sequence[tuple[str, int]]) -> ExtractionReport:
        if any(key == self.poison for key, _ in keys):
            raise RuntimeError("NER crashed on this text")
        report = super().extract_batch(keys)
        Poisoned.done |= {key for key, _ in keys}
        return report


def test_a_poisoned_article_is_parked_and_the_rest_flow(
    pg: Database, pg_url: str, corpus_dir: Path
) -> None:
    app, runtime = build_app(pg_url)
    poisoned: list[Poisoned] = []

    def build(db: Database) -> ExtractionService:
        poisoned.append(Poisoned(db, ner=False))
        return poisoned[-1]

    runtime.extraction_factory = build
    try:
        stage = DeferExtraction(app)
        with app.open():
            service = ingest_service(pg, after_batch=[stage])
            report = service.ingest([str(corpus_dir)])
        ids = report.article_ids
        Poisoned.poison, Poisoned.done = ids[3], set()
        run_worker(app)
        counts = jobs.follow(pg, stage.run, timeout=5)
        # The batch failed, was split into one job per article; six went through.
        assert counts == {"succeeded": 1 + 6, "failed": 1}
        view = jobs.overview(pg)
        [parked] = view.parked
        assert parked.args["articles"] == [[ids[3], 1]]
        assert parked.attempts == 2
        assert parked.error == (
            f"article {ids[3]} revision 1: RuntimeError: NER crashed on this text")
        assert Poisoned.done == set(ids) - {ids[3]}
        # Once the cause is fixed, a retry runs it again.
        Poisoned.poison = ""
        with app.open():
            assert jobs.retry(pg, app, all_failed=True) == [parked.id]
        run_worker(app)
        assert jobs.overview(pg).parked == []
        assert Poisoned.done == set(ids)
    finally:
        Poisoned.poison = ""
        runtime.close()


def _ids(db: Database) -> list[str]:
    from kartoteka.store.tables import articles as table

    with db.read() as conn:
        return list(conn.execute(select(table.c.id).order_by(table.c.id)).scalars())


_ = Runtime  # the type tests configure
