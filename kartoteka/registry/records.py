"""What reading a registry file yields, and the checks every record passes.

A file becomes entities, relations and errors.  Checks that need only the
record itself live here (schema, name, countries, topics); whether a
relation's ends exist needs the whole file and the database, so the import
service makes that check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pycountry

from kartoteka.model import Entity, Name, Relation
from kartoteka.record import as_record
from kartoteka.registry.scripts import name_language, name_script
from kartoteka.schemata import is_entity_schema, unknown_schema_message

KOSOVO = "xk"
# FtM topics are dotted lower-case words: crime, crime.terror, role.pep.
_TOPIC = re.compile(r"^[a-z]+(\.[a-z]+)*$")
# FtM entity ids: letters, digits and . - _ : (no spaces, no slashes).
_ENTITY_ID = re.compile(r"^[A-Za-z0-9._:-]{1,255}$")


class InvalidRecord(ValueError):
    """A record that cannot be imported; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class RecordError:
    """One line that was not imported, and why."""

    line: int
    message: str
    record_id: str | None = None

    def as_dict(self) -> dict[str, object]:
        return as_record(self, rename={"record_id": "id", "message": "error"})

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.record_id})" if self.record_id else "")
        return f"{where}: {self.message}"


@dataclass(slots=True)
class RegistryFile:
    """Everything read from one file; ``lines`` maps record ids to line numbers."""

    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


def check_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRecord("missing id: every record needs an \"id\"")
    value = value.strip()
    if not _ENTITY_ID.match(value):
        raise InvalidRecord(
            f"invalid id {value!r}: use letters, digits and . - _ : only (at most 255)"
        )
    return value


def is_country(code: str) -> bool:
    return code == KOSOVO or pycountry.countries.get(alpha_2=code.upper()) is not None


def clean_countries(values: Iterable[str]) -> list[str]:
    """Lower-case ISO 3166-1 alpha-2 codes (plus ``xk``), sorted, without repeats."""
    codes: set[str] = set()
    for value in values:
        code = value.strip().lower()
        if not code:
            continue
        if len(code) != 2 or not is_country(code):
            raise InvalidRecord(
                f"unknown country code {value!r}: use ISO 3166-1 alpha-2 such as rs, or xk"
            )
        codes.add(code)
    return sorted(codes)


def clean_topics(values: Iterable[str]) -> list[str]:
    topics: set[str] = set()
    for value in values:
        topic = value.strip()
        if not topic:
            continue
        if not _TOPIC.match(topic):
            raise InvalidRecord(
                f"invalid topic {value!r}: use FtM topics such as crime.terror or role.pep"
            )
        topics.add(topic)
    return sorted(topics)


def make_name(value: str, kind: str) -> Name:
    """A name with its script, and its language where the letters tell it."""
    script = name_script(value)
    return Name(value=value, kind=kind, lang=name_language(value, script), script=script)


def make_entity(
    entity_id: str,
    schema: str,
    names: list[str],
    aliases: Iterable[str] = (),
    weak_aliases: Iterable[str] = (),
    countries: Iterable[str] = (),
    topics: Iterable[str] = (),
    identifiers: dict[str, str] | None = None,
    description: str = "",
    start_date: str | None = None,
    end_date: str | None = None,
) -> Entity:
    """An entity from raw values; the first name is primary, the rest are aliases."""
    if not is_entity_schema(schema):
        raise InvalidRecord(unknown_schema_message(schema))
    cleaned = [n.strip() for n in names if n and n.strip()]
    if not cleaned:
        raise InvalidRecord(f"missing name: a {schema} needs at least one name")
    primary = cleaned[0]
    seen = {primary}
    found: list[Name] = [make_name(primary, "name")]
    for kind, values in (("alias", [*cleaned[1:], *aliases]), ("weak", weak_aliases)):
        for value in values:
            value = value.strip()
            if value and value not in seen:
                seen.add(value)
                found.append(make_name(value, kind))
    return Entity(
        id=entity_id,
        schema=schema,
        name=primary,
        names=found,
        countries=clean_countries(countries),
        topics=clean_topics(topics),
        identifiers=dict(sorted((identifiers or {}).items())),
        description=description.strip(),
        start_date=start_date,
        end_date=end_date,
    )
