"""A model object as plain JSON data, read from its dataclass fields.

Every output of an article or an entity (``--json``, the JSON lines export,
the API's shapes) used to list the model's fields by hand, so a new field
meant a dozen edits.  Here the fields are read from the dataclass itself, in
the order the model declares them, and a field says once, on the model, who
does not get it (``tagged``):

- ``STORED``: the store's bookkeeping about its own copy (content hash, when
  it was ingested, status, revision): left out of a record exchanged with
  other tools, which ``ingest --format jsonl`` reads back.
- ``PRIVATE``: for the house's own tools (CLI, export), not the public API.
- ``WORKING``: a computation's working state, in no output at all.

A field without tags goes everywhere, so adding one to the model is enough
for it to appear.  Values become JSON the way the CLI has always written
them: dates and times in ISO 8601 (``isoformat``), enums as their value,
nested dataclasses as records, tuples and sets as lists.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterator, Mapping
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any

__all__ = [
    "PRIVATE",
    "STORED",
    "WORKING",
    "as_record",
    "field_names",
    "json_value",
    "tagged",
    "tags_of",
]

STORED = "stored"
PRIVATE = "private"
WORKING = "working"

_TAGS = "kartoteka.record.tags"


def tagged(*tags: str) -> Mapping[str, Any]:
    """Metadata for ``dataclasses.field``: which outputs leave the field out."""
    return MappingProxyType({_TAGS: frozenset(tags)})


def tags_of(field: dataclasses.Field[Any]) -> frozenset[str]:
    found: frozenset[str] = field.metadata.get(_TAGS, frozenset())
    return found


def _fields(
    cls: type,
    without: Collection[str] = (),
    only: Collection[str] | None = None,
    omit: Collection[str] = (),
) -> Iterator[dataclasses.Field[Any]]:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass: its fields cannot be read")
    declared = {field.name for field in dataclasses.fields(cls)}
    unknown = sorted({*(only or ()), *omit} - declared)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {unknown}")
    left_out = {WORKING, *without}
    for field in dataclasses.fields(cls):
        if only is not None:
            if field.name in only:
                yield field
        elif not tags_of(field) & left_out and field.name not in omit:
            yield field


def field_names(
    cls: type,
    *,
    without: Collection[str] = (),
    only: Collection[str] | None = None,
    omit: Collection[str] = (),
) -> list[str]:
    """The names of ``cls``'s fields in declaration order: those tagged ``without``
    and those named in ``omit`` left out, or just those named in ``only``."""
    return [field.name for field in _fields(cls, without, only, omit)]


def json_value(value: object) -> Any:
    """``value`` as JSON data: what ``json.dumps`` writes without a ``default``."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return as_record(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(json_value(item) for item in value)
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    return value


def as_record(
    obj: object,
    *,
    without: Collection[str] = (),
    only: Collection[str] | None = None,
    omit: Collection[str] = (),
    flatten: Mapping[str, Mapping[str, str]] | None = None,
    inline: Collection[str] = (),
    rename: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The fields of the dataclass instance ``obj`` as JSON data, in model order.

    ``without``: tags whose fields are left out; ``omit`` fields left out by
    name, or ``only`` the fields named (a summary's selection).  ``flatten``: a nested
    dataclass field written in its place as columns (``{"author": {"handle":
    "author", "display_name": "author_name"}}``; all None when the field is).
    ``inline``: nested dataclass fields whose own fields are written in their place.
    ``rename``: a field written under another key.
    """
    data: dict[str, Any] = {}
    for field in _fields(type(obj), without, only, omit):
        value = getattr(obj, field.name)
        columns = (flatten or {}).get(field.name)
        if columns is not None:
            for attribute, key in columns.items():
                data[key] = None if value is None else json_value(getattr(value, attribute))
            continue
        if field.name in inline:
            data.update(as_record(value))
            continue
        data[(rename or {}).get(field.name, field.name)] = json_value(value)
    return data
