"""The bundled sample data is what `kartoteka demo` shows, so it must stay valid.

These tests read the real files the demo loads and check that each one parses
with kartoteka's own readers (or the format's reference library) and that the
data still exercises what it exists to show: many countries, authors and
scripts, spellings the registry lacks, cited relations, and one repost.
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import pycountry
import pytest

import kartoteka
from kartoteka.ingest.base import Input, ReadOptions
from kartoteka.ingest.plaintext import MarkdownReader
from kartoteka.model import ArticleDraft

SAMPLE = Path(kartoteka.__file__).parent / "sample_data"
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed"

ENTITY_SCHEMATA = {"Person", "Organization", "LegalEntity", "Company"}
RELATION_ENDS = {"Membership": ("member", "organization"), "UnknownLink": ("subject", "object")}
LINK_ROLES = {"allied", "rival", "splinter-of", "merged-into", "affiliate"}
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")
HANDLE = re.compile(r"\(@(\w+)\)")
URL = re.compile(r"https?://[^\s()“”]+")


@dataclass(frozen=True)
class Sample:
    path: Path
    draft: ArticleDraft


def _read(path: Path) -> ArticleDraft:
    items = list(MarkdownReader().read(Input(str(path), path.read_bytes()), ReadOptions()))
    assert len(items) == 1, f"{path.name}: expected one article, got {items}"
    draft = items[0]
    assert isinstance(draft, ArticleDraft), f"{path.name}: {draft}"
    return draft


@pytest.fixture(scope="module")
def articles() -> list[Sample]:
    paths = sorted((SAMPLE / "articles").glob("*.md"))
    return [Sample(path, _read(path)) for path in paths]


@pytest.fixture(scope="module")
def registry() -> list[dict[str, Any]]:
    lines = (SAMPLE / "registry.ftm.jsonl").read_text(encoding="utf-8").splitlines()
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            pytest.fail(f"registry.ftm.jsonl line {number}: invalid JSON ({exc})")
    return records


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_every_article_parses_with_full_metadata(articles: list[Sample]) -> None:
    assert len(articles) >= 18
    for sample in articles:
        draft, name = sample.draft, sample.path.name
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.md", name), name
        assert draft.title and not draft.title.startswith("#"), name
        assert draft.author is not None and draft.author.handle.startswith("@"), name
        assert draft.author.display_name, name
        assert draft.published_at is not None and draft.published_at.tzinfo is not None, name
        assert draft.countries, name
        assert draft.language in {"en", "ru"}, name
        assert draft.url and draft.url.startswith("https://example.org/"), name
        assert draft.url.split("/")[3] == draft.author.handle[1:], f"{name}: url not under handle"
        assert 150 <= _words(draft.body) <= 600, f"{name}: {_words(draft.body)} words"


def test_articles_cover_countries_authors_and_russian(articles: list[Sample]) -> None:
    countries = {c for s in articles for c in s.draft.countries}
    for code in countries:
        assert code == "xk" or pycountry.countries.get(alpha_2=code.upper()), code
    assert len(countries) >= 8, sorted(countries)
    authors = {s.draft.author.handle for s in articles if s.draft.author}
    assert len(authors) >= 5, authors
    russian = [s for s in articles if s.draft.language == "ru"]
    assert len(russian) >= 4
    for sample in russian:
        body = sample.draft.body
        assert len(CYRILLIC.findall(body)) > 5 * len(LATIN.findall(body)), sample.path.name
    urls = [s.draft.url for s in articles]
    assert len(urls) == len(set(urls)), "two articles share a url"


def test_names_appear_in_varied_spellings_and_inflections(articles: list[Sample]) -> None:
    text = "\n".join(f"{s.draft.title}\n{s.draft.body}" for s in articles)
    for spelling in [
        "Hashim Thaçi",
        "Hashim Thachi",
        "Хашим Тачи",
        "Хашима Тачи",
        "Los Zetas",
        "Лос Сетас",
        "Hurras al-Din",
        "Huras ad-Din",
        "Jama'at Nusrat al-Islam wal-Muslimin",
        "JNIM",
        "J.N.I.M.",
        "al-Shabaab",
        "«Аш-Шабаб»",
        "«Аль-Каиды»",
        "Пригожина",
    ]:
        assert spelling in text, spelling


def test_exactly_one_near_duplicate_repost(articles: list[Sample]) -> None:
    shingles = {s.path: set(_shingles(s.draft.body, 5)) for s in articles}
    pairs = []
    for a, b in combinations(articles, 2):
        common = shingles[a.path] & shingles[b.path]
        overlap = len(common) / len(shingles[a.path] | shingles[b.path])
        if overlap >= 0.6:
            pairs.append((a, b, overlap))
    assert len(pairs) == 1, [(a.path.name, b.path.name) for a, b, _ in pairs]
    first, second, overlap = pairs[0]
    assert overlap < 1.0, "a repost must be edited, not identical"
    original, repost = sorted((first, second), key=lambda s: s.draft.published_at or datetime.min)
    assert original.draft.body != repost.draft.body, "a repost must be edited, not identical"
    assert original.draft.author != repost.draft.author
    assert original.draft.url != repost.draft.url
    assert original.draft.published_at != repost.draft.published_at


def test_same_subject_by_different_authors(articles: list[Sample]) -> None:
    by_slug = {s.path.name[:2]: s.draft for s in articles}
    for a, b in [("02", "03"), ("15", "16"), ("18", "19")]:
        assert by_slug[a].author != by_slug[b].author, (a, b)
        assert set(by_slug[a].countries) & set(by_slug[b].countries), (a, b)


def test_registry_lines_have_known_schema_and_name(registry: list[dict[str, Any]]) -> None:
    ids = [r.get("id") for r in registry]
    assert all(isinstance(i, str) and i for i in ids)
    assert len(ids) == len(set(ids)), "duplicate ids in the registry"
    entities = [r for r in registry if r["schema"] in ENTITY_SCHEMATA]
    assert len(entities) >= 25
    for record in registry:
        assert record["schema"] in ENTITY_SCHEMATA | set(RELATION_ENDS), record["id"]
        props = record["properties"]
        if record["schema"] in ENTITY_SCHEMATA:
            assert props.get("name") and props.get("description"), record["id"]
            for code in props.get("country", []):
                assert code == code.lower(), record["id"]
                assert code == "xk" or pycountry.countries.get(alpha_2=code.upper()), code
    aliases = [a for r in entities for a in r["properties"].get("alias", [])]
    assert any(CYRILLIC.search(a) for a in aliases)
    assert any("\u0600" <= ch <= "\u06ff" for a in aliases for ch in a), "no Arabic-script alias"


def test_relations_are_cited_by_sample_articles(
    registry: list[dict[str, Any]], articles: list[Sample]
) -> None:
    schema_of = {r["id"]: r["schema"] for r in registry}
    article_urls = {s.draft.url for s in articles}
    relations = [r for r in registry if r["schema"] in RELATION_ENDS]
    assert len(relations) >= 10
    for record in relations:
        props = record["properties"]
        source, target = RELATION_ENDS[record["schema"]]
        assert schema_of.get(props[source][0]) in ENTITY_SCHEMATA, record["id"]
        assert schema_of.get(props[target][0]) in ENTITY_SCHEMATA, record["id"]
        if record["schema"] == "Membership":
            assert schema_of[props["organization"][0]] == "Organization", record["id"]
        else:
            assert props["role"][0] in LINK_ROLES, record["id"]
        assert props.get("sourceUrl"), f"{record['id']}: no citation"
        for url in props["sourceUrl"]:
            assert url in article_urls, f"{record['id']}: {url} is not a sample article"


def _names(record: dict[str, Any]) -> set[str]:
    props = record["properties"]
    return {n for key in ("name", "alias", "weakAlias") for n in props.get(key, [])}


def test_registry_leaves_spellings_for_the_matcher(
    registry: list[dict[str, Any]], articles: list[Sample]
) -> None:
    """Spellings the articles use but the registry lacks: links the matcher must earn."""
    names = {n.casefold() for r in registry for n in _names(r)}
    text = "\n".join(s.draft.body for s in articles)
    for spelling in ["Hashim Thachi", "Лос Сетас", "Huras ad-Din", "J.N.I.M.", "Аш-Шабаб"]:
        assert spelling in text, spelling
        assert spelling.casefold() not in names, spelling


def test_look_alikes_are_distinct_entities(registry: list[dict[str, Any]]) -> None:
    by_name = {r["properties"]["name"][0]: r for r in registry if r["schema"] in ENTITY_SCHEMATA}
    for a, b in [
        ("Ansar al-Islam", "Ansar Allah"),
        ("Grey Wolves", "Night Wolves"),
        ("Wagner Group", "Wagner College"),
        ("Islamic State", "Islamic State of Iraq"),
    ]:
        assert a in by_name and b in by_name, (a, b)
        assert not _names(by_name[a]) & _names(by_name[b]), (a, b)


def test_registry_loads_with_followthemoney(registry: list[dict[str, Any]]) -> None:
    ftm = pytest.importorskip("followthemoney", reason="followthemoney is not installed")
    for record in registry:
        proxy = ftm.model.get_proxy(record)
        for prop, values in record["properties"].items():
            assert sorted(proxy.get(prop)) == sorted(values), f"{record['id']}: {prop} was cleaned"


SHORT_NAMES = {"ru": "Russia", "sy": "Syria", "tr": "Turkey", "xk": "Kosovo"}


def _country_name(code: str) -> str:
    """The short English name a catalog uses; pycountry's where it is the short one."""
    if code in SHORT_NAMES:
        return SHORT_NAMES[code]
    country = pycountry.countries.get(alpha_2=code.upper())
    assert country is not None, f"unknown country code {code}"
    return str(getattr(country, "common_name", country.name))


