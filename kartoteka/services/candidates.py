"""Editors' decisions on candidate names: accept (as an alias, or a new entity) or reject.

A decision is a row in ``candidates`` and outlives every re-run of
extraction: a rejected name stays rejected, an accepted one links.  An
accepted name takes effect at once (its stored mentions link and their
articles' links are rebuilt), and as a registry alias it links in new
articles too.  With an actor, the decision is checked against the actor's
role and written to the audit log.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

from kartoteka import schemata
from kartoteka.auth.roles import Action, Actor
from kartoteka.extract.documentation import candidate_key
from kartoteka.i18n import Message
from kartoteka.model import Entity
from kartoteka.registry.records import make_entity
from kartoteka.services import decisions
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.registry import Clock, registry_writes, utc_now
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database
from kartoteka.store.mentions import ACCEPTED, OPEN, REJECTED, Candidate, MentionRepository

NEW_SCHEMATA = (schemata.PERSON, schemata.ORGANIZATION)
_PREFIX = {schemata.PERSON: "per", schemata.ORGANIZATION: "org"}


class CandidateError(ValueError):
    """A decision that cannot be made; the message says why and what to do."""


def list_candidates(db: Database, status: str | None = OPEN) -> list[Candidate]:
    with db.read() as conn:
        return MentionRepository(conn).list_candidates(status)


def find_candidate(db: Database, name: str) -> Candidate:
    key = candidate_key(name)
    with db.read() as conn:
        found = MentionRepository(conn).candidate(key) if key else None
    if found is None:
        raise CandidateError(
            Message(
                "no candidate named %(name)r: `kartoteka candidates --status all` lists them",
                name=name,
            )
        )
    return found


def _by(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    actor.require(Action.JUDGE_ENTITIES)
    return actor.label


def accept_as_alias(db: Database, name: str, entity_id: str, *, actor: Actor | None = None,
                    clock: Clock = utc_now) -> Candidate:
    """Add the name as an alias of ``entity_id`` and link its mentions there."""
    by = _by(actor)
    candidate = find_candidate(db, name)
    entity = decisions.add_alias(db, entity_id, name, by=by, clock=clock)
    return _accept(db, candidate, entity, by, clock)


def accept_as_new(db: Database, name: str, schema: str, *, actor: Actor | None = None,
                  clock: Clock = utc_now) -> tuple[Candidate, Entity]:
    """Create a Person or Organization named ``name`` and link the mentions to it."""
    if schema not in NEW_SCHEMATA:
        raise CandidateError(f"--new takes Person or Organization, not {schema!r}")
    by = _by(actor)
    candidate = find_candidate(db, name)
    now = clock()
    with registry_writes(db, now) as repo:
        entity = make_entity(_new_id(repo.existing_ids, schema, candidate.key), schema,
                             [name.strip()])
        repo.save_entity(entity, now)
    return _accept(db, candidate, entity, by, clock), entity


def reject(db: Database, name: str, *, actor: Actor | None = None,
           clock: Clock = utc_now) -> Candidate:
    """Remember that this name is not worth an entity; re-runs keep it rejected."""
    by = _by(actor)
    candidate = find_candidate(db, name)
    now = clock()
    with db.transaction() as conn:
        store = MentionRepository(conn)
        store.decide(candidate.key, REJECTED, None, by, now)
        if by is not None:
            AuditLog(conn).record(now, by, "candidate.reject", "candidate", candidate.key,
                                  {"status": candidate.status}, {"status": REJECTED})
        decided = store.candidate(candidate.key)
    assert decided is not None
    return decided


def _accept(db: Database, candidate: Candidate, entity: Entity, by: str | None,
            clock: Clock) -> Candidate:
    now = clock()
    with db.transaction() as conn:
        store = MentionRepository(conn)
        store.decide(candidate.key, ACCEPTED, entity.id, by, now)
        touched = store.link_key(candidate.key, entity.id)
        ExtractionService(db).relink_articles(conn, touched)
        store.recount([candidate.key])
        if by is not None:
            AuditLog(conn).record(now, by, "candidate.accept", "candidate", candidate.key,
                                  {"status": candidate.status},
                                  {"status": ACCEPTED, "entity_id": entity.id})
        decided = store.candidate(candidate.key)
    assert decided is not None
    return decided


def _new_id(existing: Callable[[Iterable[str]], set[str]], schema: str, key: str) -> str:
    """A readable id from the name where it is Latin, else from its hash; never taken."""
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:60]
    if len(slug) < 3:
        slug = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    base = f"ktk-{_PREFIX[schema]}-{slug}"
    taken: set[str] = existing([base, *(f"{base}-{n}" for n in range(2, 20))])
    if base not in taken:
        return base
    for n in range(2, 20):
        if f"{base}-{n}" not in taken:
            return f"{base}-{n}"
    return f"{base}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
