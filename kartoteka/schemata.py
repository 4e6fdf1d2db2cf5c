"""Which FollowTheMoney schemata the registry holds, read from FtM's own model.

This is the one place that knows schema names.  Every other module asks it
whether a schema is a registry entity, a person or an organisation, instead of
keeping a list of its own; a schema FtM adds (Vessel, Airplane, Address, ...)
is then accepted everywhere at once.  FtM's model takes most of a second to
load, so it is read on first use, never at import.
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = [
    "ORGANIZATION",
    "PERSON",
    "PLACE",
    "compatible",
    "entity_schemata",
    "is_a",
    "is_entity_schema",
    "is_organization",
    "is_person",
    "is_place",
    "kind",
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


@cache
def relation_schemata() -> frozenset[str]:
    """Every concrete FtM edge schema (Membership, Ownership, ...)."""
    return frozenset(s.name for s in _model().schemata.values() if not s.abstract and s.edge)


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
