"""What kartoteka keeps about queue jobs beside procrastinate's own tables.

procrastinate records a failed job's state but not why it failed; the error
a task raised is kept here, by job id, so ``kartoteka jobs`` and the admin
page can show why a job was parked.  On SQLite (no queue) it stays empty.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table, Text

from kartoteka.store.dialect import UtcDateTime
from kartoteka.store.tables import metadata

job_errors = Table(
    "job_errors",
    metadata,
    Column("job_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=False),
    Column("task", String(128), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text, nullable=False),
    Column("failed_at", UtcDateTime, nullable=False),
)
