"""A model's fields as a table's columns of the same name, read and written by name.

The registry's entities, names, relations and citations, an article's
mentions, authors and revisions used to be written and read back by listing
each field by hand (the insert, the update, the batch insert, the row
mapper), so a new field meant an edit in each of those places and a place
forgotten lost the field quietly.  Here the fields are read from the
dataclass: ``stored_fields`` names the fields a table holds under their own
names (checked once, when the store is imported: a field with no column is
an error naming both) and gives a ``StoredFields`` that writes an object's
values for an insert or an update (``values``) and reads them back from a
row (``read``).  A field filled from another table (an entity's names, a
relation's citations) is named as ``joined`` by its repository.

Both directions are made once per model (an attribute getter for the object,
an item getter for the row, and the few fields that need a conversion), so a
row costs about a microsecond more than a dictionary written by hand, not
several (mentions are written by the hundred thousand; ``bench/model_columns.py``).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import Row, Table

__all__ = ["StoredFields", "stored_fields"]

# How a value is changed on its way to or from a column; the value itself otherwise.
Conversion = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class StoredFields:
    """The fields of a model stored in columns of the same name, in the model's order.

    ``names``: every stored field, for reading a row back; ``written``: those an
    insert or update takes from the object (``keys``, such as the id, left to the
    caller).
    """

    names: tuple[str, ...]
    written: tuple[str, ...]
    to_column: tuple[tuple[str, Conversion], ...]
    from_column: tuple[tuple[str, Conversion], ...]
    _get: Callable[[Any], tuple[Any, ...]]
    # The columns' values of a row, by prefix: one getter each, made on first use.
    _picks: dict[str, Callable[[Any], tuple[Any, ...]]] = field(default_factory=dict)

    def values(self, obj: object) -> dict[str, Any]:
        """``obj``'s written fields as column values (lists and mappings copied, so a
        row never shares the object's)."""
        values = dict(zip(self.written, self._get(obj), strict=True))
        for name, convert in self.to_column:
            values[name] = convert(values[name])
        return values

    def read(self, row: Row[Any] | Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
        """The columns of ``row`` as the model's field values; ``prefix``: the columns
        are labelled ``prefix + name`` (a joined table's, beside the main table's)."""
        mapping: Mapping[Any, Any] = row._mapping if isinstance(row, Row) else row
        values = dict(zip(self.names, self.columns_of(mapping, prefix), strict=True))
        for name, convert in self.from_column:
            values[name] = convert(values[name])
        return values

    def columns_of(self, mapping: Mapping[Any, Any], prefix: str = "") -> tuple[Any, ...]:
        """The stored columns' values in ``mapping`` (a row's ``_mapping``), in the
        order of ``names``, unconverted."""
        pick = self._picks.get(prefix)
        if pick is None:
            pick = self._picks[prefix] = _getter(itemgetter, [prefix + n for n in self.names])
        return pick(mapping)


def _getter(make: Callable[..., Any], names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """``make(*names)`` (``attrgetter``, ``itemgetter``) always giving a tuple."""
    if len(names) > 1:
        return make(*names)  # type: ignore[no-any-return]
    if names:
        one = make(*names)
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _copy_rule(hint: Any) -> Conversion | None:
    origin = typing.get_origin(hint) or hint
    if origin is list:
        return list
    if origin is dict:
        return dict
    return None


def stored_fields(
    cls: type,
    table: Table,
    *,
    joined: Collection[str] = (),
    keys: Collection[str] = (),
    to_column: Mapping[str, Conversion] | None = None,
    from_column: Mapping[str, Conversion] | None = None,
) -> StoredFields:
    """The fields of ``cls`` that ``table`` stores in a column of the same name:
    every field but the ``joined`` ones.

    ``keys``: stored fields the caller writes itself (read back like the others).
    ``to_column``/``from_column``: a field whose column holds another form of its
    value (a length cut, an enum's value); a list or mapping field is copied on the
    way to its column unless it has a rule of its own.  Raises ``TypeError`` naming
    the field when one has no column, so a field added to the model without its
    column (and migration) stops the store at import.
    """
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass: its fields cannot be read")
    hints = typing.get_type_hints(cls)
    names = [field.name for field in dataclasses.fields(cls)]
    unknown = sorted({*joined, *keys, *(to_column or {}), *(from_column or {})} - set(names))
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {unknown}")
    stored = tuple(name for name in names if name not in joined)
    missing = [name for name in stored if name not in table.c]
    if missing:
        raise TypeError(
            f"{cls.__name__} field(s) {missing} have no column in table {table.name!r}: "
            "add the column and a migration, or read the field from another table"
        )
    written = tuple(name for name in stored if name not in keys)
    writes: list[tuple[str, Conversion]] = []
    for name in written:
        rule = (to_column or {}).get(name) or _copy_rule(hints[name])
        if rule is not None:
            writes.append((name, rule))
    return StoredFields(
        names=stored,
        written=written,
        to_column=tuple(writes),
        from_column=tuple((from_column or {}).items()),
        _get=_getter(attrgetter, written),
    )
