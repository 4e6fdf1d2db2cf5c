"""The registry's use cases: import, export, look-ups, editor relations.

The matcher over the registry is :mod:`kartoteka.services.matching`.

Import keeps ids as they are, reports each bad line with its number and
imports the rest, and changes nothing when the same file comes again.
Editorial decisions (merges, aliases) live in ``kartoteka.services.decisions``
and are honoured here: a name an editor removed is not imported again, and
data for a merged id lands in the cluster it was merged into.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from kartoteka.i18n import Message
from kartoteka.model import Citation, Entity, Relation
from kartoteka.record import as_record
from kartoteka.registry.csv_format import write_csv
from kartoteka.registry.files import read_registry_file
from kartoteka.registry.ftm import entity_to_ftm, ftm_line, relation_to_ftm
from kartoteka.registry.records import RecordError, RegistryFile
from kartoteka.schemata import (
    is_organization,
    is_person,
    is_relation_schema,
    relation_schemata,
)
from kartoteka.store.database import Database
from kartoteka.store.judgements import Judgement, JudgementRepository
from kartoteka.store.registry import EntityFilter, RegistryRepository
from kartoteka.store.registry_relations import Outcome

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
BATCH = 1000
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class EntityNotFound(LookupError):
    def __init__(self, entity_id: str) -> None:
        super().__init__(
            Message(
                "no entity with id %(id)r in the registry: check the id "
                "(`kartoteka registry export --format csv` lists them)",
                id=entity_id,
            )
        )
        self.entity_id = entity_id


class RegistryError(ValueError):
    """An editorial request that cannot be carried out; the message says why."""


@contextmanager
def registry_writes(db: Database, now: datetime) -> Iterator[RegistryRepository]:
    """One transaction of registry writes; the version is bumped if anything changed."""
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        yield repo
        if repo.changed:
            repo.bump_version(now)


# --- import -----------------------------------------------------------------------------


@dataclass(slots=True)
class ImportReport:
    entities: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    relations: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    errors: list[RecordError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def as_dict(self) -> dict[str, object]:
        return {
            "entities": dict(self.entities),
            "relations": dict(self.relations),
            "failed": self.failed,
            "errors": [e.as_dict() for e in sorted(self.errors, key=lambda e: e.line)],
        }


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def resolve_citation(repo: RegistryRepository, citation: Citation) -> Citation:
    """Point a citation at a stored article when one is known by its id, URL or key.

    As read from a file, ``url`` holds a ``sourceUrl`` and ``article_id`` a
    ``proof``; an unknown URL stays a URL citation.
    """
    reference = citation.url or citation.article_id or ""
    article_id = repo.find_article(reference)
    if article_id is not None:
        return Citation(article_id=article_id, url=reference if is_url(reference) else None)
    if is_url(reference):
        return Citation(url=reference)
    raise RegistryError(
        f"cited {reference!r} is neither a stored article (id, URL or source key) nor a "
        "URL: ingest the article first or cite its URL"
    )


def import_file(
    db: Database, path: Path, fmt: str = "auto", clock: Clock = utc_now
) -> ImportReport:
    """Import an FtM JSON lines or CSV file; ``UnreadableFile`` if it cannot be read at all."""
    return import_records(db, read_registry_file(path, fmt), clock)


def import_records(db: Database, parsed: RegistryFile, clock: Clock = utc_now) -> ImportReport:
    report = ImportReport(errors=list(parsed.errors))
    for start in range(0, len(parsed.entities), BATCH):
        _import_entities(db, parsed, parsed.entities[start : start + BATCH], report, clock())
    for start in range(0, len(parsed.relations), BATCH):
        _import_relations(db, parsed, parsed.relations[start : start + BATCH], report, clock())
    return report


def _import_entities(
    db: Database, parsed: RegistryFile, batch: Sequence[Entity], report: ImportReport,
    now: datetime,
) -> None:
    with registry_writes(db, now) as repo:
        removed = JudgementRepository(repo.conn).removed_names([e.id for e in batch])
        try:
            with repo.conn.begin_nested():
                outcomes = repo.save_entities(batch, now, removed)
        except Exception:  # the database refused one record: find which, below
            log.debug("a batch of %d entities was refused; saving one by one", len(batch),
                      exc_info=True)
            outcomes = []
        if outcomes:
            for outcome in outcomes:
                report.entities[outcome.value] += 1
            return
        for entity in batch:  # one at a time, so one refusal names its line
            try:
                with repo.conn.begin_nested():
                    outcome = repo.save_entity(entity, now, removed.get(entity.id, frozenset()))
            except Exception as exc:  # a database refusal of one record must not stop the rest
                log.exception("line %d: entity %s not stored", parsed.lines[entity.id], entity.id)
                report.errors.append(
                    RecordError(parsed.lines[entity.id], f"not stored: {exc}", entity.id)
                )
                continue
            report.entities[outcome.value] += 1


def _import_relations(
    db: Database, parsed: RegistryFile, batch: Sequence[Relation], report: ImportReport,
    now: datetime,
) -> None:
    with registry_writes(db, now) as repo:
        known = repo.existing_ids(i for r in batch for i in (r.source_id, r.target_id))
        for relation in batch:
            line = parsed.lines[relation.id]
            missing = [i for i in (relation.source_id, relation.target_id) if i not in known]
            if missing:
                report.errors.append(
                    RecordError(
                        line,
                        f"{relation.schema} points at unknown entity {missing[0]!r}: "
                        "import that entity first or correct the id",
                        relation.id,
                    )
                )
                continue
            try:
                relation.citations = [resolve_citation(repo, c) for c in relation.citations]
                with repo.conn.begin_nested():
                    outcome = repo.save_relation(relation, "import", now)
            except RegistryError as exc:
                report.errors.append(RecordError(line, str(exc), relation.id))
                continue
            except Exception as exc:  # a database refusal of one record must not stop the rest
                log.exception("line %d: relation %s not stored", line, relation.id)
                report.errors.append(RecordError(line, f"not stored: {exc}", relation.id))
                continue
            report.relations[outcome.value] += 1


# --- export -------------------------------------------------------------------------------


def _referents(repo: RegistryRepository) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for member, canonical in repo.merge_map().items():
        found.setdefault(canonical, []).append(member)
    return found


def write_ftm_export(db: Database, out: TextIO) -> int:
    """Canonical entities (merged ids as FtM ``referents``), then relations; the line count."""
    count = 0
    with db.read() as conn:
        repo = RegistryRepository(conn)
        referents = _referents(repo)
        for entity in repo.iter_entities():
            out.write(ftm_line(entity_to_ftm(entity, referents.get(entity.id, ()))))
            count += 1
        for relation in repo.iter_relations():
            out.write(ftm_line(relation_to_ftm(relation)))
            count += 1
    return count


def write_csv_export(db: Database, out: TextIO) -> int:
    """Canonical entities as the simple CSV; the number of entities."""
    count = -1  # the header
    with db.read() as conn:
        for chunk in write_csv(RegistryRepository(conn).iter_entities()):
            out.write(chunk)
            count += 1
    return count


def relation_count(db: Database) -> int:
    """Relations a CSV export leaves out, so the user can be told."""
    with db.read() as conn:
        return RegistryRepository(conn).count_relations()


EXPORTS: dict[str, Callable[[Database, TextIO], int]] = {
    "ftm": write_ftm_export,
    "csv": write_csv_export,
}


# --- look-ups -----------------------------------------------------------------------------


@dataclass(slots=True)
class EntityDetail:
    """An entity as a reader sees it: merged names, relations with citations, decisions."""

    entity: Entity
    merged_ids: list[str]
    relations: list[Relation]
    judgements: list[Judgement]

    def as_dict(self) -> dict[str, Any]:
        """The entity's own fields as the model declares them, then what the page adds."""
        return {
            **as_record(self.entity),
            "merged_ids": self.merged_ids,
            "relations": [relation_dict(r) for r in self.relations],
            "judgements": [j.as_dict() for j in self.judgements],
        }


