"""What e-mail digests and webhooks send: claiming alerts once, recording attempts.

An alert is *claimed* for a channel by setting its ``emailed_at`` or
``hooked_at`` in an UPDATE that only takes alerts still unclaimed, and
returns the ones it took: two runs at once never send the same alert, and
a run that is repeated sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, insert, select, update

from kartoteka.store.accounts_tables import users
from kartoteka.store.alerts_tables import (
    alerts,
    watchlists,
    webhook_attempts,
    webhook_deliveries,
)
from kartoteka.store.tables import articles
from kartoteka.store.watchlists import (
    AlertRow,
    Watchlist,
    WatchlistRepository,
    active_watchlists,
    as_watchlist,
    visible,
)


@dataclass(frozen=True, slots=True)
class Recipient:
    user_pk: int
    email: str
    watchlists: list[Watchlist]
    # The interface language the user chose (``users.language``); None: never chose.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    pk: int
    watchlist_pk: int
    url: str
    secret: str
    body: str
    attempts: int


def recipients(conn: Connection, include_off: bool = False) -> list[Recipient]:
    """Active users with watchlists that send e-mail, each with those watchlists."""
    query = active_watchlists().add_columns(users.c.email, users.c.language)
    if not include_off:
        query = query.where(watchlists.c.frequency != "off")
    rows = conn.execute(query.order_by(watchlists.c.user_pk, watchlists.c.pk)).all()
    found: dict[int, Recipient] = {}
    for row in rows:
        recipient = found.setdefault(
            row.user_pk, Recipient(row.user_pk, row.email, [], row.language)
        )
        recipient.watchlists.append(as_watchlist(row))
    return list(found.values())


def claim(conn: Connection, column: str, watchlist_pks: Sequence[int],
          now: datetime) -> list[AlertRow]:
    """Take the visible, unclaimed alerts of these watchlists for ``column``'s channel."""
    if not watchlist_pks:
        return []
    mark: Column[Any] = alerts.c[column]
    taken = conn.execute(
        update(alerts)
        .where(
            alerts.c.watchlist_pk.in_(list(watchlist_pks)),
            mark.is_(None),
            alerts.c.article_pk.in_(select(articles.c.pk).where(*visible())),
        )
        .values({column: now})
        .returning(alerts.c.pk)
    ).scalars().all()
    return WatchlistRepository(conn).alerts_by_pk(taken) if taken else []


def release(conn: Connection, column: str, alert_pks: Sequence[int]) -> None:
    """Give claimed alerts back (the message could not be sent)."""
    if alert_pks:
        conn.execute(update(alerts).where(alerts.c.pk.in_(list(alert_pks)))
                     .values({column: None}))


def add_delivery(conn: Connection, watchlist_pk: int, body: str, now: datetime) -> int:
    return int(conn.execute(
        insert(webhook_deliveries).values(
            watchlist_pk=watchlist_pk, body=body, created_at=now, attempts=0,
            next_attempt_at=now,
        ).returning(webhook_deliveries.c.pk)
    ).scalar_one())


def due_deliveries(conn: Connection, now: datetime) -> list[Delivery]:
    rows = conn.execute(
        select(webhook_deliveries, watchlists.c.webhook_url, watchlists.c.webhook_secret)
        .join(watchlists, watchlists.c.pk == webhook_deliveries.c.watchlist_pk)
        .join(users, users.c.pk == watchlists.c.user_pk)
        .where(
            users.c.disabled_at.is_(None),
            watchlists.c.webhook_url.is_not(None),
            webhook_deliveries.c.delivered_at.is_(None),
            webhook_deliveries.c.failed_at.is_(None),
            webhook_deliveries.c.next_attempt_at <= now,
        )
        .order_by(webhook_deliveries.c.pk)
    )
    return [Delivery(r.pk, r.watchlist_pk, r.webhook_url, r.webhook_secret or "", r.body,
                     r.attempts) for r in rows]


def record_attempt(conn: Connection, delivery_pk: int, now: datetime, status: int | None,
                   error: str | None, *, delivered: bool, retry_at: datetime | None) -> None:
    conn.execute(insert(webhook_attempts).values(
        delivery_pk=delivery_pk, at=now, status=status, error=error
    ))
    values: dict[str, Any] = {"attempts": webhook_deliveries.c.attempts + 1}
    if delivered:
        values["delivered_at"] = now
    elif retry_at is None:
        values["failed_at"] = now
    else:
        values["next_attempt_at"] = retry_at
    conn.execute(update(webhook_deliveries).where(webhook_deliveries.c.pk == delivery_pk)
                 .values(**values))


def attempts_of(conn: Connection, delivery_pk: int) -> list[tuple[datetime, int | None,
                                                                  str | None]]:
    rows = conn.execute(
        select(webhook_attempts).where(webhook_attempts.c.delivery_pk == delivery_pk)
        .order_by(webhook_attempts.c.pk)
    )
    return [(r.at, r.status, r.error) for r in rows]
