"""The admin area's jobs page shows what ``kartoteka jobs`` does, and retries."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from kartoteka.queue import jobs
from kartoteka.queue.app import build_app
from kartoteka.queue.tasks import defer_extraction
from kartoteka.store.database import Database
from kartoteka.store.jobs import JobStore
from tests.web.accounts_support import Site


def test_the_jobs_page_shows_a_parked_job_and_retries_it(pg: Database, pg_url: str) -> None:
    app, runtime = build_app(pg_url)
    try:
        with app.open():
            [job_id] = defer_extraction(app, [("0123456789abcdef", 1)], "run")
    finally:
        runtime.close()
    with pg.transaction() as conn:  # as a worker leaves a job after its last attempt
        conn.execute(text("UPDATE procrastinate_jobs SET status = 'doing' WHERE id = :id"),
                     {"id": job_id})
        conn.execute(text("UPDATE procrastinate_jobs SET status = 'failed', attempts = 5 "
                          "WHERE id = :id"), {"id": job_id})
        JobStore(conn).record_error(job_id, "extract_articles", 5, "ValueError: <bad> text",
                                    datetime.now(UTC))
    site = Site(pg)
    client, token = site.signed_in("admin")
    page = client.get("/admin/jobs")
    assert page.status_code == 200
    assert "extract</td><td>failed</td><td>1</td>" in page.text
    assert "ValueError: &lt;bad&gt; text" in page.text  # escaped
    editor, editor_token = site.signed_in("editor")
    refused = editor.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": editor_token},
                          follow_redirects=False)
    assert refused.status_code == 403
    done = client.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303
    assert jobs.overview(pg).counts == {"extract": {"todo": 1}}
    again = client.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": token})
    assert again.status_code == 422 and "is not a failed job" in again.text


def test_without_a_queue_the_page_says_so(db: Database) -> None:
    site = Site(db)
    client, _ = site.signed_in("admin")
    if db.backend == "sqlite":
        assert "No job queue here" in client.get("/admin/jobs").text
