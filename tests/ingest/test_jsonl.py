from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kartoteka.ingest.base import Input, ItemError, ReadOptions
from kartoteka.ingest.jsonl import AUTHOR_COLUMNS, JsonlReader, RecordError, record_draft
from kartoteka.model import Article, ArticleDraft, Author, AuthorKind
from kartoteka.record import STORED, as_record, field_names
from kartoteka.services.export import article_record

from .conftest import drafts, read_file

READER = JsonlReader()


def exported(draft: ArticleDraft, record_id: str) -> dict[str, Any]:
    """The fields `kartoteka export articles --format jsonl` writes, from a draft."""
    return {"id": record_id, **as_record(draft, flatten=AUTHOR_COLUMNS)}


def test_good_lines_become_articles_and_bad_lines_name_their_number(data: Path) -> None:
    path = data / "jsonl" / "articles.jsonl"
    items = read_file(READER, path)
    posts = drafts(items)
    assert [p.title for p in posts] == [
        "Port strike ends after two weeks",
        "Запись без заголовка: первая строка становится заголовком.",
        "Broken line follows", "Numeric id"]
    first = posts[0]
    assert first.author == Author("@harbour_news", "Harbour News", AuthorKind.CHANNEL)
    assert first.source_key == "https://t.me/harbour_news/12"
    assert first.countries == ["nl"] and first.hashtags == ["strike"]
    assert first.extra == {"telegram_id": 12}  # the unknown "entities" key is ignored
    assert posts[1].source_key == "jsonl:a2" and posts[1].published_at is None
    assert posts[3].source_key == "jsonl:9"
    errors = {e.error.split(":")[0]: e.error for e in items if isinstance(e, ItemError)}
    assert set(errors) == {"line 5", "line 6", "line 7 (id a6)", "line 8 (id a7)", "line 9 (id a8)"}
    assert "invalid JSON" in errors["line 5"]
    assert "expected a JSON object" in errors["line 6"]
    assert "no 'title' or 'body'" in errors["line 7 (id a6)"]
    assert "'published_at' is not an ISO 8601 date" in errors["line 8 (id a7)"]
    assert "'hashtags' must be a list of strings" in errors["line 9 (id a8)"]
    assert all(e.path == str(path) for e in items if isinstance(e, ItemError))


def test_export_then_import_round_trips_every_field() -> None:
    original = {
        "id": "art-1", "title": "Заголовок", "body": "Тело статьи.\nВторая строка.",
        "language": "ru", "author": "@chvkmedia", "author_name": "ЧВК Медиа",
        "author_kind": "channel", "source": "/exports/result.json",
        "source_key": "https://t.me/chvkmedia/5", "url": "https://t.me/chvkmedia/5",
        "published_at": "2020-07-01T09:30:00+03:00", "countries": ["rs", "xk"],
        "hashtags": ["Косово"], "links": ["https://example.org/x"],
        "extra": {"telegram_id": 5, "forwarded_from": None, "edited_at": None},
    }
    line = json.dumps(original, ensure_ascii=False).encode("utf-8")
    [draft] = drafts(list(READER.read(Input("in.jsonl", line + b"\n"), ReadOptions())))
    assert exported(draft, "art-1") == original


def test_every_field_the_export_writes_is_a_draft_field_read_back() -> None:
    """The export writes every article field but the store's bookkeeping; the reader
    reads every draft field.  The two lists are the same one (the id becomes the key)."""
    written = set(field_names(Article, without=[STORED])) - {"id"}
    assert written == {f.name for f in fields(ArticleDraft)}
    when = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    article = Article("a-1", "Title", "Body.", "/in/a.md", "h", when, language="sr",
                      author=Author("@ch", "Channel", AuthorKind.CHANNEL), published_at=when,
                      countries=["rs"], hashtags=["x"], links=["https://example.org/l"],
                      url="https://example.org/a", source_key="k-1", extra={"n": 1})
    line = json.dumps(article_record(article, [{"id": "e-1", "mentions": 2}]))
    draft = record_draft(json.loads(line), origin="elsewhere.jsonl")
    assert {f.name: getattr(draft, f.name) for f in fields(ArticleDraft)} == {
        name: getattr(article, name) for name in written}


@dataclass(slots=True)
class DraftWithPlace(ArticleDraft):
    place: str | None = None
    sightings: list[str] = field(default_factory=list)


def test_a_field_added_to_the_draft_is_read_with_no_edit_to_the_reader() -> None:
    record = {"title": "T", "place": "Pejë", "sightings": ["Gao", "Gao", "Menaka"]}
    draft = record_draft(record, origin="f", model=DraftWithPlace)
    assert isinstance(draft, DraftWithPlace)
    assert (draft.place, draft.sightings) == ("Pejë", ["Gao", "Menaka"])
    assert record_draft({"title": "T"}, origin="f", model=DraftWithPlace).place is None
    with pytest.raises(RecordError, match="'place' must be a string, not int"):
        record_draft({"title": "T", "place": 5}, origin="f", model=DraftWithPlace)


def test_a_draft_field_of_a_type_the_reader_cannot_read_is_an_error_naming_it() -> None:
    @dataclass(slots=True)
    class DraftWithScore(ArticleDraft):
        score: float | None = None

    with pytest.raises(TypeError, match=r"DraftWithScore\.score: the JSON lines reader has no"):
        record_draft({"title": "T"}, origin="f", model=DraftWithScore)


def test_gzipped_jsonl_and_options(data: Path) -> None:
    plain = drafts(read_file(READER, data / "jsonl" / "articles.jsonl"))
    packed = drafts(read_file(READER, data / "gzip" / "articles.jsonl.gz", country="BA"))
    assert [p.body for p in packed] == [p.body for p in plain]
    assert packed[0].countries == ["nl", "ba"]


def test_record_draft_rejects_a_bad_author_kind() -> None:
    with pytest.raises(RecordError, match="'author_kind' must be one of person, channel, site"):
        record_draft({"title": "t", "author": "x", "author_kind": "robot"}, origin="f")
