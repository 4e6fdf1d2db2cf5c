"""Countries as readers browse them: flag, name, and the articles about each.

The registry's catalog (entities by country) replaces the article entries
here once it exists; the shapes are the catalog model's, so pages and the
API do not change when it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from kartoteka.catalog.countries import country_name_in, flag_for, is_country_code
from kartoteka.catalog.model import Catalog
from kartoteka.i18n import Message, current_language
from kartoteka.model import Article
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.facets import Facets, facet_counts


class CountryNotFound(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(
            Message(
                "no country with code %(code)r: use an ISO 3166-1 alpha-2 code such as rs, or xk",
                code=code,
            )
        )
        self.code = code


@dataclass(frozen=True, slots=True)
class CountryLabel:
    code: str
    name: str
    flag: str


def country_label(code: str) -> CountryLabel:
    """Name (in the interface's language) and flag for a code; a code we do not
    know keeps its letters as the name."""
    return _country_label(code, current_language())


@lru_cache(maxsize=1024)
def _country_label(code: str, language: str) -> CountryLabel:
    """Cached: pages ask for the same few countries on every request."""
    key = code.strip().lower()
    try:
        name = country_name_in(key, language)
    except ValueError:
        name = key.upper()
    try:
        flag = flag_for(key) if is_country_code(key) else ""
    except ValueError:
        flag = ""
    return CountryLabel(key, name, flag)


@dataclass(slots=True)
class CountryCatalog:
    """The catalog by country plus how many articles each country has."""

    catalog: Catalog
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class CountryView:
    country: CountryLabel
    articles: list[Article]
    total: int
    facets: Facets


def country_view(
    db: Database,
    code: str,
    limit: int = 20,
    offset: int = 0,
    flt: ArticleFilter | None = None,
) -> CountryView:
    """A country's articles, newest first; unknown codes with no articles are not found."""
    key = code.strip().lower()
    scoped = replace(flt or ArticleFilter(), country=key)
    with db.read() as conn:
        repo = ArticleRepository(conn)
        total = repo.count(scoped)
        if not total and not (len(key) == 2 and is_country_code(key)):
            raise CountryNotFound(code)
        articles = repo.list(scoped, limit, offset)
        facets = facet_counts(conn, scoped)
    return CountryView(country_label(key), articles, total, facets)
