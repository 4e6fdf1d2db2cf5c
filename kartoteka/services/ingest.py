"""Ingest: read paths and URLs, and store the articles in batches.

One bad file, or one bad item inside a file, is reported with its path and
reason; everything else still goes in.  Re-running the same ingest changes
nothing: the same content is recognised by its hash, and the same source
with new text becomes a new revision of the article it already is.

Articles are stored ``batch_size`` to a transaction: one commit per article
cost more than writing it.  Plain new articles go in set-based, one
statement per table for the batch (``services.ingest_batch``); the rest each
inside its own savepoint, so one bad article is only that article's error
(and should the set-based write fail, every article goes that way).  What
follows storage (extraction, or deferring it to the job queue) runs after
the batch has committed, as ``after_batch`` stages, so slow work never holds
the write lock (see ``services.pipeline``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection

from kartoteka.ingest.base import Input, ItemError, ReadFailure, ReadOptions, Skipped
from kartoteka.ingest.detect import detect_format
from kartoteka.ingest.fetch import fetch, is_url
from kartoteka.ingest.formats import reader_for
from kartoteka.ingest.limits import LIMITS_ENV, MB, input_limits
from kartoteka.model import ArticleDraft, ArticleStatus
from kartoteka.services.ingest_batch import Outcome as Outcome
from kartoteka.services.ingest_batch import PlaceholderFinder as PlaceholderFinder
from kartoteka.services.ingest_batch import RepostFinder as RepostFinder
from kartoteka.services.ingest_batch import SetBasedBatch, prepare
from kartoteka.services.ingest_batch import StoredArticle as StoredArticle
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database

ProgressCallback = Callable[[int, int, str], None]
PUBLISHED = ArticleStatus.PUBLISHED
log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    reposts: int = 0
    skipped: int = 0
    errors: list[ItemError] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def count(self, outcome: Outcome, article_id: str) -> None:
        if outcome is Outcome.ADDED:
            self.added += 1
        elif outcome is Outcome.REVISED:
            self.revised += 1
        elif outcome is Outcome.REPOST:
            self.reposts += 1
        else:
            self.unchanged += 1
        self.article_ids.append(article_id)

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "reposts": self.reposts,
            "skipped": self.skipped,
            "errors": [e.as_dict() for e in self.errors],
        }


class StoreHook(Protocol):
    """Called inside the article's transaction after it is written."""

    def __call__(self, repo: ArticleRepository, article_id: str, outcome: Outcome) -> None: ...


class BatchStage(Protocol):
    """Called with each committed batch's new and revised articles, outside any transaction."""

    def __call__(self, stored: Sequence[StoredArticle]) -> None: ...


def expand_paths(sources: Iterable[str]) -> Iterator[str]:
    """Directories recursively, in a stable order; hidden files are skipped."""
    for source in sources:
        path = Path(source)
        if not is_url(source) and path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if child.is_file() and not any(p.startswith(".") for p in relative.parts):
                    yield str(child)
        else:
            yield source


