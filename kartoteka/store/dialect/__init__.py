"""Every difference between SQLite and PostgreSQL, in one place.

Nothing else in kartoteka checks which backend it talks to, except
:mod:`kartoteka.store.search_index`, which holds the full-text index (keeping
it in step with the articles, the match expression and the rank), with its
set-up in :mod:`kartoteka.store.search_index_schema`: split off because the
index is most of the differences.  Each
helper here has one SQLite and one PostgreSQL branch:

* statistics for the query planner, connection settings, append-only tables;
* get-or-create inserts and counters (``ON CONFLICT``, built from each
  dialect's own ``insert``), and many numbers bound as one JSON parameter;
* how a reader learns that anything was committed since it last looked
  (``content_version_probe``, in :mod:`.commits`, re-exported here), which
  lets the web app cache pages;
* moments in time (``UtcDateTime``): SQLite keeps no time zone.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Dialect,
    Row,
    Table,
    TableValuedAlias,
    Text,
    TypeDecorator,
    bindparam,
    cast,
    func,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from kartoteka.store.dialect._backend import is_sqlite as is_sqlite
from kartoteka.store.dialect.commits import (
    BOOKKEEPING_TABLES as BOOKKEEPING_TABLES,
)
from kartoteka.store.dialect.commits import (
    CONTENT_VERSION as CONTENT_VERSION,
)
from kartoteka.store.dialect.commits import (
    VersionProbe as VersionProbe,
)
from kartoteka.store.dialect.commits import (
    changes_content as changes_content,
)
from kartoteka.store.dialect.commits import (
    content_version_probe as content_version_probe,
)
from kartoteka.store.dialect.commits import (
    create_content_version as create_content_version,
)
from kartoteka.store.dialect.commits import (
    drop_content_version as drop_content_version,
)
from kartoteka.store.dialect.commits import (
    is_write as is_write,
)
from kartoteka.store.dialect.commits import (
    note_external_change as note_external_change,
)
from kartoteka.store.dialect.commits import (
    note_write as note_write,
)
from kartoteka.store.dialect.commits import (
    track_commits as track_commits,
)
from kartoteka.store.dialect.references import (
    check_references_per_statement as check_references_per_statement,
)
from kartoteka.store.dialect.references import (
    restore_reference as restore_reference,
)

# The folding text search configuration (see search_index), for words looked up here.
TS_CONFIG = "kartoteka"




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


def upsert_rows(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str],
    columns: Sequence[str],
) -> None:
    """Insert rows; where one with the same ``keys`` exists, set only its ``columns``.

    One executemany of ``INSERT … ON CONFLICT DO UPDATE``, built from each
    dialect's own ``insert``; the other columns of an existing row (a
    candidate's status and decision) stay as they are.
    """
    if not rows:
        return
    base: Any = sqlite_insert(table) if is_sqlite(conn) else postgresql_insert(table)
    conn.execute(base.on_conflict_do_update(
        index_elements=list(keys), set_={c: base.excluded[c] for c in columns}), list(rows))


def insert_plain_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert rows of plain numbers and text straight through the driver.

    SQLAlchemy processes every row's parameters on the way (for types that
    may convert them); for the forty story terms and thirty-two band keys of
    each article that was about 15% of storing it, and they need no
    conversion.  SQLite: sqlite3's executemany, one prepared INSERT.
    PostgreSQL: ``COPY … FROM STDIN``, one statement for all the rows.  An
    executemany there (even pipelined) is one INSERT per row for the server
    to bind and run and for psycopg to send: for 2,000 articles' 130,000
    term and band rows, COPY cut the client's CPU from about 1 s to 0.1 s
    and the server's from 1.6 s to 0.9 s.  COPY goes round SQLAlchemy's
    events, so the write is noted for the commit hook here (``note_write``),
    and its errors are raised as SQLAlchemy's, like any statement's.
    """
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if is_sqlite(conn):
        conn.exec_driver_sql(
            f"INSERT INTO {quote(table.name)} ({names}) "
            f"VALUES ({', '.join('?' for _ in columns)})", list(rows))
        return
    import psycopg  # the PostgreSQL driver: installed with the postgres extra only

    raw: Any = conn.connection.dbapi_connection
    statement = f"COPY {quote(table.name)} ({names}) FROM STDIN"
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as exc:  # as SQLAlchemy would raise it (IntegrityError, …)
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc
    note_write(conn)


def insert_many(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
    returning: Sequence[str] = (),
) -> list[Row[Any]]:
    """Insert rows (all with the same keys); with ``returning``, those columns of
    each row, in the order given.

    SQLite: SQLAlchemy's executemany (insert-many-values, sorted back into
    order, when returning).  PostgreSQL: ``INSERT … SELECT FROM unnest(…)``
    (``_unnest_insert``).
    """
    if not rows:
        return []
    if is_sqlite(conn):
        if not returning:
            conn.execute(sqlite_insert(table), list(rows))
            return []
        statement = sqlite_insert(table).returning(
            *(table.c[name] for name in returning), sort_by_parameter_order=True)
        return list(conn.execute(statement, list(rows)).all())
    unnested = _unnest_insert(table, rows)
    if not returning:
        conn.execute(unnested)
        return []
    return list(conn.execute(unnested.returning(*(table.c[name] for name in returning))).all())


