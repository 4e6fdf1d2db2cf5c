"""``kartoteka sources …`` and ``kartoteka watch --once`` end to end, on both backends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app

from .conftest import ITEMS, Resource, Site, rss

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def kartoteka(database_url: str) -> Any:
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(app, ["--db", database_url, *args], catch_exceptions=False)

    return invoke


def test_add_list_run_and_remove(kartoteka: Any, site: Site) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS), etag='"v1"')
    added = kartoteka("sources", "add", site.url("/feed"), "--every", "30m",
                      "--author", "@granica", "--country", "rs")
    assert added.exit_code == 0, added.output
    assert added.output.startswith("watching source 1:")
    ran = kartoteka("sources", "run")
    assert ran.exit_code == 0, ran.output
    assert "added 3, revised 0, unchanged 0, failed 0" in ran.output
    again = kartoteka("sources", "run", "1")
    assert "not modified" in again.output
    listed = kartoteka("sources", "list", "--json")
    [row] = json.loads(listed.output)
    assert {k: row[k] for k in ("id", "kind", "every", "status", "author", "country",
                                "articles_added_total", "articles_added_last", "etag")} == {
        "id": 1, "kind": "feed", "every": "30m", "status": "ok", "author": "@granica",
        "country": "rs", "articles_added_total": 3, "articles_added_last": 0, "etag": '"v1"'}
    text = kartoteka("sources", "list")
    assert "ok" in text.output and "added 3 (last 0)" in text.output
    removed = kartoteka("sources", "remove", site.url("/feed"))
    assert removed.exit_code == 0
    assert kartoteka("sources", "list").output.startswith("no sources")
    assert kartoteka("search", "checkpoint").exit_code == 0  # the articles stay


def test_a_failing_source_is_one_line_and_exit_1(kartoteka: Any, site: Site) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS), fail_status=500)
    kartoteka("sources", "add", site.url("/feed"))
    ran = kartoteka("sources", "run", "--due", "--json")
    assert ran.exit_code == 1
    report = json.loads(ran.stdout)
    assert (report["polled"], report["failed"]) == (1, 1)
    listed = kartoteka("sources", "list")
    assert "failing" in listed.output
    assert "failed 1x" in listed.output and "HTTP 500" in listed.output


def test_watch_once_polls_what_is_due(kartoteka: Any, site: Site) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS[:2]))
    kartoteka("sources", "add", site.url("/feed"), "--every", "1d")
    first = kartoteka("watch", "--once", "--no-extract")
    assert first.exit_code == 0, first.output
    assert "added 2" in first.output
    second = kartoteka("watch", "--once", "--no-extract")
    assert second.exit_code == 0
    assert second.output == ""  # nothing due for a day
    assert len(site.requests) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sources", "add", "example.org/feed"), "error: bad URL 'example.org/feed'"),
        (("sources", "add", "https://example.org/", "--every", "5 weeks"),
         "error: bad interval '5 weeks'"),
        (("sources", "add", "https://example.org/", "--every", "10s"),
         "error: bad interval '10s': it must be between 1m and 30d"),
        (("sources", "add", "https://example.org/", "--country", "Serbia"),
         "error: bad country 'serbia'"),
        (("sources", "remove", "42"), "error: unknown source '42'"),
        (("sources", "run", "https://nowhere.example/"), "error: unknown source"),
    ],
)
def test_mistakes_are_one_clear_line(kartoteka: Any, args: tuple[str, ...], message: str) -> None:
    kartoteka("init")
    result = kartoteka(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_adding_the_same_url_twice_is_refused(kartoteka: Any) -> None:
    assert kartoteka("sources", "add", "https://example.org/feed").exit_code == 0
    again = kartoteka("sources", "add", "https://example.org/feed")
    assert again.exit_code == 2
    assert "already watched (source 1)" in again.stderr


@pytest.mark.parametrize("command", [("sources", "add"), ("sources", "list"),
                                     ("sources", "remove"), ("sources", "run"), ("watch",)])
def test_every_command_has_help(kartoteka: Any, command: tuple[str, ...]) -> None:
    result = kartoteka(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_watch_runs_until_sigterm_and_stops_cleanly(site: Site, tmp_path: Path) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS))
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "KARTOTEKA_DATABASE_URL": url}
    command = [sys.executable, "-m", "kartoteka"]
    subprocess.run([*command, "sources", "add", site.url("/feed")], env=env, check=True,
                   capture_output=True)
    watcher = subprocess.Popen([*command, "watch", "--no-extract", "--max-wait", "1"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert watcher.stdout is not None
        first = watcher.stdout.readline()  # blocks until the first poll has been stored
        assert "added 3" in first
        watcher.send_signal(signal.SIGTERM)
        _, err = watcher.communicate(timeout=60)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert watcher.returncode == 0
    assert "stopped watching" in err
    assert "Traceback" not in err


def test_run_timeout_makes_a_slow_server_one_failure(kartoteka: Any, site: Site) -> None:
    site.resources["/slow"] = Resource(rss(ITEMS), delay=2.0)
    kartoteka("sources", "add", site.url("/slow"))
    ran = kartoteka("sources", "run", "--timeout", "0.3", "--no-extract")
    assert ran.exit_code == 1
    assert ran.stderr.startswith("source 1 failed:")
    assert "no complete answer within 0.3 s (timed out)" in ran.stderr
