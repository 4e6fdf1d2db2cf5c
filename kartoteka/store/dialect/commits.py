"""How a reader learns that anything was committed since it last looked.

The web app caches pages until the database changes: every transaction that
changes content bumps a counter on commit (a sequence-fed row on PostgreSQL,
a clock-fed row on SQLite), and ``content_version_probe`` reads it cheaply
(SQLite asks ``PRAGMA data_version`` first).  Writes only to bookkeeping
tables leave it alone.  Split from :mod:`kartoteka.store.dialect`, where the
rest of the backend differences live.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from typing import Any

from sqlalchemy import Connection, Engine, event, text

from kartoteka.store.dialect._backend import is_sqlite

CONTENT_VERSION = "content_version"
_READS = ("SELECT", "SHOW", "EXPLAIN", "SET", "RESET", "PRAGMA", "BEGIN", "VALUES")
_WRITE_WORDS = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b", re.IGNORECASE)
# The tables a data-changing statement writes: INSERT [OR …] INTO t, UPDATE t,
# DELETE FROM t (an upsert's "DO UPDATE SET" yields "set", which is dropped).
_TARGETS = re.compile(
    r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?'
    r'(?:"?\w+"?\.)?"?(\w+)"?',
    re.IGNORECASE,
)
_DML = ("INSERT", "UPDATE", "DELETE", "WITH")
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
#: Tables no anonymous page reads: the pollers' status, the queue's notes, rate
#: limits, sessions and tokens, alert and webhook bookkeeping.  A transaction
#: that writes only these leaves the page caches alone (a poll that found
#: nothing new, a login, a job's error note); one row anywhere else empties them.
BOOKKEEPING_TABLES = frozenset({
    "sources", "job_errors", "rate_limit_hits", "sessions", "one_time_links", "api_tokens",
    "alert_queue", "alert_entity_queue", "webhook_deliveries", "webhook_attempts",
})
_BOOKKEEPING_PREFIXES = ("procrastinate_",)  # the job queue's own tables
_WROTE = "kartoteka_wrote"
_BUMP = f"""
DO $$ BEGIN
  IF to_regclass('{CONTENT_VERSION}') IS NOT NULL THEN
    INSERT INTO {CONTENT_VERSION} (id, n) VALUES (1, nextval('{CONTENT_VERSION}_n'))
    ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n;
  END IF;
END $$"""
# SQLite has no sequences: the counter moves to the current time in microseconds
# (or one past itself, if that is later), so it never repeats a value a web
# worker holds, even after a restore brought back an older row.
_SQLITE_BUMP = f"""
INSERT INTO {CONTENT_VERSION} (id, n)
VALUES (1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
ON CONFLICT (id) DO UPDATE SET n = max({CONTENT_VERSION}.n + 1, excluded.n)"""


def create_content_version(conn: Connection) -> None:
    """The content counter (see ``content_version_probe``), with its first value.

    PostgreSQL takes the value from a sequence, so it never repeats, even
    after the table is emptied (the tests do that between cases); SQLite
    from the clock (``_SQLITE_BUMP``)."""
    if is_sqlite(conn):
        conn.execute(text(
            f"CREATE TABLE IF NOT EXISTS {CONTENT_VERSION} (id integer PRIMARY KEY, n bigint)"))
        conn.execute(text(_SQLITE_BUMP))
        return
    conn.execute(text(f"CREATE SEQUENCE IF NOT EXISTS {CONTENT_VERSION}_n"))
    conn.execute(
        text(f"CREATE TABLE IF NOT EXISTS {CONTENT_VERSION} (id integer PRIMARY KEY, n bigint)")
    )
    conn.execute(text(_BUMP))


def drop_content_version(conn: Connection) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {CONTENT_VERSION}"))
    if not is_sqlite(conn):
        conn.execute(text(f"DROP SEQUENCE IF EXISTS {CONTENT_VERSION}_n"))


def note_external_change(conn: Connection) -> None:
    """After data arrived behind SQLAlchemy's back (a restore), say so."""
    if is_sqlite(conn):
        if conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                             f"AND name = '{CONTENT_VERSION}'")).first():
            conn.execute(text(_SQLITE_BUMP))
        return
    conn.execute(text(_BUMP))


def track_commits(engine: Engine) -> None:
    """A transaction that changed content bumps ``content_version`` as it commits.

    Every statement is looked at after it runs (``changes_content``); one
    that changed rows outside ``BOOKKEEPING_TABLES`` marks the connection,
    and the commit hook runs one statement in the same transaction just
    before committing, so the new value becomes visible with the data.
    Both backends: SQLite's own ``PRAGMA data_version`` moves with every
    commit, bookkeeping included, so it only tells the probe when to look.
    """
    event.listen(engine, "after_cursor_execute", _note_write)
    event.listen(engine, "commit", _bump_on_commit)
    event.listen(engine, "rollback", _forget_write)


def is_write(statement: str) -> bool:
    """Anything but a plain read; a mistaken "write" only costs a cache refill."""
    head = statement.lstrip()[:8].upper()
    if head.startswith("WITH"):
        return bool(_WRITE_WORDS.search(statement))
    return not head.startswith(_READS)


