"""Storing a batch of drafts set-based, and telling which must be stored one by one.

Most drafts of a bulk ingest are plain new articles: an id not stored yet, a
text no stored article has, no catalog placeholder to fill, nothing like
them stored or in the batch.  Such a draft's result depends on no other
draft, so the whole lot is written with one statement per table
(``store.article_batch``), and a draft already stored with the same text is
answered from one look-up.  The rest (revisions, placeholders, reposts,
drafts sharing an id or a text with another of the batch, and drafts that
are no article at all) depend on order; :class:`SetBasedBatch` hands their
positions back, for the one-by-one path that writes each in its savepoint.
Run in this order, every draft gets the answer it would have got one by
one, since a set-based draft touches nothing the others read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import Connection

from kartoteka.model import ArticleDraft, Author, article_id_for_key
from kartoteka.store.article_batch import (
    NewArticle,
    current_hashes,
    hashes_stored,
    insert_new_articles,
)
from kartoteka.store.articles import ArticleRepository
from kartoteka.text.language import detect_language
from kartoteka.text.normalize import content_hash

# A draft's MinHash signature and its LSH band keys.
Signed = tuple[bytes, list[tuple[int, str]]]


class Outcome(StrEnum):
    ADDED = "added"
    REVISED = "revised"
    UNCHANGED = "unchanged"
    REPOST = "repost"


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article a batch wrote: what the later stages are keyed by."""

    article_id: str
    revision: int
    outcome: Outcome


class PlaceholderFinder(Protocol):
    """Finds a stored article that a new draft fills in (a catalog placeholder)."""

    def claim(self, repo: ArticleRepository, draft: ArticleDraft) -> str | None: ...

    def claimable(
        self, repo: ArticleRepository, drafts: Sequence[ArticleDraft]
    ) -> list[set[str]]: ...


