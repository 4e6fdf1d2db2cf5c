"""Fixtures for the catalog tests: fixture posts, the seed, and an HTML checker."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kartoteka.catalog.countries import all_codes, country_name, flag_for
from kartoteka.catalog.model import Catalog, CatalogCountry, CatalogEntry

DATA = Path(__file__).resolve().parents[1] / "data" / "catalog"
# The seed lives beside the repository (../shared/seed), not inside it.
SEED = Path(
    os.environ.get("KARTOTEKA_SEED_DIR", Path(__file__).resolve().parents[3] / "shared" / "seed")
)


@pytest.fixture
def catalog_post() -> type[_Posts]:
    return _Posts


class _Posts:
    @staticmethod
    def read(name: str) -> str:
        return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture
def seed_catalog_post() -> str:
    """The seed article that ends with the "Catalog of articles" post."""
    if not SEED.is_dir():
        pytest.skip(f"seed folder {SEED} is absent; set KARTOTEKA_SEED_DIR to run this test")
    for path in sorted(SEED.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if "Catalog of articles" in text:
            return text
    pytest.skip(f"no seed file in {SEED} contains a 'Catalog of articles' post")


def tail(n: int) -> str:
    """Varying lengths so messages do not all break at the same place."""
    return "x" * (n % 17)


def large_catalog(countries: int = 120, entries: int = 40) -> Catalog:
    """A generated catalog far bigger than one Telegram message, with long names."""
    codes = all_codes()[:countries]
    return Catalog(
        [
            CatalogCountry(
                code=code,
                name=country_name(code),
                flag=flag_for(code),
                entries=[
                    CatalogEntry(
                        title=f"Armed group «{code.upper()}-{n}» & <affiliates> {tail(n)}".strip(),
                        kind="organization" if n % 3 else "person",
                        entity_id=f"ent-{code}-{n}",
                        article_ids=[f"art-{code}-{n}"],
                        authors=[f"@author_{n % 7}", "@second_author"],
                        url=f"https://example.org/{code}/{n}?a=1&b=2",
                    )
                    for n in range(entries)
                ],
            )
            for code in codes
        ]
    )


class TelegramMarkup(HTMLParser):
    """Reads a message as Telegram would: tags, and the text left after them."""

    def __init__(self, message: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.open: list[str] = []
        self.unbalanced: list[str] = []
        self.text = ""
        self.feed(message)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.open.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.unbalanced.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data

    @property
    def visible_length(self) -> int:
        return len(self.text.encode("utf-16-le")) // 2