def _flag_code(flag: str) -> str:
    return "".join(chr(ord(ch) - 0x1F1E6 + ord("a")) for ch in flag)


def test_catalog_structure_handles_and_links(articles: list[Sample]) -> None:
    lines = [ln for ln in (SAMPLE / "catalog.md").read_text(encoding="utf-8").splitlines() if ln]
    header, rows = lines[0], lines[1:]
    assert "“" in header and header.rstrip().endswith(":")
    handles = {s.draft.author.handle for s in articles if s.draft.author}
    urls = {s.draft.url for s in articles}
    countries, names = set(), []
    for row in rows:
        match = re.match(r"([\U0001F1E6-\U0001F1FF]{2}) ([^:]+): (.+)$", row)
        assert match, f"catalog line not 'flag name: entries': {row}"
        code, name = _flag_code(match.group(1)), match.group(2)
        assert name == _country_name(code), row
        names.append(name)
        countries.add(code)
        assert match.group(3).split(" | "), row
        for url in URL.findall(row):
            assert url in urls, f"{url} is not a sample article"
        for handle in HANDLE.findall(row):
            assert f"@{handle}" in handles, f"@{handle} is not a sample author"
    assert len(countries) >= 8
    assert names == sorted(names), "countries are not in order of name"
    text = "\n".join(rows)
    assert "part 1" in text and "“" in text and "”" in text and " | " in text
    assert HANDLE.search(text)


