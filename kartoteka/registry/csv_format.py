"""The simple registry CSV: ``id,schema,name,aliases,countries,topics``.

Lists inside a cell are separated by ``;`` because names contain commas
("Kartel, the") far more often than semicolons.  The CSV holds entities
only; relations need their citations and travel as FtM.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from io import StringIO

from kartoteka.model import Entity
from kartoteka.registry.records import (
    InvalidRecord,
    RecordError,
    RegistryFile,
    check_id,
    make_entity,
)
from kartoteka.schemata import is_relation_schema

COLUMNS = ("id", "schema", "name", "aliases", "countries", "topics")
REQUIRED = ("id", "schema", "name")
MAX_CELL = 128 * 1024


def split_cell(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def read_csv(text: str) -> RegistryFile:
    """Read the CSV; line numbers count physical lines, as an editor shows them."""
    result = RegistryFile()
    reader = csv.DictReader(StringIO(text, newline=""))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        result.errors.append(RecordError(1, f"unreadable header: {exc}"))
        return result
    header = [h.strip() for h in fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append(
            RecordError(1, f"the header lacks {', '.join(missing)}: start with "
                        f"{','.join(COLUMNS)}")
        )
        return result
    reader.fieldnames = header
    for row in _rows(reader, result):
        # line_num is the physical line the row ended on; quoted newlines span lines.
        number = reader.line_num
        record_id = (row.get("id") or "").strip() or None
        try:
            if None in row:
                raise InvalidRecord(f"more cells than the {len(header)} columns of the header")
            schema = (row.get("schema") or "").strip()
            if is_relation_schema(schema):
                raise InvalidRecord(
                    f"{schema} is a relation, and the CSV holds entities only: "
                    "import relations from FtM JSON lines (see registry export --format ftm)"
                )
            if any(isinstance(v, str) and len(v) > MAX_CELL for v in row.values()):
                # csv's own limit is a process-wide setting other libraries change.
                raise InvalidRecord(f"a cell longer than {MAX_CELL} characters; no registry "
                                    "cell is this long")
            entity = make_entity(
                check_id(row.get("id")),
                schema,
                names=[row.get("name") or ""],
                aliases=split_cell(row.get("aliases")),
                countries=split_cell(row.get("countries")),
                topics=split_cell(row.get("topics")),
            )
            if entity.id in result.lines:
                raise InvalidRecord(
                    f"duplicate id {entity.id!r}: first used on line {result.lines[entity.id]}"
                )
        except InvalidRecord as exc:
            result.errors.append(RecordError(number, str(exc), record_id))
            continue
        result.lines[entity.id] = number
        result.entities.append(entity)
    return result


def _rows(reader: csv.DictReader[str], result: RegistryFile) -> Iterator[dict[str, str]]:
    """The rows the csv module can read; a row it cannot (a cell over its 128 KB field
    limit) is that line's error, and reading goes on after it."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # line_num has not counted the line that failed yet.
            result.errors.append(RecordError(
                reader.line_num + 1, f"a cell longer than the csv module allows ({exc}); "
                "no registry cell is this long" if "field limit" in str(exc)
                else f"unreadable row: {exc}"))
            continue
        yield row


def write_csv(entities: Iterable[Entity]) -> Iterator[str]:
    """The header, then one row per entity; weak aliases are not part of this format."""
    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield flush()
    for entity in entities:
        aliases = [n.value for n in entity.names if n.kind == "alias" and n.value != entity.name]
        writer.writerow(
            [entity.id, entity.schema, entity.name, ";".join(aliases),
             ";".join(entity.countries), ";".join(entity.topics)]
        )
        yield flush()
