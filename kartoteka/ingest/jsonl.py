"""JSON lines: one article per line, in the shape ``kartoteka export articles`` writes.

Fields: every field of ``ArticleDraft`` under its own name (the author as
three columns: ``author, author_name, author_kind``), and ``id``.  Only
``title`` or ``body`` is required; unknown keys (``entities``, added by later
issues) are ignored so that newer exports still import.  A bad line is an
``ItemError`` naming its line number; the other lines are still read.

A record with no ``source_key``, ``id`` or ``url`` is keyed by its title and
body, so records written by hand stay separate articles and importing the
file again finds the same ones.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields
from datetime import datetime
from functools import partial
from typing import Any, get_type_hints

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
from kartoteka.ingest.compression import reads_unpacked
from kartoteka.ingest.fields import parse_datetime, title_from_text, unique
from kartoteka.ingest.guard import guarded, never_raises
from kartoteka.ingest.storable import storable_text
from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.text.encoding import UndecodableError, decode
from kartoteka.text.json_input import JsonInputError, load_json
from kartoteka.text.normalize import content_hash


class RecordError(ValueError):
    """One JSONL record does not fit the article shape."""


def looks_like_jsonl(data: bytes) -> bool:
    """The first non-empty line is a JSON object with a title or body, and so is the next."""
    lines = [ln for ln in data[:65536].splitlines() if ln.strip()][:2]
    if not lines:
        return False
    for line in lines:
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return len(lines) > 1 and line is lines[-1]  # the sample may cut the last line
        if not isinstance(record, dict) or not ({"title", "body"} & record.keys()):
            return False
    return True


#: The author is three columns of a record: the export writes them so
#: (``services.export``) and ``_author`` reads them back.
AUTHOR_COLUMNS = {"author": {"handle": "author", "display_name": "author_name",
                             "kind": "author_kind"}}


def record_draft(record: Mapping[str, Any], *, origin: str,
                 model: type[ArticleDraft] = ArticleDraft) -> ArticleDraft:
    """The draft for one exported article record; ``RecordError`` says what is wrong.

    Every field of the draft is read from the key of its name, by its type
    (``_READ_BY_TYPE``), so a field added to ``ArticleDraft`` is read back with
    no edit here; ``model`` is the draft class (a test extends it).  Only what
    is not a plain copy is written out below: the title a body gives, the
    file's own name as the source, the key of a record without one, countries
    in lower case.
    """
    title, body = _text(record, "title"), _text(record, "body")
    if not title and not body:
        raise RecordError("no 'title' or 'body'; a record needs at least one of them")
    values = {name: read(record, name) for name, read in _readers(model).items()
              if name not in ("title", "body")}
    record_id = _text(record, "id")
    source_key = values["source_key"] or (f"jsonl:{record_id}" if record_id else "")
    if not source_key and not values["url"]:
        digest = content_hash(storable_text(title), storable_text(body))
        source_key = f"jsonl:content:{digest[:16]}"
    return model(**{
        **values,
        "title": title or title_from_text(body),
        "body": body,
        "source": values["source"] or origin,
        "source_key": source_key,
        "countries": [c.lower() for c in values["countries"]],
    })


class JsonlReader:
    """JSON lines files, such as ``kartoteka export articles --format jsonl`` writes."""

    name = "jsonl"

    def sniff(self, item: Input) -> bool:
        return looks_like_jsonl(item.data)

    @never_raises
    @reads_unpacked
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        try:
            text = decode(item.data)
        except UndecodableError as exc:
            yield ItemError(item.origin, f"not a JSON lines file: {exc}")
            return
        # Lazily, and only at line ends: str.splitlines would also cut at a raw U+2028
        # inside a JSON string, and would copy the whole file into a list first.
        for number, line in enumerate(io.StringIO(text, newline=None), start=1):
            if not line.strip():
                continue
            yield guarded(item.origin, f"line {number}",
                          partial(self._read_line, item.origin, number, line, options))

    def _read_line(self, origin: str, number: int, line: str, options: ReadOptions) -> ReadItem:
        try:
            record = load_json(line)
        except JsonInputError as exc:
            if exc.column is not None:
                return ItemError(origin, f"line {number}: invalid JSON at column {exc.column}: "
                                 f"{exc.reason}")
            return ItemError(origin, f"line {number}: {exc}")
        if not isinstance(record, dict):
            return ItemError(origin, f"line {number}: expected a JSON object, "
                             f"got {type(record).__name__}")
        try:
            draft = record_draft(record, origin=origin)
        except RecordError as exc:
            where = f"line {number}" + (f" (id {record['id']})" if record.get("id") else "")
            return ItemError(origin, f"{where}: {exc}")
        if options.author is not None:
            draft.author = options.author
        if options.country and options.country.lower() not in draft.countries:
            draft.countries.append(options.country.lower())
        return draft


def _author(record: Mapping[str, Any], name: str = "author") -> Author | None:
    columns = AUTHOR_COLUMNS[name]
    handle = _text(record, columns["handle"])
    if not handle:
        return None
    kind_key = columns["kind"]
    kind = _text(record, kind_key)
    try:
        author_kind = AuthorKind(kind) if kind else AuthorKind.PERSON
    except ValueError as exc:
        raise RecordError(f"{kind_key!r} must be one of "
                          f"{', '.join(k.value for k in AuthorKind)}, not {kind!r}") from exc
    return Author(handle=handle, display_name=_text(record, columns["display_name"]),
                  kind=author_kind)


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "id":
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"{key!r} must be a string, not {type(value).__name__}")
    return value


def _optional_text(record: Mapping[str, Any], key: str) -> str | None:
    return _text(record, key) or None


def _strings(record: Mapping[str, Any], key: str) -> list[str]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"{key!r} must be a list of strings")
    return unique(value)


def _datetime(record: Mapping[str, Any], key: str) -> datetime | None:
    if record.get(key) is None:
        return None
    moment = parse_datetime(record[key])
    if moment is None:
        raise RecordError(f"{key!r} is not an ISO 8601 date: {record[key]!r}")
    return moment


def _object(record: Mapping[str, Any], key: str) -> dict[str, object]:
    value = record.get(key) or {}
    if not isinstance(value, Mapping):
        raise RecordError(f"{key!r} must be an object")
    return dict(value)


Read = Callable[[Mapping[str, Any], str], Any]

# How a draft field is read from the record's key of its name, by the field's type.
_READ_BY_TYPE: dict[object, Read] = {
    str: _text,
    str | None: _optional_text,
    list[str]: _strings,
    datetime | None: _datetime,
    dict[str, object]: _object,
}
# Fields written as several columns (see AUTHOR_COLUMNS).
_READ_BY_NAME: dict[str, Read] = {"author": _author}


_READERS: dict[type[ArticleDraft], dict[str, Read]] = {}


def _readers(model: type[ArticleDraft]) -> dict[str, Read]:
    """How each field of ``model`` is read, in the model's order; a field of a type
    no rule reads is a ``TypeError`` naming it, not a field silently dropped."""
    if model in _READERS:
        return _READERS[model]
    hints = get_type_hints(model)
    readers: dict[str, Read] = {}
    for item in fields(model):
        read = _READ_BY_NAME.get(item.name) or _READ_BY_TYPE.get(hints[item.name])
        if read is None:
            raise TypeError(f"{model.__name__}.{item.name}: the JSON lines reader has no rule "
                            f"for {hints[item.name]}; add one to _READ_BY_TYPE in {__name__}")
        readers[item.name] = read
    _READERS[model] = readers
    return readers
