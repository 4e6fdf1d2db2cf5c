"""kill -9 during ``init`` and during ``ingest`` never leaves a broken database.

Issue 14, defect 7: SQLite migrations ran outside a transaction, so a killed
``init`` left half a schema that no later ``init`` could finish.  Each case
starts the real CLI in a subprocess, waits until it is working on the
database, kills it at a random moment, and then checks that the database
opens, is consistent, and that running the command again completes it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.pool import NullPool

from kartoteka.queue.schema import ensure_queue_schema
from kartoteka.services.search import search
from kartoteka.store.database import Database
from kartoteka.store.tables import article_revisions, articles

from ..conftest import BACKENDS, PG_ADMIN_URL, REPO_ROOT

SEED = int(os.environ.get("KARTOTEKA_KILL_SEED", "14"))
ATTEMPTS = 3
ARTICLES = 1200  # five batches of 250: the kill lands while later ones are stored


def start(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("KARTOTEKA_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "kartoteka", *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def kill_when(process: subprocess.Popen[bytes], busy: Callable[[], bool], delay: float) -> bool:
    """SIGKILL ``delay`` seconds after ``busy()`` first holds; False if it finished first."""
    deadline = time.monotonic() + 120
    while not busy():
        if process.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.005)
    time.sleep(delay)
    if process.poll() is not None:
        return False
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return True


@contextmanager
def fresh_database(backend: str, tmp_path: Path, n: int) -> Iterator[str]:
    """A URL for a database with nothing in it (not even a schema)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'killed-{n}.db'}"
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"kartoteka_kill_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the suite skips PostgreSQL the same way
        admin.dispose()
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc}")
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def started_on(url: str, backend: str) -> Callable[[], bool]:
    """True once the process has connected to the database it is creating."""
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        return path.exists
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def connected() -> bool:
        with admin.connect() as conn:
            query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = :n")
            return bool(conn.execute(query, {"n": name}).scalar_one())

    return connected


def tables_in(database: Database) -> set[str]:
    with database.read() as conn:
        return set(inspect(conn).get_table_names()) - {"sqlite_sequence"}


def queue_tables(tables: set[str]) -> set[str]:
    return {name for name in tables if name.startswith("procrastinate_")}


def integrity_ok(database: Database) -> bool:
    if database.backend != "sqlite":
        return True  # PostgreSQL's WAL recovery is the server's job
    with database.read() as conn:
        return conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"


@pytest.mark.parametrize("backend", BACKENDS)
def test_init_killed_at_a_random_moment_leaves_the_database_as_it_was(
    backend: str, tmp_path: Path
) -> None:
    chance = random.Random(SEED)
    complete = None
    killed = 0
    for attempt in range(ATTEMPTS):
        with fresh_database(backend, tmp_path, attempt) as url:
            process = start("init", "--db", url)
            killed += kill_when(process, started_on(url, backend), chance.uniform(0.0, 0.4))
            database = Database(url)
            try:
                found = tables_in(database)
                # Nothing, or everything: never a schema without its version.
                assert found == set() or not database.pending_migrations(), sorted(found)
                # procrastinate's tables go in by one transaction of their own, after ours.
                queue_before = queue_tables(found)
                assert integrity_ok(database)
                database.migrate()  # and init can always finish the job
                ensure_queue_schema(database)
                assert not database.pending_migrations()
                complete = complete or tables_in(database)
                assert tables_in(database) == complete
                assert queue_before in (set(), queue_tables(complete)), sorted(queue_before)
            finally:
                database.dispose()
    assert killed >= 1, "every init finished before it could be killed"


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    for n in range(ARTICLES):
        (folder / f"note-{n:03}.md").write_text(
            f"---\nauthor: '@writer_{n % 7}'\n---\n# Note {n}\n\n"
            f"Field note {n} mentions the quokkaword{n} checkpoint near the river.\n",
            encoding="utf-8",
        )


def consistent(database: Database) -> int:
    """Every stored article has its current revision and is found by search."""
    with database.read() as conn:
        rows = conn.execute(select(articles.c.pk, articles.c.revision, articles.c.title)).all()
        revisions = set(
            conn.execute(select(article_revisions.c.article_pk, article_revisions.c.number)).all()
        )
        count = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    assert count == len(rows)
    for row in rows:
        assert (row.pk, row.revision) in revisions, row.title
    for row in rows[:: max(1, len(rows) // 10)]:
        number = row.title.split()[-1]
        assert search(database, f"quokkaword{number}").total == 1, row.title
    return len(rows)


def test_ingest_killed_at_a_random_moment_leaves_whole_articles(
    database_url: str, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    chance = random.Random(SEED)
    database = Database(database_url)
    try:

        def storing() -> bool:
            with database.read() as conn:
                return bool(conn.execute(select(func.count()).select_from(articles)).scalar_one())

        process = start("ingest", str(corpus), "--no-extract", "--db", database_url)
        killed = kill_when(process, storing, chance.uniform(0.0, 0.3))
        assert integrity_ok(database)
        before = consistent(database)
        assert killed and 0 < before < ARTICLES, "the ingest was not killed midway"
        again = subprocess.run(
            [sys.executable, "-m", "kartoteka", "ingest", str(corpus), "--no-extract",
             "--db", database_url, "--json"],
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, timeout=300,
        )
        assert again.returncode == 0, again.stderr
        assert consistent(database) == ARTICLES
    finally:
        database.dispose()
