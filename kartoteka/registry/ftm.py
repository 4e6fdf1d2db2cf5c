"""FollowTheMoney entity JSON lines, read and written without FtM's proxies.

Which schemata are entities or relations, and which properties hold a
relation's ends and role, come from FtM's model (``kartoteka.schemata``);
the records themselves are plain JSON, of which we need only a handful of
properties.  The tests load every line we write with ``followthemoney`` to
prove the output is valid FtM.

As read, a relation's citations are unresolved: ``Citation(url=...)`` for
each ``sourceUrl`` and ``Citation(article_id=...)`` for each ``proof``; the
import service resolves them against stored articles.

FtM has no property for "an editor asserted this without a source", so the
export marks such relations with a top-level ``"kartoteka"`` object, which
FtM tools ignore and our import honours.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from kartoteka.model import Citation, Entity, Relation
from kartoteka.registry.records import (
    InvalidRecord,
    RecordError,
    RegistryFile,
    check_id,
    make_entity,
)
from kartoteka.schemata import (
    is_entity_schema,
    is_person,
    is_relation_schema,
    relation_properties,
    relation_schemata,
    unknown_schema_message,
)
from kartoteka.text.json_input import JsonInputError, load_json

log = logging.getLogger(__name__)

# Properties that hold countries, per FtM: all become the entity's countries.
COUNTRY_PROPERTIES = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry")
IDENTIFIER_PROPERTIES = (
    "wikidataId", "registrationNumber", "taxNumber", "innCode", "ogrnCode", "leiCode",
)
# FtM dates may be partial: 2014, 2014-06, 2014-06-29 (times are cut off).
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MARKER = "kartoteka"
# An entity's active period: a person's life, else a body's founding and dissolution.
START_PROPERTIES = ("birthDate", "incorporationDate")
END_PROPERTIES = ("deathDate", "dissolutionDate")


def _values(properties: dict[str, Any], name: str) -> list[str]:
    raw = properties.get(name, [])
    items = raw if isinstance(raw, list) else [raw]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


def _first(properties: dict[str, Any], name: str) -> str:
    values = _values(properties, name)
    return values[0] if values else ""


def _date(properties: dict[str, Any], name: str) -> str | None:
    value = _first(properties, name)
    if not value:
        return None
    day = value[:10]
    if not _DATE.match(day) or (len(value) > 10 and value[10] != "T"):
        raise InvalidRecord(f"invalid {name} {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    return day


def entity_from_ftm(data: dict[str, Any]) -> Entity:
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise InvalidRecord("\"properties\" must be an object of property lists")
    return make_entity(
        check_id(data.get("id")),
        str(data.get("schema")),
        names=_values(properties, "name"),
        aliases=[
            *_values(properties, "alias"),
            *_values(properties, "abbreviation"),
            *_values(properties, "previousName"),
        ],
        weak_aliases=_values(properties, "weakAlias"),
        countries=[c for p in COUNTRY_PROPERTIES for c in _values(properties, p)],
        topics=_values(properties, "topics"),
        identifiers={
            p: _first(properties, p) for p in IDENTIFIER_PROPERTIES if _first(properties, p)
        },
        description=_first(properties, "description") or _first(properties, "summary"),
        start_date=next(filter(None, (_date(properties, p) for p in START_PROPERTIES)), None),
        end_date=next(filter(None, (_date(properties, p) for p in END_PROPERTIES)), None),
    )


def relation_from_ftm(data: dict[str, Any]) -> Relation:
    schema = str(data.get("schema"))
    relation_id = check_id(data.get("id"))
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise InvalidRecord("\"properties\" must be an object of property lists")
    source_prop, target_prop, role_prop = relation_properties(schema)
    source, target = _first(properties, source_prop), _first(properties, target_prop)
    for prop, value in ((source_prop, source), (target_prop, target)):
        if not value:
            raise InvalidRecord(f"{schema} without {prop!r}: name the entity id it links")
    citations = [Citation(url=u) for u in _values(properties, "sourceUrl")]
    citations += [Citation(article_id=p) for p in _values(properties, "proof")]
    marker = data.get(MARKER)
    editor_asserted = isinstance(marker, dict) and marker.get("editor_asserted") is True
    if not citations and not editor_asserted:
        raise InvalidRecord(
            f"{schema} without a citation: add a sourceUrl or proof; only an editor may "
            "enter an uncited relation (kartoteka registry relation add)"
        )
    return Relation(
        id=relation_id,
        schema=schema,
        source_id=source,
        target_id=target,
        role=_first(properties, role_prop),
        start_date=_date(properties, "startDate"),
        end_date=_date(properties, "endDate"),
        citations=citations,
        editor_asserted=editor_asserted,
    )


def read_ftm(lines: Iterable[str], first_line: int = 1) -> RegistryFile:
    """Read FtM JSON lines; each bad line becomes a ``RecordError`` with its number."""
    result = RegistryFile()
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        record_id: str | None = None
        try:
            data = _json_object(line)
            raw_id = data.get("id")
            record_id = raw_id if isinstance(raw_id, str) else None
            record = _record(data)
            if record.id in result.lines:
                raise InvalidRecord(
                    f"duplicate id {record.id!r}: first used on line {result.lines[record.id]}"
                )
        except InvalidRecord as exc:
            result.errors.append(RecordError(number, str(exc), record_id))
            continue
        except Exception as exc:  # a check we lack: this line fails, the file goes on
            log.exception("line %d: unexpected %s reading an FtM record", number,
                          type(exc).__name__)
            result.errors.append(RecordError(
                number, f"could not be read ({type(exc).__name__}: {exc})", record_id))
            continue
        result.lines[record.id] = number
        if isinstance(record, Relation):
            result.relations.append(record)
        else:
            result.entities.append(record)
    return result


def _json_object(line: str) -> dict[str, Any]:
    try:
        data = load_json(line)
    except JsonInputError as exc:
        where = f" at column {exc.column}" if exc.column is not None else ""
        raise InvalidRecord(f"invalid JSON: {exc.reason}{where}") from None
    if not isinstance(data, dict):
        raise InvalidRecord("not a JSON object: each line must be one FtM entity")
    return data


def _record(data: dict[str, Any]) -> Entity | Relation:
    schema = data.get("schema")
    if isinstance(schema, str) and is_relation_schema(schema):
        return relation_from_ftm(data)
    if isinstance(schema, str) and is_entity_schema(schema):
        return entity_from_ftm(data)
    if not isinstance(schema, str | None):
        raise InvalidRecord(f"unknown or unsupported schema of type {type(schema).__name__}: "
                            "it must be the name of an FtM schema")
    relations = ", ".join(sorted(relation_schemata()))
    raise InvalidRecord(f"{unknown_schema_message(str(schema))}, or a relation: {relations}")


# --- writing ----------------------------------------------------------------------------


def entity_to_ftm(entity: Entity, referents: Iterable[str] = ()) -> dict[str, Any]:
    """``referents`` are the ids merged into this entity, as FtM records merges."""
    properties: dict[str, list[str]] = {"name": [entity.name]}
    aliases = [n.value for n in entity.names if n.kind == "alias" and n.value != entity.name]
    weak = [n.value for n in entity.names if n.kind == "weak" and n.value != entity.name]
    if aliases:
        properties["alias"] = aliases
    if weak:
        properties["weakAlias"] = weak
    if entity.countries:
        properties["country"] = list(entity.countries)
    if entity.topics:
        properties["topics"] = list(entity.topics)
    for key, value in sorted(entity.identifiers.items()):
        properties[key] = [value]
    if entity.description:
        properties["description"] = [entity.description]
    person = is_person(entity.schema)
    if entity.start_date:
        properties["birthDate" if person else "incorporationDate"] = [entity.start_date]
    if entity.end_date:
        properties["deathDate" if person else "dissolutionDate"] = [entity.end_date]
    data: dict[str, Any] = {"id": entity.id, "schema": entity.schema, "properties": properties}
    if referents:
        data["referents"] = sorted(referents)
    return data


def relation_to_ftm(relation: Relation) -> dict[str, Any]:
    """Cited URLs go to ``sourceUrl``; an article known only by id goes to ``proof``."""
    source_prop, target_prop, role_prop = relation_properties(relation.schema)
    properties: dict[str, list[str]] = {
        source_prop: [relation.source_id],
        target_prop: [relation.target_id],
    }
    if relation.role:
        properties[role_prop] = [relation.role]
    if relation.start_date:
        properties["startDate"] = [relation.start_date]
    if relation.end_date:
        properties["endDate"] = [relation.end_date]
    urls = [c.url for c in relation.citations if c.url]
    proofs = [c.article_id for c in relation.citations if c.article_id and not c.url]
    if urls:
        properties["sourceUrl"] = list(dict.fromkeys(urls))
    if proofs:
        properties["proof"] = list(dict.fromkeys(proofs))
    data: dict[str, Any] = {"id": relation.id, "schema": relation.schema, "properties": properties}
    if relation.editor_asserted:
        data[MARKER] = {"editor_asserted": True}
    return data


def ftm_line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"


def write_ftm(records: Iterable[Entity | Relation]) -> Iterator[str]:
    """One JSON line (with its newline) per record."""
    for record in records:
        data = relation_to_ftm(record) if isinstance(record, Relation) else entity_to_ftm(record)
        yield ftm_line(data)
