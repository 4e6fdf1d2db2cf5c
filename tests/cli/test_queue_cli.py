"""Queue commands where there is no queue (SQLite): one clear line each, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    path = str(tmp_path / "k.db")
    assert run("init", "--db", path)[0] == 0
    return path


def test_jobs_says_there_is_no_queue(sqlite_db: str) -> None:
    code, out, _ = run("jobs", "--db", sqlite_db)
    assert code == 0 and out.startswith("no job queue here")
    code, out, _ = run("jobs", "--json", "--db", sqlite_db)
    assert (code, out) == (0, '{"queue": false, "counts": {}, "failed": []}\n')


@pytest.mark.parametrize("args", [["worker", "--burst"], ["jobs", "retry", "--all-failed"],
                                  ["ingest", "--queue", "README.md"]])
def test_queue_commands_need_postgresql(sqlite_db: str, args: list[str]) -> None:
    code, _, err = run(*args, "--db", sqlite_db)
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1
    assert "PostgreSQL" in err


def test_an_unknown_queue_setting_is_refused(sqlite_db: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_QUEUE", "celery")
    code, _, err = run("ingest", "README.md", "--db", sqlite_db)
    assert code == 2 and "the only queue is 'procrastinate'" in err


def test_without_the_queue_setting_ingest_extracts_in_process(
    sqlite_db: str, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KARTOTEKA_QUEUE", raising=False)
    code, out, _ = run("ingest", str(corpus_dir), "--db", sqlite_db, "--json")
    assert code == 0 and '"added": 7' in out and '"jobs"' not in out