class RepostFinder(Protocol):
    """Finds the earliest stored original that a new text near-duplicates."""

    def find_original(self, repo: ArticleRepository, draft: ArticleDraft) -> str | None: ...

    def remember(self, repo: ArticleRepository, article_id: str, draft: ArticleDraft) -> None: ...

    def sign(self, draft: ArticleDraft) -> Signed: ...

    def resembling(self, repo: ArticleRepository, signed: Mapping[int, Signed]) -> set[int]: ...

    def remember_new(
        self, repo: ArticleRepository, signed: Sequence[tuple[int, bytes, list[tuple[int, str]]]]
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Prepared:
    """A draft with what storing it is decided by."""

    draft: ArticleDraft
    article_id: str
    digest: str


def prepare(draft: ArticleDraft) -> Prepared:
    """Check the draft, fill in its language, and hash its text.

    Raises ValueError for a draft with neither title nor text.
    """
    if not draft.title.strip() and not draft.body.strip():
        raise ValueError("no title and no text")
    if draft.language is None:
        draft.language = detect_language(f"{draft.title}\n{draft.body}")
    return Prepared(draft, article_id_for_key(draft.key()), content_hash(draft.title, draft.body))


class SetBasedBatch:
    """Writes the drafts of a batch that need no one-by-one answer (published ones)."""

    def __init__(
        self, reposts: RepostFinder | None, placeholders: PlaceholderFinder | None
    ) -> None:
        self.reposts = reposts
        self.placeholders = placeholders

    def write(
        self, conn: Connection, drafts: Sequence[ArticleDraft], now: datetime
    ) -> tuple[dict[int, StoredArticle], list[int]]:
        """(what was answered here, by position in ``drafts``; the positions left
        for the one-by-one path, in order)."""
        repo = ArticleRepository(conn)
        prepared: dict[int, Prepared] = {}
        later: set[int] = set()
        for position, draft in enumerate(drafts):
            try:
                prepared[position] = prepare(draft)
            except ValueError:
                later.add(position)  # the one-by-one path reports why
        touched = self._claimable(repo, prepared, later)
        later |= _sharing(prepared)
        done: dict[int, StoredArticle] = {}
        new: list[int] = []
        stored = current_hashes(conn, [p.article_id for p in prepared.values()])
        for position, p in prepared.items():
            if position in later:
                continue
            known = stored.get(p.article_id)
            if known is None:
                new.append(position)
            elif known == p.digest and p.article_id not in touched:
                done[position] = StoredArticle(p.article_id, 0, Outcome.UNCHANGED)
            else:
                later.add(position)  # a revision
        duplicates = hashes_stored(conn, [prepared[i].digest for i in new])
        later.update(i for i in new if prepared[i].digest in duplicates)
        signed: dict[int, Signed] = {}
        if self.reposts is not None:
            # Every draft that may write, since a revision too may resemble a new one.
            signed = {i: self.reposts.sign(p.draft) for i, p in prepared.items() if i not in done}
            later |= self.reposts.resembling(repo, signed)
        later |= _authors_in_common(drafts, new, later)
        new = [i for i in new if i not in later]
        authors = _Authors(repo)
        pks = insert_new_articles(conn, [
            NewArticle(prepared[i].article_id, prepared[i].draft, prepared[i].digest,
                       authors.pk(prepared[i].draft.author))
            for i in new
        ], now)
        if self.reposts is not None:
            self.reposts.remember_new(repo, [(pk, *signed[i]) for pk, i in zip(pks, new,
                                                                               strict=True)])
        for i in new:
            done[i] = StoredArticle(prepared[i].article_id, 1, Outcome.ADDED)
        return done, sorted(later)

    def _claimable(
        self, repo: ArticleRepository, prepared: Mapping[int, Prepared], later: set[int]
    ) -> set[str]:
        """Send drafts that may fill a placeholder to ``later``; the ids they may touch."""
        touched: set[str] = set()
        if self.placeholders is None or not prepared:
            return touched
        claimable = self.placeholders.claimable(repo, [p.draft for p in prepared.values()])
        for position, ids in zip(prepared, claimable, strict=True):
            if ids:
                later.add(position)
                touched |= ids
        return touched


def _sharing(prepared: Mapping[int, Prepared]) -> set[int]:
    """Drafts that share an id or a text with another of the batch: order decides them."""
    ids: dict[str, list[int]] = defaultdict(list)
    texts: dict[str, list[int]] = defaultdict(list)
    for position, p in prepared.items():
        ids[p.article_id].append(position)
        texts[p.digest].append(position)
    return {i for groups in (ids, texts) for members in groups.values() if len(members) > 1
            for i in members}


def _authors_in_common(
    drafts: Sequence[ArticleDraft], new: Sequence[int], later: set[int]
) -> set[int]:
    """New drafts whose author a later draft's author may change or be found by.

    The same handle with another name, or a name-only author (found by its
    display name, see ``ArticleRepository.save_author``), makes the order of
    saving matter, so such drafts go one by one too.
    """
    moved: set[int] = set()
    waiting = [i for i in new if drafts[i].author is not None]
    later_authors = {a for i in later if (a := drafts[i].author) is not None}
    while waiting and later_authors:
        clash = {i for i in waiting if any(_clash(drafts[i].author, a) for a in later_authors)}
        if not clash:
            break
        moved |= clash
        later_authors |= {a for i in clash if (a := drafts[i].author) is not None}
        waiting = [i for i in waiting if i not in clash]
    return moved


def _clash(first: Author | None, second: Author) -> bool:
    if first is None or first == second:
        return False
    a, b = first.handle.strip().lower(), second.handle.strip().lower()
    return a == b or not a.startswith("@") or not b.startswith("@")


class _Authors:
    """Authors saved once per batch: the same author again reuses the row's pk."""

    def __init__(self, repo: ArticleRepository) -> None:
        self.repo = repo
        self.known: dict[str, tuple[Author, int]] = {}

    def pk(self, author: Author | None) -> int | None:
        if author is None:
            return None
        key = author.handle.strip().lower()
        cached = self.known.get(key)
        if cached is not None and cached[0] == author:
            return cached[1]
        # A different name or kind under the same handle is saved again, as one
        # by one would, so the last one written is the one kept.
        pk = self.repo.save_author(author)
        self.known[key] = (author, pk)
        return pk
