"""``ingest --queue`` follows its jobs to the end while a ``kartoteka worker`` runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app
from tests.job_queue.test_faults import stop, worker


def test_ingest_queues_extraction_and_waits_for_the_workers(pg_url: str,
                                                            corpus_dir: Path) -> None:
    runner = CliRunner()
    queued = runner.invoke(app, ["ingest", str(corpus_dir / "nested"), "--queue", "--no-wait",
                                 "--json", "--db", pg_url])
    assert queued.exit_code == 0, queued.stderr
    assert json.loads(queued.stdout)["jobs"] == {"queued": 1}
    running = worker(pg_url, "--queues", "extract")
    try:
        waited = runner.invoke(app, ["ingest", str(corpus_dir), "--queue", "--json",
                                     "--db", pg_url])
    finally:
        stop(running)
    assert waited.exit_code == 0, waited.stderr
    report = json.loads(waited.stdout)
    # The five new articles made one job, followed until the worker finished it.
    assert (report["added"], report["unchanged"], report["jobs"]) == (5, 2, {"succeeded": 1})
    shown = runner.invoke(app, ["jobs", "--json", "--db", pg_url])
    view = json.loads(shown.stdout)
    assert view["counts"]["extract"] == {"succeeded": 2} and view["failed"] == []


def test_a_bad_queue_setting_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KARTOTEKA_QUEUE", "celery")
    result = CliRunner().invoke(app, ["sources", "list", "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: KARTOTEKA_QUEUE='celery': the only queue is 'procrastinate' (or unset it)")