def _telegram_text(value: str | list[Any]) -> str:
    if isinstance(value, str):
        return value
    return "".join(part if isinstance(part, str) else part["text"] for part in value)


def test_telegram_export_is_in_desktop_format() -> None:
    export = json.loads((SAMPLE / "telegram" / "result.json").read_text(encoding="utf-8"))
    assert export["type"] == "public_channel" and export["name"] and isinstance(export["id"], int)
    messages = export["messages"]
    kinds: dict[str, int] = {"service": 0, "forward": 0, "photo_only": 0, "text": 0}
    for message in messages:
        stamp = datetime.fromisoformat(message["date"]).replace(tzinfo=UTC)
        assert str(int(stamp.timestamp())) == message["date_unixtime"], message["id"]
        joined = "".join(e["text"] for e in message["text_entities"])
        assert _telegram_text(message["text"]) == joined, message["id"]
        if message["type"] == "service":
            kinds["service"] += 1
            assert message["actor_id"] == f"channel{export['id']}"
            continue
        assert message["type"] == "message"
        assert message["from_id"] == f"channel{export['id']}"
        if "forwarded_from" in message:
            kinds["forward"] += 1
        if "photo" in message and not joined:
            kinds["photo_only"] += 1
        elif joined:
            kinds["text"] += 1
            assert isinstance(message["text"], list), message["id"]
    assert kinds["service"] == 1 and kinds["forward"] == 1 and kinds["photo_only"] == 1
    assert kinds["text"] >= 4
    entity_types = {e["type"] for m in messages for e in m["text_entities"]}
    assert {"bold", "hashtag", "text_link", "mention", "plain"} <= entity_types


def test_feed_is_rss_2_with_three_items() -> None:
    root = ET.parse(SAMPLE / "feed.xml").getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert len(items) == 3
    for item in items:
        for tag in ("title", "link", "guid", "pubDate", "description"):
            assert (item.findtext(tag) or "").strip(), tag


def _shingles(text: str, size: int = 8) -> Iterator[str]:
    words = re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())
    for start in range(len(words) - size + 1):
        yield " ".join(words[start : start + size])


def test_no_text_is_copied_from_the_seed() -> None:
    if not SEED.is_dir():
        pytest.skip(f"the seed folder {SEED} is absent (it lives next to the repository)")
    seed = {s for path in SEED.glob("*.txt") for s in _shingles(path.read_text(encoding="utf-8"))}
    for path in SAMPLE.rglob("*"):
        if path.is_file():
            copied = set(_shingles(path.read_text(encoding="utf-8"))) & seed
            assert not copied, f"{path.name} repeats the seed: {sorted(copied)[:3]}"
