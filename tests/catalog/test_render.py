from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kartoteka.catalog.model import Catalog, CatalogCountry, CatalogEntry
from kartoteka.catalog.render import FORMATS, render, telegram_messages
from kartoteka.catalog.render_telegram import MESSAGE_LIMIT

from .conftest import TelegramMarkup, large_catalog

TELEGRAM_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"}
XSS_TITLE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"'
XSS_URL = 'https://example.org/"><script>alert(1)</script>'


def hostile_catalog() -> Catalog:
    return Catalog(
        [
            CatalogCountry(
                code="sy",
                name="Syria",
                flag="🇸🇾",
                entries=[
                    CatalogEntry(XSS_TITLE, "organization", "e1", ["a1"], ["@<b>bold</b>"], None),
                    CatalogEntry("JS link", "person", "e2", ["a2"], [], "javascript:alert(1)"),
                    CatalogEntry("Spaced JS", "person", None, [], [], " javascript:alert(1)"),
                    CatalogEntry("Tabbed", "article", None, ["a3"], [], "java\tscript:alert(1)"),
                    CatalogEntry("Data", "article", None, [], [], "data:text/html,<b>x</b>"),
                    CatalogEntry("Quote in URL", "article", None, [], [], XSS_URL),
                    CatalogEntry(
                        "Good", "article", None, ["a4"], [], "https://example.org/a?b=1&c=2"
                    ),
                ],
            )
        ]
    )


def seed_like_catalog() -> Catalog:
    # Given out of order: the catalog orders countries by name.
    return Catalog(
        [
            CatalogCountry("tr", "Turkey", "🇹🇷", [
                CatalogEntry("Gray Wolves", "organization", "ent-1", ["art-1", "art-2"],
                             ["@istanbul_wolf"], "https://t.me/istanbul_wolf/10"),
            ]),
            CatalogCountry("in", "India", "🇮🇳", [
                CatalogEntry("Naxalites", "organization", None, [], [], None),
                CatalogEntry("A piece with no entity", "article", None, ["art-3"], [], None),
            ]),
        ]
    )  # fmt: skip


def test_json_shape_is_exact() -> None:
    data = json.loads(render(seed_like_catalog(), "json"))
    assert data == {
        "countries": [
            {
                "code": "in",
                "name": "India",
                "flag": "🇮🇳",
                "entries": [
                    {"title": "Naxalites", "kind": "organization", "entity_id": None,
                     "article_ids": [], "authors": [], "url": None},
                    {"title": "A piece with no entity", "kind": "article", "entity_id": None,
                     "article_ids": ["art-3"], "authors": [], "url": None},
                ],
            },
            {
                "code": "tr",
                "name": "Turkey",
                "flag": "🇹🇷",
                "entries": [
                    {"title": "Gray Wolves", "kind": "organization", "entity_id": "ent-1",
                     "article_ids": ["art-1", "art-2"], "authors": ["@istanbul_wolf"],
                     "url": "https://t.me/istanbul_wolf/10"},
                ],
            },
        ]
    }  # fmt: skip


def test_countries_are_ordered_by_name_ignoring_case_and_accents() -> None:
    catalog = Catalog(
        [
            CatalogCountry("tr", "Turkey", "🇹🇷"),
            CatalogCountry("ax", "Åland Islands", "🇦🇽"),
            CatalogCountry("af", "afghanistan", "🇦🇫"),
            CatalogCountry("al", "Albania", "🇦🇱"),
        ]
    )
    assert [c.code for c in catalog.countries] == ["af", "ax", "al", "tr"]


def test_entry_kind_is_checked() -> None:
    with pytest.raises(ValueError, match="'group' is not one of"):
        CatalogEntry("X", "group")


def test_unknown_format_says_what_to_use() -> None:
    with pytest.raises(ValueError, match="telegram_messages"):
        render(seed_like_catalog(), "telegram")
    with pytest.raises(ValueError, match="markdown"):
        render(seed_like_catalog(), "pdf")
    assert FORMATS == ("markdown", "html", "json")


def test_markdown_page() -> None:
    page = render(seed_like_catalog(), "markdown")
    assert page.index("## 🇮🇳 India") < page.index("## 🇹🇷 Turkey")
    assert "- [Gray Wolves](https://t.me/istanbul_wolf/10) — @istanbul\\_wolf" in page
    assert "- Naxalites\n" in page


