"""The JSON API's response shapes, which are also its OpenAPI documentation.

A shape whose fields have the model's names reads them from the model object
itself (``FromModel``: pydantic's ``from_attributes``), so no field is copied
by hand; a field is declared here once, with its description, and only a
field whose name or shape differs from the model's says how it is made.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from kartoteka.services.articles import ArticleDetail
from kartoteka.services.authors import AuthorSummary
from kartoteka.store.facets import FacetValue


class FromModel(BaseModel):
    """A response shape filled from a model object's attributes of the same names."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, model: Any) -> Self:
        return cls.model_validate(model)


class Layered:
    """Attributes of the first object that has them: a detail over its article."""

    def __init__(self, *objects: object) -> None:
        self._objects = objects

    def __getattr__(self, name: str) -> Any:
        for found in self._objects:
            if hasattr(found, name):
                return getattr(found, name)
        raise AttributeError(name)


class AuthorRef(FromModel):
    handle: str
    name: str = Field(validation_alias=AliasChoices("display_name", "name"),
                      description="Display name; empty when the source gave none.")
    kind: str = Field(description="person, channel or site.")


class ArticleSummary(FromModel):
    id: str
    title: str
    language: str | None
    author: AuthorRef | None
    published_at: datetime | None
    countries: list[str]
    url: str | None
    original_id: str | None = Field(description="Set when this article is a repost of another.")


class RevisionSummary(FromModel):
    number: int
    title: str
    created_at: datetime
    created_by: str | None
    content_hash: str


class ArticleOut(ArticleSummary):
    body: str
    source: str
    hashtags: list[str]
    links: list[str]
    ingested_at: datetime
    revision: int
    revisions: list[RevisionSummary]
    reposts: list[ArticleSummary] = Field(description="The same text posted by others.")

    @classmethod
    def of_detail(cls, detail: ArticleDetail) -> ArticleOut:
        return cls.model_validate(Layered(detail, detail.article))


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    total: int
    limit: int
    offset: int


class FacetOut(BaseModel):
    value: str
    count: int
    label: str = Field(description="A readable name (country or author), when there is one.")

    @classmethod
    def of(cls, facet: FacetValue, label: str = "") -> FacetOut:
        return cls(value=facet.value, count=facet.count, label=label or facet.label)


class FacetsOut(BaseModel):
    countries: list[FacetOut]
    authors: list[FacetOut]
    languages: list[FacetOut]
    years: list[FacetOut]
    entities: list[FacetOut] = Field(description="Linked entities (canonical ids, names).")


class SearchHitOut(FromModel):
    id: str
    title: str
    author: str | None
    published_at: datetime | None
    score: float
    snippet: str = Field(description="HTML: escaped text with matches in <mark>.")


class WideningOut(BaseModel):
    id: str = Field(description="Entity id, or the country's ISO 3166-1 alpha-2 code.")
    name: str
    kind: str = Field(description='"entity" or "country".')


class SearchOut(BaseModel):
    query: str
    total: int
    limit: int
    offset: int
    hits: list[SearchHitOut]
    facets: FacetsOut | None = None
    widened_by: list[WideningOut] = Field(
        default_factory=list,
        description="Entities and countries the query names: articles linked to them "
        "(tagged with them) are found too, after the text matches.",
    )
    message: str | None = Field(
        default=None,
        description="Why a query found nothing without searching: no words, only common "
        "words, too long.",
    )


class AuthorOut(BaseModel):
    handle: str
    name: str
    kind: str
    articles: int = Field(description="Visible original articles.")

    @classmethod
    def of(cls, summary: AuthorSummary) -> AuthorOut:
        author = summary.author
        return cls(
            handle=author.handle,
            name=author.display_name,
            kind=author.kind.value,
            articles=summary.articles,
        )


class AuthorList(BaseModel):
    items: list[AuthorOut]


class CatalogEntryOut(BaseModel):
    title: str
    kind: str = Field(description="organization, person or article.")
    entity_id: str | None = Field(description="Registry entity id; null for an article entry.")
    article_ids: list[str] = Field(description="Visible articles about the entry, oldest first.")
    authors: list[str] = Field(description="Handles of the authors who wrote about it.")
    url: str | None


class CatalogCountryOut(BaseModel):
    code: str = Field(description="Lower-case ISO 3166-1 alpha-2 code, or xk for Kosovo.")
    name: str
    flag: str
    entries: list[CatalogEntryOut]


class CatalogOut(BaseModel):
    countries: list[CatalogCountryOut] = Field(description="In order of country name.")


class RelatedOut(BaseModel):
    id: str
    title: str
    score: float = Field(description="0..1; higher is more related.")
    reasons: list[str] = Field(description="Why it is related, for people to read.")
    text_overlap: float = Field(
        0.0, description="0..1: the share of the article's rare stems it shares; "
        "from 0.25 another report of the same story.")
