"""Fill in catalog placeholders when the real article is ingested.

An imported catalog entry leaves an article with a title and no text.  When
the article itself arrives, by the same link or with the same title and
author, it revises that placeholder instead of becoming a second article.
The source it came from is then remembered, so re-ingesting that source
later revises the same article again.
"""

from __future__ import annotations

from kartoteka.catalog.keys import source_key, title_key, url_key
from kartoteka.model import ArticleDraft
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.catalog import CatalogStore


class CatalogPlaceholders:
    """Implements the ingest service's PlaceholderFinder over the catalog keys."""

    def claim(self, repo: ArticleRepository, draft: ArticleDraft) -> str | None:
        """The id of the article ``draft`` should revise, or None for the usual id."""
        store = CatalogStore(repo.conn)
        filled = store.article_for_keys([source_key(draft.key())])
        if filled is not None:
            return filled.id
        keys = [url_key(u) for u in dict.fromkeys((draft.url, draft.key())) if u]
        if draft.author is not None:
            keys.append(title_key(draft.title, draft.author.handle))
        found = store.article_for_keys(keys)
        if found is None or not found.placeholder:
            return None
        store.add_keys(found.pk, [source_key(draft.key())])
        return found.id
