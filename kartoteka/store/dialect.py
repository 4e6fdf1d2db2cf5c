"""Every difference between SQLite and PostgreSQL, in one place.

Nothing else in kartoteka checks which backend it talks to, except
:mod:`kartoteka.store.search_index`, which holds the full-text index (its
set-up, keeping it in step with the articles, the match expression and the
rank) and is split off because the index is most of the differences.  Each
helper here has one SQLite and one PostgreSQL branch:

* statistics for the query planner, connection settings, append-only tables;
* which articles contain a word, for related articles (on PostgreSQL with
  the planner's statistics as a shortcut past words far too common);
* how a reader learns that anything was committed since it last looked
  (``content_version_probe``), which lets the web app cache pages.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from typing import Any

from sqlalchemy import Connection, Engine, event, text

# The folding text search configuration (see search_index), for words looked up here.
TS_CONFIG = "kartoteka"


def is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


# --- set-up (called from migrations) -------------------------------------------------


def refresh_statistics(conn: Connection) -> None:
    """Give the query planner statistics.

    Without a ``sqlite_stat1`` table SQLite looks up each full-text match by
    rowid and reads the whole row (the body's overflow pages included) instead
    of using the covering visibility index; any statistics at all fix that.
    PostgreSQL's autovacuum keeps its own in time, but after a bulk load (or
    where autovacuum is off) related articles need them at once: they tell
    which words are too common to look up (see ``word_document_counts``).
    """
    conn.execute(text("ANALYZE"))  # the same statement on both backends


# --- connections --------------------------------------------------------------------

SQLITE_BUSY_TIMEOUT_MS = 10_000


def configure_sqlite_connection(dbapi_connection: Any) -> None:
    """WAL lets readers run while one writer writes; the busy timeout makes a
    second writer wait instead of failing at once; ``optimize`` keeps the
    planner's statistics fresh at a bounded cost."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA analysis_limit=400")  # bounds what optimize may cost
    cursor.execute("PRAGMA optimize=0x10002")
    cursor.close()


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





# --- related articles: which articles contain a word ---------------------------------
# For each word: every article containing it, or None when more than ``cap``
# do (too common to say which articles are alike).  Few statements for all
# the words: at a few words per look-up, round trips cost more than the index.
#
# SQLite: FTS5 reads a word's doclist in order and stops at the LIMIT, so a
# capped count costs little however common the word (fts5vocab would read the
# whole doclist: 7 ms for a word in half of 100k articles, against 0.2 ms).
# One statement counts, a second lists the articles of the words not too common.
#
# PostgreSQL: a GIN index is read only as a bitmap of every match before the
# LIMIT applies (12 ms for a word in 72k of 100k articles), and with a LIMIT
# the planner may instead scan the table, decompressing each row's tsvector
# (over 100 ms).  So a word the planner's statistics (ANALYZE's most common
# lexemes, as shares of the rows then in the table) put at SKIP_FACTOR times
# the cap or more is reported as too common without being looked up; the rest
# are listed in one statement, each through a MATERIALIZED subquery, which the
# planner plans for every row and so through the index.  Inserts only add to a
# word's articles: the shortcut can err only after more than half of the
# articles of a word in thousands were deleted or edited since the last ANALYZE.

SKIP_FACTOR = 2


def _word_match(conn: Connection, n: int) -> str:
    """Select ``pk`` of articles (any status) whose text has the folded word ``:wN``."""
    if is_sqlite(conn):
        return f"SELECT rowid AS pk FROM article_fts WHERE article_fts MATCH :w{n}"
    return (f"WITH m AS MATERIALIZED (SELECT pk FROM articles WHERE search_vector @@ "
            f"to_tsquery('{TS_CONFIG}', quote_literal(:w{n}))) SELECT pk FROM m")


def _word_params(conn: Connection, words: list[str]) -> dict[str, object]:
    if is_sqlite(conn):
        return {f"w{n}": f'"{w}"' for n, w in enumerate(words)}  # a quoted FTS5 string
    return {f"w{n}": w for n, w in enumerate(words)}


# Articles containing each of :words, estimated from the planner's statistics
# (no rows before the first ANALYZE).
_PG_WORD_ESTIMATES = """
    SELECT u.word, u.share * greatest(c.reltuples, 0) AS documents
    FROM pg_stats AS s
    CROSS JOIN pg_class AS c
    CROSS JOIN unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs)
        AS u(word, share)
    WHERE s.schemaname = current_schema() AND s.tablename = 'articles'
      AND s.attname = 'search_vector' AND c.oid = 'articles'::regclass
      AND u.word = ANY(:words)
"""


