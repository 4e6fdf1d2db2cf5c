"""Matching what the triggers queued against every watchlist, in batches.

Entity, country and author watchlists are found by their indexed key (see
``store.alert_matching``).  Each distinct saved search is planned once per
run and, per batch, run only on the articles its gate lets through
(``text.query_gate``), restricted to them.  An article alerts only
watchlists made before it was queued, and only users who are not disabled.
A registry merge owes alerts of its own, stored first (``store.alert_merges``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from kartoteka.services.search import SearchPlan, plan_search
from kartoteka.store import alert_matching
from kartoteka.store.alert_merges import alert_merges
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.watchlists import Watchlist
from kartoteka.text.query_gate import gate, text_forms

log = logging.getLogger(__name__)

BATCH = 500
# Each distinct saved search (by key): its plan and the watchlists that saved it.
Plans = dict[str, tuple[SearchPlan, list[Watchlist]]]


@dataclass(frozen=True, slots=True)
class MatchReport:
    articles: int = 0
    alerts: int = 0
    searches: int = 0


def filter_of(filters: dict[str, str]) -> ArticleFilter:
    """A saved search's filters as the search page reads them."""
    values: dict[str, object] = {k: filters[k] for k in ("author", "country", "entity",
                                                          "language") if filters.get(k)}
    for name in ("since", "until"):
        if filters.get(name):
            values[name] = datetime.fromisoformat(filters[name]).replace(tzinfo=UTC)
    return ArticleFilter(**values)  # type: ignore[arg-type]


Planner = Callable[[str], SearchPlan]


def match_pending(db: Database, clock: Callable[[], datetime], batch: int = BATCH,
                  planner: Planner | None = None) -> MatchReport:
    """Turn everything queued into alerts; safe to run in several processes at once.

    ``planner`` plans a saved search's words (default ``plan_search`` on ``db``); a
    process with one registry matcher passes a planner that uses it."""
    with db.transaction() as conn:
        added = alert_merges(conn, clock())
        searches = alert_matching.saved_searches(conn)
    plans = _plans(planner or (lambda text: plan_search(db, text)), searches)
    seen = 0
    while True:
        # Matching only reads: SQLite's write lock (which ingest waits for) is
        # taken just to store the alerts and clear the batch.
        with db.read() as conn:
            queued = alert_matching.take(conn, batch)
            if not queued:
                break
            pairs = _match(conn, plans, queued)
        with db.transaction() as conn:
            added += alert_matching.add_alerts(conn, pairs, clock())
            alert_matching.clear(conn, queued)
        seen += len(queued)
    return MatchReport(seen, added, len(plans))

def _match(conn: Connection, plans: Plans,
           queued: list[alert_matching.Queued]) -> list[tuple[int, int]]:
    """(watchlist, article) pairs for a batch: keyed look-ups, then gated saved searches."""
    pks = alert_matching.visible_pks(conn, [q.article_pk for q in queued])
    found = alert_matching.keyed_matches(conn, pks) if pks else {}
    for key, candidates in _gated(conn, plans, pks).items():
        plan, holders = plans[key]
        flt = filter_of(holders[0].filters)
        for article_pk in alert_matching.search_matches(
            conn, plan.query, flt, plan.widened_by, candidates
        ):
            found.setdefault(article_pk, set()).update(w.pk for w in holders)
    times = alert_matching.watchlist_times(conn, [w for ws in found.values() for w in ws])
    queued_at = {q.article_pk: q.queued_at for q in queued}
    return [
        (w, a) for a, ws in found.items() for w in sorted(ws)
        if w in times and times[w] <= queued_at[a]
    ]


def _gated(conn: Connection, plans: Plans, pks: list[int]) -> dict[str, list[int]]:
    """For each saved search, the batch's articles its gate lets through (if any).

    An inverted index from gate forms to searches: each article's forms
    are looked up once, whatever the number of searches.  A widened
    search also matches linked articles without the words: it has no gate.
    """
    if not pks or not plans:
        return {}
    by_form: dict[str, list[str]] = {}
    candidates: dict[str, list[int]] = {}
    for key, (plan, _) in plans.items():
        forms = None if plan.widened_by else gate(plan.query)
        if forms is None:
            candidates[key] = list(pks)
            continue
        for form in forms:
            by_form.setdefault(form, []).append(key)
    if by_form:
        for pk, (title, body, language) in alert_matching.texts(conn, pks).items():
            passed = {k for f in text_forms(title, body, language) for k in by_form.get(f, ())}
            for key in passed:
                candidates.setdefault(key, []).append(pk)
    return candidates

def _plans(planner: Planner, searches: list[Watchlist]) -> Plans:
    """One plan per distinct saved search, shared by everyone who saved it."""
    grouped: dict[str, list[Watchlist]] = {}
    for watchlist in searches:
        grouped.setdefault(watchlist.key, []).append(watchlist)
    plans: dict[str, tuple[SearchPlan, list[Watchlist]]] = {}
    for key, holders in grouped.items():
        plan = planner(holders[0].query or "")
        if plan.message:
            log.info("saved search %r finds nothing: %s", holders[0].query, plan.message)
            continue
        plans[key] = (plan, holders)
    return plans

