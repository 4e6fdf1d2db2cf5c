"""The alerts API's request and response shapes (its OpenAPI documentation too)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kartoteka.store.watchlists import AlertRow, Watchlist
from kartoteka.web.deps import NO_NUL

Kind = Literal["entity", "country", "author", "search"]
Frequency = Literal["immediate", "daily", "weekly", "off"]
AlertPk = Annotated[int, Field(ge=1, le=2**62)]


class FiltersIn(BaseModel):
    """A saved search's filters: the search page's parameters of the same names."""

    model_config = ConfigDict(extra="forbid")

    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$",
                                description="ISO 3166-1 alpha-2 code, e.g. rs or xk.")
    author: str | None = Field(None, min_length=1, max_length=255, pattern=NO_NUL,
                               description="An author's handle, e.g. @sahel_test.")
    entity: str | None = Field(None, min_length=1, max_length=255, pattern=NO_NUL,
                               description="A registry entity's id.")
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}$",
                                 description="Language code, e.g. en or ru.")
    since: date | None = Field(None, description="Published on or after this day.")
    until: date | None = Field(None, description="Published on or before this day.")


class WatchlistIn(BaseModel):
    """What to follow: an entity, country or author by ``target``, or a search by ``query``."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    target: str = Field("", max_length=500, pattern=NO_NUL,
                        description="Entity id, country code or author handle.")
    query: str = Field("", max_length=500, pattern=NO_NUL,
                       description="A saved search's words (kind search only).")
    filters: FiltersIn | None = Field(None, description="A saved search's filters "
                                                        "(kind search only).")
    frequency: Frequency | None = Field(None, description="How often e-mail is sent.")


class WatchlistOut(BaseModel):
    id: int
    kind: str
    key: str = Field(description="What matching looks up: entity id, country code, author "
                                 "handle key or the saved search's query string.")
    label: str = Field(description="What the watchlist is called, in the request's language.")
    query: str | None
    filters: dict[str, str]
    frequency: str
    has_feed: bool = Field(description="Whether a private feed address was made.")
    webhook_url: str | None
    created_at: datetime

    @classmethod
    def of(cls, watchlist: Watchlist, label: str) -> WatchlistOut:
        return cls(
            id=watchlist.pk, kind=watchlist.kind, key=watchlist.key, label=label,
            query=watchlist.query, filters=watchlist.filters, frequency=watchlist.frequency,
            has_feed=watchlist.has_feed, webhook_url=watchlist.webhook_url,
            created_at=watchlist.created_at,
        )


class WatchlistList(BaseModel):
    items: list[WatchlistOut]


class AlertOut(BaseModel):
    id: int
    article_id: str
    title: str
    url: str = Field(description="The article's page here (as in webhooks).")
    source_url: str | None = Field(description="Where the article was published, if known.")
    published_at: datetime | None
    watchlist_id: int
    watchlist_label: str
    created_at: datetime = Field(description="When the article matched the watchlist.")
    read_at: datetime | None

    @classmethod
    def of(cls, alert: AlertRow, label: str, base: str) -> AlertOut:
        return cls(
            id=alert.pk, article_id=alert.article_id, title=alert.title,
            url=f"{base}/articles/{alert.article_id}", source_url=alert.url,
            published_at=alert.published_at, watchlist_id=alert.watchlist_pk,
            watchlist_label=label, created_at=alert.created_at, read_at=alert.read_at,
        )


class AlertPage(BaseModel):
    items: list[AlertOut]
    total: int
    unread: int
    limit: int
    offset: int


class MarkReadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[AlertPk] | None = Field(None, max_length=1000,
                                  description="Alerts to mark read; null or absent: all.")


class MarkReadOut(BaseModel):
    marked: int = Field(description="How many unread alerts were marked read.")


class FeedOut(BaseModel):
    feed_url: str = Field(description="The private feed's new address, shown only this once; "
                                      "the previous address stops working.")
