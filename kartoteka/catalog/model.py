"""The catalog by country as renderers see it: plain data, no storage.

The builder (which reads the database) and the post parser both produce
these; renderers only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kartoteka.record import as_record
from kartoteka.text.normalize import fold

ENTRY_KINDS: tuple[str, ...] = ("organization", "person", "article")


@dataclass(slots=True)
class CatalogEntry:
    """One line item: an entity covered by articles, or an article with no entity.

    ``authors`` are handles (``@chvkmedia``); ``url`` is where the entry
    links to, which renderers only turn into a link when it is http(s).
    """

    title: str
    kind: str
    entity_id: str | None = None
    article_ids: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    url: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ENTRY_KINDS:
            raise ValueError(
                f"catalog entry {self.title!r}: kind {self.kind!r} is not one of {ENTRY_KINDS}"
            )

    def as_dict(self) -> dict[str, Any]:
        return as_record(self)


@dataclass(slots=True)
class CatalogCountry:
    """A country heading: lower-case ISO code (or ``xk``), English name, flag emoji."""

    code: str
    name: str
    flag: str
    entries: list[CatalogEntry] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return as_record(self)


@dataclass(slots=True)
class Catalog:
    """Countries in name order, whatever order they were given in."""

    countries: list[CatalogCountry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.countries = sorted(self.countries, key=lambda c: (fold(c.name), c.code))

    def as_dict(self) -> dict[str, Any]:
        """Every field, nested entries too: the JSON shape of ``catalog --format json``."""
        return as_record(self)
