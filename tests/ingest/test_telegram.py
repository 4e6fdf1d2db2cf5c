from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kartoteka.ingest.base import ItemError, Skipped
from kartoteka.ingest.telegram import TelegramReader
from kartoteka.model import Author, AuthorKind

from .conftest import drafts, read_file

READER = TelegramReader()


def test_single_chat_export_with_every_entity_type(data: Path) -> None:
    items = read_file(READER, data / "telegram" / "single_channel.json",
                      channel_username="@balkan_monitor")
    posts = drafts(items)
    assert [p.extra["telegram_id"] for p in posts] == [2, 4]
    first = posts[0]
    assert first.title == "Checkpoint closed near Jarinje"
    # Every entity contributes its visible text, in order.
    for piece in ("closed the crossing for six hours", "Four Five vehicles", "Details withheld.",
                  "Code KS-17", "Order 12/2023", "The crossing will reopen when it is safe.",
                  "Full report: here", "@field_reporter and Dragan", "Ask /start",
                  "desk@example.org", "+381 11 000 0000", "$EUR 🔥"):
        assert piece in first.body
    assert first.hashtags == ["Kosovo", "КиноСтрим"]
    assert first.links == ["https://example.org/reports/jarinje",
                           "https://mirror.example.net/jarinje", "https://t.me/balkan_monitor/2"]
    assert first.extra["mentions"] == ["@field_reporter"]
    assert first.extra["cashtags"] == ["EUR"]
    assert first.published_at == datetime(2023, 3, 1, 12, 30, tzinfo=UTC)
    assert first.extra["edited_at"] == "2023-03-01T13:05:10+00:00"
    assert first.url == first.source_key == "https://t.me/balkan_monitor/2"
    assert first.author == Author("@balkan_monitor", "Balkan Monitor", AuthorKind.CHANNEL)


def test_forwarded_post_records_its_origin_and_language(data: Path) -> None:
    posts = drafts(read_file(READER, data / "telegram" / "single_channel.json"))
    forwarded = posts[1]
    assert forwarded.extra["forwarded_from"] == "Sarajevo Desk"
    assert forwarded.hashtags == ["Косово"]
    assert forwarded.language == "ru"
    assert len(forwarded.title) <= 121 and forwarded.title.endswith("…")
    assert forwarded.body.startswith(forwarded.title[:-1])


def test_without_username_the_key_is_chat_and_message_id(data: Path) -> None:
    posts = drafts(read_file(READER, data / "telegram" / "single_channel.json"))
    assert posts[0].source_key == "telegram:1500000001:2"
    assert posts[0].url is None
    assert posts[0].author == Author("Balkan Monitor", "Balkan Monitor", AuthorKind.CHANNEL)


def test_service_and_textless_messages_are_skipped_and_counted(data: Path) -> None:
    items = read_file(READER, data / "telegram" / "single_channel.json")
    skipped = [i for i in items if isinstance(i, Skipped)]
    reasons = [s.reason for s in skipped]
    assert len(skipped) == 3
    assert any("message 1: service message (create_channel)" in r for r in reasons)
    assert any("message 3: no text" in r for r in reasons)
    assert any("pin_message" in r for r in reasons)


def test_old_export_without_text_entities_and_integer_from_id(data: Path) -> None:
    items = read_file(READER, data / "telegram" / "old_export.json",
                      channel_username="frontier_notes")
    posts = drafts(items)
    assert len(posts) == 2
    first, second = posts
    assert first.title == "Smuggling route through the mountains reopened"
    assert first.extra["from_id"] == 9100200
    assert first.links == ["https://maps.example.org/route", "https://example.org/notes/101"]
    assert first.hashtags == ["smuggling"]
    # No *_unixtime: the naive local times are taken as UTC.
    assert first.published_at == datetime(2019, 6, 10, 18, 20, tzinfo=UTC)
    assert first.extra["edited_at"] == "2019-06-10T18:40:00+00:00"
    assert second.hashtags == ["граница"]
    assert second.source_key == "https://t.me/frontier_notes/102"
    assert sum(isinstance(i, Skipped) for i in items) == 1


def test_full_account_export_reads_every_chat_including_left_ones(data: Path) -> None:
    items = read_file(READER, data / "telegram" / "full_account.json",
                      channel_username="ignored_for_many_chats")
    posts = drafts(items)
    assert [(p.author.display_name if p.author else None, p.extra["telegram_id"])
            for p in posts] == [("Coast Watch", 10), ("Analysts' group", 2), ("Old Channel", 7)]
    assert posts[1].extra["telegram_chat_type"] == "private_supergroup"
    assert posts[1].extra["from"] == "Research Desk"
    assert posts[1].links == ["https://example.org/timeline"]
    # A username cannot belong to three chats at once, so none is applied.
    assert all(p.url is None for p in posts)
    assert posts[0].source_key == "telegram:1600000002:10"
    assert sum(isinstance(i, Skipped) for i in items) == 1


def test_truncated_json_is_an_item_error_with_position(data: Path) -> None:
    path = data / "telegram" / "truncated.json"
    [error] = read_file(READER, path)
    assert isinstance(error, ItemError)
    assert error.path == str(path)
    assert error.error.startswith("truncated JSON at line ")


def test_unexpected_schema_is_an_item_error(data: Path) -> None:
    path = data / "telegram" / "unexpected_schema.json"
    [error] = read_file(READER, path)
    assert isinstance(error, ItemError) and error.path == str(path)
    assert "unexpected schema" in error.error


def test_broken_messages_do_not_stop_the_good_ones(data: Path) -> None:
    items = read_file(READER, data / "telegram" / "bad_messages.json")
    errors = [i for i in items if isinstance(i, ItemError)]
    assert [e.error.split(":")[0] for e in errors] == [
        "chat 'Mixed Quality', message #1", "chat 'Mixed Quality', message #2",
        "chat 'Mixed Quality', message 3"]
    assert "no readable 'date'" in errors[2].error
    assert [p.body for p in drafts(items)] == ["A good message survives its broken neighbours."]


def test_options_author_and_country_win(data: Path) -> None:
    chosen = Author("@override", "Override", AuthorKind.CHANNEL)
    posts = drafts(read_file(READER, data / "telegram" / "old_export.json",
                             author=chosen, country="XK"))
    assert {p.author for p in posts} == {chosen}
    assert all(p.countries == ["xk"] for p in posts)


def test_sniff_accepts_both_layouts_and_rejects_other_json(data: Path) -> None:
    from kartoteka.ingest.base import Input

    for name in ("single_channel.json", "old_export.json", "full_account.json"):
        assert READER.sniff(Input(name, (data / "telegram" / name).read_bytes()))
    assert not READER.sniff(Input("x", (data / "feeds" / "feed.json").read_bytes()))
    assert not READER.sniff(Input("x", b'{"title": "a", "body": "b"}\n'))
