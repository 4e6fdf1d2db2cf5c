"""Response shapes of the entity, match, catalog and related operations.

Field names follow the CLI's ``--json`` output (``kartoteka entity``,
``match``, ``catalog --format json``, ``related``), so scripts move between
the CLI and the API without renaming anything.  Shapes read their fields
from the model objects by name (``FromModel``); ``schema`` is spelt
``schema_`` in Python only because pydantic reserves the name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from kartoteka.link.matcher import MatchCandidate
from kartoteka.model import Citation, Entity, Name, Relation
from kartoteka.services.entities import SUMMARY_FIELDS, EntityPage, EntitySummary
from kartoteka.store.mentions import EntityArticle
from kartoteka.web.schemas import FromModel, Layered, shape_of


class _ByName(FromModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


_ENTITY_DOCS = {"schema": "FtM schema: Person, Organization…"}

# mypy cannot follow a class made at run time: it sees these as FromModel.
if TYPE_CHECKING:
    EntitySummaryFields = FromModel
    NameOut = FromModel
    CitationOut = FromModel
    RelationOut = FromModel
    EntityArticleOut = FromModel
    EntityFields = FromModel
    MatchBestOut = FromModel
    MatchCandidateOut = FromModel
else:
    EntitySummaryFields = shape_of(Entity, "EntitySummaryFields", base=_ByName,
                                   only=SUMMARY_FIELDS, described=_ENTITY_DOCS)
    NameOut = shape_of(Name, "NameOut", described={"kind": "name (primary), alias or weak."})
    CitationOut = shape_of(Citation, "CitationOut")
    RelationOut = shape_of(Relation, "RelationOut", base=_ByName,
                           types={"citations": list[CitationOut]}, described={
                               "editor_asserted": "Entered by an editor without a cited source."})
    # ``id`` is the article's: the shape names it as the CLI's JSON does.
    EntityArticleOut = shape_of(EntityArticle, "EntityArticleOut", rename={"article_id": "id"},
                                described={"role": "subject (the article is about it) or "
                                           "mentioned."})
    # The dates an entity was active are not in the API yet: adding them changes the
    # shape other work is checked against, a decision of its own.
    EntityFields = shape_of(Entity, "EntityFields", base=_ByName,
                            omit=("start_date", "end_date"),
                            types={"names": list[NameOut]},
                            described={**_ENTITY_DOCS, "id": "The canonical id; a merged id "
                                       "given in the path resolves here."})
    # The best candidate says what it is; which of its names matched, the list says.
    MatchBestOut = shape_of(MatchCandidate, "MatchBestOut", base=_ByName,
                            omit=("matched_name",))
    MatchCandidateOut = shape_of(MatchCandidate, "MatchCandidateOut", base=_ByName)


class EntitySummaryOut(EntitySummaryFields):
    articles: int = Field(description="Visible original articles linked to it.")
    mentions: int

    @classmethod
    def of(cls, summary: EntitySummary) -> EntitySummaryOut:
        return cls.model_validate(Layered(summary, summary.entity))


class EntityListOut(BaseModel):
    items: list[EntitySummaryOut]
    total: int
    limit: int
    offset: int


class EntityOut(EntityFields):
    merged_ids: list[str]
    relations: list[RelationOut]
    mentions: int
    articles: list[EntityArticleOut]

    @classmethod
    def of(cls, page: EntityPage) -> EntityOut:
        return cls.model_validate(Layered(page, page.detail, page.detail.entity))


class MatchOut(BaseModel):
    """The shape of ``kartoteka match --json``."""

    query: str
    best: MatchBestOut | None = Field(description="Null when no candidate passes the threshold.")
    candidates: list[MatchCandidateOut]
