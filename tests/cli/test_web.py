"""``kartoteka serve`` and ``kartoteka demo`` start a real server that answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 30) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url} within {seconds} s")


def start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("KARTOTEKA_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "kartoteka", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=20)
    return output


@pytest.mark.slow
def test_serve_answers_on_the_given_database(tmp_path: Path, corpus_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'served.db'}"
    db = Database(url)
    db.migrate()
    IngestService(db).ingest([str(corpus_dir)])
    db.dispose()
    port = free_port()
    process = start(["serve", "--port", str(port), "--db", url], tmp_path)
    try:
        response = wait_for(f"http://127.0.0.1:{port}/api/v1/articles", process)
        assert response.status_code == 200
        assert response.json()["total"] == 7
    finally:
        output = stop(process)
    assert f"at http://127.0.0.1:{port}/" in output


@pytest.mark.slow
def test_demo_builds_prints_the_url_and_serves(tmp_path: Path) -> None:
    port = free_port()
    database = tmp_path / "demo.db"
    process = start(["demo", "--database", str(database), "--port", str(port)], tmp_path)
    try:
        response = wait_for(f"http://127.0.0.1:{port}/", process, seconds=120)
        assert response.status_code == 200
        assert "kartoteka" in response.text
    finally:
        output = stop(process)
    assert f"demo at http://127.0.0.1:{port}/" in output
    assert database.exists()
