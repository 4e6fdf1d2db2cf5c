"""The domain model: plain dataclasses, no I/O, no ORM.

The vocabulary follows FollowTheMoney (Article, Person, Organization,
Membership, Mention, Documentation) so that exports load into the field's
tools.  Country codes are ISO 3166-1 alpha-2 in lower case, plus ``xk`` for
Kosovo, as FtM uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kartoteka.record import PRIVATE, STORED, WORKING, as_record, tagged

__all__ = [
    "Article",
    "ArticleDraft",
    "ArticleStatus",
    "Author",
    "AuthorKind",
    "Citation",
    "Entity",
    "Mention",
    "Name",
    "Relation",
    "Revision",
    "SearchHit",
    "Widening",
    "article_id_for_key",
]


class AuthorKind(StrEnum):
    PERSON = "person"
    CHANNEL = "channel"
    SITE = "site"


class ArticleStatus(StrEnum):
    """Only published articles are visible to anonymous readers."""

    PUBLISHED = "published"
    DRAFT = "draft"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Author:
    """Who published an article: a person, a Telegram channel or a website.

    ``handle`` is the stable key (``@chvkmedia``, ``example.org``); the
    display name is what the author calls itself.
    """

    handle: str
    display_name: str = ""
    kind: AuthorKind = AuthorKind.PERSON

    @property
    def label(self) -> str:
        return self.display_name or self.handle


@dataclass(slots=True)
class ArticleDraft:
    """An article as a reader produced it, before it has an id or a history.

    ``source`` is a path or URL; ``source_key`` identifies the piece across
    runs (a URL, a ``t.me`` link, a feed entry id, or the file path) and
    decides whether new text is a revision of something already stored.
    """

    title: str
    body: str
    source: str
    source_key: str = ""
    language: str | None = None
    author: Author | None = None
    published_at: datetime | None = None
    countries: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    url: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def key(self) -> str:
        return self.source_key or self.url or self.source


@dataclass(slots=True)
class Article:
    """A stored article: its current revision plus identity and provenance.

    A field's tags say which outputs leave it out (``kartoteka.record``);
    an untagged field appears in the CLI's and the API's JSON and the export.
    """

    id: str
    title: str
    body: str
    source: str
    content_hash: str = field(metadata=tagged(STORED, PRIVATE))
    ingested_at: datetime = field(metadata=tagged(STORED))
    language: str | None = None
    author: Author | None = None
    published_at: datetime | None = None
    countries: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    url: str | None = None
    source_key: str = field(default="", metadata=tagged(PRIVATE))
    status: ArticleStatus = field(default=ArticleStatus.PUBLISHED,
                                  metadata=tagged(STORED, PRIVATE))
    original_id: str | None = field(default=None, metadata=tagged(STORED))
    revision: int = field(default=1, metadata=tagged(STORED))
    extra: dict[str, object] = field(default_factory=dict, metadata=tagged(PRIVATE))

    @property
    def is_repost(self) -> bool:
        return self.original_id is not None


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of an article; the newest is also the article's current text."""

    article_id: str
    number: int
    title: str
    body: str
    content_hash: str
    created_at: datetime
    created_by: str | None = None


@dataclass(frozen=True, slots=True)
class Name:
    """A name of an entity in one script or language.

    ``kind`` is ``name`` (primary), ``alias`` or ``weak`` (a weak alias such
    as a nickname: good for search, never enough alone to link a mention).
    """

    value: str
    kind: str = "alias"
    lang: str | None = None
    script: str | None = None


@dataclass(slots=True)
class Entity:
    """A canonical organisation, person, place or channel in the registry."""

    id: str
    schema: str
    name: str
    names: list[Name] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)
    description: str = ""
    # When the entity was active, as partial ISO dates (2014, 2014-06, 2014-06-29):
    # founded and dissolved, or born and died.  Linking weighs an article's date by it.
    start_date: str | None = None
    end_date: str | None = None

    def all_names(self) -> list[str]:
        seen = [self.name]
        seen.extend(n.value for n in self.names if n.value not in seen)
        return seen


@dataclass(frozen=True, slots=True)
class Citation:
    """Why a relation is believed: an article in the database and/or a URL."""

    article_id: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Relation:
    """An edge between two entities.

    Person to organisation is an FtM Membership (role: member, leader,
    commander); organisation to organisation is an FtM UnknownLink (role:
    allied, rival, splinter-of, merged-into, affiliate).
    """

    id: str
    schema: str
    source_id: str
    target_id: str
    role: str
    start_date: str | None = None
    end_date: str | None = None
    citations: list[Citation] = field(default_factory=list)
    editor_asserted: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in an article, with its span, and what it links to.

    ``start`` and ``end`` index the article's ``section``: its ``body``, or
    its ``title`` (a name in the title is often the one the article is about).
    """

    article_id: str
    start: int
    end: int
    text: str
    label: str
    component: str
    confidence: float = 1.0
    entity_id: str | None = None
    # The name in its dictionary form where the text inflects it («Амаду Куфы»
    # → «Амаду Куфа»); None when the text is already that form or unknown.
    normal: str | None = None
    section: str = "body"  # "title" or "body" (see kartoteka.extract.pipeline)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked search result; both storage backends produce exactly this."""

    id: str
    title: str
    author: str | None
    published_at: datetime | None
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class Widening:
    """A search that also finds what a registry entity or a country is linked to.

    The query's words at ``terms`` (positions in the parsed query: all of them
    when the whole query is the name, or one quoted phrase) are a name of the
    entity, or of the country: articles linked to the entity, or tagged with
    the country, match them as well as the text does.
    """

    kind: str  # "entity" | "country"
    id: str  # entity id, or ISO 3166-1 alpha-2 code (and xk)
    name: str
    terms: frozenset[int] = field(default=frozenset(), metadata=tagged(WORKING))

    def as_dict(self) -> dict[str, str]:
        return as_record(self)


def article_id_for_key(source_key: str) -> str:
    """A stable article id from its source key, the same on every machine.

    64 bits of SHA-256: collisions are negligible below hundreds of millions
    of articles, and the id stays short enough to type.
    """
    import hashlib

    return hashlib.sha256(source_key.encode("utf-8")).hexdigest()[:16]
