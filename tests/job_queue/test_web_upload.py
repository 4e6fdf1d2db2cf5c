"""Web uploads with the queue configured: the web process stores, the workers extract.

``KARTOTEKA_QUEUE=procrastinate`` in the environment, as a deployment sets
it; the app is built from it (``create_app``), so the path under test is the
one ``kartoteka serve`` takes.  Real PostgreSQL, real jobs, a real worker.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from kartoteka.auth.roles import Actor, Role
from kartoteka.queue.app import QueueNotAvailable, build_app
from kartoteka.services import registry as registry_service
from kartoteka.services.sessions import COOKIE_NAME
from kartoteka.store.database import Database
from kartoteka.store.tables import articles
from kartoteka.web.app import create_app

from .test_queue import DATA, mention_rows, no_ner, run_worker


def _extract_jobs(db: Database) -> list[tuple[str, list[list[object]]]]:
    with db.read() as conn:
        rows = conn.execute(text(
            "SELECT status, args FROM procrastinate_jobs "
            "WHERE task_name = 'extract_articles' ORDER BY id")).all()
    return [(str(status), args["articles"]) for status, args in rows]


def _stored(db: Database) -> list[tuple[str, str]]:
    with db.read() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.status).order_by(articles.c.id))
        return [(str(i), str(s)) for i, s in rows]


def test_an_upload_is_stored_here_and_extracted_by_a_worker(
    pg: Database, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KARTOTEKA_QUEUE", "procrastinate")
    registry_service.import_file(pg, DATA / "registry.ftm.jsonl")
    app = create_app(pg)
    services = app.state.services
    services.accounts.add_user(Actor.operator("test"), "contributor@example.org",
                               Role.CONTRIBUTOR, password="a long enough password 1")
    issued = services.sessions.start(services.accounts.get_user("contributor@example.org"))
    upload = sorted((DATA / "articles").glob("*.md"))[0]
    with TestClient(app) as client:  # leaving it runs the app's shutdown: the queue closes
        client.cookies.set(COOKIE_NAME, issued.secret, domain="testserver.local")
        response = client.post(
            "/submit/upload",
            data={"csrf_token": services.sessions.csrf_token(issued.secret), "fmt": "auto"},
            files={"file": (upload.name, upload.read_bytes())},
        )
    assert response.status_code == 200, response.text
    [(article_id, status)] = _stored(pg)
    assert status == "draft"
    # Stored, queued, and not extracted by the web process.
    assert _extract_jobs(pg) == [("todo", [[article_id, 1]])]
    assert mention_rows(pg) == []

    worker, runtime = build_app(pg_url)
    runtime.extraction_factory = no_ner
    try:
        run_worker(worker)
    finally:
        runtime.close()
    assert _extract_jobs(pg) == [("succeeded", [[article_id, 1]])]
    assert mention_rows(pg), "the worker found no mention in an article naming the registry"


def test_the_queue_on_sqlite_is_refused_when_the_app_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KARTOTEKA_QUEUE", "procrastinate")
    local = Database(f"sqlite:///{tmp_path / 'k.db'}")
    try:
        with pytest.raises(QueueNotAvailable, match="needs PostgreSQL"):
            create_app(local)
    finally:
        local.dispose()
