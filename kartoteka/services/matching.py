"""The process's one name matcher over the registry, and its one freshness rule.

Building a matcher costs 0.25 s on the demo registry and about 43 s of CPU
at 100k entities (``bench/match.py``), so a process keeps one and every
user of it (``match``, search widening, catalog import, extraction's
linker) shares it.  It is rebuilt when, and only when, the registry's
``version_stamp`` changed: the version and the moment it was reached, so a
database emptied and refilled to the same version number is still seen as
changed.  :func:`kartoteka.services.wiring.build_services` makes the one
instance; one-shot callers (scripts, tests) may make their own.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from kartoteka.link.matcher import MatchResult, NameMatcher
from kartoteka.model import Entity
from kartoteka.store.database import Database
from kartoteka.store.registry import RegistryRepository

__all__ = ["MatchFailure", "MatcherState", "RegistryMatcher", "Stamp", "registry_stamp"]

log = logging.getLogger(__name__)

Stamp = tuple[int, str]


@dataclass(frozen=True, slots=True)
class MatchFailure:
    """A name the matcher failed on: that name's error, not the batch's."""

    query: str
    reason: str


def registry_stamp(conn: Connection) -> Stamp:
    """The freshness rule every registry-derived cache in a process follows."""
    return RegistryRepository(conn).version_stamp()


@dataclass(frozen=True, slots=True)
class MatcherState:
    """A matcher and the registry stamp it was built at."""

    stamp: Stamp
    matcher: NameMatcher


class RegistryMatcher:
    """Holds one :class:`NameMatcher`, rebuilt when the registry's stamp changed.

    Web workers call it from several threads: one lock makes the first
    caller after a change build while the others wait for that build.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._state: MatcherState | None = None
        self._lock = threading.Lock()

    def state(self, conn: Connection | None = None,
              entities: Sequence[Entity] | None = None) -> MatcherState:
        """The current matcher; ``entities`` (the canonical registry, read in
        the same transaction as ``conn``) saves reading them again for a build."""
        if conn is None:
            with self.db.read() as own:
                return self.state(own, entities)
        stamp = registry_stamp(conn)
        state = self._state
        if state is not None and state.stamp == stamp:
            return state
        with self._lock:
            state = self._state
            if state is None or state.stamp != stamp:
                found = entities if entities is not None \
                    else RegistryRepository(conn).iter_entities()
                state = self._state = MatcherState(stamp, NameMatcher.from_entities(found))
                # Millions of long-lived objects: out of the cyclic collector's
                # reach, its full collections stop rescanning them (without
                # this, bench/match.py answers about a third fewer queries per
                # CPU second).  Decided here, by the process's one owner of a
                # matcher, as the server decides at its start for the rest.
                gc.freeze()
        return state

    def current(self) -> NameMatcher:
        return self.state().matcher

    def match(self, name: str, schema: str | None = None, limit: int = 5) -> MatchResult:
        return self.current().match(name, schema=schema, limit=limit)

    def match_names(self, names: Iterable[str], schema: str | None = None,
                    limit: int = 5) -> Iterator[MatchResult | MatchFailure]:
        """Each name matched against the registry, in the order given; a name the
        matcher fails on is a :class:`MatchFailure` (logged with its traceback)."""
        matcher = self.current()
        for name in names:
            try:
                result = matcher.match(name, schema=schema, limit=limit)
            except Exception as exc:  # one name must not stop the batch
                log.exception("matching %r failed", name[:80])
                yield MatchFailure(name, f"{type(exc).__name__}: {exc}")
                continue
            yield result
