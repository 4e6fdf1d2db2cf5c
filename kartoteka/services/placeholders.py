"""Fill in catalog placeholders when the real article is ingested.

An imported catalog entry leaves an article with a title and no text.  When
the article itself arrives, by the same link or with the same title and
author, it revises that placeholder instead of becoming a second article.
The source it came from is then remembered, so re-ingesting that source
later revises the same article again.

A placeholder is public, so only published text may fill it: a contributor's
submission stays a draft of its own, and claims its placeholder only when an
editor publishes it (:func:`submitted_draft` rebuilds what the reader read).
"""

from __future__ import annotations

from collections.abc import Sequence

from kartoteka.catalog.keys import source_key, title_key, url_key
from kartoteka.model import Article, ArticleDraft
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.catalog import CatalogStore


class CatalogPlaceholders:
    """Implements the ingest service's PlaceholderFinder over the catalog keys."""

    def claimable(self, repo: ArticleRepository, drafts: Sequence[ArticleDraft]) -> list[set[str]]:
        """For each draft, the ids of stored articles that ``claim`` might give it.

        Any article under any of the draft's keys counts, placeholder or not:
        an empty set promises that ``claim`` finds nothing, so a batch stores
        those drafts without asking one by one.
        """
        keyed = [_keys(d) for d in drafts]
        found = CatalogStore(repo.conn).ids_for_keys(k for keys in keyed for k in keys)
        return [{found[k] for k in keys if k in found} for keys in keyed]

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


def _keys(draft: ArticleDraft) -> list[str]:
    """Every catalog key ``claim`` looks ``draft`` up by."""
    keys = [source_key(draft.key())]
    keys += [url_key(u) for u in dict.fromkeys((draft.url, draft.key())) if u]
    if draft.author is not None:
        keys.append(title_key(draft.title, draft.author.handle))
    return keys


def submitted_draft(article: Article) -> ArticleDraft:
    """A stored submission as a draft again, to find the placeholder it fills.

    It keeps the submission's own unique key: the reader's key of an upload
    is often just a file name, which another contributor's upload may share,
    so only the link, or the title and author, can match a placeholder.
    """
    return ArticleDraft(
        title=article.title,
        body=article.body,
        source=article.source,
        source_key=article.source_key,
        language=article.language,
        author=article.author,
        published_at=article.published_at,
        countries=list(article.countries),
        hashtags=list(article.hashtags),
        links=list(article.links),
        url=article.url,
        extra=dict(article.extra),
    )
