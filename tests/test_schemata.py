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
