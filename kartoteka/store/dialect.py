"""Every difference between SQLite and PostgreSQL, in one place.

Nothing else in kartoteka checks which backend it talks to, except
:mod:`kartoteka.store.search_index`, which holds the full-text index (its
set-up, keeping it in step with the articles, the match expression and the
rank) and is split off because the index is most of the differences.  Each
helper here has one SQLite and one PostgreSQL branch:

* statistics for the query planner, connection settings, append-only tables;
* get-or-create inserts and counters (``ON CONFLICT``, built from each
  dialect's own ``insert``), and many numbers bound as one JSON parameter;
* how a reader learns that anything was committed since it last looked
  (``content_version_probe``), which lets the web app cache pages;
* moments in time (``UtcDateTime``): SQLite keeps no time zone.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Dialect,
    Engine,
    Table,
    TableValuedAlias,
    TypeDecorator,
    bindparam,
    cast,
    event,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

# The folding text search configuration (see search_index), for words looked up here.
TS_CONFIG = "kartoteka"


def is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


# --- column types ----------------------------------------------------------------------


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in time, always read back as an aware UTC datetime.

    PostgreSQL's ``timestamptz`` keeps the zone; SQLite stores the wall time
    and hands back a naive datetime.  Everything is stored as UTC (an aware
    value in another zone is converted on the way in), so a naive value read
    back is UTC: every table column of a moment uses this type, and no
    repository fixes values up by hand.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)  # PostgreSQL answers in the session's zone


# --- set-up (called from migrations) -------------------------------------------------


def refresh_statistics(conn: Connection) -> None:
    """Give the query planner statistics.

    Without a ``sqlite_stat1`` table SQLite looks up each full-text match by
    rowid and reads the whole row (the body's overflow pages included) instead
    of using the covering visibility index; any statistics at all fix that.
    PostgreSQL's autovacuum keeps its own in time, but after a bulk load (or
    where autovacuum is off) the planner needs them at once: without them it
    misjudges how many rows an IN list over a term or an entity matches.
    (Only VACUUM, which autovacuum also runs, lets PostgreSQL read the story
    terms index alone, without the table: related materials' text look-up
    took 12 ms instead of 6 ms for one article at 8k articles before it.)
    """
    conn.execute(text("ANALYZE"))  # the same statement on both backends


# --- connections --------------------------------------------------------------------

SQLITE_BUSY_TIMEOUT_MS = 10_000


#: Execution option that marks a connection's transactions as writes (see begin_sqlite).
WRITE_OPTION = "kartoteka_write"


def configure_sqlite_connection(dbapi_connection: Any) -> None:
    """WAL lets readers run while one writer writes; the busy timeout makes a
    second writer wait instead of failing at once; ``optimize`` keeps the
    planner's statistics fresh at a bounded cost.

    The driver's own transaction handling is turned off (``begin_sqlite``
    issues BEGIN instead): pysqlite begins a transaction only before an
    INSERT, UPDATE or DELETE, so reads before the first write, and every
    CREATE TABLE of a migration, ran outside any transaction.  A killed
    ``init`` then left half a schema, and two writers could both find an
    author missing.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA analysis_limit=400")  # bounds what optimize may cost
    cursor.execute("PRAGMA optimize=0x10002")
    cursor.close()


def begin_sqlite(conn: Connection) -> None:
    """Start every SQLAlchemy transaction on SQLite ourselves.

    A write transaction takes the write lock at once (IMMEDIATE): in WAL mode
    a transaction that read first and then writes after another writer
    committed fails at once instead of waiting, while an IMMEDIATE one waits
    for the busy timeout and then reads the latest data.  Reads stay
    DEFERRED and see one snapshot throughout.  PostgreSQL needs nothing:
    its driver begins transactions itself.
    """
    mode = "IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def insert_or_ignore(
    conn: Connection, table: Table, values: dict[str, Any], keys: Sequence[str]
) -> bool:
    """Insert a row unless one with the same ``keys`` exists (a get-or-create's insert).

    Two writers may both find a row missing and both insert it; the loser's
    insert then does nothing instead of failing on the unique index, and it
    reads the winner's row.  Both backends spell it ``ON CONFLICT DO NOTHING``
    but SQLAlchemy builds it from each dialect's own ``insert``.  True if
    this call inserted the row.
    """
    if is_sqlite(conn):
        statement: Any = sqlite_insert(table).values(values)
    else:
        statement = postgresql_insert(table).values(values)
    statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    # RETURNING tells whether a row went in (rowcount is not reliable with psycopg here).
    returned = conn.execute(statement.returning(table.c[keys[0]])).first()
    return returned is not None