def relation_dict(relation: Relation) -> dict[str, Any]:
    """Every field of the model, citations included: a new field needs no change here."""
    return as_record(relation)


def get_entity(db: Database, entity_id: str) -> EntityDetail:
    """The entity's whole cluster under its canonical id (a merged id finds it too)."""
    with db.read() as conn:
        repo = RegistryRepository(conn)
        canonical = repo.canonical_id(entity_id)
        if canonical is None:
            raise EntityNotFound(entity_id)
        cluster = repo.cluster_ids(canonical)
        entity = repo.entity(canonical)
        assert entity is not None
        return EntityDetail(
            entity=entity,
            merged_ids=cluster[1:],
            relations=repo.relations_of(cluster),
            judgements=JudgementRepository(conn).history(cluster),
        )


def list_entities(
    db: Database, country: str | None = None, schema: str | None = None
) -> list[Entity]:
    with db.read() as conn:
        return list(RegistryRepository(conn).iter_entities(EntityFilter(country, schema)))


def canonical_id(db: Database, entity_id: str) -> str | None:
    with db.read() as conn:
        return RegistryRepository(conn).canonical_id(entity_id)


def registry_version(db: Database) -> int:
    with db.read() as conn:
        return RegistryRepository(conn).version()


# --- relations entered by editors -------------------------------------------------------------


