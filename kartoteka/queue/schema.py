"""procrastinate's schema, applied by ``kartoteka init`` on PostgreSQL.

Why not an Alembic migration of ours: the schema belongs to the installed
procrastinate release, which ships it (``schema.sql``) and its own ordered
upgrade scripts.  Copying its SQL into our migrations would freeze one
release's text in our history and fork it from those upgrade scripts.  So
``init`` applies procrastinate's own ``schema.sql`` when its tables are
absent, in one transaction under an advisory lock (two ``init`` at once
cannot both apply it).  Upgrading procrastinate across a schema change
means applying its migration scripts (``procrastinate schema --migrations-path``
lists where they are), as its release notes say; ``kartoteka jobs`` fails
clearly if the tables are missing.  Our own table beside it (``job_errors``)
is an ordinary migration (0020).
"""

from __future__ import annotations

from procrastinate.schema import SchemaManager
from sqlalchemy import text

from kartoteka.store import dialect
from kartoteka.store.database import Database
from kartoteka.store.jobs import JobStore


def ensure_queue_schema(db: Database) -> bool:
    """Apply procrastinate's schema if it is absent; True if it was applied now."""
    if db.backend != "postgresql":
        return False
    with db.transaction() as conn:
        dialect.serialise_writers(conn, "kartoteka.queue_schema")
        if JobStore(conn).has_queue():
            return False
        # Through the driver without parameters, so the SQL's own % signs stay as written.
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(SchemaManager.get_schema())
        finally:
            cursor.close()
        conn.execute(text("SELECT 1"))  # the transaction stays SQLAlchemy's to commit
    return True