def test_markdown_escapes_and_never_links_unsafe_urls() -> None:
    page = render(hostile_catalog(), "markdown")
    assert "<script>" not in page and "\\<script\\>" in page
    assert "javascript:" not in page.replace("- JS link", "")
    assert "- JS link\n" in page and "- Tabbed\n" in page and "- Data\n" in page
    assert "- Quote in URL\n" in page
    assert "[Good](https://example.org/a?b=1&c=2)" in page


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]
        assert all(not name.startswith("on") for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_page_escapes_everything_and_links_only_http() -> None:
    page = render(hostile_catalog(), "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    parser = _Links()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert set(parser.tags) <= {"html", "head", "meta", "title", "style", "body", "h1",
                                "nav", "ul", "li", "a", "section", "h2", "span"}  # fmt: skip
    external = [h for h in parser.hrefs if not h.startswith("#")]
    assert external == ["https://example.org/a?b=1&c=2"]
    assert XSS_TITLE in "".join(parser.text)  # shown as text, exactly as written
    assert "@<b>bold</b>" in "".join(parser.text)


def test_html_page_has_a_section_per_country_with_links() -> None:
    page = render(seed_like_catalog(), "html")
    parser = _Links()
    parser.feed(page)
    assert parser.hrefs == ["#country-in", "#country-tr", "https://t.me/istanbul_wolf/10"]
    assert page.index('id="country-in"') < page.index('id="country-tr"')
    assert "Gray Wolves</a>" in page and "@istanbul_wolf" in page


def assert_telegram_valid(messages: list[str]) -> list[TelegramMarkup]:
    parsed = []
    for message in messages:
        markup = TelegramMarkup(message)
        assert set(markup.tags) <= TELEGRAM_TAGS, set(markup.tags) - TELEGRAM_TAGS
        assert markup.unbalanced == [] and markup.open == [], message[:200]
        assert 0 < markup.visible_length <= MESSAGE_LIMIT
        # Only Telegram's named entities (and numeric ones) may appear.
        for entity in re.findall(r"&([a-zA-Z]+);", message):
            assert entity in {"lt", "gt", "amp", "quot"}
        parsed.append(markup)
    return parsed


def test_telegram_large_catalog_fits_and_breaks_at_countries() -> None:
    catalog = large_catalog()
    messages = telegram_messages(catalog)
    parsed = assert_telegram_valid(messages)
    assert len(messages) > 30
    everything = "\n".join(p.text for p in parsed)
    # Every entry is there, and no country heading is repeated
    # (each country fits in one message, so none was split).
    for country in catalog.countries:
        assert everything.count(f"{country.flag} {country.name}\n") == 1
        for entry in country.entries:
            assert f"• {entry.title} — {', '.join(entry.authors)}" in everything
    assert "(continued)" not in everything
    # The first message opens with the catalog title; every later one with a country.
    assert parsed[0].text.startswith("Catalog of articles\n\n🇦🇫 Afghanistan\n")
    openings = [p.text.split("\n")[0] for p in parsed[1:]]
    assert all(re.match(r"^[\U0001F1E6-\U0001F1FF]{2} \w", line) for line in openings), openings
    hrefs = [h for p in parsed for h in p.hrefs]
    assert len(hrefs) == sum(len(c.entries) for c in catalog.countries)
    assert hrefs[0] == "https://example.org/af/0?a=1&b=2"


def test_telegram_splits_a_long_country_between_entries() -> None:
    catalog = large_catalog(countries=2, entries=400)
    messages = telegram_messages(catalog)
    parsed = assert_telegram_valid(messages)
    first = catalog.countries[0]
    heading = f"{first.flag} {first.name}"
    # The title shares the first message with the start of the long country.
    assert parsed[0].text.startswith(f"Catalog of articles\n\n{heading}\n• ")
    continued = [p for p in parsed if p.text.startswith(f"{heading} (continued)")]
    assert len(continued) >= 2
    lines = [line for p in parsed for line in p.text.split("\n") if line.startswith("• ")]
    assert len(lines) == 800 and len(set(lines)) == 800


def test_telegram_caps_absurd_entries_and_escapes_payloads() -> None:
    giant = CatalogEntry("Я" * 9000, "organization", None, [], ["@h" + "x" * 20] * 400, None)
    catalog = hostile_catalog()
    catalog.countries[0].entries.append(giant)
    messages = telegram_messages(catalog)
    parsed = assert_telegram_valid(messages)
    text = "\n".join(p.text for p in parsed)
    assert XSS_TITLE in text and "@<b>bold</b>" in text
    assert [h for p in parsed for h in p.hrefs] == ["https://example.org/a?b=1&c=2"]
    assert "javascript" not in "".join(messages).replace("JS link", "")
    assert "Я" * 900 in text and "Я" * 1000 not in text and "…" in text


def test_telegram_counts_utf16_units() -> None:
    # Flags are 4 UTF-16 units each: with 1,100 flag-only titles the code-point
    # count would fit in fewer messages than Telegram actually needs.
    country = CatalogCountry("xk", "Kosovo", "🇽🇰", [
        CatalogEntry("🇽🇰" * 3, "article") for _ in range(1100)
    ])  # fmt: skip
    parsed = assert_telegram_valid(telegram_messages(Catalog([country])))
    assert max(p.visible_length for p in parsed) > max(len(p.text) for p in parsed)


def test_telegram_empty_catalog_has_no_messages() -> None:
    assert telegram_messages(Catalog([])) == []


_text = st.text(st.characters(codec="utf-8"), max_size=300)
_entries = st.builds(
    CatalogEntry,
    title=_text,
    kind=st.sampled_from(["organization", "person", "article"]),
    authors=st.lists(_text, max_size=3),
    url=st.one_of(st.none(), _text, _text.map(lambda t: "https://example.org/" + t)),
)


@settings(max_examples=60, deadline=None)
@given(entries=st.lists(_entries, max_size=60), limit=st.integers(2000, MESSAGE_LIMIT))
def test_telegram_messages_stay_valid_for_any_text(entries: list[CatalogEntry], limit: int) -> None:
    catalog = Catalog([CatalogCountry("ru", "Russia", "🇷🇺", entries)])
    for message in telegram_messages(catalog, limit=limit):
        markup = TelegramMarkup(message)
        assert set(markup.tags) <= TELEGRAM_TAGS
        assert markup.unbalanced == [] and markup.open == []
        assert markup.visible_length <= limit
        assert all(href.startswith("https://example.org/") for href in markup.hrefs)
