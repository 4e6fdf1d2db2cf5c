"""Model objects become JSON from their dataclass fields: a new field needs no other edit."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from kartoteka.model import Article, ArticleStatus, Author, AuthorKind, SearchHit, Widening
from kartoteka.record import (
    PRIVATE,
    WORKING,
    as_record,
    field_names,
    json_value,
    tagged,
)
from kartoteka.services.articles import ArticleDetail
from kartoteka.services.export import CSV_FIELDS, article_record, csv_columns

WHEN = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def article(**changes: object) -> Article:
    values: dict[str, object] = dict(
        id="a1", title="Title", body="Body", source="/tmp/a.md", content_hash="h",
        ingested_at=WHEN, language="en", author=Author("@chan", "Chan", AuthorKind.CHANNEL),
        published_at=datetime(2023, 1, 2, tzinfo=UTC), countries=["xk"],
    )
    values.update(changes)
    return Article(**values)  # type: ignore[arg-type]


@dataclass(slots=True)
class ArticleWithPlace(Article):
    """The model with one more field, as a change to ``model.Article`` would add it."""

    place: str | None = None
    seen_on: date | None = None


@dataclass
class Inner:
    kind: AuthorKind
    at: datetime


@dataclass
class Outer:
    name: str
    inner: Inner | None
    tags: frozenset[str] = frozenset()
    scratch: list[int] = field(default_factory=list, metadata=tagged(WORKING))
    secret: str = field(default="s", metadata=tagged(PRIVATE))


def test_values_are_written_as_the_cli_always_wrote_them() -> None:
    data = as_record(Outer("x", Inner(AuthorKind.SITE, WHEN), frozenset({"b", "a"}), [1]))
    assert data == {"name": "x", "inner": {"kind": "site", "at": "2024-05-01T12:30:00+00:00"},
                    "tags": ["a", "b"], "secret": "s"}
    assert as_record(Outer("x", None), without=[PRIVATE]) == {"name": "x", "inner": None,
                                                             "tags": []}
    assert json_value({1: date(2020, 1, 2), "s": ArticleStatus.DRAFT}) == {
        "1": "2020-01-02", "s": "draft"}
    json.dumps(data)  # plain JSON: no ``default`` needed


def test_flatten_inline_and_rename() -> None:
    columns = {"inner": {"kind": "inner_kind", "at": "inner_at"}}
    assert as_record(Outer("x", None), flatten=columns, without=[PRIVATE]) == {
        "name": "x", "inner_kind": None, "inner_at": None, "tags": []}
    assert as_record(Outer("x", Inner(AuthorKind.SITE, WHEN)), inline=["inner"],
                     rename={"name": "title"}, without=[PRIVATE]) == {
        "title": "x", "kind": "site", "at": "2024-05-01T12:30:00+00:00", "tags": []}
    assert list(as_record(Outer("x", None), only=["tags", "name"])) == ["name", "tags"]
    assert list(as_record(Outer("x", None), omit=["inner", "tags"])) == ["name", "secret"]
    with pytest.raises(TypeError, match="not a dataclass"):
        field_names(dict)
    with pytest.raises(TypeError, match=r"Outer has no field\(s\) \['nmae'\]"):
        as_record(Outer("x", None), only=["nmae"])


def test_the_tags_on_the_article_say_who_leaves_a_field_out() -> None:
    exported = article_record(article())
    assert not {"content_hash", "ingested_at", "status", "original_id", "revision"} & set(exported)
    assert exported["author"] == "@chan" and exported["author_kind"] == "channel"
    assert exported["published_at"] == "2023-01-02T00:00:00+00:00"
    assert set(field_names(Article, without=[PRIVATE])) == set(field_names(Article)) - {
        "content_hash", "source_key", "status", "extra"}
    # Working state is in no output.
    assert Widening("entity", "kla", "KLA", frozenset({0})).as_dict() == {
        "kind": "entity", "id": "kla", "name": "KLA"}
    assert list(as_record(SearchHit("a1", "T", None, WHEN, 1.5, "s"))) == [
        "id", "title", "author", "published_at", "score", "snippet"]


def test_a_field_added_to_the_model_reaches_show_and_the_export() -> None:
    """What adding ``place`` to ``model.Article`` does: no serialiser is edited."""
    extended = ArticleWithPlace(**{  # type: ignore[arg-type]
        name: getattr(article(), name) for name in field_names(Article)},
        place="Prizren", seen_on=date(2024, 1, 31))
    exported = article_record(extended)
    assert exported["place"] == "Prizren" and exported["seen_on"] == "2024-01-31"
    shown = ArticleDetail(extended, []).as_dict()
    assert shown["place"] == "Prizren" and shown["seen_on"] == "2024-01-31"
    assert shown["content_hash"] == "h" and shown["ingested_at"] == WHEN.isoformat()
    assert set(shown) - set(ArticleDetail(article(), []).as_dict()) == {"place", "seen_on"}
    # The CSV keeps its columns in place and gains the new ones at the end.
    assert csv_columns(ArticleWithPlace) == [*CSV_FIELDS, "place", "seen_on"]
    assert csv_columns() == CSV_FIELDS


def test_cli_json_writes_a_model_object_by_its_fields() -> None:
    from kartoteka.cli.common import to_json

    hit = SearchHit("a1", "T", None, WHEN, 1.5, "s")
    assert json.loads(to_json({"hit": hit})) == {"hit": as_record(hit)}
    assert json.loads(to_json([hit]))[0]["published_at"] == "2024-05-01T12:30:00+00:00"
