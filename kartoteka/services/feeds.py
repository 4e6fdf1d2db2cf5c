"""Feeds of everything public: the latest articles, a country, an entity, an
author, or any search, as data that the Atom and JSON Feed renderers share.

A feed is public whoever asks: it always reads through the anonymous
filter, so a draft, a rejected or a deleted article can never be in one,
even when an editor's feed reader is signed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from kartoteka.catalog.countries import is_country_code
from kartoteka.i18n import Message
from kartoteka.model import Article
from kartoteka.services.authors import get_author
from kartoteka.services.countries import CountryNotFound, country_label
from kartoteka.services.registry import get_entity
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.feeds import FeedRow, newest_articles
from kartoteka.text.query import ParsedQuery, parse_query

FEED_SIZE = 50
SUMMARY_CHARS = 400
# An empty feed still needs an <updated>; a fixed instant keeps it stable.
_EMPTY_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class FeedItem:
    article_id: str
    title: str
    summary: str
    updated: datetime
    published: datetime | None = None
    author: str | None = None
    author_name: str | None = None
    language: str | None = None
    countries: list[str] = field(default_factory=list)
    source_url: str | None = None

    @property
    def path(self) -> str:
        return f"/articles/{quote(self.article_id, safe='')}"


@dataclass(frozen=True, slots=True)
class Feed:
    """``key`` names the feed for its id; ``page`` is the HTML page it follows;
    ``path`` is the feed's own address without the ``.atom``/``.json`` suffix."""

    key: str
    title: str
    page: str
    path: str
    items: list[FeedItem]
    query: str = ""

    @property
    def updated(self) -> datetime:
        return max((item.updated for item in self.items), default=_EMPTY_UPDATED)


def summary(body: str, limit: int = SUMMARY_CHARS) -> str:
    """The opening of the body, on one line, cut at a word with an ellipsis."""
    text = _SPACE.sub(" ", body).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-—")
    return f"{cut}…"


def latest_feed(db: Database) -> Feed:
    return Feed("latest", Message("kartoteka: latest articles"), "/", "/feed",
                _items(db, ArticleFilter()))


def country_feed(db: Database, code: str) -> Feed:
    key = code.strip().lower()
    if not (len(key) == 2 and is_country_code(key)):
        raise CountryNotFound(code)
    label = country_label(key)
    return Feed(f"country/{key}", f"kartoteka: {label.name}", f"/countries/{key}",
                f"/countries/{key}", _items(db, ArticleFilter(country=key)))


def entity_feed(db: Database, entity_id: str) -> Feed:
    """``EntityNotFound`` for an unknown id; a merged id gives its canonical entity's feed."""
    entity = get_entity(db, entity_id).entity
    path = f"/entities/{quote(entity.id, safe='')}"
    return Feed(f"entity/{entity.id}", f"kartoteka: {entity.name}", path, path,
                _items(db, ArticleFilter(entity=entity.id)))


def author_feed(db: Database, handle: str) -> Feed:
    """``AuthorNotFound`` for an unknown handle; reposts count, as on the author's page."""
    author = get_author(db, handle)
    path = f"/authors/{quote(author.handle, safe='@')}"
    return Feed(f"author/{author.handle}", f"kartoteka: {author.label}", path, path,
                _items(db, ArticleFilter(author=author.handle, include_reposts=True)))


def search_feed_query(query: str, flt: ArticleFilter) -> str:
    """The query string of a search's feed: the words and the filters, no paging."""
    return urlencode(_search_params(query.strip(), flt))


def search_feed(db: Database, query: str, flt: ArticleFilter | None = None) -> Feed:
    """The newest articles a search matches, with the search's own filters."""
    public = replace(flt or ArticleFilter(), include_unpublished=False)
    text = query.strip()
    params = search_feed_query(text, public)
    parsed = parse_query(text)
    items = [] if parsed.is_empty else _items(db, public, parsed)
    title = Message("kartoteka: search “%(query)s”", query=text)
    return Feed(f"search?{params}", title, f"/search?{params}", "/search", items, query=params)


def _search_params(text: str, flt: ArticleFilter) -> list[tuple[str, str]]:
    params = [("q", text)]
    for name in ("author", "country", "entity", "language"):
        value = getattr(flt, name)
        if value:
            params.append((name, value))
    for name in ("since", "until"):
        moment = getattr(flt, name)
        if moment:
            params.append((name, moment.date().isoformat()))
    return params


def _items(
    db: Database, flt: ArticleFilter, query: ParsedQuery | None = None
) -> list[FeedItem]:
    public = replace(flt, include_unpublished=False)
    with db.read() as conn:
        rows = newest_articles(conn, public, FEED_SIZE, query)
        found = ArticleRepository(conn).get_many([r.article_id for r in rows])
    return [_item(found[row.article_id], row) for row in rows if row.article_id in found]


def _item(article: Article, row: FeedRow) -> FeedItem:
    author = article.author
    return FeedItem(
        article_id=article.id,
        title=article.title or summary(article.body, 80),
        summary=summary(article.body),
        updated=row.updated_at,
        published=article.published_at,
        author=author.handle if author else None,
        author_name=author.label if author else None,
        language=article.language,
        countries=list(article.countries),
        source_url=article.url,
    )
