"""Import a "Catalog of articles" post to bootstrap a database.

Each entry points to a piece by its author: the piece becomes an article
record at once (a placeholder with no text, unless the database already
holds the article by its link, or by its title and author), so the catalog
shows the post straight away; the text fills in when the article itself is
ingested (see :mod:`kartoteka.services.placeholders`).  Titles the registry
knows become subject links of the article; unknown titles become open
candidate entities for an editor.  The whole post goes in one transaction,
and importing it again changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kartoteka.catalog.entry_kind import guess_label
from kartoteka.catalog.keys import (
    PLACEHOLDER_SOURCE,
    candidate_key,
    entry_key,
    entry_source_key,
    placeholder_keys,
)
from kartoteka.catalog.parse import ParsedCountry, ParsedEntry, ParseError, parse_catalog_post
from kartoteka.ingest.storable import storable_text
from kartoteka.model import ArticleDraft, Author, AuthorKind, article_id_for_key
from kartoteka.schemata import kind
from kartoteka.services.matching import RegistryMatcher
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.catalog import CatalogStore, KeyedArticle
from kartoteka.store.database import Database
from kartoteka.text.language import detect_language
from kartoteka.text.normalize import content_hash

if TYPE_CHECKING:
    from kartoteka.link.matcher import NameMatcher

Clock = Callable[[], datetime]
log = logging.getLogger(__name__)


@dataclass(slots=True)
class CatalogImportReport:
    """Counts of what changed; a second import of the same post reports only unchanged."""

    countries: int = 0
    entries: int = 0
    articles_added: int = 0
    articles_found: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    authors_added: int = 0
    links_added: int = 0
    links_unchanged: int = 0
    candidates_added: int = 0
    candidates_unchanged: int = 0
    errors: list[ParseError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def as_dict(self) -> dict[str, object]:
        return {
            "countries": self.countries,
            "entries": self.entries,
            "articles": {
                "added": self.articles_added,
                "found": self.articles_found,
                "updated": self.articles_updated,
                "unchanged": self.articles_unchanged,
            },
            "authors": {"added": self.authors_added},
            "links": {"added": self.links_added, "unchanged": self.links_unchanged},
            "candidates": {
                "added": self.candidates_added,
                "unchanged": self.candidates_unchanged,
            },
            "failed": self.failed,
            "errors": [
                {"line": e.line, "text": e.text, "reason": e.reason} for e in self.errors
            ],
        }


def import_catalog(
    db: Database,
    text: str,
    source: str = "post",
    clock: Clock = lambda: datetime.now(UTC),
    matcher: RegistryMatcher | None = None,
) -> CatalogImportReport:
    """Parse ``text`` and store its entries; ``source`` names the post in placeholders.

    ``matcher``: the process's one (``Services.matcher``); None builds one for this call.
    """
    parsed = parse_catalog_post(storable_text(text))  # no NUL or lone surrogate reaches SQL
    report = CatalogImportReport(countries=len(parsed.countries), errors=list(parsed.errors))
    names = (matcher or RegistryMatcher(db)).current()
    now = clock()
    with db.transaction() as conn:
        importer = _Importer(ArticleRepository(conn), CatalogStore(conn), names, report)
        for country in parsed.countries:
            for entry in country.entries:
                try:
                    with conn.begin_nested():  # a failed entry takes back only its own rows
                        importer.entry(country, entry, source, now)
                except Exception as exc:
                    log.exception("catalog entry %r (line %d) not stored", entry.raw,
                                  country.line)
                    report.errors.append(ParseError(
                        country.line, entry.raw,
                        f"not stored ({type(exc).__name__}: {exc})"))
    return report


@dataclass(slots=True)
class _Importer:
    repo: ArticleRepository
    store: CatalogStore
    matcher: NameMatcher
    report: CatalogImportReport

    def entry(self, country: ParsedCountry, entry: ParsedEntry, source: str, now: datetime) -> None:
        self.report.entries += 1
        author = entry.authors[0] if entry.authors else None
        if author is not None:
            self._author(author)
        article = self._article(country, entry, author, source, now)
        match = self.matcher.match(entry.title)
        best = match.best
        if best is not None and kind(best.schema) != "other":
            if self.store.link_subject(article.pk, best.id):
                self.report.links_added += 1
            else:
                self.report.links_unchanged += 1
            return
        context: dict[str, object] = {
            "article_id": article.id, "text": entry.raw, "country": country.code,
        }
        if self.store.add_candidate(
            candidate_key(entry.title), entry.title, guess_label(entry.title), context
        ):
            self.report.candidates_added += 1
        else:
            self.report.candidates_unchanged += 1

    def _author(self, handle: str) -> None:
        if self.repo.get_author(handle) is None:
            self.report.authors_added += 1
        self.repo.save_author(Author(handle, "", AuthorKind.CHANNEL))

    def _article(
        self, country: ParsedCountry, entry: ParsedEntry, author: str | None, source: str,
        now: datetime,
    ) -> KeyedArticle:
        """The article this entry points to: ours from before, one already stored, or new."""
        key = entry_source_key(country.code, entry.title, author, entry.url)
        known = self.store.article_for_keys([entry_key(key)])
        if known is not None:
            if known.placeholder and self.store.add_country(known.pk, country.code):
                self.report.articles_updated += 1  # the post lists it under several countries
            else:
                self.report.articles_unchanged += 1
            return known
        found = self.store.article_by_url(entry.url) if entry.url else None
        if found is None and author is not None:
            found = self.store.article_by_title(entry.title, author)
        if found is not None:
            self.report.articles_found += 1
            return found
        draft = ArticleDraft(
            title=entry.title,
            body="",
            source=f"{PLACEHOLDER_SOURCE}{source}",
            source_key=key,
            language=detect_language(entry.title),
            author=Author(author, "", AuthorKind.CHANNEL) if author else None,
            countries=[country.code],
            url=entry.url,
            extra={
                "catalog": {
                    "fragment": entry.fragment,
                    "line": country.line,
                    "authors": list(entry.authors),
                    "raw": entry.raw,
                }
            },
        )
        article_id = article_id_for_key(key)
        if self.repo.current_hash(article_id) is not None:
            # Only a deleted article has this key and escaped the look-ups: it stays deleted.
            self.report.articles_found += 1
            return KeyedArticle(article_id, self.store.pk_of(article_id), False)
        self.repo.insert(article_id, draft, content_hash(draft.title, draft.body), now)
        article = KeyedArticle(article_id, self.store.pk_of(article_id), True)
        self.store.add_keys(
            article.pk, placeholder_keys(key, entry.title, entry.fragment, author, entry.url)
        )
        self.report.articles_added += 1
        return article
