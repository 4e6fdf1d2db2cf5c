"""Restart PostgreSQL under running queue workers: they reconnect and finish every job.

RUN THIS ALONE: it restarts the whole PostgreSQL server, cutting every other
user's connections, which is why it is a script and not a test (the test
suite cuts only its own worker's connections, ``tests/job_queue/test_faults.py``).

It creates a scratch database, stores a few hundred synthetic articles with
their extraction queued as many small jobs, starts ``--workers`` workers,
restarts the server with ``--restart`` (default ``pg_ctlcluster 15 main
restart``) once some jobs are done, and waits for the rest.  It passes when
every job succeeded, each article was extracted (its mention rows are
there, none twice) and the workers are still running.

    python bench/queue_restart.py [--n 300] [--workers 2]
                                  [--restart "pg_ctlcluster 15 main restart"]

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pipeline import REGISTRY, Scratch, write_corpus  # noqa: E402
from sqlalchemy import text  # noqa: E402

from kartoteka.queue.app import build_app  # noqa: E402
from kartoteka.queue.schema import ensure_queue_schema  # noqa: E402
from kartoteka.queue.tasks import defer_extraction  # noqa: E402
from kartoteka.services import registry as registry_service  # noqa: E402
from kartoteka.services.wiring import ingest_service  # noqa: E402


def states(url: str) -> dict[str, int]:
    """Job counts by state, through a fresh connection (the server may be restarting)."""
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, connect_timeout=5) as conn:
        rows = conn.execute("SELECT status::text, count(*) FROM procrastinate_jobs "
                            "WHERE task_name = 'extract_articles' GROUP BY 1").fetchall()
    return {status: int(n) for status, n in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--restart", default="pg_ctlcluster 15 main restart")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    out: dict[str, object] = {"load_before": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ.setdefault("KARTOTEKA_CACHE_DIR", str(tmp / "cache"))
        scratch = Scratch(tmp)
        procs: list[subprocess.Popen[bytes]] = []
        try:
            db = scratch.postgres()
            ensure_queue_schema(db)
            registry_service.import_file(db, REGISTRY)
            corpus = write_corpus(tmp / "restart.jsonl", args.n, 11, "restart")
            report = ingest_service(db, extract=False).ingest([str(corpus)], "jsonl")
            app, runtime = build_app(db.url)
            with app.open():
                keys = [(i, 1) for i in report.article_ids]
                for start in range(0, len(keys), 5):
                    defer_extraction(app, keys[start:start + 5], "restart")
            runtime.close()
            url = db.url
            db.dispose()
            env = dict(os.environ, KARTOTEKA_DATABASE_URL=url, PYTHONPATH=str(ROOT),
                       KARTOTEKA_QUEUE_BACKOFF="1")
            procs = [subprocess.Popen([sys.executable, "-m", "kartoteka", "worker"], env=env)
                     for _ in range(args.workers)]
            total = sum(states(url).values())
            while states(url).get("succeeded", 0) < max(1, total // 5):
                time.sleep(0.5)
            before = states(url)
            restarted = subprocess.run(shlex.split(args.restart), check=False)
            out["restart_exit"] = restarted.returncode
            started = time.monotonic()
            final: dict[str, int] = {}
            while time.monotonic() - started < args.timeout:
                try:
                    final = states(url)
                except Exception:  # the server is still coming back
                    time.sleep(1)
                    continue
                if final.get("succeeded", 0) + final.get("failed", 0) == total:
                    break
                time.sleep(1)
            alive = sum(1 for p in procs if p.poll() is None)
            from kartoteka.store.database import Database

            check = Database(url)
            with check.read() as conn:
                duplicates = conn.execute(text(
                    "SELECT count(*) FROM (SELECT article_pk, start, \"end\", label, count(*) "
                    "FROM mentions GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d")).scalar()
                extracted = conn.execute(text(
                    "SELECT count(DISTINCT article_pk) FROM mentions")).scalar()
            check.dispose()
            out.update({"jobs": total, "done_before_restart": before, "final": final,
                        "workers_alive": alive, "duplicate_mentions": duplicates,
                        "articles_with_mentions": extracted,
                        "recovery_s": round(time.monotonic() - started, 1)})
            ok = final.get("succeeded") == total and alive == args.workers and not duplicates
            out["passed"] = ok
            print(f"{'PASSED' if ok else 'FAILED'}: {final} of {total} jobs after the restart, "
                  f"{alive}/{args.workers} workers alive, {duplicates} duplicated mention(s)")
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(60)
                except subprocess.TimeoutExpired:
                    proc.kill()
            scratch.close()
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
