"""Run extraction on stored articles and keep what it finds.

One :class:`ExtractionService` holds one pipeline, built on first use from
the registry and rebuilt only when the registry's stamp changes (the rule of
:mod:`kartoteka.services.matching`, whose one matcher per process is the
pipeline's linker; the gazetteer's disk cache is keyed by the registry
signature; the NER models load once per process).  Storing an article's result replaces that
article's extraction rows and keeps editors' decisions:

- an unresolved name whose candidate an editor accepted links to that
  entity, whatever the linker says;
- a rejected candidate stays rejected, however often its name comes back;
- ``catalog`` and ``editor`` links of an article are never deleted.

Countries: the countries extraction finds become the article's countries
when its source gave none.  Those codes are remembered in
``extra["extracted_countries"]``, so a re-run replaces them and a source
country, once given, always wins.  Component failures go to
``extra["extraction_errors"]``; the batch goes on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection

from kartoteka.extract.documentation import documentation
from kartoteka.extract.link_context import RegistryContext
from kartoteka.extract.linking import MatcherLinker
from kartoteka.extract.pipeline import NAME_LABELS, Document, ExtractionResult, Pipeline
from kartoteka.extract.standard import standard_pipeline
from kartoteka.model import Article, Entity
from kartoteka.services.articles import ArticleNotFound
from kartoteka.services.extraction_batch import EXTRACTION_ERRORS as EXTRACTION_ERRORS
from kartoteka.services.extraction_batch import enrichment, store_set_based, with_decisions
from kartoteka.services.ingest import Outcome
from kartoteka.services.matching import RegistryMatcher, Stamp, registry_stamp
from kartoteka.store import dialect
from kartoteka.store.article_batch import current_revisions
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.mentions import MentionRepository
from kartoteka.store.registry import RegistryRepository

ProgressCallback = Callable[[int, int, str], None]
log = logging.getLogger(__name__)
BATCH = 64
log = logging.getLogger(__name__)


@dataclass(slots=True)
class ExtractionReport:
    """What ``extract --all`` did."""

    articles: int = 0
    mentions: int = 0
    linked: int = 0
    candidates: int = 0
    countries_added: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "mentions": self.mentions,
            "linked": self.linked,
            "candidates": self.candidates,
            "countries_added": self.countries_added,
            "failed": len(self.errors),
            "errors": self.errors,
        }


def linkable_names(entity: Entity) -> list[str]:
    return [entity.name, *(n.value for n in entity.names if n.kind != "weak")]


@dataclass(slots=True)
class _Built:
    stamp: Stamp
    pipeline: Pipeline
    names: dict[str, list[str]]
    countries: dict[str, list[str]]


class ExtractionService:
    """``matcher`` is the process's one (``services.wiring``); without it the
    service keeps a matcher of its own, for one-shot use."""

    def __init__(self, db: Database, *, ner: bool = True, cache: Path | bool = True,
                 matcher: RegistryMatcher | None = None) -> None:
        self.db = db
        self.ner = ner
        self.cache = cache
        self.matcher = matcher or RegistryMatcher(db)
        self._built: _Built | None = None
        self._lock = threading.Lock()

    # --- the pipeline ---------------------------------------------------------------

    def _current(self, conn: Connection) -> _Built:
        stamp = registry_stamp(conn)
        built = self._built
        if built is not None and built.stamp == stamp:
            return built
        with self._lock:
            if self._built is None or self._built.stamp != stamp:
                registry = RegistryRepository(conn)
                entities = list(registry.iter_entities())
                linker = MatcherLinker(
                    self.matcher.state(conn, entities).matcher,
                    registry=RegistryContext.build(entities, registry.iter_relations()))
                self._built = _Built(
                    stamp,
                    standard_pipeline(entities, ner=self.ner, cache=self.cache, linker=linker),
                    {e.id: linkable_names(e) for e in entities},
                    {e.id: e.countries for e in entities},
                )
            return self._built

    def pipeline(self) -> Pipeline:
        with self.db.read() as conn:
            return self._current(conn).pipeline

    def prepare(self) -> None:
        """Build the pipeline and load its models now (a queue worker, before its
        first job: otherwise that job carried seconds of loading)."""
        self.pipeline().prepare()

    # --- extraction without storage -------------------------------------------------

    def extract_text(self, text: str, language: str | None = None,
                     document_id: str = "") -> ExtractionResult:
        return self.pipeline().run(Document(text, language, document_id))

    def extract_article(self, article_id: str) -> ExtractionResult:
        with self.db.read() as conn:
            article = ArticleRepository(conn).get(article_id)
            pipeline = self._current(conn).pipeline
        if article is None:
            raise ArticleNotFound(article_id)
        return pipeline.run(_document(article))

    # --- storage ----------------------------------------------------------------------

    def store(self, conn: Connection, article: Article, result: ExtractionResult, *,
              recount: bool = True) -> set[str]:
        """Replace the article's extraction with ``result``; the candidate keys touched."""
        built = self._current(conn)
        store = MentionRepository(conn)
        pk = store.article_pk(article.id)
        if pk is None:
            raise ArticleNotFound(article.id)
        found = with_decisions(conn, [result.mentions])[0]
        kept = [m for m, _ in found]
        named = {c.code for c in result.countries} | set(article.countries)
        links = documentation(article.title, kept, built.names, built.countries, named)
        touched = store.replace(pk, found, links)
        repo = ArticleRepository(conn)
        countries, extra = enrichment(article, result)
        if countries is not None:
            repo.replace_countries(article.id, countries)
        if extra is not None:
            repo.set_extra(article.id, extra)
        if recount:
            store.recount(touched)
        return touched

    def relink_articles(self, conn: Connection, article_pks: Sequence[int]) -> None:
        """Rebuild the documentation links of articles from their stored mentions."""
        store = MentionRepository(conn)
        registry = RegistryRepository(conn)
        names: dict[str, list[str]] = {}
        countries: dict[str, list[str]] = {}
        for pk in article_pks:
            article_id = store.article_id(pk)
            article = ArticleRepository(conn).get(article_id)
            assert article is not None
            found = store.mentions_of(pk, article_id)
            for entity_id in {m.entity_id for m in found if m.entity_id} - names.keys():
                entity = registry.entity(entity_id)
                names[entity_id] = linkable_names(entity) if entity else []
                countries[entity_id] = entity.countries if entity else []
            store.replace_links(pk, documentation(article.title, found, names, countries,
                                                  article.countries))

    # --- whole database ---------------------------------------------------------------

    def extract_all(self, progress: ProgressCallback | None = None) -> ExtractionReport:
        """Re-run extraction on every stored article (reposts and drafts too)."""
        report = ExtractionReport()
        with self.db.read() as conn:
            ids = [a.id for a in ArticleRepository(conn).iter_all(
                ArticleFilter(include_reposts=True, include_unpublished=True))]
        for start in range(0, len(ids), BATCH):
            with self.db.read() as conn:
                batch = ArticleRepository(conn).get_many(ids[start : start + BATCH])
                pipeline = self._current(conn).pipeline
            found = [batch[i] for i in ids[start : start + BATCH] if i in batch]
            results = pipeline.run_many(map(_document, found))
            for done, (article, result) in enumerate(zip(found, results, strict=True), start):
                self._store_one(article, result, report)
                if progress:
                    progress(done + 1, len(ids), article.title)
        with self.db.transaction() as conn:
            store = MentionRepository(conn)
            store.recount()
            report.candidates = store.count_candidates()
        return report

    def _store_one(self, article: Article, result: ExtractionResult,
                   report: ExtractionReport) -> None:
        try:
            with self.db.transaction() as conn:
                self.store(conn, article, result, recount=False)
        except Exception as exc:  # one article's storage failure must not stop the rest
            log.exception("extraction of article %s not stored", article.id)
            report.articles += 1
            report.errors.extend(f"{article.id}: {e.component}: {e.message}"
                                 for e in result.errors)
            report.errors.append(f"{article.id}: not stored: {exc}")
            return
        _count(report, article, result)

    # --- a batch of stored articles (ingest's and the queue's extraction stage) ------

    def extract_batch(self, keys: Sequence[tuple[str, int]]) -> ExtractionReport:
        """Extract articles (id, revision) and store the results in one short transaction.

        The models run before the transaction begins, so NER never holds the
        write lock.  An article whose current revision is no longer the one
        asked for is left alone: its newer revision is extracted by its own
        call.  Revision 0 means "whatever is current".  Each article is
        written in a savepoint (a failure is recorded on that article), and
        the candidates they touched are recounted once, at the end.
        """
        report = ExtractionReport()
        wanted = dict(keys)
        with self.db.read() as conn:
            found = ArticleRepository(conn).get_many(list(wanted))
            pipeline = self._current(conn).pipeline
        todo = [found[i] for i, rev in wanted.items()
                if i in found and rev in (0, found[i].revision)]
        results = list(pipeline.run_many(map(_document, todo)))
        with self.db.transaction() as conn:
            current = current_revisions(conn, [a.id for a in todo])
            # One revised since it was read is left out; that revision has its own run.
            ready = [(a, current[a.id][0], r) for a, r in zip(todo, results, strict=True)
                     if a.id in current and current[a.id][1] == a.revision]
            touched = self._store_set_based(conn, ready, report)
            if touched is None:
                touched = set()
                for article, _pk, result in ready:
                    touched |= self._store_in_savepoint(conn, article, result, report)
            if touched:
                # Counted before the lock, which two workers' recounts share (on
                # PostgreSQL): under it, only keys another writer changed meanwhile
                # are counted again.  The lock was a sixth of a job's time.
                store = MentionRepository(conn)
                ahead = store.count_ahead(touched) if dialect.writers_interleave(conn) else None
                dialect.serialise_writers(conn, "kartoteka.candidates")
                store.recount(touched, ahead=ahead)
        return report

    def _store_set_based(self, conn: Connection, ready: Sequence[tuple[Article, int,
                                                                        ExtractionResult]],
                         report: ExtractionReport) -> set[str] | None:
        """Store the batch's results in a few statements; None if that failed (nothing
        stored: the caller stores each article in its own savepoint instead)."""
        if len(ready) < 2:
            return None
        built = self._current(conn)
        try:
            with conn.begin_nested():
                touched = store_set_based(conn, ready, built.names, built.countries)
        except Exception:
            log.exception("extraction of %d articles could not be stored set-based; "
                          "storing each on its own", len(ready))
            return None
        for article, _pk, result in ready:
            _count(report, article, result)
        return touched

    def _store_in_savepoint(self, conn: Connection, article: Article, result: ExtractionResult,
                            report: ExtractionReport) -> set[str]:
        try:
            with conn.begin_nested():
                touched = self.store(conn, article, result, recount=False)
        except Exception as exc:  # recorded on the article; the batch goes on
            log.exception("%s: extraction not stored", article.id)
            report.articles += 1
            report.errors.extend(f"{article.id}: {e.component}: {e.message}"
                                 for e in result.errors)
            report.errors.append(f"{article.id}: not stored: {exc}")
            extra = dict(article.extra)
            extra[EXTRACTION_ERRORS] = [{"component": "storage",
                                         "message": f"{type(exc).__name__}: {exc}"}]
            ArticleRepository(conn).set_extra(article.id, extra)
            return set()
        _count(report, article, result)
        return touched

    # --- ingest -------------------------------------------------------------------------

    def hook(self) -> ExtractionHook:
        return ExtractionHook(self)


