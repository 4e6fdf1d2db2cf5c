"""Reading and writing the registry: entities with names, relations with citations.

An entity's *cluster* is the entity plus everything merged into it, directly
or through a chain.  Reads return the cluster as one entity under its
canonical id; writes always touch the rows of the id they are given.  Every
write marks the repository ``changed`` so the caller can bump the registry
version once per transaction (see ``bump_version``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from kartoteka.model import Entity, Name
from kartoteka.store import dialect
from kartoteka.store.model_columns import stored_fields
from kartoteka.store.registry_relations import BATCH, Outcome, RelationRecords
from kartoteka.store.registry_tables import (
    entities,
    entity_countries,
    entity_names,
    registry_state,
)

_KIND_STRENGTH = {"name": 0, "alias": 1, "weak": 2}


@dataclass(frozen=True, slots=True)
class EntityFilter:
    country: str | None = None
    schema: str | None = None


# Entity fields the row mapper fills from other tables (names, countries); every
# other field is a column of ``entities`` under its own name, written and read by
# name (checked here at import, and by tests/store/test_model_columns.py).
# The id is the row's key, written by the caller; the rest is what an import writes
# and compares.
ENTITY_JOINED = frozenset({"names", "countries"})
ENTITY_FIELDS = stored_fields(Entity, entities, joined=ENTITY_JOINED, keys=("id",))
# A name's fields are the columns of ``entity_names`` beside its owner and origin.
NAME_FIELDS = stored_fields(Name, entity_names)


def _head(values: Sequence[Any]) -> Any:
    return values[0]


def _merged_identifiers(values: Sequence[Any]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for value in reversed(values):  # the canonical entity's identifiers win
        merged.update(value or {})
    return dict(sorted(merged.items()))


# How a cluster's rows (the canonical entity's first, then its members') give one
# value of a field; a field not named here takes the canonical entity's value.
_FOLD: dict[str, Callable[[Sequence[Any]], Any]] = {
    "topics": lambda values: sorted({topic for value in values for topic in value or []}),
    "identifiers": _merged_identifiers,
    "description": lambda values: next((value for value in values if value), ""),
    # A cluster was active from its earliest start to its latest end.
    "start_date": lambda values: None if None in values else min(values),
    "end_date": lambda values: None if None in values else max(values),
}
_FOLDS = tuple(_FOLD.get(name, _head) for name in ENTITY_FIELDS.names)


def _entity_values(entity: Entity) -> dict[str, Any]:
    """The entity's columns, read from the model: a field added to the entity and the
    table is written, compared on import and read back with no edit here."""
    return ENTITY_FIELDS.values(entity)


def _name_row(entity_id: str, name: Name, origin: str) -> dict[str, Any]:
    return {"entity_id": entity_id, "origin": origin, **NAME_FIELDS.values(name)}


def _imported_names(entity: Entity, removed: frozenset[str]) -> list[Name]:
    """The names an import writes: all but those an editor removed (never the primary)."""
    return [n for n in entity.names if n.kind == "name" or n.value not in removed]


def _same_names(old: Sequence[Name], new: Sequence[Name]) -> bool:
    """The same names in the same order, every field of each alike."""
    return list(old) == list(new)


def _same_entity(
    entity: Entity, removed: frozenset[str], row: Row[Any], countries: list[str],
    names: list[Name],
) -> bool:
    """Whether importing ``entity`` again would leave its stored rows as they are."""
    return (
        row.deleted_at is None
        and all(getattr(row, k) == v for k, v in _entity_values(entity).items())
        and countries == sorted(set(entity.countries))
        and _same_names(names, _imported_names(entity, removed))
    )


class RegistryRepository(RelationRecords):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.changed = False

    # --- the version counter ------------------------------------------------------------

    def version(self) -> int:
        value = self.conn.execute(
            select(registry_state.c.version).where(registry_state.c.id == 1)
        ).scalar()
        return int(value or 0)

    def version_stamp(self) -> tuple[int, str]:
        """The version and when it was reached: a database emptied and refilled can
        reach the same version number with other contents, never at the same moment."""
        row = self.conn.execute(
            select(registry_state.c.version, registry_state.c.updated_at)
            .where(registry_state.c.id == 1)
        ).first()
        return (0, "") if row is None else (int(row.version), str(row.updated_at))

    def bump_version(self, now: datetime) -> int:
        """Count one more registry change; caches keyed on the version rebuild."""
        done = self.conn.execute(
            update(registry_state)
            .where(registry_state.c.id == 1)
            .values(version=registry_state.c.version + 1, updated_at=now)
        )
        if done.rowcount == 0:
            first = {"id": 1, "version": 1, "updated_at": now}
            if not dialect.insert_or_ignore(self.conn, registry_state, first, ["id"]):
                return self.bump_version(now)  # another writer made the row meanwhile
        return self.version()

    # --- identity and clusters ----------------------------------------------------------

    def exists(self, entity_id: str) -> bool:
        return self.conn.execute(
            select(entities.c.id).where(entities.c.id == entity_id, entities.c.deleted_at.is_(None))
        ).first() is not None

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = list(set(ids))
        found: set[str] = set()
        for start in range(0, len(wanted), BATCH):
            found.update(
                self.conn.execute(
                    select(entities.c.id).where(entities.c.id.in_(wanted[start : start + BATCH]))
                ).scalars()
            )
        return found

    def merged_into(self, entity_id: str) -> str | None:
        return self.conn.execute(
            select(entities.c.merged_into).where(entities.c.id == entity_id)
        ).scalar()

    def canonical_id(self, entity_id: str) -> str | None:
        """The id an entity's cluster is known by; None if there is no such entity."""
        if not self.exists(entity_id):
            return None
        seen = {entity_id}
        current = entity_id
        while (parent := self.merged_into(current)) is not None:
            if parent in seen:  # a cycle can only come from a hand-edited database
                raise RuntimeError(f"merge cycle through {parent!r}: unmerge one of them")
            seen.add(parent)
            current = parent
        return current

    def cluster_ids(self, canonical: str) -> list[str]:
        """The canonical id first, then every id merged into it (breadth first)."""
        found = [canonical]
        frontier = [canonical]
        while frontier:
            children = list(
                self.conn.execute(
                    select(entities.c.id)
                    .where(entities.c.merged_into.in_(frontier))
                    .order_by(entities.c.id)
                ).scalars()
            )
            children = [c for c in children if c not in found]
            found.extend(children)
            frontier = children
        return found

    def merge_map(self) -> dict[str, str]:
        """Every merged id to its canonical id, for resolving many ids at once."""
        parents: dict[str, str] = {
            row.id: row.merged_into
            for row in self.conn.execute(
                select(entities.c.id, entities.c.merged_into).where(
                    entities.c.merged_into.is_not(None)
                )
            )
        }
        resolved: dict[str, str] = {}
        for start in parents:
            current, steps = start, 0
            while current in parents and steps <= len(parents):
                current, steps = parents[current], steps + 1
            resolved[start] = current
        return resolved

    def set_merged_into(self, entity_id: str, target: str | None, now: datetime) -> None:
        self.conn.execute(
            update(entities)
            .where(entities.c.id == entity_id)
            .values(merged_into=target, updated_at=now)
        )
        self.changed = True

    # --- entities -------------------------------------------------------------------------

    def save_entity(
        self, entity: Entity, now: datetime, removed_names: frozenset[str] = frozenset()
    ) -> Outcome:
        """Write an imported entity; its editor-made names and its merges stay as they are.

        ``removed_names`` are names an editor removed: they are not written again.
        """
        values = _entity_values(entity)
        row = self.conn.execute(select(entities).where(entities.c.id == entity.id)).first()
        names = _imported_names(entity, removed_names)
        countries = sorted(set(entity.countries))
        fresh = {"id": entity.id, "created_at": now, "updated_at": now, **values}
        if row is None and dialect.insert_or_ignore(self.conn, entities, fresh, ["id"]):
            self._write_countries(entity.id, countries)
            self._insert_names(entity.id, names, "import")
            self.changed = True
            return Outcome.ADDED
        if row is None:  # another writer added it meanwhile: update that row instead
            row = self.conn.execute(select(entities).where(entities.c.id == entity.id)).one()
        same_row = all(getattr(row, k) == v for k, v in values.items())
        same_countries = self._countries([entity.id])[entity.id] == countries
        same_names = _same_names(self._names([entity.id], origin="import")[entity.id], names)
        if same_row and same_countries and same_names and row.deleted_at is None:
            return Outcome.UNCHANGED
        self.conn.execute(
            update(entities)
            .where(entities.c.id == entity.id)
            .values(updated_at=now, deleted_at=None, **values)
        )
        if not same_countries:
            self._write_countries(entity.id, countries)
        if not same_names:
            self.conn.execute(
                delete(entity_names).where(
                    entity_names.c.entity_id == entity.id, entity_names.c.origin == "import"
                )
            )
            self._insert_names(entity.id, names, "import")
        self.changed = True
        return Outcome.UPDATED

    def save_entities(
        self,
        batch: Sequence[Entity],
        now: datetime,
        removed_names: dict[str, frozenset[str]] | None = None,
    ) -> list[Outcome]:
        """``save_entity`` for many at once: new entities go in with one statement per table.

        Ids must be unique within the batch.
        """
        removed_names = removed_names or {}
        ids = [e.id for e in batch]
        rows = {
            r.id: r for r in self.conn.execute(select(entities).where(entities.c.id.in_(ids)))
        }
        known = list(rows)
        old_names = self._names(known, origin="import")
        old_countries = self._countries(known)
        outcomes: list[Outcome] = []
        fresh: list[Entity] = []
        for entity in batch:
            removed = removed_names.get(entity.id, frozenset())
            row = rows.get(entity.id)
            if row is None:
                fresh.append(entity)
                outcomes.append(Outcome.ADDED)
            elif _same_entity(entity, removed, row, old_countries[entity.id],
                              old_names[entity.id]):
                outcomes.append(Outcome.UNCHANGED)
            else:
                outcomes.append(self.save_entity(entity, now, removed))
        if not fresh:
            return outcomes
        self.conn.execute(
            insert(entities),
            [{"id": e.id, **_entity_values(e), "created_at": now, "updated_at": now}
             for e in fresh],
        )
        countries = [
            {"entity_id": e.id, "country": c} for e in fresh for c in sorted(set(e.countries))
        ]
        if countries:
            self.conn.execute(insert(entity_countries), countries)
        names = [
            _name_row(e.id, n, "import")
            for e in fresh
            for n in _imported_names(e, removed_names.get(e.id, frozenset()))
        ]
        if names:
            self.conn.execute(insert(entity_names), names)
        self.changed = True
        return outcomes

    def add_name(self, entity_id: str, name: Name, origin: str) -> bool:
        """Add a name unless the entity already has it from the same origin."""
        present = self.conn.execute(
            select(entity_names.c.pk).where(
                entity_names.c.entity_id == entity_id,
                entity_names.c.value == name.value,
                entity_names.c.origin == origin,
            )
        ).first()
        if present is not None:
            return False
        self._insert_names(entity_id, [name], origin)
        self.changed = True
        return True

    def remove_name(self, ids: Sequence[str], value: str) -> list[str]:
        """Delete a name (not a primary one) from these entities; the ids that had it."""
        condition = (
            entity_names.c.entity_id.in_(list(ids)),
            entity_names.c.value == value,
            entity_names.c.kind != "name",
        )
        owners = sorted(set(self.conn.execute(select(entity_names.c.entity_id).where(*condition))
                            .scalars()))
        if owners:
            self.conn.execute(delete(entity_names).where(*condition))
            self.changed = True
        return owners

    def entity(self, entity_id: str) -> Entity | None:
        """The cluster ``entity_id`` belongs to, as one entity under its canonical id."""
        canonical = self.canonical_id(entity_id)
        if canonical is None:
            return None
        return self._clusters({canonical: self.cluster_ids(canonical)})[0]

    def labels(self, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """(primary name, schema) of each of ``ids`` the registry holds: one statement."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.conn.execute(
            select(entities.c.id, entities.c.name, entities.c.schema).where(
                entities.c.id.in_(wanted)
            )
        ).all()
        return {r.id: (r.name, r.schema) for r in rows}

    def member_entity(self, entity_id: str) -> Entity | None:
        """One entity's own rows, ignoring merges (for exports of raw data and tests)."""
        if not self.exists(entity_id):
            return None
        return self._clusters({entity_id: [entity_id]})[0]

    def iter_entities(self, flt: EntityFilter | None = None) -> Iterator[Entity]:
        """Every canonical entity in id order, merged members folded in."""
        flt = flt or EntityFilter()
        merges = self.merge_map()
        members: dict[str, list[str]] = {}
        for member, canonical in merges.items():
            members.setdefault(canonical, []).append(member)
        last = ""
        while True:
            query = (
                select(entities.c.id)
                .where(
                    entities.c.merged_into.is_(None),
                    entities.c.deleted_at.is_(None),
                    entities.c.id > last,
                )
                .order_by(entities.c.id)
                .limit(BATCH)
            )
            if flt.schema:
                query = query.where(entities.c.schema == flt.schema)
            ids = list(self.conn.execute(query).scalars())
            if not ids:
                return
            last = ids[-1]
            clusters = {i: [i, *sorted(members.get(i, []))] for i in ids}
            for entity in self._clusters(clusters):
                if flt.country is None or flt.country.lower() in entity.countries:
                    yield entity

    def count_entities(self) -> int:
        return int(
            self.conn.execute(
                select(func.count()).select_from(entities).where(
                    entities.c.merged_into.is_(None), entities.c.deleted_at.is_(None)
                )
            ).scalar_one()
        )

    # --- relations ------------------------------------------------------------------------

    # --- internals --------------------------------------------------------------------------

    def _insert_names(self, entity_id: str, names: Sequence[Name], origin: str) -> None:
        if names:
            self.conn.execute(
                insert(entity_names),
                [_name_row(entity_id, n, origin) for n in names],
            )

    def _write_countries(self, entity_id: str, countries: Sequence[str]) -> None:
        self.conn.execute(delete(entity_countries).where(entity_countries.c.entity_id == entity_id))
        if countries:
            self.conn.execute(
                insert(entity_countries),
                [{"entity_id": entity_id, "country": c} for c in countries],
            )

    def _names(self, ids: Sequence[str], origin: str | None = None) -> dict[str, list[Name]]:
        found: dict[str, list[Name]] = {i: [] for i in ids}
        query = select(entity_names).where(entity_names.c.entity_id.in_(list(ids)))
        if origin is not None:
            query = query.where(entity_names.c.origin == origin)
        for row in self.conn.execute(query.order_by(entity_names.c.pk)):
            found[row.entity_id].append(Name(**NAME_FIELDS.read(row)))
        return found

    def _countries(self, ids: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {i: [] for i in ids}
        for row in self.conn.execute(
            select(entity_countries)
            .where(entity_countries.c.entity_id.in_(list(ids)))
            .order_by(entity_countries.c.country)
        ):
            found[row.entity_id].append(row.country)
        return found

    def _clusters(self, clusters: dict[str, list[str]]) -> list[Entity]:
        """Fold each cluster into one entity: the canonical row first, then its members."""
        every = [i for ids in clusters.values() for i in ids]
        rows = {
            r.id: r for r in self.conn.execute(select(entities).where(entities.c.id.in_(every)))
        }
        names = self._names(every)
        countries = self._countries(every)
        folded: list[Entity] = []
        for canonical, ids in clusters.items():
            merged: dict[str, Name] = {}
            for member in ids:
                # The primary name first, then the others in the order they were added.
                for name in sorted(names[member], key=lambda n: n.kind != "name"):
                    if member != canonical and name.kind == "name":
                        name = replace(name, kind="alias")
                    known = merged.get(name.value)
                    if known is None or _KIND_STRENGTH[name.kind] < _KIND_STRENGTH[known.kind]:
                        merged[name.value] = name
            # Each column folded over the cluster's rows, read from the model by name.
            members = zip(*(ENTITY_FIELDS.columns_of(rows[m]._mapping) for m in ids),
                          strict=True)
            columns = {
                column: fold(values)
                for column, fold, values in zip(ENTITY_FIELDS.names, _FOLDS, members, strict=True)
            }
            folded.append(
                Entity(
                    **columns,
                    names=list(merged.values()),
                    countries=sorted({c for m in ids for c in countries[m]}),
                )
            )
        return folded
