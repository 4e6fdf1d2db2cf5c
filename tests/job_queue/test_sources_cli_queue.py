"""``sources run`` and ``watch`` with the queue: what a poll stores is extracted by workers.

A local HTTP server serves the feed; the database is the real PostgreSQL.
Workers run in this process (``run_worker``, until the queue is empty) with
extraction minus NER, so the mentions come from the registry's names.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.queue.app import build_app
from kartoteka.queue.stage import DeferExtraction
from kartoteka.queue.tasks import EXTRACT_QUEUE
from kartoteka.services import registry as registry_service
from kartoteka.services.polling import SourcePoller
from kartoteka.services.sources import SourceService
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import mentions
from tests.job_queue.test_queue import DATA, no_ner
from tests.job_queue.test_sources_task import extract_jobs, run_worker
from tests.sources.conftest import Resource, Site, rss, site  # noqa: F401  (fixture)

FEED = [
    ("k1", "Veterans in politics",
     "Hashim Thaci led the political wing of the Kosovo Liberation Army after the war."),
    ("k2", "A visit to Belgrade",
     "President Aleksandar Vucic met officers of KFOR in Belgrade on Monday."),
    ("k3", "Talks in Brussels",
     "Sergey Lavrov spoke about NATO and the Kosovo Protection Corps."),
]
OTHER_FEED = [
    ("m1", "Border patrols", "KFOR patrols the border near Jarinje."),
    ("m2", "Statement", "Aleksandar Vucic answered NATO's statement."),
]


def linked_entities(db: Database) -> set[str]:
    with db.read() as conn:
        return {str(e) for e in conn.execute(select(mentions.c.entity_id)).scalars() if e}


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_sources_run_queues_extraction_and_a_worker_makes_the_mentions(
    pg: Database, pg_url: str, site: Site  # noqa: F811  (the fixture imported above)
) -> None:
    registry_service.import_file(pg, DATA / "registry.ftm.jsonl")
    site.resources["/feed"] = Resource(rss(FEED), etag='"v1"')
    SourceService(pg).add(site.url("/feed"), every="30m")
    ran = cli("sources", "run", "--queue", "--json", "--db", pg_url)
    assert ran.exit_code == 0, ran.output
    report = json.loads(ran.stdout)
    assert (report["added"], report["failed"], report["jobs"]) == (3, 0, {"queued": 3})
    # Stored here, extracted nowhere yet: the jobs wait on the extract queue.
    assert extract_jobs(pg) == {"todo": 3}
    assert linked_entities(pg) == set()
    worker_app, runtime = build_app(pg_url)
    runtime.extraction_factory = no_ner
    try:
        run_worker(worker_app, [EXTRACT_QUEUE])
    finally:
        runtime.close()
    assert extract_jobs(pg) == {"succeeded": 3}
    assert {"t-per-thaci", "t-org-kla", "t-per-vucic", "t-org-kfor", "t-per-lavrov",
            "t-org-nato"} <= linked_entities(pg)
    # Polled again: 304, nothing stored, nothing queued; the text says so too.
    again = cli("sources", "run", "--queue", "--db", pg_url)
    assert again.exit_code == 0, again.output
    assert "not modified" in again.output
    assert "extraction: 0 job(s) queued for the workers" in again.output
    assert extract_jobs(pg) == {"succeeded": 3}


def test_watch_follows_the_queue_setting_and_no_extract_queues_nothing(
    pg: Database, pg_url: str, site: Site, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.setenv("KARTOTEKA_QUEUE", "procrastinate")
    site.resources["/feed"] = Resource(rss(FEED))
    site.resources["/other"] = Resource(rss(OTHER_FEED))
    sources = SourceService(pg)
    sources.add(site.url("/feed"), every="1d")
    quiet = cli("watch", "--once", "--no-extract", "--db", pg_url)
    assert quiet.exit_code == 0, quiet.output
    assert "added 3" in quiet.output and "extraction" not in quiet.output
    assert extract_jobs(pg) == {}
    sources.add(site.url("/other"), every="1d")
    queued = cli("watch", "--once", "--db", pg_url)
    assert queued.exit_code == 0, queued.output
    assert "added 2" in queued.output  # only the new source was due
    assert "extraction: 2 job(s) queued for the workers" in queued.output
    assert extract_jobs(pg) == {"todo": 2}
    # --no-queue overrides the setting (the in-process path: no "jobs" in the report);
    # with the setting, --no-extract still queues nothing.
    forced = cli("sources", "run", "--no-queue", "--no-extract", "--json", "--db", pg_url)
    assert forced.exit_code == 0, forced.output
    assert "jobs" not in json.loads(forced.stdout)
    none_queued = cli("sources", "run", "--no-extract", "--json", "--db", pg_url)
    assert json.loads(none_queued.stdout)["jobs"] == {"queued": 0}
    assert extract_jobs(pg) == {"todo": 2}


def test_a_failure_to_queue_keeps_the_article_and_says_so(
    pg: Database, pg_url: str, site: Site, caplog: pytest.LogCaptureFixture  # noqa: F811
) -> None:
    site.resources["/feed"] = Resource(rss(FEED))
    source = SourceService(pg).add(site.url("/feed"))
    unopened, runtime = build_app(pg_url)  # never opened: every defer raises
    stage = DeferExtraction(unopened, keep_going=True)
    try:
        with caplog.at_level(logging.ERROR, "kartoteka.queue.stage"), SourcePoller(
                pg, ingest=ingest_service(pg, after_batch=[stage])) as poller:
            assert source.pk is not None
            [poll] = poller.poll([source.pk]).polls
    finally:
        runtime.close()
    # Stored and counted as added, not reported as "not stored"; the log says what to do.
    assert (poll.result, poll.added, poll.item_errors) == ("fetched", 3, [])
    assert sorted(stage.not_queued) == sorted(poll.article_ids) and stage.job_ids == []
    assert "kartoteka extract --all" in caplog.text


def test_on_sqlite_the_queue_is_one_error_line_and_without_it_nothing_changes(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    site.resources["/feed"] = Resource(rss(FEED))
    assert cli("sources", "add", site.url("/feed"), "--db", url).exit_code == 0
    monkeypatch.setenv("KARTOTEKA_QUEUE", "procrastinate")
    for args in (["sources", "run"], ["watch", "--once"]):
        refused = cli(*args, "--db", url)
        assert refused.exit_code == 2
        assert refused.stderr.strip() == (
            "error: the job queue needs PostgreSQL: an SQLite database runs every stage "
            "in-process (unset KARTOTEKA_QUEUE)")
    monkeypatch.delenv("KARTOTEKA_QUEUE")
    database = Database(url)
    try:
        registry_service.import_file(database, DATA / "registry.ftm.jsonl")
        ran = cli("sources", "run", "--json", "--db", url)
        assert ran.exit_code == 0, ran.output
        report = json.loads(ran.stdout)
        assert report["added"] == 3 and "jobs" not in report
        # Extracted in this process, before the command returned.
        assert {"t-per-thaci", "t-per-vucic", "t-per-lavrov"} <= linked_entities(database)
    finally:
        database.dispose()
