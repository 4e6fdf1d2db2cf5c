"""Editors' decisions on the registry: merge, unmerge, add and remove aliases.

Each decision is stored as a judgement in the same transaction as its
effect, so it survives re-imports: a merged id stays in its cluster when
its data is imported again, and a removed alias is not imported again.
"""

from __future__ import annotations

from kartoteka.model import Entity
from kartoteka.registry.records import make_name
from kartoteka.services.registry import (
    Clock,
    EntityNotFound,
    RegistryError,
    registry_writes,
    utc_now,
)
from kartoteka.store.database import Database
from kartoteka.store.judgements import JudgementKind, JudgementRepository
from kartoteka.store.registry import RegistryRepository


def _canonical(repo: RegistryRepository, entity_id: str) -> str:
    canonical = repo.canonical_id(entity_id)
    if canonical is None:
        raise EntityNotFound(entity_id)
    return canonical


def _view(repo: RegistryRepository, entity_id: str) -> Entity:
    entity = repo.entity(entity_id)
    assert entity is not None, "callers check the id first"
    return entity


def merge(
    db: Database, keep_id: str, other_id: str, *, by: str | None = None, clock: Clock = utc_now
) -> Entity:
    """Fold ``other_id`` (and whatever was merged into it) into ``keep_id``'s cluster."""
    now = clock()
    with registry_writes(db, now) as repo:
        keep = _canonical(repo, keep_id)
        _canonical(repo, other_id)
        parent = repo.merged_into(other_id)
        if parent is not None:
            raise RegistryError(
                f"{other_id!r} is already merged into {_canonical(repo, parent)!r}: "
                f"run `kartoteka registry unmerge {other_id}` first"
            )
        if keep == other_id:
            raise RegistryError(
                f"{keep_id!r} and {other_id!r} are already the same entity ({keep!r})"
            )
        repo.set_merged_into(other_id, keep, now)
        JudgementRepository(repo.conn).record(
            JudgementKind.MERGE, keep, now, object_id=other_id, created_by=by
        )
        return _view(repo, keep)


def unmerge(
    db: Database, other_id: str, *, by: str | None = None, clock: Clock = utc_now
) -> tuple[Entity, Entity]:
    """Undo the merge of ``other_id``: (the cluster it left, the entity itself again)."""
    now = clock()
    with registry_writes(db, now) as repo:
        _canonical(repo, other_id)
        parent = repo.merged_into(other_id)
        if parent is None:
            raise RegistryError(f"{other_id!r} is not merged into another entity")
        judgements = JudgementRepository(repo.conn)
        for judgement in judgements.active(JudgementKind.MERGE, object_id=other_id):
            judgements.revert(judgement.pk, now, by)
        repo.set_merged_into(other_id, None, now)
        return _view(repo, parent), _view(repo, other_id)


def add_alias(
    db: Database, entity_id: str, name: str, *, by: str | None = None, clock: Clock = utc_now
) -> Entity:
    """An editor's alias: kept on the canonical entity whatever later imports say."""
    value = name.strip()
    if not value:
        raise RegistryError("an alias cannot be empty")
    now = clock()
    with registry_writes(db, now) as repo:
        canonical = _canonical(repo, entity_id)
        judgements = JudgementRepository(repo.conn)
        for member in repo.cluster_ids(canonical):
            for judgement in judgements.active(
                JudgementKind.ALIAS_REMOVE, subject_id=member, value=value
            ):
                judgements.revert(judgement.pk, now, by)
                repo.changed = True
        repo.add_name(canonical, make_name(value, "alias"), "editor")
        judgements.record(JudgementKind.ALIAS_ADD, canonical, now, value=value, created_by=by)
        return _view(repo, canonical)


def remove_alias(
    db: Database, entity_id: str, name: str, *, by: str | None = None, clock: Clock = utc_now
) -> Entity:
    """Remove an alias from the cluster, and keep later imports from restoring it."""
    value = name.strip()
    now = clock()
    with registry_writes(db, now) as repo:
        canonical = _canonical(repo, entity_id)
        cluster = repo.cluster_ids(canonical)
        for member in cluster:
            own = repo.member_entity(member)
            if own is not None and own.name == value:
                hint = (
                    "give the entity another primary name in its source file"
                    if member == canonical
                    else f"unmerge {member!r} first"
                )
                raise RegistryError(f"{value!r} is the primary name of {member!r}: {hint}")
        owners = repo.remove_name(cluster, value)
        if not owners:
            raise RegistryError(f"{canonical!r} has no alias {value!r}")
        judgements = JudgementRepository(repo.conn)
        for member in cluster:
            for judgement in judgements.active(
                JudgementKind.ALIAS_ADD, subject_id=member, value=value
            ):
                judgements.revert(judgement.pk, now, by)
        for owner in owners:
            judgements.record(JudgementKind.ALIAS_REMOVE, owner, now, value=value, created_by=by)
        return _view(repo, canonical)
