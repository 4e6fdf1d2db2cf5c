from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kartoteka.ingest.base import Input, ItemError, ReadOptions, Skipped
from kartoteka.ingest.feed import FeedReader
from kartoteka.model import AuthorKind

from .conftest import drafts, read_file

READER = FeedReader()


def test_rss20_content_author_date_link_and_scoped_guid(data: Path) -> None:
    first, second = drafts(read_file(READER, data / "feeds" / "rss20.xml"))
    assert first.title == "Container seizure at the northern terminal"
    # content:encoded wins over the description, and its HTML becomes text.
    assert first.body == ("Customs officers opened a container declared as frozen fish and "
                          "found cigarettes instead.\nThe shipment had passed two earlier "
                          "checks, according to the customs notice.")
    assert first.links == ["https://customs.example.gov/notice/17"]
    assert first.author is not None and first.author.handle == "Mara Lindqvist"
    assert first.published_at == datetime(2024, 3, 12, 8, 30, tzinfo=UTC)
    assert first.url == "https://www.harbour-review.example/2024/seizure"
    assert first.source_key == "https://www.harbour-review.example/#hr-2024-017"
    assert first.language == "en"
    assert first.extra["categories"] == ["smuggling", "ports"]
    # "email (Name)" becomes the name; a URL guid is its own key.
    assert second.author is not None and second.author.handle == "Tomas Berg"
    assert second.body == ("The port authority said it inspected four per cent of containers "
                           "last year.")
    assert second.source_key == "https://www.harbour-review.example/2024/figures"


def test_rss091_and_rss10(data: Path) -> None:
    [old] = drafts(read_file(READER, data / "feeds" / "rss091.xml"))
    assert old.body.startswith("Die Passstraße bleibt")  # declared ISO-8859-1, decoded right
    assert old.language == "de"
    assert old.author is not None and old.author.kind is AuthorKind.SITE
    assert old.author.handle == "pass-bulletin.example"
    [rdf] = drafts(read_file(READER, data / "feeds" / "rss10.rdf"))
    assert rdf.title == "Shell company renamed twice in one month"
    assert rdf.published_at == datetime(2024, 4, 2, 8, 15, tzinfo=UTC)
    assert rdf.source_key == "https://registry-watch.example/notes/88"


def test_atom_html_title_content_and_summary_fallback(data: Path) -> None:
    convoy, summary = drafts(read_file(READER, data / "feeds" / "atom.xml"))
    assert convoy.title == "Attaque contre un convoi près de Gao"
    assert convoy.body.endswith("selon nos sources.")
    assert convoy.links == ["https://sahel-obs.example/sources"]
    assert convoy.source_key == "tag:sahel-obs.example,2024:convoi"
    assert convoy.language == "fr"
    assert convoy.published_at == datetime(2024, 5, 9, 18, 45, tzinfo=UTC)
    assert convoy.extra["updated_at"] == "2024-05-10T07:00:00+00:00"
    # No published date: the updated date stands in; the feed author stands in too.
    assert summary.body == "Résumé des incidents recensés en avril dans la région."
    assert summary.published_at == datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def test_json_feed_items_and_a_broken_item(data: Path) -> None:
    items = read_file(READER, data / "feeds" / "feed.json")
    first, second = drafts(items)
    assert first.body == ("Las autoridades detectaron una nueva ruta de precursores químicos "
                          "hacia el puerto.\nMás detalles en el informe oficial.")
    assert first.links == ["https://gob.example/informe"]
    assert first.published_at == datetime(2024, 6, 1, 10, tzinfo=timezone(timedelta(hours=-6)))
    assert first.author is not None and first.author.handle == "Lucía Ramírez"
    assert first.source_key == "https://cartel-ledger.example/#ledger-2024-031"
    assert first.language == "es"
    assert second.title == "Breve: detenidos dos operadores financieros."
    assert second.author is not None and second.author.handle == "Equipo Ledger"
    [error] = [i for i in items if isinstance(i, ItemError)]
    assert error.path == str(data / "feeds" / "feed.json")
    assert error.error.startswith("item 3: unexpected schema")


def test_reading_twice_gives_the_same_keys(data: Path) -> None:
    for name in ("rss20.xml", "rss10.rdf", "rss091.xml", "atom.xml", "feed.json"):
        once = [d.key() for d in drafts(read_file(READER, data / "feeds" / name))]
        again = [d.key() for d in drafts(read_file(READER, data / "feeds" / name))]
        assert once == again and len(set(once)) == len(once)


def test_malformed_feed_yields_entries_and_a_warning_not_a_failure(data: Path) -> None:
    items = read_file(READER, data / "feeds" / "broken_rss.xml")
    assert drafts(items)[0].title == "First item parses fine"
    assert not [i for i in items if isinstance(i, ItemError)]
    [warning] = [i for i in items if isinstance(i, Skipped)]
    assert warning.reason.startswith("malformed feed (")


@pytest.mark.parametrize(("name", "reason"), [
    ("not_a_feed.xml", "feed parse failure: "),
    ("bad.json", "feed parse failure: invalid JSON at line 1"),
])
def test_feed_parse_failure_is_an_item_error(data: Path, name: str, reason: str) -> None:
    [error] = read_file(READER, data / "feeds" / name)
    assert isinstance(error, ItemError)
    assert error.path == str(data / "feeds" / name)
    assert error.error.startswith(reason)


def test_json_feed_with_wrong_schema() -> None:
    item = Input("x.json", b'{"version": "https://jsonfeed.org/version/1", "items": {}}')
    [error] = list(READER.read(item, ReadOptions()))
    assert isinstance(error, ItemError) and "unexpected schema" in error.error


def test_sniff(data: Path) -> None:
    for name in ("rss20.xml", "rss10.rdf", "rss091.xml", "atom.xml", "feed.json"):
        assert READER.sniff(Input(name, (data / "feeds" / name).read_bytes()))
    assert not READER.sniff(Input("x", (data / "html" / "canonical.html").read_bytes()))
    assert not READER.sniff(Input("x", (data / "telegram" / "old_export.json").read_bytes()))
