"""A field declared on the model reaches the JSON output without being copied by hand."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime

from kartoteka.model import Article, Author, Citation, Entity, Name, Relation, SearchHit
from kartoteka.record import PRIVATE, field_names
from kartoteka.services.registry import EntityDetail, relation_dict
from kartoteka.web.entity_schemas import RelationOut
from kartoteka.web.schemas import ArticleOut, AuthorRef, RevisionSummary, SearchHitOut, shape_of


def names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


def test_entity_and_relation_json_carry_every_model_field() -> None:
    relation = Relation("r-1", "Membership", "p-1", "o-1", "leader", "2001",
                        citations=[Citation(article_id="a-1")])
    entity = Entity("p-1", "Person", "Agim Çeku", names=[Name("Агим Чеку", lang="ru")],
                    countries=["xk"], description="commander")
    data = EntityDetail(entity, [], [relation], []).as_dict()
    assert list(data) == [*names(Entity), "merged_ids", "relations", "judgements"]
    assert data["names"] == [{"value": "Агим Чеку", "kind": "alias", "lang": "ru",
                              "script": None}]
    assert list(relation_dict(relation)) == names(Relation)
    assert relation_dict(relation)["citations"] == [{"article_id": "a-1", "url": None}]
    # The API's shape reads the same model object by field name.
    api = RelationOut.of(relation).model_dump(by_alias=True)
    assert api == relation_dict(relation)


def test_api_article_shapes_are_the_model_fields_less_private_ones() -> None:
    assert list(ArticleOut.model_fields) == [
        *field_names(Article, without=[PRIVATE]), "revisions", "reposts"]
    assert "content_hash" not in ArticleOut.model_fields  # tagged PRIVATE on the model
    assert list(RevisionSummary.model_fields) == [
        "number", "title", "content_hash", "created_at", "created_by"]
    assert list(SearchHitOut.model_fields) == names(SearchHit)


def test_a_field_added_to_the_model_reaches_the_api_shape() -> None:
    """What adding ``place`` to ``model.Article`` does to the API: no shape is edited."""
    @dataclass(slots=True)
    class ArticleWithPlace(Article):
        place: str | None = None

    shape = shape_of(ArticleWithPlace, "ArticleWithPlaceOut", types={"author": AuthorRef | None})
    when = datetime(2024, 5, 1, tzinfo=UTC)
    base = Article("a1", "T", "B", "/tmp/a", "h", when, author=Author("@a", "A"))
    extended = ArticleWithPlace(**{f: getattr(base, f) for f in names(Article)}, place="Pejë")
    dumped = shape.of(extended).model_dump(mode="json")
    assert dumped["place"] == "Pejë"
    assert dumped["author"] == {"handle": "@a", "name": "A", "kind": "person"}
    assert dumped["ingested_at"] == "2024-05-01T00:00:00Z"
    assert "extra" not in dumped and "source_key" not in dumped
    assert shape.of(replace(extended, place=None)).model_dump()["place"] is None
