"""The JSON API's response shapes, which are also its OpenAPI documentation.

A shape whose fields are the model's is derived from the model's dataclass
(``shape_of``): its fields, their names and types are read from the model,
and a shape reads its values from the model object by those names
(``FromModel``: pydantic's ``from_attributes``).  So a field added to the
model reaches the API with no edit here, unless the model tags it
``PRIVATE``.  Only a field whose name or shape differs from the model's says
how it is made, and descriptions are added here, where the API is documented.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, Self, get_type_hints

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, create_model

from kartoteka.catalog.model import Catalog, CatalogCountry, CatalogEntry
from kartoteka.model import Article, Author, Revision, SearchHit, Widening
from kartoteka.record import PRIVATE, field_names
from kartoteka.services.articles import ArticleDetail
from kartoteka.services.authors import AUTHOR_NAMES, AuthorSummary
from kartoteka.services.related import RelatedArticle
from kartoteka.store.facets import FacetValue


class FromModel(BaseModel):
    """A response shape filled from a model object's attributes of the same names."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, model: Any) -> Self:
        return cls.model_validate(model)


def shape_of(
    model: type,
    name: str,
    *,
    base: type[FromModel] = FromModel,
    only: Collection[str] | None = None,
    omit: Collection[str] = (),
    types: Mapping[str, Any] | None = None,
    described: Mapping[str, str] | None = None,
    rename: Mapping[str, str] | None = None,
) -> type[FromModel]:
    """A response shape with the fields of the dataclass ``model``, in its order.

    Every field the model does not tag ``PRIVATE``, less ``omit`` (or just
    ``only``); ``types`` gives a field another shape (a nested model's own
    response shape), ``described`` documents fields, ``rename`` gives a field
    another name in JSON.  Every field is required: an answer always carries
    it, null or not.  A field that pydantic reserves (``schema``) is spelt
    with a trailing ``_`` in Python and keeps its name in JSON.
    """
    hints = get_type_hints(model)
    names = field_names(model, without=[PRIVATE], only=only, omit=omit)
    unknown = [n for n in [*(types or {}), *(described or {}), *(rename or {})]
               if n not in hints]
    if unknown:
        raise TypeError(f"{name}: {model.__name__} has no field(s) {unknown}")
    definitions: dict[str, Any] = {}
    for field in names:
        kind = (types or {}).get(field, hints[field])
        description = (described or {}).get(field)
        if rename and field in rename:
            definitions[rename[field]] = (kind, Field(
                validation_alias=AliasChoices(field, rename[field]), description=description))
        elif hasattr(BaseModel, field):
            definitions[f"{field}_"] = (kind, Field(alias=field, description=description))
        else:
            definitions[field] = (kind, Field(description=description))
    return create_model(name, __base__=base, __module__=__name__, **definitions)


class Layered:
    """Attributes of the first object that has them: a detail over its article."""

    def __init__(self, *objects: object) -> None:
        self._objects = objects

    def __getattr__(self, name: str) -> Any:
        for found in self._objects:
            if hasattr(found, name):
                return getattr(found, name)
        raise AttributeError(name)


_AUTHOR_DOCS = {"display_name": "Display name; empty when the source gave none.",
                "kind": "person, channel or site."}
# What a list of articles shows of each: no body, no history.
SUMMARY_FIELDS = ("id", "title", "language", "author", "published_at", "countries", "url",
                  "original_id")
_ARTICLE_DOCS = {"original_id": "Set when this article is a repost of another."}

# mypy cannot follow a class made at run time: it sees these as FromModel.
if TYPE_CHECKING:
    AuthorRef = FromModel
    ArticleSummary = FromModel
    RevisionSummary = FromModel
    ArticleFields = FromModel
    SearchHitOut = FromModel
    WideningOut = FromModel
else:
    AuthorRef = shape_of(Author, "AuthorRef", rename=AUTHOR_NAMES, described=_AUTHOR_DOCS)
    ArticleSummary = shape_of(Article, "ArticleSummary", only=SUMMARY_FIELDS,
                              types={"author": AuthorRef | None}, described=_ARTICLE_DOCS)
    # The revision's text is the article's body; its article is the one asked for.
    RevisionSummary = shape_of(Revision, "RevisionSummary", omit=("article_id", "body"))
    ArticleFields = shape_of(Article, "ArticleFields", types={"author": AuthorRef | None},
                             described=_ARTICLE_DOCS)
    SearchHitOut = shape_of(SearchHit, "SearchHitOut", described={
        "snippet": "HTML: escaped text with matches in <mark>."})
    WideningOut = shape_of(Widening, "WideningOut", described={
        "id": "Entity id, or the country's ISO 3166-1 alpha-2 code.",
        "kind": '"entity" or "country".'})


class ArticleOut(ArticleFields):
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
    is_exact: bool = Field(
        default=True,
        description="False when more articles match than were counted: the counts are then "
        "over the latest ``counted`` matches only.",
    )
    counted: int = Field(default=0, description="How many matching articles were counted.")


class SearchOut(BaseModel):
    query: str
    total: int
    total_is_exact: bool = Field(
        default=True,
        description="False when more articles match than the ranking window counts: "
        "``total`` is then a lower bound (at least that many).",
    )
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


class AuthorOut(AuthorRef):
    articles: int = Field(description="Visible original articles.")

    @classmethod
    def of(cls, summary: AuthorSummary) -> AuthorOut:
        return cls.model_validate(Layered(summary, summary.author))


class AuthorList(BaseModel):
    items: list[AuthorOut]


if TYPE_CHECKING:
    CatalogEntryOut = FromModel
    CatalogCountryOut = FromModel
    CatalogOut = FromModel
else:
    CatalogEntryOut = shape_of(CatalogEntry, "CatalogEntryOut", described={
        "kind": "organization, person or article.",
        "entity_id": "Registry entity id; null for an article entry.",
        "article_ids": "Visible articles about the entry, oldest first.",
        "authors": "Handles of the authors who wrote about it."})
    CatalogCountryOut = shape_of(CatalogCountry, "CatalogCountryOut",
                                 types={"entries": list[CatalogEntryOut]}, described={
                                     "code": "Lower-case ISO 3166-1 alpha-2 code, or xk for "
                                     "Kosovo."})
    CatalogOut = shape_of(Catalog, "CatalogOut", types={"countries": list[CatalogCountryOut]},
                          described={"countries": "In order of country name."})


if TYPE_CHECKING:
    RelatedOut = FromModel
else:
    RelatedOut = shape_of(RelatedArticle, "RelatedOut", described={
        "score": "0..1; higher is more related.",
        "reasons": "Why it is related, for people to read.",
        "text_overlap": "0..1: the share of the article's rare stems it shares; "
                        "from 0.25 another report of the same story."})
