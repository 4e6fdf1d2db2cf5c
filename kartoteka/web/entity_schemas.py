"""Response shapes of the entity, match, catalog and related operations.

Field names follow the CLI's ``--json`` output (``kartoteka entity``,
``match``, ``catalog --format json``, ``related``), so scripts move between
the CLI and the API without renaming anything.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from kartoteka.model import Relation
from kartoteka.services.entities import EntityPage, EntitySummary


class EntitySummaryOut(BaseModel):
    id: str
    schema_: str = Field(alias="schema", description="FtM schema: Person, Organization…")
    name: str
    countries: list[str]
    topics: list[str]
    articles: int = Field(description="Visible original articles linked to it.")
    mentions: int

    model_config = {"populate_by_name": True}

    @classmethod
    def of(cls, summary: EntitySummary) -> EntitySummaryOut:
        e = summary.entity
        return cls(id=e.id, schema=e.schema, name=e.name, countries=list(e.countries),
                   topics=list(e.topics), articles=summary.articles, mentions=summary.mentions)


class EntityListOut(BaseModel):
    items: list[EntitySummaryOut]
    total: int
    limit: int
    offset: int


class NameOut(BaseModel):
    value: str
    kind: str = Field(description="name (primary), alias or weak.")
    lang: str | None
    script: str | None


class CitationOut(BaseModel):
    article_id: str | None
    url: str | None


class RelationOut(BaseModel):
    id: str
    schema_: str = Field(alias="schema")
    source_id: str
    target_id: str
    role: str
    start_date: str | None
    end_date: str | None
    editor_asserted: bool = Field(description="Entered by an editor without a cited source.")
    citations: list[CitationOut]

    model_config = {"populate_by_name": True}

    @classmethod
    def of(cls, r: Relation) -> RelationOut:
        return cls(id=r.id, schema=r.schema, source_id=r.source_id, target_id=r.target_id,
                   role=r.role, start_date=r.start_date, end_date=r.end_date,
                   editor_asserted=r.editor_asserted,
                   citations=[CitationOut(article_id=c.article_id, url=c.url)
                              for c in r.citations])


class EntityArticleOut(BaseModel):
    id: str
    title: str
    published_at: datetime | None
    mentions: int
    role: str = Field(description="subject (the article is about it) or mentioned.")


class EntityOut(BaseModel):
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

    model_config = {"populate_by_name": True}

    @classmethod
    def of(cls, page: EntityPage) -> EntityOut:
        e = page.detail.entity
        return cls(
            id=e.id, schema=e.schema, name=e.name,
            names=[NameOut(value=n.value, kind=n.kind, lang=n.lang, script=n.script)
                   for n in e.names],
            countries=list(e.countries), topics=list(e.topics),
            identifiers=dict(e.identifiers), description=e.description,
            merged_ids=list(page.detail.merged_ids),
            relations=[RelationOut.of(r) for r in page.detail.relations],
            mentions=page.mentions,
            articles=[EntityArticleOut(id=a.article_id, title=a.title,
                                       published_at=a.published_at, mentions=a.mentions,
                                       role=a.role) for a in page.articles],
        )


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