class ExtractionHook:
    """Extraction as an ingest step, inside each stored article's transaction.

    A storage failure is rolled back to a savepoint and recorded in the
    article's ``extra``: the article itself still goes in.
    """

    def __init__(self, service: ExtractionService) -> None:
        self.service = service

    def __call__(self, repo: ArticleRepository, article_id: str, outcome: Outcome) -> None:
        if outcome is Outcome.UNCHANGED:
            return
        article = repo.get(article_id)
        if article is None:
            return
        pipeline = self.service._current(repo.conn).pipeline
        result = pipeline.run(_document(article))
        try:
            with repo.conn.begin_nested():
                self.service.store(repo.conn, article, result)
        except Exception as exc:  # recorded on the article; ingest goes on
            log.exception("extraction of article %s not stored during ingest", article_id)
            extra = dict(article.extra)
            extra[EXTRACTION_ERRORS] = [{"component": "storage",
                                         "message": f"{type(exc).__name__}: {exc}"}]
            repo.set_extra(article_id, extra)


def _count(report: ExtractionReport, article: Article, result: ExtractionResult) -> None:
    """Add one stored article's result to the report."""
    report.articles += 1
    report.errors.extend(f"{article.id}: {e.component}: {e.message}" for e in result.errors)
    names = [m for m in result.mentions if m.label in NAME_LABELS]
    report.mentions += len(names)
    report.linked += sum(1 for m in names if m.entity_id)
    if not article.countries and result.countries:
        report.countries_added += 1


def _document(article: Article) -> Document:
    # The date lets linking weigh entities' active periods (see extract/link_context.py).
    metadata: dict[str, object] = {}
    if article.published_at is not None:
        metadata["date"] = article.published_at.date().isoformat()
    return Document(article.body, article.language, article.id, metadata, article.title)