def insert_many_or_ignore(
    conn: Connection, table: Table, rows: list[dict[str, Any]], keys: Sequence[str]
) -> None:
    """``insert_or_ignore`` for many rows in one executemany, without telling which went in."""
    if not rows:
        return
    statement: Any = sqlite_insert(table) if is_sqlite(conn) else postgresql_insert(table)
    conn.execute(statement.on_conflict_do_nothing(index_elements=list(keys)), rows)


def insert_plain_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert rows of plain numbers and text straight through the driver's executemany.

    SQLAlchemy processes every row's parameters on the way (for types that
    may convert them); for the forty story terms and thirty-two band keys of
    each article that was about 15% of storing it, and they need no
    conversion.  Only the placeholder differs: ``?`` for sqlite3, ``%s`` for
    psycopg.
    """
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if is_sqlite(conn) else "%s"
    conn.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})", list(rows))


def add_to_counts(
    conn: Connection, table: Table, key: str, count: str, deltas: dict[str, int]
) -> None:
    """Add each delta to the ``count`` of the row whose ``key`` it is keyed by,
    inserting the rows that are missing (an upsert: ``ON CONFLICT DO UPDATE``).

    Both backends spell it alike, but SQLAlchemy builds it from each dialect's
    own ``insert``.  One statement, built once, run for many rows: a multi-row
    VALUES was a new statement to compile for every article written, and
    made writing articles 2.7 times slower.  Rows go in key order, so two
    writers lock shared rows in the same order and cannot deadlock on
    PostgreSQL.
    """
    if not deltas:
        return
    cache_key = (conn.dialect.name, table.name, key, count)
    statement = _ADD_TO_COUNTS.get(cache_key)
    if statement is None:
        base: Any = sqlite_insert(table) if is_sqlite(conn) else postgresql_insert(table)
        statement = _ADD_TO_COUNTS[cache_key] = base.on_conflict_do_update(
            index_elements=[key], set_={count: table.c[count] + base.excluded[count]})
    conn.execute(statement, [{key: k, count: deltas[k]} for k in sorted(deltas)])


_ADD_TO_COUNTS: dict[tuple[str, str, str, str], Any] = {}


# --- many numbers in one parameter ---------------------------------------------------


def keyed_numbers(conn: Connection, name: str) -> TableValuedAlias:
    """Rows ``(key, value)`` of the JSON object bound as ``name``, such as terms
    and their weights; cast ``value`` to a number where it is used.

    A CASE with one WHEN per term (and an IN list) gave SQLAlchemy 80
    parameters to process and, for each count of terms, another statement to
    compile: more of related materials' time than the query.  One parameter
    keeps the statement the same.  SQLite reads it with ``json_each``,
    PostgreSQL with ``jsonb_each_text`` (values as text).
    """
    if is_sqlite(conn):
        rows = func.json_each(bindparam(name))
    else:
        rows = func.jsonb_each_text(cast(bindparam(name), JSONB))
    return rows.table_valued("key", "value").alias(f"{name}_rows")


# --- append-only tables -------------------------------------------------------------


def forbid_changes(conn: Connection, table_name: str) -> None:
    """Make the database itself refuse UPDATE and DELETE on a table.

    The repository offers no way to change an audit entry; this also stops
    anyone with a plain SQL connection.  (PostgreSQL's TRUNCATE, which tests
    use to empty tables, is a separate privilege and not blocked.)
    """
    message = f"{table_name} is append-only: rows cannot be changed or deleted"
    if is_sqlite(conn):
        for event_name in ("UPDATE", "DELETE"):
            conn.execute(
                text(
                    f"CREATE TRIGGER IF NOT EXISTS {table_name}_no_{event_name.lower()} "
                    f"BEFORE {event_name} ON {table_name} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
            )
        return
    conn.execute(
        text(
            f"""
            CREATE OR REPLACE FUNCTION {table_name}_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{message}'; END $$;
            """
        )
    )
    conn.execute(
        text(
            f"CREATE TRIGGER {table_name}_append_only BEFORE UPDATE OR DELETE ON {table_name} "
            f"FOR EACH ROW EXECUTE FUNCTION {table_name}_append_only()"
        )
    )


def allow_changes(conn: Connection, table_name: str) -> None:
    if is_sqlite(conn):
        for event_name in ("update", "delete"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table_name}_no_{event_name}"))
        return
    conn.execute(text(f"DROP TRIGGER IF EXISTS {table_name}_append_only ON {table_name}"))
    conn.execute(text(f"DROP FUNCTION IF EXISTS {table_name}_append_only()"))


# --- the alert queue (see store.alerts_tables) ---------------------------------------

# (trigger name, table, event, the article pk or entity id it queues, condition)
_ALERT_TRIGGERS = (
    ("alert_article_insert", "articles", "INSERT", "NEW.pk", ""),
    ("alert_article_update", "articles",
     "UPDATE OF status, deleted_at, original_id, author_pk, title, body", "NEW.pk", ""),
    ("alert_entity_link", "article_entities", "INSERT", "NEW.article_pk", ""),
    ("alert_country_tag", "article_countries", "INSERT", "NEW.article_pk", ""),
    ("alert_entity_merge", "entities", "UPDATE OF merged_into", "NEW.id",
     "NEW.merged_into IS NOT NULL"),
)


def create_alert_triggers(conn: Connection) -> None:
    """Queue every change that may make an article match a watchlist, as it is written.

    Triggers rather than calls in each writer: ingest, extraction, review,
    merges and any later writer are covered alike, in the change's own
    transaction.  A row queued again bumps ``version``, so the matcher only
    clears rows that did not change while it worked.  SQLite's timestamp
    has milliseconds (``CURRENT_TIMESTAMP`` only seconds).
    """
    for name, table, event_name, value, condition in _ALERT_TRIGGERS:
        queue, column = (
            ("alert_entity_queue", "entity_id") if table == "entities"
            else ("alert_queue", "article_pk")
        )
        if is_sqlite(conn):
            when = f"WHEN {condition} " if condition else ""
            conn.execute(text(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event_name} ON {table} {when}"
                f"BEGIN INSERT INTO {queue} ({column}, queued_at, version) "
                f"VALUES ({value}, strftime('%Y-%m-%d %H:%M:%f', 'now'), 1) "
                f"ON CONFLICT ({column}) DO UPDATE SET queued_at = excluded.queued_at, "
                f"version = {queue}.version + 1; END"
            ))
            continue
        check = f"IF NOT ({condition}) THEN RETURN NULL; END IF;" if condition else ""
        conn.execute(text(
            f"""
            CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              {check}
              INSERT INTO {queue} AS q ({column}, queued_at, version) VALUES ({value}, now(), 1)
              ON CONFLICT ({column}) DO UPDATE SET queued_at = EXCLUDED.queued_at,
                version = q.version + 1;
              RETURN NULL;
            END $$;
            """
        ))
        conn.execute(text(
            f"CREATE TRIGGER {name} AFTER {event_name} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        ))


def drop_alert_triggers(conn: Connection) -> None:
    for name, table, *_ in _ALERT_TRIGGERS:
        if is_sqlite(conn):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        else:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            conn.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))


# --- noticing commits ---------------------------------------------------------------

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


def serialise_writers(conn: Connection, name: str) -> None:
    """Let one transaction at a time past this point, until it ends.

    Queue workers recount shared candidate rows; two doing so at once would
    race on the same new rows.  PostgreSQL: a transaction-scoped advisory
    lock keyed by ``name`` (held only from here to the commit, so the slow
    part of a job runs in parallel).  SQLite: a write transaction already
    holds the only write lock.
    """
    if is_sqlite(conn):
        return
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
