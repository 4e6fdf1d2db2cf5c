"""The commit probe the page cache relies on, on both backends.

Reads must leave it alone; a commit from another connection or another
process must change it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kartoteka.store.database import Database
from kartoteka.store.dialect import changes_content, is_write

ADD_AUTHOR = (
    "INSERT INTO authors (handle, handle_key, display_name, kind) "
    "VALUES ('{0}', '{0}', '{0}', 'channel')"
)


def _write_elsewhere(url: str) -> None:
    """A commit from a separate process, as the CLI or another web worker makes."""
    script = "\n".join(
        [
            "import sys",
            "from sqlalchemy import text",
            "from kartoteka.store.database import Database",
            "db = Database(sys.argv[1])",
            "with db.transaction() as conn:",
            f"    conn.execute(text({ADD_AUTHOR.format('@probe')!r}))",
            "db.dispose()",
        ]
    )
    subprocess.run([sys.executable, "-c", script, url], check=True, timeout=60)


def test_reads_leave_the_version_alone(db: Database) -> None:
    before = db.content_version()
    assert before is not None
    with db.read() as conn:
        conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    assert db.content_version() == before


def test_a_commit_on_another_connection_changes_it(db: Database) -> None:
    before = db.content_version()
    other = Database(db.url)
    try:
        with other.transaction() as conn:
            conn.execute(text(ADD_AUTHOR.format("@x")))
    finally:
        other.dispose()
    assert db.content_version() != before


def test_a_commit_on_our_own_pool_changes_it(db: Database) -> None:
    before = db.content_version()
    with db.transaction() as conn:
        conn.execute(text(ADD_AUTHOR.format("@y")))
    after = db.content_version()
    assert after != before
    assert db.content_version() == after


def test_a_commit_from_another_process_changes_it(db: Database) -> None:
    before = db.content_version()
    _write_elsewhere(db.url)
    assert db.content_version() != before


def test_a_private_memory_database_cannot_tell() -> None:
    memory = Database("sqlite://")
    try:
        assert memory.content_version() is None
    finally:
        memory.dispose()


def test_writes_to_another_database_on_the_same_server_do_not_count(db: Database) -> None:
    """On PostgreSQL the counter is per database, so other tenants' traffic never
    empties our caches (transaction-id snapshots would)."""
    if db.backend == "sqlite":
        pytest.skip("a SQLite file has no neighbours")
    before = db.content_version()
    neighbour = Database(str(make_url(db.url).set(database="postgres")))
    try:
        with neighbour.transaction() as conn:
            conn.execute(text("CREATE TEMPORARY TABLE neighbour_note (x int)"))
            conn.execute(text("INSERT INTO neighbour_note VALUES (1)"))
    finally:
        neighbour.dispose()
    assert db.content_version() == before


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("SELECT * FROM articles", False),
        ("  select 1", False),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ("WITH x AS (DELETE FROM sessions RETURNING pk) SELECT count(*) FROM x", True),
        ("INSERT INTO authors VALUES (1)", True),
        ("update articles set title = 'x'", True),
        ("TRUNCATE articles", True),
        ("CREATE INDEX ix ON articles (pk)", True),
    ],
)
def test_which_statements_count_as_writes(statement: str, writes: bool) -> None:
    assert is_write(statement) is writes


def test_bookkeeping_commits_leave_it_alone_and_content_commits_move_it(db: Database) -> None:
    """A source's status, a rate-limit hit: no anonymous page shows them."""
    with db.transaction() as conn:
        conn.execute(text("INSERT INTO sources (url, kind, interval_seconds, created_at, "
                          "consecutive_failures, next_due_at, articles_added_total, "
                          "articles_added_last, item_errors) VALUES ('https://a.example/', "
                          "'unknown', 60, CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP, 0, 0, '[]')"))
    before = db.content_version()
    other = Database(db.url)  # another process's pool, as a poller's
    try:
        with other.transaction() as conn:
            conn.execute(text("UPDATE sources SET consecutive_failures = 1"))
        assert db.content_version() == before
        with other.transaction() as conn:
            conn.execute(text("UPDATE sources SET consecutive_failures = 2"))
            conn.execute(text(ADD_AUTHOR.format("@z")))
    finally:
        other.dispose()
    assert db.content_version() != before


@pytest.mark.parametrize(
    ("statement", "rowcount", "changes"),
    [
        ("SELECT * FROM articles", 5, False),
        ("UPDATE sources SET etag = 'x' WHERE pk = 1", 1, False),
        ('UPDATE "sources" SET etag = \'x\'', 1, False),
        ("DELETE FROM sessions WHERE expires_at < now()", 3, False),
        ("INSERT INTO rate_limit_hits (k) VALUES (1) ON CONFLICT (k) DO UPDATE SET n = 2", 1,
         False),
        ("INSERT INTO procrastinate_jobs (queue_name) VALUES ('x')", 1, False),
        ("WITH x AS (DELETE FROM sessions RETURNING pk) SELECT count(*) FROM x", 1, False),
        ("INSERT INTO authors (handle) VALUES ('a') ON CONFLICT DO NOTHING", 0, False),
        ("INSERT INTO authors (handle) VALUES ('a') ON CONFLICT DO NOTHING", 1, True),
        # SQLite reports 0 rows for RETURNING until they are fetched: not proof of nothing.
        ("INSERT INTO authors (handle) VALUES ('a') RETURNING pk", 0, True),
        ("WITH x AS (DELETE FROM authors RETURNING pk) SELECT pk FROM x WHERE pk < 0", 0, True),
        ("INSERT INTO authors (handle) VALUES ('a')", -1, True),
        ("UPDATE articles SET title = 'x'", 2, True),
        ("WITH x AS (UPDATE sources SET kind = 'feed' RETURNING pk) "
         "INSERT INTO articles (pk) SELECT pk FROM x", 1, True),
        ("TRUNCATE sources", -1, True),
        ("CREATE INDEX ix ON sources (pk)", -1, True),
    ],
)
def test_which_statements_change_content(statement: str, rowcount: int, changes: bool) -> None:
    assert changes_content(statement, rowcount) is changes


def test_an_insert_with_returning_moves_it(db: Database) -> None:
    """SQLite reports 0 rows for RETURNING until they are fetched: still a change."""
    before = db.content_version()
    with db.transaction() as conn:
        returned = conn.execute(text(ADD_AUTHOR.format("@r") + " RETURNING pk")).scalar_one()
    assert returned is not None
    assert db.content_version() != before
