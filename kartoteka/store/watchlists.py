"""Reading and writing watchlists and their alerts.

An alert is shown only while its article is visible to the public
(published, not deleted, not a repost): the filter is applied on every
read, so an alert whose article is withdrawn disappears without a write,
and comes back if the article is restored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, func, select, update

from kartoteka.store import dialect
from kartoteka.store.accounts_tables import users
from kartoteka.store.alerts_tables import alerts, watchlists
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.tables import articles

KINDS = ("entity", "country", "author", "search")
FREQUENCIES = ("immediate", "daily", "weekly", "off")


@dataclass(frozen=True, slots=True)
class Watchlist:
    pk: int
    user_pk: int
    kind: str
    key: str
    label: str
    created_at: datetime
    frequency: str = "daily"
    query: str | None = None
    filters: dict[str, str] = field(default_factory=dict)
    has_feed: bool = False
    webhook_url: str | None = None
    webhook_secret: str | None = None
    last_digest_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AlertRow:
    pk: int
    watchlist_pk: int
    article_pk: int
    article_id: str
    title: str
    created_at: datetime
    read_at: datetime | None
    published_at: datetime | None
    url: str | None = None


def visible() -> list[Any]:
    """What the public may see: the anonymous reader's filter."""
    return ArticleFilter().conditions()


def as_watchlist(row: Any) -> Watchlist:
    return Watchlist(
        pk=row.pk, user_pk=row.user_pk, kind=row.kind, key=row.key, label=row.label,
        created_at=row.created_at, frequency=row.frequency,
        query=row.query, filters=dict(row.filters or {}), has_feed=row.feed_hash is not None,
        webhook_url=row.webhook_url, webhook_secret=row.webhook_secret,
        last_digest_at=row.last_digest_at,
    )


def active_watchlists() -> Select[Any]:
    """Watchlists of users who are not disabled."""
    return (
        select(watchlists)
        .join(users, users.c.pk == watchlists.c.user_pk)
        .where(users.c.disabled_at.is_(None))
    )


class WatchlistRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- watchlists -------------------------------------------------------------------

    def add(
        self, user_pk: int, kind: str, key: str, label: str, now: datetime, *,
        query: str | None = None, filters: dict[str, str] | None = None,
        frequency: str = "daily",
    ) -> Watchlist:
        """Follow something; following it again returns the watchlist there is."""
        dialect.insert_or_ignore(
            self.conn, watchlists,
            {"user_pk": user_pk, "kind": kind, "key": key, "label": label, "query": query,
             "filters": filters or {}, "frequency": frequency, "created_at": now},
            ["user_pk", "kind", "key"],
        )
        found = self.find(user_pk, kind, key)
        assert found is not None
        return found

    def find(self, user_pk: int, kind: str, key: str) -> Watchlist | None:
        row = self.conn.execute(
            select(watchlists).where(
                watchlists.c.user_pk == user_pk, watchlists.c.kind == kind,
                watchlists.c.key == key,
            )
        ).first()
        return None if row is None else as_watchlist(row)

    def get(self, pk: int) -> Watchlist | None:
        row = self.conn.execute(select(watchlists).where(watchlists.c.pk == pk)).first()
        return None if row is None else as_watchlist(row)

    def of_user(self, user_pk: int) -> list[Watchlist]:
        rows = self.conn.execute(
            select(watchlists).where(watchlists.c.user_pk == user_pk)
            .order_by(watchlists.c.created_at, watchlists.c.pk)
        )
        return [as_watchlist(r) for r in rows]

    def all_active(self) -> list[Watchlist]:
        rows = self.conn.execute(active_watchlists().order_by(watchlists.c.pk))
        return [as_watchlist(r) for r in rows]

    def remove(self, user_pk: int, pk: int) -> bool:
        done = self.conn.execute(
            delete(watchlists).where(watchlists.c.pk == pk, watchlists.c.user_pk == user_pk)
        )
        return bool(done.rowcount)

    def update(self, pk: int, **values: Any) -> None:
        self.conn.execute(update(watchlists).where(watchlists.c.pk == pk).values(**values))

    def by_feed_hash(self, digest: str) -> Watchlist | None:
        """The watchlist a private feed address names, unless its user is disabled."""
        row = self.conn.execute(
            active_watchlists().where(watchlists.c.feed_hash == digest)
        ).first()
        return None if row is None else as_watchlist(row)

    # --- alerts -----------------------------------------------------------------------

    def _alerts(self) -> Select[Any]:
        return (
            select(alerts.c.pk, alerts.c.watchlist_pk, alerts.c.article_pk, articles.c.id,
                   articles.c.title, alerts.c.created_at, alerts.c.read_at,
                   articles.c.published_at, articles.c.url)
            .join(articles, articles.c.pk == alerts.c.article_pk)
            .join(watchlists, watchlists.c.pk == alerts.c.watchlist_pk)
            .where(*visible())
        )

    def alerts_of(
        self, *, user_pk: int | None = None, watchlist_pks: Sequence[int] | None = None,
        unread_only: bool = False, limit: int = 200, offset: int = 0,
    ) -> list[AlertRow]:
        query = self._chosen(self._alerts(), user_pk, watchlist_pks, unread_only)
        rows = self.conn.execute(
            query.order_by(alerts.c.created_at.desc(), alerts.c.pk.desc())
            .limit(limit).offset(offset)
        )
        return [_alert(r) for r in rows]

    def count_alerts(self, *, user_pk: int, unread_only: bool = False) -> int:
        """How many visible alerts ``alerts_of`` would page through."""
        query = self._chosen(self._alerts(), user_pk, None, unread_only).subquery()
        return int(self.conn.execute(select(func.count()).select_from(query)).scalar_one())

    @staticmethod
    def _chosen(query: Select[Any], user_pk: int | None, watchlist_pks: Sequence[int] | None,
                unread_only: bool) -> Select[Any]:
        if user_pk is not None:
            query = query.where(watchlists.c.user_pk == user_pk)
        if watchlist_pks is not None:
            query = query.where(alerts.c.watchlist_pk.in_(list(watchlist_pks)))
        if unread_only:
            query = query.where(alerts.c.read_at.is_(None))
        return query

    def alerts_by_pk(self, alert_pks: Sequence[int]) -> list[AlertRow]:
        rows = self.conn.execute(self._alerts().where(alerts.c.pk.in_(list(alert_pks))))
        return sorted((_alert(r) for r in rows),
                      key=lambda a: (a.watchlist_pk, a.created_at, a.pk))

    def unread_count(self, user_pk: int) -> int:
        return self.count_alerts(user_pk=user_pk, unread_only=True)

    def mark_read(self, user_pk: int, now: datetime, alert_pks: Sequence[int] | None) -> int:
        """Mark the user's alerts read (``None``: all of them); how many it marked.

        Only alerts shown now: one whose article is withdrawn stays unread (it
        comes back unread if the article is restored), and the count never
        tells of alerts the reader cannot see."""
        own = select(watchlists.c.pk).where(watchlists.c.user_pk == user_pk)
        statement = update(alerts).where(
            alerts.c.watchlist_pk.in_(own), alerts.c.read_at.is_(None),
            alerts.c.article_pk.in_(select(articles.c.pk).where(*visible())),
        )
        if alert_pks is not None:
            statement = statement.where(alerts.c.pk.in_(list(alert_pks)))
        return int(self.conn.execute(statement.values(read_at=now)).rowcount or 0)


def _alert(row: Any) -> AlertRow:
    return AlertRow(
        pk=row.pk, watchlist_pk=row.watchlist_pk, article_pk=row.article_pk,
        article_id=row.id, title=row.title, created_at=row.created_at,
        read_at=row.read_at, published_at=row.published_at, url=row.url,
    )
