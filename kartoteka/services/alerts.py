"""Watchlists and alerts: following things, matching new articles, reading alerts.

A signed-in user follows an entity (its whole merge cluster), a country, an
author or a saved search (its words and filters, as on the search page).
Matching reads the queue that database triggers fill (see
``store.alerts_tables``), so articles published from a draft, linked to an
entity by a later extraction or merge, or revised, are matched when that
happens; an article only alerts a watchlist made before it was queued.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from kartoteka.auth.roles import Actor
from kartoteka.catalog.countries import is_country_code
from kartoteka.i18n import N_, Message, gettext
from kartoteka.services.alert_matcher import BATCH, MatchReport, Planner, match_pending
from kartoteka.services.authors import get_author
from kartoteka.services.countries import CountryNotFound, country_label
from kartoteka.services.feeds import FeedItem, search_feed_query, summary
from kartoteka.services.registry import get_entity
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.authors import author_key
from kartoteka.store.database import Database
from kartoteka.store.watchlists import (
    FREQUENCIES,
    AlertRow,
    Watchlist,
    WatchlistRepository,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class AlertError(ValueError):
    """Something a user asked of their watchlists that cannot be done, and why."""


# A saved search's filters, as its label names them (see ``AlertService.resolve``).
FILTER_NAMES = {
    "author": N_("author"), "country": N_("country"), "entity": N_("entity"),
    "language": N_("language"), "since": N_("since"), "until": N_("until"),
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _filters_of(flt: ArticleFilter) -> dict[str, str]:
    found = {k: str(getattr(flt, k)) for k in ("author", "country", "entity", "language")
             if getattr(flt, k)}
    for name in ("since", "until"):
        moment = getattr(flt, name)
        if moment:
            found[name] = moment.date().isoformat()
    return found


class AlertService:
    def __init__(self, db: Database, clock: Clock = _utc_now,
                 planner: Planner | None = None) -> None:
        self.db = db
        self.clock = clock
        self.planner = planner

    # --- following --------------------------------------------------------------------

    def follow(self, actor: Actor, kind: str, target: str, *, query: str = "",
               flt: ArticleFilter | None = None) -> Watchlist:
        """Follow an entity, country or author (``target``), or a search (``query``)."""
        user_pk = self._user(actor)
        key, label, filters = self.resolve(kind, target, query=query, flt=flt)
        with self.db.transaction() as conn:
            return WatchlistRepository(conn).add(
                user_pk, kind, key, label, self.clock(),
                query=query.strip() if kind == "search" else None, filters=filters,
            )

    def resolve(self, kind: str, target: str, *, query: str = "",
                flt: ArticleFilter | None = None) -> tuple[str, str, dict[str, str]]:
        """The watchlist key, label and filters for what is followed; ``LookupError``s pass."""
        if kind == "entity":
            entity = get_entity(self.db, target).entity
            return entity.id, entity.name, {}
        if kind == "country":
            code = target.strip().lower()
            if not (len(code) == 2 and is_country_code(code)):
                raise CountryNotFound(target)
            return code, country_label(code).name, {}
        if kind == "author":
            author = get_author(self.db, target)
            return author_key(author.handle), author.label, {}
        if kind == "search":
            text = query.strip()
            if not text:
                raise AlertError(Message("a saved search needs words to search for"))
            public = replace(flt or ArticleFilter(), include_unpublished=False)
            filters = _filters_of(public)
            shown = " · ".join([f"“{text}”", *(f"{k}: {v}" for k, v in filters.items())])
            return search_feed_query(text, public), shown, filters
        raise AlertError(Message(
            "cannot follow a %(kind)r: follow an entity, country, author or search", kind=kind
        ))

    def following(self, actor: Actor, kind: str, key: str) -> Watchlist | None:
        if actor.user_pk is None:
            return None
        with self.db.read() as conn:
            return WatchlistRepository(conn).find(actor.user_pk, kind, key)

    def unfollow(self, actor: Actor, watchlist_pk: int) -> None:
        with self.db.transaction() as conn:
            if not WatchlistRepository(conn).remove(self._user(actor), watchlist_pk):
                raise AlertError(Message("you have no watchlist %(pk)s", pk=watchlist_pk))

    def watchlists(self, actor: Actor) -> list[Watchlist]:
        with self.db.read() as conn:
            return WatchlistRepository(conn).of_user(self._user(actor))

    def set_frequency(self, actor: Actor, watchlist_pk: int, frequency: str) -> None:
        if frequency not in FREQUENCIES:
            raise AlertError(Message("e-mail frequency must be one of %(choices)s",
                                     choices=", ".join(FREQUENCIES)))
        with self.db.transaction() as conn:
            repo = WatchlistRepository(conn)
            self._own(repo, actor, watchlist_pk)
            repo.update(watchlist_pk, frequency=frequency)

    def rotate_feed(self, actor: Actor, watchlist_pk: int) -> str:
        """A new secret for the watchlist's private feed; the old address stops working."""
        secret = secrets.token_urlsafe(32)
        with self.db.transaction() as conn:
            repo = WatchlistRepository(conn)
            self._own(repo, actor, watchlist_pk)
            repo.update(watchlist_pk, feed_hash=digest(secret))
        return secret

    def set_webhook(self, actor: Actor, watchlist_pk: int, url: str) -> str | None:
        """Set (or with an empty ``url``, remove) the webhook; the new signing secret."""
        url = url.strip()
        if url and not url.startswith(("http://", "https://")):
            raise AlertError(Message("a webhook address starts with http:// or https://"))
        secret = secrets.token_hex(32) if url else None
        with self.db.transaction() as conn:
            repo = WatchlistRepository(conn)
            self._own(repo, actor, watchlist_pk)
            repo.update(watchlist_pk, webhook_url=url or None, webhook_secret=secret)
        return secret

    # --- reading ----------------------------------------------------------------------

    def alerts(self, actor: Actor, *, unread_only: bool = False,
               limit: int = 200, offset: int = 0) -> list[AlertRow]:
        """The user's alerts whose articles are visible now, newest first."""
        with self.db.read() as conn:
            return WatchlistRepository(conn).alerts_of(
                user_pk=self._user(actor), unread_only=unread_only, limit=limit, offset=offset
            )

    def alert_count(self, actor: Actor, *, unread_only: bool = False) -> int:
        with self.db.read() as conn:
            return WatchlistRepository(conn).count_alerts(
                user_pk=self._user(actor), unread_only=unread_only
            )

    def unread_count(self, actor: Actor) -> int:
        with self.db.read() as conn:
            return WatchlistRepository(conn).unread_count(self._user(actor))

    def mark_read(self, actor: Actor, alert_pks: Sequence[int] | None = None) -> int:
        with self.db.transaction() as conn:
            return WatchlistRepository(conn).mark_read(self._user(actor), self.clock(), alert_pks)

    def feed(self, secret: str, limit: int = 50) -> tuple[Watchlist, list[AlertRow]]:
        """The watchlist a private feed address names and its alerts; ``LookupError`` if none."""
        with self.db.read() as conn:
            repo = WatchlistRepository(conn)
            watchlist = repo.by_feed_hash(digest(secret))
            if watchlist is None:
                raise LookupError(Message("no such feed: the address is wrong or was replaced"))
            return watchlist, repo.alerts_of(watchlist_pks=[watchlist.pk], limit=limit)

    def feed_items(self, found: Sequence[AlertRow]) -> list[FeedItem]:
        """Alerts as feed entries: newest alert first, updated when the alert was made."""
        with self.db.read() as conn:
            articles = ArticleRepository(conn).get_many([a.article_id for a in found])
        items = []
        for alert in found:
            article = articles.get(alert.article_id)
            if article is None:
                continue
            author = article.author
            items.append(FeedItem(
                article_id=article.id, title=article.title or summary(article.body, 80),
                summary=summary(article.body), updated=alert.created_at,
                published=article.published_at, author=author.handle if author else None,
                author_name=author.label if author else None, language=article.language,
                countries=list(article.countries), source_url=article.url,
            ))
        return items

    # --- matching ---------------------------------------------------------------------

    def match_pending(self, batch: int = BATCH) -> MatchReport:
        """Turn everything queued into alerts (see ``services.alert_matcher``)."""
        return match_pending(self.db, self.clock, batch, self.planner)

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _user(actor: Actor) -> int:
        if actor.user_pk is None:
            raise AlertError(Message("sign in to follow entities, countries, authors and searches"))
        return actor.user_pk

    def _own(self, repo: WatchlistRepository, actor: Actor, watchlist_pk: int) -> Watchlist:
        found = repo.get(watchlist_pk)
        if found is None or found.user_pk != self._user(actor):
            raise AlertError(Message("you have no watchlist %(pk)s", pk=watchlist_pk))
        return found


def watch_label(watchlist: Watchlist) -> str:
    """What a watchlist is called where it is shown (page, feed, e-mail).

    The label is stored in English when the watchlist is made; a country's name
    is looked up again so a Russian page says «Мали», not "Mali", and a saved
    search's filters are named in the reader's words.
    """
    if watchlist.kind == "country":
        return country_label(watchlist.key).name
    if watchlist.kind == "search" and watchlist.query:
        parts = ["“" + watchlist.query + "”"]
        for name, value in watchlist.filters.items():
            parts.append(gettext(FILTER_NAMES.get(name, name)) + ": " + value)
        return " · ".join(parts)
    return watchlist.label
