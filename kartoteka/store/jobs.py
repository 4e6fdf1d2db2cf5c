"""Reading the job queue's tables: counts per queue and state, parked failures.

procrastinate owns ``procrastinate_jobs``; kartoteka only reads it (plain
SQL: it is not on our metadata) and keeps each failure's error in
``job_errors``.  PostgreSQL only: the embedded SQLite deployment has no queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, text

from kartoteka.i18n import Message
from kartoteka.record import as_record
from kartoteka.store import dialect
from kartoteka.store.queue_tables import job_errors

# Shown in place of an error a parked job has none of (its worker died, say).
NO_ERROR = Message("(no error recorded)")

STATES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborting", "aborted")


@dataclass(frozen=True, slots=True)
class ParkedJob:
    """A job that failed its last attempt and waits for someone to retry it."""

    id: int
    queue: str
    task: str
    attempts: int
    args: dict[str, Any]
    error: str
    failed_at: datetime | None

    def as_dict(self) -> dict[str, object]:
        return as_record(self)


_COUNTS = text(
    "SELECT queue_name, status::text AS status, count(*) AS n FROM procrastinate_jobs "
    "GROUP BY queue_name, status ORDER BY queue_name, status"
)
_PARKED = text(
    "SELECT j.id, j.queue_name, j.task_name, j.attempts, j.args, e.error, e.failed_at "
    "FROM procrastinate_jobs j LEFT JOIN job_errors e ON e.job_id = j.id "
    "WHERE j.status = 'failed' ORDER BY j.id LIMIT :limit"
)
_RUN = text(
    "SELECT status::text AS status, count(*) AS n FROM procrastinate_jobs "
    "WHERE args->>'run' = :run GROUP BY status"
)
_FAILED_IDS = text("SELECT id FROM procrastinate_jobs WHERE status = 'failed' ORDER BY id")


class JobStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def has_queue(self) -> bool:
        """Whether procrastinate's tables are here (``kartoteka init`` on PostgreSQL)."""
        if dialect.is_sqlite(self.conn):
            return False
        return self.conn.execute(
            text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).scalar() is True

    def counts(self) -> dict[str, dict[str, int]]:
        """Jobs per queue and state: {"extract": {"todo": 3, "succeeded": 40}}."""
        found: dict[str, dict[str, int]] = {}
        if self.has_queue():
            for row in self.conn.execute(_COUNTS):
                found.setdefault(row.queue_name, {})[row.status] = int(row.n)
        return found

    def parked(self, limit: int = 100) -> list[ParkedJob]:
        if not self.has_queue():
            return []
        return [
            ParkedJob(int(r.id), r.queue_name, r.task_name, int(r.attempts), dict(r.args or {}),
                      r.error or NO_ERROR, r.failed_at)
            for r in self.conn.execute(_PARKED, {"limit": limit})
        ]

    def failed_ids(self) -> list[int]:
        return [int(i) for i in self.conn.execute(_FAILED_IDS).scalars()] \
            if self.has_queue() else []

    def run_counts(self, run: str) -> dict[str, int]:
        """Jobs of one ingest run (its ``run`` argument) per state."""
        return {r.status: int(r.n) for r in self.conn.execute(_RUN, {"run": run})}

    def record_error(self, job_id: int, task: str, attempts: int, error: str,
                     now: datetime) -> None:
        """Keep the error of a job's latest failed attempt (an upsert by job id)."""
        self.conn.execute(job_errors.delete().where(job_errors.c.job_id == job_id))
        self.conn.execute(job_errors.insert().values(
            job_id=job_id, task=task, attempts=attempts, error=error[:4000], failed_at=now))

    def error_of(self, job_id: int) -> str | None:
        return self.conn.execute(
            select(job_errors.c.error).where(job_errors.c.job_id == bindparam("id")),
            {"id": job_id}).scalar()