def load_input(source: str, max_bytes: int | None = None) -> Input:
    """Bytes of a file or URL; a problem becomes a ReadFailure with the reason.

    A file larger than ``max_bytes`` (the largest format's limit) is refused
    before it is read, so its size never reaches memory.
    """
    if is_url(source):
        return fetch(source)
    path = Path(source)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ReadFailure(f"too large ({size // MB} MB; no input format allows more than "
                              f"{max_bytes // MB} MB): split it, or raise the limit with "
                              f"{LIMITS_ENV}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadFailure("no such file") from None
    except IsADirectoryError:
        raise ReadFailure("is a directory") from None
    except PermissionError:
        raise ReadFailure("permission denied: the file is not readable") from None
    except OSError as exc:
        raise ReadFailure(f"cannot read: {exc.strerror or exc}") from None
    return Input(origin=str(path), data=data)


class IngestService:
    def __init__(
        self,
        db: Database,
        *,
        reposts: RepostFinder | None = None,
        after_store: Sequence[StoreHook] = (),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        placeholders: PlaceholderFinder | None = None,
        after_batch: Sequence[BatchStage] = (),
        batch_size: int = 250,
    ) -> None:
        self.db = db
        self.reposts = reposts
        self.placeholders = placeholders
        self.after_store = list(after_store)
        self.after_batch = list(after_batch)
        self.clock = clock
        self.batch_size = max(1, batch_size)

    def ingest(
        self,
        sources: Sequence[str],
        fmt: str = "auto",
        options: ReadOptions | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        options = options or ReadOptions()
        report = IngestReport()
        if fmt != "auto":
            reader_for(fmt)  # an unknown format fails before anything is read
        largest = max(input_limits().values())  # and so does a bad KARTOTEKA_INPUT_LIMITS_MB
        paths = list(expand_paths(sources))
        # Told before each file, so a long one shows which it is and the total is
        # known from the start; told once more when the last has finished.
        pending: list[ArticleDraft] = []  # local: one service may serve several threads
        for done, source in enumerate(paths):
            if progress:
                progress(done, len(paths), source)
            self._ingest_one(source, fmt, options, report, largest, pending)
        self._flush(pending, report)
        if progress and paths:
            progress(len(paths), len(paths), "")
        return report

    def _ingest_one(
        self, source: str, fmt: str, options: ReadOptions, report: IngestReport, largest: int,
        pending: list[ArticleDraft],
    ) -> None:
        try:
            item = load_input(source, largest)
        except ReadFailure as exc:
            report.errors.append(ItemError(source, str(exc)))
            return
        if not item.data.strip():
            report.errors.append(ItemError(source, "empty file"))
            return
        read = 0
        try:
            reader = reader_for(detect_format(item) if fmt == "auto" else fmt)
            for result in reader.read(item, options):
                read += 1
                if isinstance(result, ItemError):
                    report.errors.append(result)
                elif isinstance(result, Skipped):
                    report.skipped += 1
                else:
                    self._apply_options(result, options)
                    pending.append(result)
                    if len(pending) >= self.batch_size:
                        self._flush(pending, report)
        except ReadFailure as exc:
            report.errors.append(ItemError(source, str(exc)))
        except Exception as exc:  # readers never raise; if one does, the batch goes on
            log.exception("%s: reader raised after %d items", source, read)
            report.errors.append(ItemError(
                source, f"could not be read after item {read} ({type(exc).__name__}: {exc})"))

    def _flush(self, pending: list[ArticleDraft], report: IngestReport) -> None:
        """Store the pending drafts in one transaction, then run the later stages."""
        drafts = list(pending)
        pending.clear()
        if not drafts:
            return
        stored: list[StoredArticle] = []
        for result in self.store_batch(drafts):
            if isinstance(result, ItemError):
                report.errors.append(result)
                continue
            report.count(result.outcome, result.article_id)
            if result.outcome is not Outcome.UNCHANGED:
                stored.append(result)
        self._after_batch(stored)

    def _after_batch(self, stored: Sequence[StoredArticle]) -> None:
        if stored:
            for stage in self.after_batch:
                stage(stored)

    def store_batch(self, drafts: Sequence[ArticleDraft]) -> list[StoredArticle | ItemError]:
        """Write drafts in one transaction: set-based where order cannot matter, the
        rest each in a savepoint, so a failure is its own.

        Plain new articles go in with one statement per table for the batch
        (see ``services.ingest_batch``); should that fail, every draft of the
        batch is written one by one instead.  ``after_store`` hooks are called
        per article, so with any hook every draft goes one by one.  Should the
        transaction itself fail (a lost connection, a commit that cannot go
        through), every draft is tried again in its own transaction, so the
        batch still ends with one answer per draft.
        """
        results: dict[int, StoredArticle | ItemError] = {}
        try:
            with self.db.transaction() as conn:
                done, later = self._set_based(conn, drafts)
                results.update(done)
                for position in later:
                    draft = drafts[position]
                    try:
                        with conn.begin_nested():
                            results[position] = self._write(conn, draft)
                    except Exception as exc:
                        results[position] = _not_stored(draft, exc)
        except Exception:
            log.exception("a batch of %d articles failed to commit; storing one by one",
                          len(drafts))
            results = {}
            for position, draft in enumerate(drafts):
                try:
                    with self.db.transaction() as conn:
                        results[position] = self._write(conn, draft)
                except Exception as exc:
                    results[position] = _not_stored(draft, exc)
        return [results[position] for position in range(len(drafts))]

    def _set_based(
        self, conn: Connection, drafts: Sequence[ArticleDraft]
    ) -> tuple[dict[int, StoredArticle], Sequence[int]]:
        """What the set-based write answered, and the positions left to write one by one."""
        everything = range(len(drafts))
        if self.after_store or len(drafts) < 2:
            return {}, everything
        try:
            with conn.begin_nested():
                return SetBasedBatch(self.reposts, self.placeholders).write(
                    conn, drafts, self.clock())
        except Exception:
            log.exception("a batch of %d articles could not be written set-based; "
                          "writing them one by one", len(drafts))
            return {}, everything

    @staticmethod
    def _apply_options(draft: ArticleDraft, options: ReadOptions) -> None:
        if options.author is not None:
            draft.author = options.author
        if options.country and options.country.lower() not in draft.countries:
            draft.countries.append(options.country.lower())

    def store(
        self,
        draft: ArticleDraft,
        *,
        status: ArticleStatus = ArticleStatus.PUBLISHED,
        created_by: str | None = None,
        article_id: str | None = None,
    ) -> tuple[str, Outcome]:
        """Write one draft (and its index rows, and hooks' rows) in one transaction.

        The later stages (extraction) run once it has committed.
        """
        with self.db.transaction() as conn:
            stored = self._write(conn, draft, status=status, created_by=created_by,
                                 article_id=article_id)
        if stored.outcome is not Outcome.UNCHANGED:
            self._after_batch([stored])
        return stored.article_id, stored.outcome

    def _write(
        self,
        conn: Connection,
        draft: ArticleDraft,
        *,
        status: ArticleStatus = ArticleStatus.PUBLISHED,
        created_by: str | None = None,
        article_id: str | None = None,
    ) -> StoredArticle:
        checked = prepare(draft)  # refuses a draft with no text, and hashes it
        digest = checked.digest
        now = self.clock()
        repo = ArticleRepository(conn)
        if article_id is None and self.placeholders is not None and status is PUBLISHED:
            # Only published text may fill a placeholder, which is itself public;
            # a draft claims its placeholder when an editor publishes it.
            article_id = self.placeholders.claim(repo, draft)
        article_id = article_id or checked.article_id
        existing_hash = repo.current_hash(article_id)
        revision = 1
        if existing_hash is not None:
            if existing_hash == digest:
                return StoredArticle(article_id, 0, Outcome.UNCHANGED)
            revision = repo.revise(article_id, draft, digest, now, created_by)
            outcome = Outcome.REVISED
        else:
            duplicate = repo.id_for_hash(digest)
            if duplicate is not None:
                return StoredArticle(duplicate, 0, Outcome.UNCHANGED)
            original = self.reposts.find_original(repo, draft) if self.reposts else None
            repo.insert(article_id, draft, digest, now, status, original, created_by)
            outcome = Outcome.REPOST if original else Outcome.ADDED
        if self.reposts:
            self.reposts.remember(repo, article_id, draft)
        for hook in self.after_store:
            hook(repo, article_id, outcome)
        return StoredArticle(article_id, revision, outcome)


def _not_stored(draft: ArticleDraft, exc: Exception) -> ItemError:
    log.exception("%s: %s not stored", draft.source, draft.key())
    return ItemError(draft.source, f"not stored: {exc}")
