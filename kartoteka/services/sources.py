"""Watched sources: add, list, find and remove the URLs that are polled.

Polling itself is in ``services.polling``; this module only keeps the list,
turning every mistake (a bad URL or interval, an unknown source) into a
``SourceError`` whose message a user can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from kartoteka.i18n import Message
from kartoteka.store.database import Database
from kartoteka.store.sources import SourceRepository
from kartoteka.watched import (
    DEFAULT_INTERVAL,
    Source,
    SourceError,
    check_url,
    parse_interval,
)

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


class SourceService:
    def __init__(self, db: Database, *, clock: Clock = _now) -> None:
        self.db = db
        self.clock = clock

    def add(
        self,
        url: str,
        *,
        every: str | timedelta | None = None,
        author: str | None = None,
        country: str | None = None,
    ) -> Source:
        """Watch ``url``; it is due at once, so the next poll fetches it and learns its kind."""
        url = check_url(url)
        interval = parse_interval(every) if isinstance(every, str) else every or DEFAULT_INTERVAL
        author = (author or "").strip() or None
        country = (country or "").strip().lower() or None
        if country is not None and (len(country) != 2 or not country.isalpha()):
            raise SourceError(Message("bad country %(country)r: use a two-letter code such as "
                                      "rs or xk", country=country), "country")
        now = self.clock()
        source = Source(url=url, interval=interval, author=author, country=country,
                        created_at=now, next_due_at=now)
        with self.db.transaction() as conn:
            repo = SourceRepository(conn)
            existing = repo.by_url(url)
            if existing is not None:
                raise SourceError(Message("%(url)s is already watched (source %(pk)s)",
                                          url=url, pk=existing.pk), "url")
            source.pk = repo.add(source)
        return source

    def list(self) -> list[Source]:
        with self.db.read() as conn:
            return SourceRepository(conn).all()

    def find(self, ref: str | int) -> Source:
        """A source by its id or its exact URL."""
        text = str(ref).strip()
        with self.db.read() as conn:
            repo = SourceRepository(conn)
            source = repo.get(int(text)) if text.isdigit() else repo.by_url(text)
        if source is None:
            raise SourceError(Message("unknown source %(ref)r: `kartoteka sources list` shows "
                                      "them all", ref=text))
        return source

    def remove(self, ref: str | int) -> Source:
        """Stop watching; the articles it brought stay."""
        source = self.find(ref)
        assert source.pk is not None
        with self.db.transaction() as conn:
            SourceRepository(conn).remove(source.pk)
        return source
