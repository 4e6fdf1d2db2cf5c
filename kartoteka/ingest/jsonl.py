"""JSON lines: one article per line, in the shape ``kartoteka export articles`` writes.

Fields: ``id, title, body, language, author, author_name, author_kind,
source, source_key, url, published_at, countries, hashtags, links, extra``.
Only ``title`` or ``body`` is required; unknown keys (``entities``, added by
later issues) are ignored so that newer exports still import.  A bad line is
an ``ItemError`` naming its line number; the other lines are still read.

A record with no ``source_key``, ``id`` or ``url`` is keyed by its title and
body, so records written by hand stay separate articles and importing the
file again finds the same ones.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

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


def record_draft(record: Mapping[str, Any], *, origin: str) -> ArticleDraft:
    """The draft for one exported article record; ``RecordError`` says what is wrong."""
    title, body = _text(record, "title"), _text(record, "body")
    if not title and not body:
        raise RecordError("no 'title' or 'body'; a record needs at least one of them")
    published_at = None
    if record.get("published_at") is not None:
        published_at = parse_datetime(record["published_at"])
        if published_at is None:
            raise RecordError(f"'published_at' is not an ISO 8601 date: "
                              f"{record['published_at']!r}")
    extra = record.get("extra") or {}
    if not isinstance(extra, Mapping):
        raise RecordError("'extra' must be an object")
    record_id = _text(record, "id")
    source_key = _text(record, "source_key") or (f"jsonl:{record_id}" if record_id else "")
    if not source_key and not _text(record, "url"):
        digest = content_hash(storable_text(title), storable_text(body))
        source_key = f"jsonl:content:{digest[:16]}"
    return ArticleDraft(
        title=title or title_from_text(body),
        body=body,
        source=_text(record, "source") or origin,
        source_key=source_key,
        language=_text(record, "language") or None,
        author=_author(record),
        published_at=published_at,
        countries=[c.lower() for c in _strings(record, "countries")],
        hashtags=_strings(record, "hashtags"),
        links=_strings(record, "links"),
        url=_text(record, "url") or None,
        extra=dict(extra),
    )


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


def _author(record: Mapping[str, Any]) -> Author | None:
    handle = _text(record, "author")
    if not handle:
        return None
    kind = _text(record, "author_kind")
    try:
        author_kind = AuthorKind(kind) if kind else AuthorKind.PERSON
    except ValueError as exc:
        raise RecordError(f"'author_kind' must be one of "
                          f"{', '.join(k.value for k in AuthorKind)}, not {kind!r}") from exc
    return Author(handle=handle, display_name=_text(record, "author_name"), kind=author_kind)


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "id":
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"{key!r} must be a string, not {type(value).__name__}")
    return value


def _strings(record: Mapping[str, Any], key: str) -> list[str]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"{key!r} must be a list of strings")
    return unique(value)
