"""Which FollowTheMoney schemata the registry holds, read from FtM's own model.

This is the one place that knows schema names.  Every other module asks it
whether a schema is a registry entity, a person or an organisation, or a
relation and which properties hold its ends and role, instead of keeping a
list of its own; a schema FtM adds (Vessel, Airplane, Address, ...) is then
accepted everywhere at once.  FtM's model takes most of a second to
load, so it is read on first use, never at import.
"""

from __future__ import annotations

from functools import cache
from types import MappingProxyType
from typing import Any, NamedTuple

__all__ = [
    "ORGANIZATION",
    "PERSON",
    "PLACE",
    "RelationProperties",
    "compatible",
    "entity_schemata",
    "is_a",
    "is_entity_schema",
    "is_organization",
    "is_person",
    "is_place",
    "is_relation_schema",
    "kind",
    "relation_properties",
    "relation_schemata",
    "unknown_schema_message",
]

#: The schema new entities get when nothing says otherwise.
PERSON = "Person"
ORGANIZATION = "Organization"
#: FtM has no Place schema: a location entity is an Address.
PLACE = "Address"


@cache
def _model() -> Any:
    from followthemoney import model

    return model


@cache
def entity_schemata() -> frozenset[str]:
    """Every concrete FtM *thing* schema: what a registry entity may be."""
    return frozenset(
        schema.name for schema in _model().schemata.values()
        if not schema.abstract and not schema.edge and schema.is_a("Thing")
    )


class RelationProperties(NamedTuple):
    """The FtM properties of a relation schema that hold its two ends and its role."""

    source: str
    target: str
    role: str


@cache
def _relations() -> MappingProxyType[str, RelationProperties]:
    """The FtM edges a registry relation may be, with their properties, by name.

    A relation links two entities with a role, so an edge qualifies when FtM
    captions it by one string property (its ``edge_caption``: Membership's
    ``role``, Family's ``relationship``) and both of its ends are parties (FtM
    LegalEntity: people and organisations) or any thing (UnknownLink).  That
    leaves out edges to what the registry does not hold as a party (Ownership
    of an Asset, Documentation of a Document, which kartoteka keeps as an
    article's links) and those captioned by an amount or a date (Payment,
    Debt, Succession).  Ends and role are FtM's ``edge_source``,
    ``edge_target`` and caption.
    """
    found: dict[str, RelationProperties] = {}
    for schema in sorted(_model().schemata.values(), key=lambda s: s.name):
        if schema.abstract or not schema.edge or len(schema.edge_caption) != 1:
            continue
        role = schema.get(schema.edge_caption[0])
        ends = (schema.get(schema.edge_source), schema.get(schema.edge_target))
        if role.type.name == "string" and all(
            end.range.name == "Thing" or end.range.is_a("LegalEntity") for end in ends
        ):
            found[schema.name] = RelationProperties(
                schema.edge_source, schema.edge_target, role.name)
    return MappingProxyType(found)


def relation_schemata() -> frozenset[str]:
    """The FtM edge schemata a registry relation may be (see ``_relations``)."""
    return frozenset(_relations())


def is_relation_schema(name: str | None) -> bool:
    return bool(name) and name in _relations()


def relation_properties(name: str) -> RelationProperties:
    """The properties of relation schema ``name``; a ``KeyError`` for any other."""
    return _relations()[name]


def is_entity_schema(name: str | None) -> bool:
    return bool(name) and name in entity_schemata()


@cache
def is_a(name: str, parent: str) -> bool:
    """FtM's inheritance: Company is a LegalEntity, Person is a LegalEntity too."""
    schema = _model().get(name)
    return schema is not None and schema.is_a(parent)


def is_person(name: str) -> bool:
    return is_a(name, PERSON)


def is_organization(name: str) -> bool:
    """Legal entities that are not people: Organization, Company, PublicBody, LegalEntity."""
    return is_a(name, "LegalEntity") and not is_a(name, PERSON)


def is_place(name: str) -> bool:
    return is_a(name, PLACE)


def kind(name: str) -> str:
    """``person``, ``organization`` or ``other``: the name rules a schema's names follow."""
    if is_person(name):
        return "person"
    if is_organization(name):
        return "organization"
    return "other"


def compatible(wanted: str, schema: str) -> bool:
    """Whether an entity of ``schema`` answers a search for ``wanted``.

    A search for an Organization finds Companies and PublicBodies, and a search
    for a LegalEntity finds people too, as FtM's inheritance says; a search for
    a Company does not find a plain Organization.
    """
    if wanted == schema:
        return True
    if is_organization(wanted) and is_organization(schema):
        return True  # the registry files armed groups under any organisation schema
    return is_a(schema, wanted)


def unknown_schema_message(name: str) -> str:
    """What to say about a schema FtM does not know, with a few that it does."""
    examples = ", ".join(["Person", "Organization", "Company", "Vessel", "Airplane", "Address"])
    return f"unknown schema {name!r}: use an FtM thing schema such as {examples}"