def relation_schema(source: Entity, target: Entity) -> str:
    """Person→organisation is a Membership, organisation→organisation an UnknownLink."""
    if is_organization(target.schema):
        return "Membership" if is_person(source.schema) else "UnknownLink"
    if is_person(source.schema) and is_person(target.schema):
        return "Associate"
    raise RegistryError(
        f"no relation kind links a {source.schema} to a {target.schema}: "
        "put the organisation second, or pass --schema"
    )


def editor_relation_id(schema: str, source: str, target: str, role: str,
                       start: str | None, end: str | None) -> str:
    """The same relation entered twice gets the same id, so citations accumulate."""
    key = "\x1f".join([schema, source, target, role, start or "", end or ""])
    return "rel-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _same_relation(repo: RegistryRepository, schema: str, source_id: str, target_id: str,
                   role: str, start: str | None, end: str | None) -> Relation | None:
    """A live relation saying the same thing, whoever entered it (an import keeps its
    own id), so a new citation joins it instead of making a twin."""
    for relation in repo.relations_of([source_id], merges={}):
        if (relation.schema, relation.source_id, relation.target_id, relation.start_date,
                relation.end_date) == (schema, source_id, target_id, start, end) and (
                relation.role.casefold() == role.casefold()):
            return relation
    return None


def add_relation(
    db: Database,
    source_id: str,
    target_id: str,
    role: str,
    *,
    start_date: str | None = None,
    end_date: str | None = None,
    cite: Iterable[str] = (),
    schema: str | None = None,
    clock: Clock = utc_now,
) -> Relation:
    """An editor's relation; without citations it is stored as ``editor_asserted``."""
    for option, value in (("start", start_date), ("end", end_date)):
        if value is not None and not _DATE.match(value):
            raise RegistryError(f"--{option} expects YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    role = role.strip()
    if not role:
        raise RegistryError("a relation needs a role such as member, leader or allied")
    now = clock()
    with registry_writes(db, now) as repo:
        source, target = repo.member_entity(source_id), repo.member_entity(target_id)
        if source is None:
            raise EntityNotFound(source_id)
        if target is None:
            raise EntityNotFound(target_id)
        schema = schema or relation_schema(source, target)
        if not is_relation_schema(schema):
            raise RegistryError(
                f"unknown relation schema {schema!r}: use "
                f"{', '.join(sorted(relation_schemata()))}"
            )
        citations = [resolve_citation(repo, Citation(url=c.strip())) for c in cite if c.strip()]
        existing = _same_relation(repo, schema, source_id, target_id, role, start_date, end_date)
        relation_id = existing.id if existing is not None else editor_relation_id(
            schema, source_id, target_id, role, start_date, end_date
        )
        if existing is not None:
            citations = list(dict.fromkeys([*existing.citations, *citations]))
        relation = Relation(
            id=relation_id,
            schema=schema,
            source_id=source_id,
            target_id=target_id,
            role=role,
            start_date=start_date,
            end_date=end_date,
            citations=citations,
            editor_asserted=not citations,
        )
        repo.save_relation(relation, "editor", now)
    return relation
