from __future__ import annotations

import json

import pytest

from kartoteka import schemata
from kartoteka.registry.ftm import read_ftm
from kartoteka.schemata import compatible, entity_schemata, is_entity_schema, kind


def test_the_registry_schemata_are_ftm_things_not_edges() -> None:
    found = entity_schemata()
    assert {"Person", "Organization", "Company", "Vessel", "Airplane", "Address"} <= found
    assert "Membership" not in found and "Thing" not in found  # an edge; an abstract schema
    assert not is_entity_schema("Ship") and not is_entity_schema("")


@pytest.mark.parametrize("schema", sorted(schemata.entity_schemata()))
def test_every_thing_schema_loads_from_ftm_lines(schema: str) -> None:
    line = json.dumps({"id": f"x-{schema.lower()}", "schema": schema,
                       "properties": {"name": [f"A {schema} name"]}})
    parsed = read_ftm([line])
    assert parsed.errors == []
    assert [(e.schema, e.name) for e in parsed.entities] == [(schema, f"A {schema} name")]


def test_kinds_and_compatibility_follow_ftm_inheritance() -> None:
    kinds = (kind("Person"), kind("PublicBody"), kind("Vessel"))
    assert kinds == ("person", "organization", "other")
    assert compatible("Organization", "Company") and compatible("LegalEntity", "Person")
    assert not compatible("Person", "Organization") and not compatible("Vessel", "Airplane")


def test_relation_schemata_and_their_properties_come_from_ftm() -> None:
    """The five relations the registry always held keep their properties (so their
    files read and write as before); FtM's edges of a party with a role join them."""
    assert {name: tuple(schemata.relation_properties(name)) for name in (
        "Membership", "UnknownLink", "Directorship", "Associate", "Family")} == {
        "Membership": ("member", "organization", "role"),
        "UnknownLink": ("subject", "object", "role"),
        "Directorship": ("director", "organization", "role"),
        "Associate": ("person", "associate", "relationship"),
        "Family": ("person", "relative", "relationship"),
    }
    found = schemata.relation_schemata()
    assert {"Employment", "Representation"} <= found
    # Not between parties, or captioned by no role: an asset, a document, money, a date.
    assert not found & {"Ownership", "Documentation", "Payment", "Debt", "Succession"}
    assert not found & entity_schemata() and not schemata.is_relation_schema("Person")
    with pytest.raises(KeyError):
        schemata.relation_properties("Ownership")


@pytest.mark.parametrize("schema", sorted(schemata.relation_schemata()))
def test_every_relation_schema_reads_and_writes_valid_ftm(schema: str) -> None:
    from followthemoney import model

    from kartoteka.registry.ftm import relation_to_ftm

    ends = schemata.relation_properties(schema)
    data = {"id": f"r-{schema.lower()}", "schema": schema, "properties": {
        ends.source: ["a-1"], ends.target: ["b-2"], ends.role: ["ally"],
        "sourceUrl": ["https://example.org/r"]}}
    parsed = read_ftm([json.dumps(data)])
    assert parsed.errors == []
    [relation] = parsed.relations
    assert (relation.source_id, relation.target_id, relation.role) == ("a-1", "b-2", "ally")
    assert relation_to_ftm(relation) == data
    proxy = model.get_proxy(data)  # FtM itself reads every property we wrote
    assert proxy.get(ends.role) == ["ally"] and proxy.get(ends.source) == ["a-1"]
