"""The ``sources`` table and its repository: watched URLs and their polling state.

Several pollers may run at once (``kartoteka watch`` on two machines, or the
job queue's periodic task on every worker), so a poller first *claims* a
due source with one conditional update that moves its due time forward; only
the poller whose update matched a row fetches it.  That works the same on
SQLite and PostgreSQL, with no locks held while the network is slow.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from kartoteka.store.dialect import UtcDateTime
from kartoteka.store.tables import metadata
from kartoteka.watched import Source, SourceKind

MAX_URL_LENGTH = 2000

sources = Table(
    "sources",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("url", String(MAX_URL_LENGTH), nullable=False, unique=True),
    Column("kind", String(10), nullable=False),
    Column("interval_seconds", Integer, nullable=False),
    Column("author", String(255)),
    Column("country", String(8)),
    Column("created_at", UtcDateTime, nullable=False),
    # The validators of the last complete answer, sent back as If-None-Match
    # and If-Modified-Since: an unchanged feed then costs a 304 and no parsing.
    Column("etag", String(1000)),
    Column("last_modified", String(100)),
    Column("last_polled_at", UtcDateTime),
    Column("last_success_at", UtcDateTime),
    Column("last_error", Text),
    Column("last_error_at", UtcDateTime),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("next_due_at", UtcDateTime, nullable=False),
    Column("articles_added_total", Integer, nullable=False, default=0),
    Column("articles_added_last", Integer, nullable=False, default=0),
    # The last poll's per-item errors ({"path", "error"}), capped when written.
    Column("item_errors", JSON, nullable=False, default=list),
    # The address before a permanent redirect moved the source (``set_url``).
    Column("moved_from", String(MAX_URL_LENGTH)),
    Column("moved_at", UtcDateTime),
    Index("ix_sources_next_due_at", "next_due_at"),
)

_STATE_COLUMNS = (
    "kind", "etag", "last_modified", "last_polled_at", "last_success_at", "last_error",
    "last_error_at", "consecutive_failures", "next_due_at", "articles_added_total",
    "articles_added_last", "item_errors",
)


def _source(row: Any) -> Source:
    return Source(
        pk=row.pk,
        url=row.url,
        kind=SourceKind(row.kind),
        interval=timedelta(seconds=row.interval_seconds),
        author=row.author,
        country=row.country,
        created_at=row.created_at,
        etag=row.etag,
        last_modified=row.last_modified,
        last_polled_at=row.last_polled_at,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
        consecutive_failures=row.consecutive_failures,
        next_due_at=row.next_due_at,
        articles_added_total=row.articles_added_total,
        articles_added_last=row.articles_added_last,
        item_errors=list(row.item_errors or []),
        moved_from=row.moved_from,
        moved_at=row.moved_at,
    )


class SourceRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, source: Source) -> int:
        values = {name: getattr(source, name) for name in _STATE_COLUMNS}
        values["kind"] = source.kind.value
        return int(self.conn.execute(
            insert(sources).values(
                url=source.url,
                interval_seconds=int(source.interval.total_seconds()),
                author=source.author,
                country=source.country,
                created_at=source.created_at,
                **values,
            ).returning(sources.c.pk)
        ).scalar_one())

    def get(self, pk: int) -> Source | None:
        row = self.conn.execute(select(sources).where(sources.c.pk == pk)).first()
        return _source(row) if row else None

    def by_url(self, url: str) -> Source | None:
        row = self.conn.execute(select(sources).where(sources.c.url == url)).first()
        return _source(row) if row else None

    def all(self) -> list[Source]:
        rows = self.conn.execute(select(sources).order_by(sources.c.pk)).all()
        return [_source(r) for r in rows]

    def remove(self, pk: int) -> bool:
        return bool(self.conn.execute(delete(sources).where(sources.c.pk == pk)).rowcount)

    def due(self, now: datetime, limit: int) -> list[int]:
        """Sources whose time has come, the longest overdue first."""
        return list(
            self.conn.execute(
                select(sources.c.pk)
                .where(sources.c.next_due_at <= now)
                .order_by(sources.c.next_due_at, sources.c.pk)
                .limit(limit)
            ).scalars()
        )

    def next_due(self) -> datetime | None:
        """When the soonest source falls due (None when nothing is watched)."""
        value = self.conn.execute(
            select(sources.c.next_due_at).order_by(sources.c.next_due_at).limit(1)
        ).scalar()
        return value

    def claim(self, pk: int, now: datetime, lease_until: datetime, *, force: bool = False) -> bool:
        """Take a source for polling, unless another poller took it first.

        The update matches only while the source is still due; the winner
        moves its due time to ``lease_until``, so the losers' updates match
        nothing (PostgreSQL re-checks the condition after waiting for the
        winner's row lock; SQLite has one writer at a time).  A poller that
        dies mid-fetch leaves the source to be polled again after the lease.
        ``force`` takes it whatever its due time (``sources run ID``).
        """
        condition = [sources.c.pk == pk]
        if not force:
            condition.append(sources.c.next_due_at <= now)
        result = self.conn.execute(
            update(sources).where(*condition).values(next_due_at=lease_until)
        )
        return bool(result.rowcount)

    def set_url(self, pk: int, url: str, moved_from: str, moved_at: datetime) -> None:
        """The source's new address (a permanent redirect); its state stays."""
        self.conn.execute(update(sources).where(sources.c.pk == pk).values(
            url=url, moved_from=moved_from, moved_at=moved_at))

    def extend_lease(self, pk: int, lease_until: datetime) -> None:
        self.conn.execute(
            update(sources).where(sources.c.pk == pk).values(next_due_at=lease_until)
        )

    def save_state(self, source: Source) -> None:
        """Write back everything a poll decides (kind, validators, status, counts)."""
        values = {name: getattr(source, name) for name in _STATE_COLUMNS}
        values["kind"] = source.kind.value
        self.conn.execute(update(sources).where(sources.c.pk == source.pk).values(**values))
