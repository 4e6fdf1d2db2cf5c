"""Response shapes of the entity, match, catalog and related operations.

Field names follow the CLI's ``--json`` output (``kartoteka entity``,
``match``, ``catalog --format json``, ``related``), so scripts move between
the CLI and the API without renaming anything.  Shapes read their fields
from the model objects by name (``FromModel``); ``schema`` is spelt
``schema_`` in Python only because pydantic reserves the name.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from kartoteka.services.entities import EntityPage, EntitySummary
from kartoteka.web.schemas import FromModel, Layered

_BY_NAME = ConfigDict(from_attributes=True, populate_by_name=True)


class EntitySummaryOut(FromModel):
    id: str
    schema_: str = Field(alias="schema", description="FtM schema: Person, Organization…")
    name: str
    countries: list[str]
    topics: list[str]
    articles: int = Field(description="Visible original articles linked to it.")
    mentions: int

    model_config = _BY_NAME

    @classmethod
    def of(cls, summary: EntitySummary) -> EntitySummaryOut:
        return cls.model_validate(Layered(summary, summary.entity))


class EntityListOut(BaseModel):
    items: list[EntitySummaryOut]
    total: int
    limit: int
    offset: int


class NameOut(FromModel):
    value: str
    kind: str = Field(description="name (primary), alias or weak.")
    lang: str | None
    script: str | None


class CitationOut(FromModel):
    article_id: str | None
    url: str | None


class RelationOut(FromModel):
    id: str
    schema_: str = Field(alias="schema")
    source_id: str
    target_id: str
    role: str
    start_date: str | None
    end_date: str | None
    editor_asserted: bool = Field(description="Entered by an editor without a cited source.")
    citations: list[CitationOut]

    model_config = _BY_NAME


class EntityArticleOut(FromModel):
    id: str = Field(validation_alias=AliasChoices("article_id", "id"))
    title: str
    published_at: datetime | None
    mentions: int
    role: str = Field(description="subject (the article is about it) or mentioned.")


class EntityOut(FromModel):
    id: str = Field(description="The canonical id; a merged id given in the path resolves here.")
    schema_: str = Field(alias="schema")
    name: str
    names: list[NameOut]
    countries: list[str]
    topics: list[str]
    identifiers: dict[str, str]
    description: str
    merged_ids: list[str]
    relations: list[RelationOut]
    mentions: int
    articles: list[EntityArticleOut]

    model_config = _BY_NAME

    @classmethod
    def of(cls, page: EntityPage) -> EntityOut:
        return cls.model_validate(Layered(page, page.detail, page.detail.entity))


class MatchBestOut(BaseModel):
    id: str
    name: str
    schema_: str = Field(alias="schema")
    score: float

    model_config = {"populate_by_name": True}


class MatchCandidateOut(MatchBestOut):
    matched_name: str


class MatchOut(BaseModel):
    """The shape of ``kartoteka match --json``."""

    query: str
    best: MatchBestOut | None = Field(description="Null when no candidate passes the threshold.")
    candidates: list[MatchCandidateOut]