def articles_with_words(
    conn: Connection, words: list[str], cap: int
) -> dict[str, list[int] | None]:
    """``pk`` of every article (any status) containing each word; None beyond ``cap``."""
    if not words:
        return {}
    params: dict[str, object] = {**_word_params(conn, words), "limit": cap + 1}
    if is_sqlite(conn):
        counted = " UNION ALL ".join(
            f"SELECT {n} AS n, (SELECT count(*) FROM ({_word_match(conn, n)} LIMIT :limit)"
            f" AS h{n}) AS hits" for n in range(len(words))
        )
        listed = [n for n, hits in conn.execute(text(counted), params) if hits <= cap]
        sql = " UNION ALL ".join(
            f"SELECT {n} AS n, pk FROM ({_word_match(conn, n)} LIMIT :limit) AS h{n}"
            for n in listed
        )
    else:
        # Conditions on the estimate alone are one-time filters: a skipped word's
        # match never runs, and a row with no pk says it was skipped.
        listed = list(range(len(words)))
        common = "coalesce((SELECT documents FROM estimates WHERE word = :w{n}), 0) >= :skip"
        sql = f"WITH estimates AS ({_PG_WORD_ESTIMATES}) " + " UNION ALL ".join(
            f"SELECT {n} AS n, pk FROM ({_word_match(conn, n)} LIMIT :limit) AS h{n} "
            f"WHERE NOT {common.format(n=n)} UNION ALL "
            f"SELECT {n} AS n, NULL AS pk WHERE {common.format(n=n)}"
            for n in listed
        )
        params.update(words=list(words), skip=SKIP_FACTOR * (cap + 1))
    lists: dict[str, list[int]] = {words[n]: [] for n in listed}
    too_common = {w for w in words if w not in lists}
    if listed:
        for n, pk in conn.execute(text(sql), params):
            if pk is None:
                too_common.add(words[int(n)])
            else:
                lists[words[int(n)]].append(int(pk))
    return {w: None if w in too_common or len(lists[w]) > cap else lists[w] for w in words}


# --- noticing commits ---------------------------------------------------------------

CONTENT_VERSION = "content_version"
_READS = ("SELECT", "SHOW", "EXPLAIN", "SET", "RESET", "PRAGMA", "BEGIN", "VALUES")
_WRITE_WORDS = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b", re.IGNORECASE)
_WROTE = "kartoteka_wrote"
_BUMP = f"""
DO $$ BEGIN
  IF to_regclass('{CONTENT_VERSION}') IS NOT NULL THEN
    INSERT INTO {CONTENT_VERSION} (id, n) VALUES (1, nextval('{CONTENT_VERSION}_n'))
    ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n;
  END IF;
END $$"""


def create_content_version(conn: Connection) -> None:
    """PostgreSQL's commit counter (see ``content_version_probe``); SQLite needs none.

    The value comes from a sequence, so it never repeats, even after the
    table is emptied (the tests do that between cases)."""
    if is_sqlite(conn):
        return
    conn.execute(text(f"CREATE SEQUENCE IF NOT EXISTS {CONTENT_VERSION}_n"))
    conn.execute(
        text(f"CREATE TABLE IF NOT EXISTS {CONTENT_VERSION} (id integer PRIMARY KEY, n bigint)")
    )
    conn.execute(text(_BUMP))


def drop_content_version(conn: Connection) -> None:
    if is_sqlite(conn):
        return
    conn.execute(text(f"DROP TABLE IF EXISTS {CONTENT_VERSION}"))
    conn.execute(text(f"DROP SEQUENCE IF EXISTS {CONTENT_VERSION}_n"))


def note_external_change(conn: Connection) -> None:
    """After data arrived behind SQLAlchemy's back (``pg_restore``), say so."""
    if not is_sqlite(conn):
        conn.execute(text(_BUMP))


def track_commits(engine: Engine) -> None:
    """PostgreSQL: a transaction that wrote bumps ``content_version`` as it commits.

    Every statement is looked at after it runs; anything but a plain read
    marks the connection, and the commit hook runs one statement in the
    same transaction just before committing.  SQLite tells without help.
    """
    if engine.dialect.name == "sqlite":
        return
    event.listen(engine, "after_cursor_execute", _note_write)
    event.listen(engine, "commit", _bump_on_commit)
    event.listen(engine, "rollback", _forget_write)


def is_write(statement: str) -> bool:
    """Anything but a plain read; a mistaken "write" only costs a cache refill."""
    head = statement.lstrip()[:8].upper()
    if head.startswith("WITH"):
        return bool(_WRITE_WORDS.search(statement))
    return not head.startswith(_READS)


def _note_write(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if is_write(statement):
        conn.info[_WROTE] = True


def _bump_on_commit(conn: Connection) -> None:
    if conn.info.pop(_WROTE, False):
        # On the DBAPI connection, so it does not re-enter these events.
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
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
      process made it (about 5 us).
    * PostgreSQL: the ``content_version`` row, which every transaction that
      wrote through kartoteka bumps as it commits (``track_commits``), so the
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
    def __init__(self, path: str) -> None:
        self._lock = threading.Lock()
        self._watcher = sqlite3.connect(path, check_same_thread=False, isolation_level=None)

    def __call__(self) -> str | None:
        with self._lock:
            try:
                return str(self._watcher.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                return None

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