def _unnest_insert(table: Table, rows: Sequence[Mapping[str, Any]]) -> Any:
    """PostgreSQL: insert ``rows`` with each column bound as one array.

    A multi-row VALUES (SQLAlchemy's insert-many-values) is a bind parameter
    per value (4,500 for a batch of 250 articles) for SQLAlchemy to render
    and process and psycopg to parse, and a different statement for every
    count of rows: about a fifth of the client's time in storing a batch.
    The arrays keep the statement the same (psycopg prepares it), and their
    values still pass each column type's processing.  Rows go in, and come
    back, in the order of the arrays, which ``unnest`` keeps.
    """
    names = list(rows[0])
    arrays = []
    for name in names:
        values = [row[name] for row in rows]
        kind: Any = table.c[name].type
        if isinstance(kind, JSON):  # an array of lists would be read as more dimensions
            values, kind = [json.dumps(v) for v in values], Text()
        arrays.append(bindparam(f"many_{name}", values, type_=ARRAY(kind)))
    source = func.unnest(*arrays).table_valued(*names).render_derived()
    return postgresql_insert(table).from_select(names, select(*(
        cast(source.c[name], table.c[name].type) if isinstance(table.c[name].type, JSON)
        else source.c[name] for name in names
    )))


def rows_with_pairs(
    conn: Connection, table: Table, first: str, second: str, returning: str,
    pairs: Mapping[Any, Collection[Any]], per_statement: int,
) -> list[tuple[Any, Any, Any]]:
    """``(first, second, returning)`` of the rows whose ``(first, second)`` is one of
    ``pairs`` (each value of ``first`` with its values of ``second``); plain
    numbers and text only, unconverted.

    SQLite runs ``first = ? AND second IN (...)`` per value of ``first``,
    ``per_statement`` of them ORed (an index look-up per pair; a row-value
    IN was planned as a scan of the whole table), straight through the
    driver: SQLAlchemy expands an IN list into a named parameter per value
    at every execution; for an ingest batch's 8,000 LSH band keys that was
    twice the time SQLite took to answer (about 45 us per article stored).
    PostgreSQL: one statement for them all, the pairs bound as two arrays
    and joined row by row (``unnest``); an IN list there is a parameter per
    value for SQLAlchemy to render and psycopg to parse again, which cost
    the client more than the server took to answer.
    """
    firsts = sorted(pairs)
    found: list[tuple[Any, Any, Any]] = []
    if not is_sqlite(conn):
        flat = [(value, other) for value in firsts for other in sorted(pairs[value])]
        if not flat:
            return found
        column_a, column_b = table.c[first], table.c[second]
        wanted = func.unnest(
            bindparam("pairs_first", [a for a, _ in flat], type_=ARRAY(column_a.type)),
            bindparam("pairs_second", [b for _, b in flat], type_=ARRAY(column_b.type)),
        ).table_valued("first", "second").render_derived()
        rows = conn.execute(select(column_a, column_b, table.c[returning]).where(
            tuple_(column_a, column_b).in_(select(wanted.c.first, wanted.c.second))))
        return [(r[0], r[1], r[2]) for r in rows]
    for start in range(0, len(firsts), per_statement):
        chosen = firsts[start:start + per_statement]
        quote = conn.dialect.identifier_preparer.quote
        matching = " OR ".join(
            f"({quote(first)} = ? AND {quote(second)} IN "
            f"({', '.join('?' for _ in pairs[value])}))" for value in chosen)
        values = [v for value in chosen for v in (value, *sorted(pairs[value]))]
        rows = conn.exec_driver_sql(
            f"SELECT {quote(first)}, {quote(second)}, {quote(returning)} "
            f"FROM {quote(table.name)} WHERE {matching}", tuple(values))
        found.extend((r[0], r[1], r[2]) for r in rows)
    return found


def add_to_counts(
    conn: Connection, table: Table, key: str, count: str, deltas: dict[str, int]
) -> None:
    """Add each delta to the ``count`` of the row whose ``key`` it is keyed by,
    inserting the rows that are missing (an upsert: ``ON CONFLICT DO UPDATE``).

    SQLite: one statement, built once, run for many rows: a multi-row VALUES
    was a new statement to compile for every article written, and made
    writing articles 2.7 times slower.  PostgreSQL: one statement for all
    the rows, bound as two arrays (``_unnest_insert``), where an executemany
    is a statement per row for the server.  Rows go in key order, so two
    writers lock shared rows in the same order and cannot deadlock on
    PostgreSQL.
    """
    if not deltas:
        return
    rows = [{key: k, count: deltas[k]} for k in sorted(deltas)]
    if not is_sqlite(conn):
        upsert = _unnest_insert(table, rows)
        conn.execute(upsert.on_conflict_do_update(
            index_elements=[key], set_={count: table.c[count] + upsert.excluded[count]}))
        return
    cache_key = (table.name, key, count)
    statement = _ADD_TO_COUNTS.get(cache_key)
    if statement is None:
        base = sqlite_insert(table)
        statement = _ADD_TO_COUNTS[cache_key] = base.on_conflict_do_update(
            index_elements=[key], set_={count: table.c[count] + base.excluded[count]})
    conn.execute(statement, rows)


_ADD_TO_COUNTS: dict[tuple[str, str, str], Any] = {}


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


def writers_interleave(conn: Connection) -> bool:
    """Whether another writer may commit while this write transaction runs.

    PostgreSQL: yes (row locks, and ``serialise_writers`` only from where it
    is called).  SQLite: no, a write transaction holds the database's one
    write lock from its ``BEGIN IMMEDIATE`` (see ``begin_sqlite``), so work
    done early to shorten a later locked section would only be done twice.
    """
    return not is_sqlite(conn)


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