def changes_content(statement: str, rowcount: int = -1) -> bool:
    """Whether a statement that ran may have changed what anonymous pages show.

    Not if it reads only, if it is a plain INSERT, UPDATE or DELETE (no
    WITH, no RETURNING) that changed no row (``rowcount`` 0: an unchanged
    item's get-or-create), or if every table it writes is bookkeeping.
    Anything it cannot tell (DDL, TRUNCATE, a ``DO`` block, an unknown row
    count) counts as a change.
    """
    if not is_write(statement):
        return False
    head = statement.lstrip()[:8].upper()
    if not head.startswith(_DML):
        return True
    # A WITH statement's count is its final SELECT's rows; SQLite counts a
    # RETURNING statement's rows only as they are fetched (0 here, whatever it
    # wrote): for both, a 0 proves nothing.
    if rowcount == 0 and not head.startswith("WITH") and not _RETURNING.search(statement):
        return False
    targets = [t.lower() for t in _TARGETS.findall(statement) if t.lower() != "set"]
    return not targets or not all(
        t in BOOKKEEPING_TABLES or t.startswith(_BOOKKEEPING_PREFIXES) for t in targets)


def note_write(conn: Connection) -> None:
    """Mark the transaction as one that changed content, for a write made on the
    driver's own connection, which SQLAlchemy's events do not see (a COPY)."""
    conn.info[_WROTE] = True


def _note_write(conn: Connection, cursor: Any, statement: str, *_args: Any) -> None:
    if conn.info.get(_WROTE):
        return  # already marked: no need to look further in this transaction
    rowcount = getattr(cursor, "rowcount", -1)
    if changes_content(statement, rowcount if isinstance(rowcount, int) else -1):
        conn.info[_WROTE] = True


def _bump_on_commit(conn: Connection) -> None:
    if conn.info.pop(_WROTE, False):
        # On the DBAPI connection, so it does not re-enter these events.
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            if conn.dialect.name == "sqlite":
                # No counter yet (a database older than 0095): data_version rules.
                with contextlib.suppress(sqlite3.OperationalError):
                    cursor.execute(_SQLITE_BUMP)
            else:
                cursor.execute(_BUMP)
        finally:
            cursor.close()


def _forget_write(conn: Connection) -> None:
    conn.info.pop(_WROTE, None)


class VersionProbe:
    """Asks the database whether anything was committed; see ``content_version_probe``."""

    def __call__(self) -> str | None:
        return None  # cannot tell: callers must not cache

    def close(self) -> None:
        """Release the probe's own connection, if it holds one."""


def content_version_probe(engine: Engine) -> VersionProbe:
    """A cheap call whose answer changes whenever anyone commits a write.

    Only its equality matters.  It must be asked *before* the data it guards
    is read: a commit after the question changes the next answer, so a page
    built from older data can never outlive it.  ``None`` means "cannot tell";
    callers then must not cache.

    * SQLite: ``PRAGMA data_version`` on a connection of our own that never
      writes, so every commit is another connection's and moves it, whichever
      process made it (about 5 us); when it moved, the ``content_version``
      row, which only content-changing commits bump (``track_commits``).
    * PostgreSQL: the ``content_version`` row, which every transaction that
      changed content through kartoteka bumps as it commits (``track_commits``), so the
      new value becomes visible together with the data.  One round trip on a
      dedicated autocommit connection.  (Transaction-id snapshots would need no
      bookkeeping, but they move with every write anywhere in the cluster.)
    """
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        if not path or path == ":memory:" or path.startswith("file:"):
            return VersionProbe()  # a private in-memory database: nothing to compare
        return _SqliteProbe(path)
    return _PostgresqlProbe(engine)


class _SqliteProbe(VersionProbe):
    """``PRAGMA data_version`` says when anyone committed; the counter row says
    whether it was content.  The row is read only when the pragma moved, so an
    unchanged database still costs one pragma."""

    def __init__(self, path: str) -> None:
        self._lock = threading.Lock()
        self._watcher = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._seen: str | None = None  # data_version when the counter was last read
        self._answer: str | None = None

    def __call__(self) -> str | None:
        with self._lock:
            try:
                seen = str(self._watcher.execute("PRAGMA data_version").fetchone()[0])
                if seen != self._seen:
                    self._answer = self._read_counter(seen)
                    self._seen = seen
                return self._answer
            except sqlite3.Error:
                self._seen = None
                return None

    def _read_counter(self, seen: str) -> str:
        try:
            row = self._watcher.execute(
                f"SELECT n FROM {CONTENT_VERSION} WHERE id = 1").fetchone()
        except sqlite3.OperationalError:  # no counter yet (before 0095): every commit counts
            return f"d{seen}"
        return f"c{row[0] if row else 0}"

    def close(self) -> None:
        with self._lock:
            self._watcher.close()


class _PostgresqlProbe(VersionProbe):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._held: Any = None  # a DBAPI connection detached from the pool, opened on use

    def __call__(self) -> str | None:
        with self._lock:
            try:
                if self._held is None:
                    pooled = self._engine.raw_connection()
                    raw = pooled.dbapi_connection
                    assert raw is not None  # a fresh checkout always holds one
                    pooled.detach()  # ours for good: never handed back to the pool
                    raw.rollback()  # the pool's liveness check may have begun one
                    raw.autocommit = True  # type: ignore[attr-defined]
                    self._held = raw
                cursor = self._held.cursor()
                cursor.execute(f"SELECT n FROM {CONTENT_VERSION} WHERE id = 1")
                row = cursor.fetchone()
                return None if row is None else str(row[0])
            except Exception:  # a lost connection: report "cannot tell", reconnect next time
                self._drop()
                return None

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to release
                held.close()
