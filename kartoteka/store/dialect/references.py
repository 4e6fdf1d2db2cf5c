"""PostgreSQL: a foreign key checked once per statement instead of once per row.

An article's story terms and LSH band keys are about seventy rows per
article, each referencing ``articles.pk``.  A foreign key checks every row as
it goes in, with a query of its own on the articles table (and a lock on the
article's row): for a batch of 250 articles, 18,000 such queries, about half
of what the server spent storing those rows.  ``check_references_per_statement``
replaces the constraint with triggers that do the same work once per
statement, over all the rows it wrote (a transition table):

* rows inserted or updated must reference existing articles, which are
  locked ``FOR KEY SHARE`` as the constraint would (so no one deletes them
  before this transaction ends); otherwise the statement fails with the
  same SQLSTATE (``foreign_key_violation``) and message as the constraint's;
* deleting articles deletes their rows (``ON DELETE CASCADE``), at the end
  of the same statement.

SQLite keeps the constraint: there the check is an index look-up in the
same process, and cheap.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from kartoteka.store.dialect._backend import is_sqlite


def check_references_per_statement(
    conn: Connection, child: str, column: str, parent: str, parent_key: str, constraint: str
) -> None:
    """Replace ``constraint`` (``child.column`` → ``parent.parent_key``, ON DELETE
    CASCADE) with per-statement triggers on PostgreSQL (see the module)."""
    if is_sqlite(conn):
        return
    conn.execute(text(f"ALTER TABLE {child} DROP CONSTRAINT IF EXISTS {constraint}"))
    message = (f'insert or update on table "{child}" violates foreign key constraint '
               f'"{constraint}"')
    conn.execute(text(f"""
        CREATE OR REPLACE FUNCTION {constraint}_check() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          wanted bigint;
          found bigint;
        BEGIN
          SELECT count(DISTINCT {column}) INTO wanted FROM written WHERE {column} IS NOT NULL;
          SELECT count(*) INTO found FROM (
            SELECT 1 FROM {parent} p
            WHERE p.{parent_key} IN (SELECT {column} FROM written)
            FOR KEY SHARE OF p) AS locked;
          IF found <> wanted THEN
            RAISE foreign_key_violation USING MESSAGE = '{message}',
              DETAIL = 'Some {column} is not present in table "{parent}".';
          END IF;
          RETURN NULL;
        END $$;
    """))
    conn.execute(text(f"""
        CREATE OR REPLACE FUNCTION {constraint}_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM {child} WHERE {column} IN (SELECT {parent_key} FROM gone);
          RETURN NULL;
        END $$;
    """))
    # A trigger with a transition table fires on one event only: one each.
    for event in ("INSERT", "UPDATE"):
        conn.execute(text(
            f"CREATE TRIGGER {constraint}_{event.lower()} AFTER {event} ON {child} "
            f"REFERENCING NEW TABLE AS written FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {constraint}_check()"))
    conn.execute(text(
        f"CREATE TRIGGER {constraint}_cascade AFTER DELETE ON {parent} "
        f"REFERENCING OLD TABLE AS gone FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {constraint}_cascade()"))


def restore_reference(
    conn: Connection, child: str, column: str, parent: str, parent_key: str, constraint: str
) -> None:
    """Undo ``check_references_per_statement``: the foreign key again."""
    if is_sqlite(conn):
        return
    for event in ("insert", "update"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {constraint}_{event} ON {child}"))
    conn.execute(text(f"DROP TRIGGER IF EXISTS {constraint}_cascade ON {parent}"))
    conn.execute(text(f"DROP FUNCTION IF EXISTS {constraint}_check()"))
    conn.execute(text(f"DROP FUNCTION IF EXISTS {constraint}_cascade()"))
    conn.execute(text(
        f"ALTER TABLE {child} ADD CONSTRAINT {constraint} FOREIGN KEY ({column}) "
        f"REFERENCES {parent} ({parent_key}) ON DELETE CASCADE"))
