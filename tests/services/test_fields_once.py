"""A field declared on the model reaches the JSON output without being copied by hand."""

from __future__ import annotations

from dataclasses import fields

from kartoteka.model import Citation, Entity, Name, Relation
from kartoteka.services.registry import EntityDetail, relation_dict
from kartoteka.web.entity_schemas import RelationOut


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
