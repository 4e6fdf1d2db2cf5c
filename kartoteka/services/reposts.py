"""Repost detection on the ingest path, backed by the stored LSH index.

A new article whose text is a near-duplicate of a stored original (from
another source) is stored as a repost of the earliest one by publication
date.  When the new article is older than the originals it resembles, it
becomes the original and they, with their reposts, point at it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from kartoteka import dedup
from kartoteka.model import ArticleDraft
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.reposts import RepostStore, StoredOriginal

# A draft's MinHash signature and its LSH band keys.
Signed = tuple[bytes, list[tuple[int, str]]]


def _text(draft: ArticleDraft) -> str:
    return f"{draft.title}\n{draft.body}"


def _order(original: StoredOriginal) -> tuple[datetime, datetime, str]:
    moment = original.published_at or original.ingested_at
    return (moment, original.ingested_at, original.article_id)


class StoredRepostFinder:
    """Implements the ingest service's RepostFinder over RepostStore."""

    def __init__(self, threshold: float | None = None) -> None:
        self.threshold = dedup.repost_threshold() if threshold is None else threshold
        # find_original and remember see the same draft in turn: hash it once,
        # and look up its similar originals once.
        self._last: tuple[str, bytes, list[tuple[int, str]]] | None = None
        self._found: tuple[object, str, list[StoredOriginal]] | None = None

    def _signature(self, draft: ArticleDraft) -> tuple[bytes, list[tuple[int, str]]]:
        text = _text(draft)
        if self._last is None or self._last[0] != text:
            signature = dedup.signature(text)
            self._last = (text, signature, dedup.band_keys(signature, self.threshold))
        return self._last[1], self._last[2]

    def _similar(
        self, repo: ArticleRepository, draft: ArticleDraft, exclude: str | None = None
    ) -> tuple[bytes, list[tuple[int, str]], list[StoredOriginal]]:
        signature, keys = self._signature(draft)
        found = [
            o
            for o in RepostStore(repo.conn).originals_sharing(keys, exclude)
            if dedup.similarity(signature, o.signature) >= self.threshold
        ]
        return signature, keys, sorted(found, key=_order)

    def sign(self, draft: ArticleDraft) -> Signed:
        """The draft's signature and band keys, for ``resembling`` and ``remember_new``."""
        signature = dedup.signature(_text(draft))
        return signature, dedup.band_keys(signature, self.threshold)

    def resembling(self, repo: ArticleRepository, signed: Mapping[int, Signed]) -> set[int]:
        """Which of a batch's drafts resemble a stored original or another of the batch.

        Those must be stored one by one, in order, by ``find_original`` and
        ``remember``; any other draft is an original that changes no other
        article.  One look-up for the whole batch's band keys.
        """
        by_key: dict[tuple[int, str], list[int]] = defaultdict(list)
        for position, (_signature, keys) in signed.items():
            for key in keys:
                by_key[key].append(position)
        stored = RepostStore(repo.conn).originals_by_key(by_key)
        # The keys worth a look: under a stored original, or shared within the
        # batch.  A draft with none of them (most) resembles nothing.
        telling = stored.keys() | {key for key, sharing in by_key.items() if len(sharing) > 1}
        found: set[int] = set()
        for position, (signature, keys) in signed.items():
            if position in found or telling.isdisjoint(keys):
                continue
            for key in keys:
                originals = stored.get(key)
                if originals and any(dedup.similarity(signature, o.signature) >= self.threshold
                                     for o in originals):
                    found.add(position)
                    break
                sharing = by_key[key]
                if len(sharing) < 2:
                    continue  # only this draft has the key: the usual case, and no peer
                peer = next((p for p in sharing if p != position and dedup.similarity(
                    signature, signed[p][0]) >= self.threshold), None)
                if peer is not None:
                    found.update((position, peer))
                    break
        return found

    def remember_new(
        self, repo: ArticleRepository, signed: Sequence[tuple[int, bytes, list[tuple[int, str]]]]
    ) -> None:
        """Store the signatures of new articles that ``resembling`` found like nothing
        (as (pk, signature, band keys)): no article is repointed."""
        RepostStore(repo.conn).save_new(signed)

    def find_original(self, repo: ArticleRepository, draft: ArticleDraft) -> str | None:
        _sig, _keys, similar = self._similar(repo, draft)
        self._found = (repo.conn, _text(draft), similar)
        if not similar:
            return None
        earliest = similar[0]
        when = earliest.published_at or earliest.ingested_at
        if draft.published_at is not None and draft.published_at < when:
            return None  # the new one is older: remember() makes it the original
        return earliest.article_id

    def remember(self, repo: ArticleRepository, article_id: str, draft: ArticleDraft) -> None:
        found, self._found = self._found, None
        signature, keys = self._signature(draft)
        store = RepostStore(repo.conn)
        store.save(article_id, signature, keys)
        article = repo.get(article_id)
        if article is None or article.original_id is not None:
            return
        if found is not None and found[0] is repo.conn and found[1] == _text(draft):
            # What find_original just saw on this connection, less the article itself.
            similar = [o for o in found[2] if o.article_id != article_id]
        else:
            _sig, _keys, similar = self._similar(repo, draft, exclude=article_id)
        for older in similar:
            # Everything similar but published later now reposts this article.
            if draft.published_at is not None and _order(older)[0] > draft.published_at:
                store.repoint(older.article_id, article_id)
